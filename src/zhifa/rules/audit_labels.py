"""Names of the audit actions of the rules library."""

from zhifa.core.audit import register_action_labels

register_action_labels({"rules.load": "载入法律依据与执法事项库", "rules.violation.version_create": "发布执法事项新版本"})
