"""Names of the audit actions of 统计与报告."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "reports.annual.create": "年度报告：起草",
        "reports.annual.edit": "年度报告：修改正文",
        "reports.annual.issue": "年度报告：签发（固定数据快照）",
        "reports.annual.mark": "年度报告：登记报送、公开",
        "reports.bulletin.request": "月度通报：生成",
        "reports.bulletin.issued": "月度通报：印发",
        "reports.bulletin.published": "月度通报：公开",
    },
    prefixes={
        "reports.bulletin.": lambda rest: {"issued": "月度通报：印发", "published": "月度通报：公开"}.get(
            rest, ""
        )
    },
)
