"""The indicators of 两客一危 dynamic monitoring (seed S3: 入网率 / 上线率 / 轨迹完整率 / 数据合格率, violations),
registered in ``core.indicators``.

The rates come from the monthly runs (``MonthlyRun.summary``, computed from the positions by the DuckDB or
Spark engine): a period's rate adds up the months' counts (入网 vehicles ÷ vehicles required, summed over
the runs of the period), so a year is not the mean of twelve percentages. The records behind a rate are
the months' runs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from zhifa.core.indicators import Dim, Indicator, Value, query_indicator, register
from zhifa.core.list_export import ListExport

from .definitions import VIOLATION_TYPES
from .models import LeadStatus
from .selectors import leads_visible, runs_visible

DOMAIN = "两客一危"
RUNS_EXPORT = ListExport(
    title="动态监控月度统计",
    columns=[
        ("月份", "month"),
        ("统计单位", "org.name"),
        ("计算引擎", "engine_label"),
        ("应入网车辆", lambda r: r.summary.get("counts", {}).get("vehicles_required")),
        ("入网车辆", lambda r: r.summary.get("counts", {}).get("networked")),
        ("上线车辆", lambda r: r.summary.get("counts", {}).get("online")),
        ("定位数据（条）", lambda r: r.summary.get("counts", {}).get("records")),
        ("合格数据（条）", lambda r: r.summary.get("counts", {}).get("qualified")),
    ],
)


def _runs(actor, start: date, end: date):
    return runs_visible(actor).filter(month__gte=start.strftime("%Y-%m"), month__lte=end.strftime("%Y-%m"))


def _rate(num: str, den: str):
    def compute(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
        groups: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0])
        for run in _runs(actor, start, end).order_by("month"):
            c = run.summary.get("counts", {})
            key = (run.month, run.month) if dimension == "month" else ("", "合计")
            groups[key][0] += c.get(num) or 0
            groups[key][1] += c.get(den) or 0
        out = [
            Value(k, lbl, round(100 * n / d, 2) if d else None, n, d) for (k, lbl), (n, d) in groups.items()
        ]
        return out or ([Value("", "合计", None, 0, 0)] if not dimension else [])

    return compute


def _run_rows(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
    qs = _runs(actor, start, end)
    return qs.filter(month=key) if dimension == "month" and key else qs


def _rate_indicator(ident: str, name: str, formula: str, num: str, den: str) -> Indicator:
    return register(
        Indicator(
            id=f"monitoring.{ident}",
            name=name,
            formula=formula,
            unit="%",
            period="month",
            dimensions={"month": "月份"},
            compute=_rate(num, den),
            records=_run_rows,
            owner="monitoring",
            domain=DOMAIN,
            export=RUNS_EXPORT,
            link=lambda r: f"/monitoring/runs/{r.month}/",
        )
    )


NETWORKED_RATE = _rate_indicator(
    "networked_rate",
    "入网率",
    "期间各月入网车辆数之和 ÷ 应入网车辆数之和 × 100%",
    "networked",
    "vehicles_required",
)
ONLINE_RATE = _rate_indicator(
    "online_rate", "上线率", "期间各月上线车辆数之和 ÷ 应入网车辆数之和 × 100%", "online", "vehicles_required"
)
QUALITY_RATE = _rate_indicator(
    "quality_rate",
    "数据合格率",
    "期间各月合格定位数据条数之和 ÷ 定位数据条数之和 × 100%",
    "qualified",
    "records",
)
COMPLETENESS_RATE = _rate_indicator(
    "completeness_rate",
    "轨迹完整率",
    "期间各月完整轨迹里程之和 ÷ 总里程之和 × 100%",
    "complete_km",
    "total_km",
)

VIOLATIONS = query_indicator(
    owner="monitoring",
    ident="violations",
    name="动态监控违规线索",
    unit="条",
    domain=DOMAIN,
    formula="开始时间在期间内、从定位数据中发现的违规线索数（超速、疲劳驾驶、夜间禁行等）",
    visible=lambda a: leads_visible(a),
    date_field="start_at__date",
    dims={"type": Dim("违规类型", "type", VIOLATION_TYPES), "month": Dim("月份", "month")},
    export=ListExport(
        title="动态监控违规线索",
        columns=[
            ("车牌号", "plate"),
            ("所属企业", "enterprise_name"),
            ("违规类型", "type_label"),
            ("开始", "start_at"),
            ("情况", "detail"),
            ("状态", "get_status_display"),
        ],
    ),
    link=lambda x: f"/monitoring/leads/?q={x.plate}",
)
HANDLED_RATE = query_indicator(
    owner="monitoring",
    ident="handled_rate",
    name="违规线索处置率",
    unit="%",
    domain=DOMAIN,
    formula="已处置（通知企业整改、转案源或不予处理）的违规线索数 ÷ 违规线索数 × 100%",
    visible=lambda a: leads_visible(a),
    date_field="start_at__date",
    share_of=Q(),
    where=~Q(status=LeadStatus.PENDING),
    dims={"month": Dim("月份", "month")},
    export=VIOLATIONS.export,
    link=VIOLATIONS.link,
)
