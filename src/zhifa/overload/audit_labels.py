"""Names of the audit actions of 治超."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "overload.ingest": "治超：导入称重数据",
        "overload.station.save": "治超：保存检测站点",
        "overload.lead.confirm": "治超：确认超限线索",
        "overload.lead.reject": "治超：排除超限线索",
        "overload.lead.statement": "治超：当事人陈述",
        "overload.lead.close": "治超：线索办结",
        "overload.notice.create": "治超：生成抄告",
        "overload.notice.sent": "治超：抄告已发送",
        "overload.sanction.raise": "治超：一超四罚线索",
        "overload.sanction.update": "治超：更新一超四罚线索",
        "overload.sanction.void": "治超：撤销一超四罚线索（处罚决定被撤销）",
        "overload.lead.decided": "治超：线索已作出处罚决定（计入一超四罚）",
        "overload.lead.overturned": "治超：线索的处罚决定被撤销（不再计入）",
    }
)
