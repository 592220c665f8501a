"""Names of the audit actions of the 审计日志 pages themselves (the auditor's own reads are audited)."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "audit.query": "查询审计日志",
        "audit.view": "查看审计记录",
        "audit.export": "导出审计日志",
        "audit.verify": "校验审计链",
    }
)
