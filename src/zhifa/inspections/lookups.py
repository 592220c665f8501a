"""Reads 双随机 needs from an app of its own layer (see :mod:`zhifa.core.lookups`): declared here, provided by
that app in its AppConfig.ready through ``lookups.named`` (apps of one layer never import each other)."""

from zhifa.core import lookups

POSTCHECKS_DUE = lookups.declare(
    "permits.postchecks_due",
    doc="告知承诺事后核查名录：postchecks_due(org, on=date) -> the 告知承诺 applications under org whose 事后核查 "
    "is due by that date and not done, each with applicant_uscc (统一社会信用代码); provided by zhifa.permits",
)
