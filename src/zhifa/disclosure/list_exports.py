"""Columns of the internal 公示记录 list when exported (导出 Excel / CSV): what the page shows.

(The public 公示版 export, in the national data-item order, is :mod:`zhifa.disclosure.exports`.)"""

from __future__ import annotations

from zhifa.core.list_export import ListExport

RECORDS = ListExport(
    title="公示记录",
    columns=[
        ("类别", "get_kind_display"),
        ("来源", "source_repr"),
        ("决定日期", "decided_on"),
        ("公示期限", "publish_due"),
        ("公示日期", "published_on"),
        ("是否逾期公示", "late"),
        ("状态", "get_state_display"),
        ("说明", lambda r: r.hold_reason or r.withdraw_reason),
        ("公示单位", "org.name"),
    ],
)
