"""Reads the accounts app needs from apps above it (see :mod:`zhifa.core.lookups`)."""

from zhifa.core import lookups

CERTIFICATE_PREREQUISITE = lookups.declare(
    "accounts.certificate_prerequisite",
    doc="执法证的考试前提：given an Officer and a date, '' when the rule data sets no exam prerequisite or the "
    "officer meets it, else the Chinese reason (which exam, which rule) the officer may not be issued or keep "
    "a certificate; provided by zhifa.people (学法考试)",
)
