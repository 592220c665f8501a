"""Names of the audit actions of 执法文书."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "document.issue": "制作执法文书",
        "document.reissue": "重新制作执法文书",
        "document.download": "下载执法文书",
        "document.numbering_rule": "设置文书编号规则",
        "document.sweep": "清理无登记记录的文书文件",
    }
)
