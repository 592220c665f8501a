"""Indicators read from the level above (``source`` IMPORTED): the provincial 两客一危 platform's monthly KPIs,
卸载 tonnage reported by the checkpoints, the 12345 hotline's statistics. Each value is a row of
``ProvincialValue`` imported from a monthly file (``importers.py``) with the platform named; these are kept
apart from the values zhifa computes (same name, different id: ``province.online_rate`` vs
``monitoring.online_rate``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from zhifa.accounts.selectors import scope_q
from zhifa.core.indicators import IMPORTED, Indicator, Value, register
from zhifa.core.list_export import ListExport

from .models import ProvincialValue

# id → (Chinese name, unit, how months add up: "sum" for counts and tonnes, "last" for a rate)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "province.networked_rate": ("入网率（省平台）", "%", "last"),
    "province.online_rate": ("上线率（省平台）", "%", "last"),
    "province.completeness_rate": ("轨迹完整率（省平台）", "%", "last"),
    "province.quality_rate": ("数据合格率（省平台）", "%", "last"),
    "province.unload_t": ("卸载货物（上报）", "吨", "sum"),
    "province.hotline_12345": ("12345 热线转办件", "件", "sum"),
    "province.hotline_12345_close_rate": ("12345 热线办结率", "%", "last"),
}
EXPORT = ListExport(
    title="上级平台指标",
    columns=[
        ("月份", "month"),
        ("指标", lambda v: CATALOGUE.get(v.indicator_id, ("",))[0]),
        ("数值", "value"),
        ("数据来源", "source"),
        ("文件", "filename"),
        ("导入人", "imported_by"),
        ("导入时间", "imported_at"),
    ],
)


def _rows(actor, ident: str, start: date, end: date):
    from zhifa.accounts.selectors import is_business_user

    if not is_business_user(actor):
        return ProvincialValue.objects.none()
    return ProvincialValue.objects.filter(
        scope_q(actor, jurisdiction=True),
        indicator_id=ident,
        month__gte=start.strftime("%Y-%m"),
        month__lte=end.strftime("%Y-%m"),
    )


def _make(ident: str, name: str, unit: str, how: str) -> Indicator:
    def compute(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
        rows = list(_rows(actor, ident, start, end).order_by("month", "org_id").values("month", "value"))
        if dimension == "month":
            months: dict[str, float] = {}
            for r in rows:
                months[r["month"]] = months.get(r["month"], 0) + float(r["value"])
            return [Value(m, m, round(v, 2), round(v, 2), 1) for m, v in months.items()]
        if not rows:
            return [Value("", "合计", None, None, 0)]
        if how == "sum":
            total = round(sum(float(r["value"]) for r in rows), 2)
            return [Value("", "合计", total, total, len(rows))]
        last = rows[-1]["month"]
        vals = [float(r["value"]) for r in rows if r["month"] == last]
        return [Value("", "合计", round(sum(vals) / len(vals), 2), None, len(vals))]

    def records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        qs = _rows(actor, ident, start, end)
        if how == "last" and not key:
            last = qs.order_by("-month").values_list("month", flat=True).first()
            qs = qs.filter(month=last) if last else qs
        return qs.filter(Q(month=key)) if dimension == "month" and key else qs

    formula = (
        "期间各月上级平台报送数值之和"
        if how == "sum"
        else "取期间最后一个月上级平台报送的数值（多个单位取平均）"
    )
    return register(
        Indicator(
            id=ident,
            name=name,
            formula=formula + "；由“数据导入—上级平台指标月报”导入，非本系统计算",
            unit=unit,
            period="month",
            dimensions={"month": "月份"},
            compute=compute,
            records=records,
            owner="reports",
            domain="上级平台数据",
            source=IMPORTED,
            export=EXPORT,
            link=None,
        )
    )


for _id, (_name, _unit, _how) in CATALOGUE.items():
    _make(_id, _name, _unit, _how)
