"""Columns of the 执法办案 lists when exported (导出 Excel / CSV): what the page shows, in its words."""

from __future__ import annotations

from zhifa.core.list_export import ListExport, yuan

CASES = ListExport(
    title="案件",
    columns=[
        ("案号", "number"),
        ("当事人", "party_name"),
        ("违法行为", "violation_name"),
        ("程序", "get_procedure_display"),
        ("状态", "get_state_display"),
        ("罚款（元）", lambda c: yuan(c.fine_fen)),
        ("拟罚款（元）", lambda c: yuan(c.proposed_fine_fen) if c.fine_fen is None else ""),
        ("办案期限", "limit_due"),
        ("承办单位", "org.name"),
    ],
)

DEADLINES = ListExport(
    title="期限看板",
    columns=[
        ("类别", "group"),
        ("案号", "clock.case.number"),
        ("当事人", "clock.case.party_name"),
        ("期限", "clock.get_kind_display"),
        ("届满日", "clock.due"),
        ("依据", "clock.article"),
        ("承办单位", "clock.org.name"),
    ],
)

SOURCES = ListExport(
    title="案源线索",
    columns=[
        ("来源", "get_origin_display"),
        ("来源编号", "external_ref"),
        ("当事人/对象", "subject_name"),
        ("线索内容", "facts"),
        ("处理期限", "decision_due"),
        ("状态", "get_status_display"),
        ("立案案号", "case.number"),
        ("不予立案理由", "close_reason"),
    ],
)


def deadline_rows(board: dict) -> list[dict]:
    """The board's two clock tables as one list, each row saying which table it is in."""
    return [{"group": "已超期", "clock": c} for c in board["overdue"]] + [
        {"group": f"{board['window']} 日内到期", "clock": c} for c in board["soon"]
    ]
