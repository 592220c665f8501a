"""Columns of the credit lists when exported (导出 Excel / CSV): what the page shows, in its words."""

from __future__ import annotations

from zhifa.core.list_export import ListExport


def _criterion(entry) -> str:
    from . import rules

    criteria = {**rules.OVERLOAD_BLACKLIST_CRITERIA, **rules.RED_CRITERIA, **rules.WATCH_CRITERIA}
    label = criteria.get(entry.criterion)
    return f"{entry.criterion} {label}" if label else entry.criterion


LIST_ENTRIES = ListExport(
    title="信用名单",
    columns=[
        ("名单", "get_list_kind_display"),
        ("主体名称", "subject_name"),
        ("列入情形", _criterion),
        ("告知日期", "noticed_on"),
        ("状态", "get_state_display"),
        ("决定日期", "decided_on"),
        ("有效期至", "effective_to"),
        ("移出日期", "ended_on"),
        ("移出原因", "end_reason"),
        ("认定单位", "org.name"),
    ],
)

SUBJECTS = ListExport(
    title="信用档案",
    columns=[("信用主体", "subject_name"), ("代码/车牌", "subject_code")],
)
