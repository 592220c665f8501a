"""Columns of the 双随机 lists when exported (导出 Excel / CSV): what the page shows, in its words."""

from __future__ import annotations

from zhifa.core.list_export import ListExport

TARGETS = ListExport(
    title="检查对象名录库",
    columns=[
        ("名称", "name"),
        ("统一社会信用代码", "uscc"),
        ("经营类别", "business_type"),
        ("区域", "area"),
        ("信用等级", "grade"),
        ("风险分类", "risk"),
        ("抽取权重（‰）", "weight"),
    ],
)

MY_TASKS = ListExport(
    title="我的抽查任务",
    columns=[
        ("任务", "task.title"),
        ("检查对象", "enterprise.name"),
        ("同组人员", lambda a: "、".join(o.name for o in a.inspectors.all())),
        ("完成期限", "task.due_date"),
        ("检查记录", lambda a: a.record.get_status_display() if getattr(a, "record", None) else "未填写"),
    ],
)

ITEMS = ListExport(
    title="随机抽查事项清单",
    columns=[
        ("编号", "code"),
        ("抽查事项", "name"),
        ("抽查依据", "legal_basis"),
        ("抽查主体", "inspecting_body"),
        ("抽查对象", lambda i: "、".join(i.business_type_labels) or "全部"),
        ("抽查方式", "method"),
        ("比例", "ratio_label"),
        ("频次（次/年）", "frequency"),
        ("类别", "get_category_display"),
    ],
)
