"""Columns of the application list and the 差评 ledger when exported (导出 Excel / CSV)."""

from __future__ import annotations

from zhifa.core.list_export import ListExport

APPLICATIONS = ListExport(
    title="行政许可申请",
    columns=[
        ("申请编号", "number"),
        ("事项", "item.name"),
        ("申请类型", "get_kind_display"),
        ("渠道", "get_channel_display"),
        ("申请人", "applicant"),
        ("收到日期", "received_on"),
        ("受理日期", "accepted_on"),
        ("视为受理", lambda a: "是" if a.deemed_accepted else ""),
        ("决定日期", "decided_on"),
        ("决定书文号", "decision_no"),
        ("发证日期", "issued_on"),
        ("告知承诺", lambda a: "是" if a.pledge else ""),
        ("状态", "get_state_display"),
    ],
)

RATINGS = ListExport(
    title="好差评",
    columns=[
        ("申请编号", "application.number"),
        ("事项", "application.item.name"),
        ("评价日期", "rated_on"),
        ("评价等级", "get_grade_display"),
        ("渠道", "get_channel_display"),
        ("评价内容", "comment"),
        ("整改责任人", lambda r: str(r.owner or "")),
        ("整改期限", "fix_due"),
        ("回访日期", "callback_on"),
        ("整改完成日期", "fixed_on"),
        ("整改结果", "fix_result"),
    ],
)
