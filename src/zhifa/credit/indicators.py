"""The indicators of 信用管理 (seed S0: 35,800 credit records), registered in ``core.indicators``."""

from __future__ import annotations

from zhifa.core.indicators import Dim, query_indicator
from zhifa.core.list_export import ListExport

from .models import Category, Effect
from .selectors import records_visible

RECORDS = query_indicator(
    owner="credit",
    ident="records",
    name="信用记录归集",
    unit="条",
    domain="信用管理",
    formula="认定日期在期间内归集的信用记录数（各类别，含外部平台导入）",
    visible=records_visible,
    date_field="occurred_on",
    dims={
        "category": Dim("类别", "category", dict(Category.choices)),
        "effect": Dim("影响", "effect", dict(Effect.choices)),
        "month": Dim("月份", "month"),
    },
    export=ListExport(
        title="信用记录",
        columns=[
            ("主体名称", "subject_name"),
            ("类别", "get_category_display"),
            ("事项", "title"),
            ("认定日期", "occurred_on"),
            ("影响", "get_effect_display"),
            ("状态", "get_status_display"),
        ],
    ),
    link=lambda r: f"/credit/subjects/{r.subject_ref}/",
)
