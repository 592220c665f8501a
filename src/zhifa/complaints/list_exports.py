"""Columns of the work-order list when exported (导出 Excel / CSV): the page's words; the complainant masked."""

from __future__ import annotations

from zhifa.core.list_export import ListExport

ORDERS = ListExport(
    title="投诉举报工单",
    columns=[
        ("工单号", "number"),
        ("外部工单号", "external_no"),
        ("收到日期", "received_on"),
        ("渠道", "get_channel_display"),
        ("类别", "get_category_display"),
        ("标题", "title"),
        ("被投诉对象", "subject_label"),
        ("地点", "place"),
        ("诉求人", lambda o: "匿名" if o.anonymous else o.name_masked),
        ("承办单位", "org.name"),
        ("状态", "get_state_display"),
        ("办结期限", "due"),
        ("办结日期", "closed_on"),
        ("满意度", "get_satisfaction_display"),
        ("案件结果", "case_outcome_text"),
    ],
)
