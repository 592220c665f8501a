"""指挥中心 (the head's dashboard): key figures of today and this month with their six-month trend, overdue legal
deadlines by unit, stations' overload rate, cases by state, complaints due, active monitoring alarms. Every
figure is a registered indicator (or a scoped selector's count) with the link to its records; the page
draws it with ECharts and refreshes it from :func:`data` as JSON."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count

from zhifa.cases.enums import ClockStatus
from zhifa.complaints.selectors import orders_visible
from zhifa.core import indicators as registry
from zhifa.core.calendar import add_workdays
from zhifa.monitoring.selectors import leads_visible as alarms_visible

from .selectors import clocks_for

# the key figures: indicator id (shown when registered: permits, legal, people add theirs when they land)
KEY_FIGURES = [
    "cases.registered",
    "cases.fines",
    "overload.confirmed",
    "inspections.inspected",
    "complaints.received",
    "complaints.close_rate",
    "disclosure.on_time_rate",
    "monitoring.online_rate",
    "permits.granted",
    "legal.reviews",
    "people.trained",
]


def drill_url(ident: str, start: date, end: date, **extra) -> str:
    return f"/reports/indicators/{ident}/?" + urlencode({"start": start, "end": end, **extra})


def _months_back(today: date, n: int) -> date:
    y, m = today.year, today.month - (n - 1)
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def _figure(actor, ident: str, today: date) -> dict | None:
    if not registry.exists(ident):
        return None
    ind = registry.get(ident)
    month_start = today.replace(day=1)
    trend_start = _months_back(today, 6)
    if "month" in ind.dimensions:  # one grouped query gives the trend and this month's value
        by_month = {
            v.key: v.value for v in ind.values(actor, start=trend_start, end=today, dimension="month")
        }
        month = by_month.get(month_start.strftime("%Y-%m"), None if ind.unit == "%" else 0)
    else:
        by_month, month = {}, ind.total(actor, start=month_start, end=today).value
    months = [_months_back(today, 6 - i).strftime("%Y-%m") for i in range(6)]
    out = {
        "id": ident,
        "name": ind.name,
        "unit": ind.unit,
        "month": month,
        "trend": [by_month.get(m, None if ind.unit == "%" else 0) for m in months],
        "months": months,
        "link": drill_url(ident, month_start, today),
    }
    if ind.unit != "%":
        out["today"] = ind.total(actor, start=today, end=today).value
        out["today_link"] = drill_url(ident, today, today)
    return out


def data(actor, *, today: date) -> dict:
    figures = [f for f in (_figure(actor, i, today) for i in KEY_FIGURES) if f]
    overdue = (
        clocks_for(actor)
        .filter(status=ClockStatus.RUNNING, due__lt=today)
        .order_by()
        .values("org__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "org__name")
    )
    year_start = date(today.year, 1, 1)
    states = []
    if registry.exists("cases.registered"):
        for v in registry.get("cases.registered").values(
            actor, start=year_start, end=today, dimension="state"
        ):
            states.append(
                {
                    "name": v.label,
                    "value": v.value,
                    "link": drill_url("cases.registered", year_start, today, by="state", key=v.key),
                }
            )
    stations = []
    if registry.exists("overload.overload_rate"):
        since = today - timedelta(days=30)
        for v in registry.get("overload.overload_rate").values(
            actor, start=since, end=today, dimension="station"
        ):
            stations.append(
                {
                    "name": v.label,
                    "value": v.value,
                    "confirmed": v.numerator,
                    "reviewed": v.denominator,
                    "link": drill_url("overload.overload_rate", since, today, by="station", key=v.key),
                }
            )
    soon = add_workdays(today, 2).date
    open_orders = orders_visible(actor).filter(closed_on__isnull=True, due__isnull=False)
    return {
        "today": today.isoformat(),
        "figures": figures,
        "overdue": [{"org": r["org__name"], "n": r["n"]} for r in overdue],
        "overdue_total": sum(r["n"] for r in overdue),
        "overdue_link": "/cases/deadlines/",
        "states": states,
        "stations": stations,
        "complaints_overdue": open_orders.filter(due__lt=today).count(),
        "complaints_due": open_orders.filter(due__gte=today, due__lte=soon).count(),
        "complaints_link": "/complaints/?state=open",
        "alarms": alarms_visible(actor, status="pending").count(),
        "alarms_link": "/monitoring/leads/?status=pending",
    }


POSITIONS_SHOWN = 2000  # markers on the map at most (the latest first)


def positions(actor) -> dict:
    """The latest position of each vehicle the actor may see, from this month's Parquet partitions (one DuckDB
    aggregate), with the vehicles that have a pending monitoring alarm (违规线索待处理) flagged. Loaded by
    the page after it renders, so the dashboard's own render does not wait for the scan."""
    import duckdb

    from zhifa.monitoring.store import Store
    from zhifa.registry.selectors import vehicles_visible

    store = Store()
    months = store.months()
    out: dict = {"vehicles": [], "month": months[-1] if months else "", "alarms": 0}
    if not months:
        return out
    files = [str(f) for f in store.month_files(months[-1])]
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT plate, plate_color, max(ts), arg_max(lon, ts), arg_max(lat, ts), arg_max(speed_kmh, ts) "
            "FROM read_parquet(?) GROUP BY plate, plate_color ORDER BY 3 DESC",
            [files],
        ).fetchall()
    finally:
        con.close()
    mine = {
        (v["plate"], v["plate_color"]): v["pk"]
        for v in vehicles_visible(actor).values("pk", "plate", "plate_color")
    }
    alarmed = set(alarms_visible(actor, status="pending").values_list("plate", "plate_color").distinct())
    from datetime import datetime

    from django.utils import timezone as tz

    for plate, color, ts, lon, lat, speed in rows:
        pk = mine.get((plate, color))
        if pk is None or lon is None or lat is None:
            continue
        out["vehicles"].append(
            {
                "plate": plate,
                "lat": lat,
                "lon": lon,
                "speed": speed,
                "at": tz.localtime(datetime.fromtimestamp(ts, tz=tz.get_current_timezone())).strftime(
                    "%m-%d %H:%M"
                ),
                "alarm": (plate, color) in alarmed,
                "link": f"/monitoring/vehicles/{pk}/",
            }
        )
        if len(out["vehicles"]) >= POSITIONS_SHOWN:
            break
    out["alarms"] = sum(v["alarm"] for v in out["vehicles"])
    return out
