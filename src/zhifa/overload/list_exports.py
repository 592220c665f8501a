"""Columns of the 治超 lead lists when exported (导出 Excel / CSV): what the page shows, in its words."""

from __future__ import annotations

from zhifa.core.list_export import ListExport

LEADS = ListExport(
    title="超限记录",
    columns=[
        ("过车时间", "passed_at"),
        ("检测点", "station.name"),
        ("车牌号", "plate"),
        ("轴数", "axle_count"),
        ("车型", lambda lead: "货车" if lead.vehicle_kind == "truck" else "汽车列车"),
        ("总质量（千克）", "gross_kg"),
        ("限值（千克）", "limit_kg"),
        ("超限（千克）", "excess_kg"),
        ("超限率（%）", "excess_pct"),
        ("状态", "get_status_display"),
    ],
)
