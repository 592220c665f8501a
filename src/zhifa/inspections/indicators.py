"""The indicators of 双随机、一公开 (seeds: 检查户次, 问题发现率), registered in ``core.indicators``."""

from __future__ import annotations

from django.db.models import Q

from zhifa.core.indicators import Dim, query_indicator
from zhifa.core.list_export import ListExport

from .models import RecordStatus, ResultKind
from .selectors import records_visible

DOMAIN = "双随机、一公开"
SUBMITTED = ~Q(status=RecordStatus.DRAFT)
EXPORT = ListExport(
    title="抽查检查记录",
    columns=[
        ("检查日期", "inspected_on"),
        ("检查对象", "assignment.enterprise"),
        ("抽查任务", "assignment.task.title"),
        ("检查结果", "get_result_display"),
        ("状态", "get_status_display"),
        ("公示时间", "published_at"),
    ],
)
DIMS = {"result": Dim("检查结果", "result", dict(ResultKind.choices)), "month": Dim("月份", "month")}


def _ind(ident, name, formula, unit, **kw):
    return query_indicator(
        owner="inspections",
        ident=ident,
        name=name,
        formula=formula,
        unit=unit,
        visible=records_visible,
        date_field="inspected_on",
        dims=DIMS,
        domain=DOMAIN,
        export=EXPORT,
        link=lambda r: f"/inspections/records/{r.pk}/",
        **kw,
    )


INSPECTED = _ind(
    "inspected", "双随机抽查检查", "检查日期在期间内、已提交的抽查检查记录数", "户次", where=SUBMITTED
)
PROBLEM_RATE = _ind(
    "problem_rate",
    "问题发现率",
    "发现问题（责令整改、立案查处或移送）的检查记录数 ÷ 已提交检查记录数 × 100%",
    "%",
    share_of=SUBMITTED,
    where=~Q(result=ResultKind.NONE),
)
