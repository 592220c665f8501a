"""Indicators of 投诉举报 (filled in a later slice)."""
