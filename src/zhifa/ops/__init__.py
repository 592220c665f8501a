"""Running the platform for real: backup and restore, health and metrics, deployment checks, the
等保 self-assessment page.

A layer of its own above the modules (it reads every store: databases, evidence and document
objects, Parquet stores, the audit chain) and below ``config`` (which routes its pages) and ``cli``.
"""
