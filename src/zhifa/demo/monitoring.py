"""Demo data of 两客一危 monitoring: a month of generated positions for the demo county's coaches, charter
coaches and dangerous-goods vehicles, terminals bound for a few of them (so the simulator can connect), and
the month's KPIs, violations and leads computed through the platform service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.accounts.models import Org
from zhifa.registry.models import Vehicle


@dataclass
class MonitoringDemoSummary:
    month: str
    vehicles: int
    points: int
    terminals: int
    violations: int
    rates: dict

    def __str__(self) -> str:  # the console line of `zhifa demo`: words, not a Python repr
        rates = "，".join(f"{k} {v}%" for k, v in self.rates.items() if v is not None)
        return (f"{self.month} 月：监控车辆 {self.vehicles} 辆，车载终端 {self.terminals} 台，定位点 {self.points:,} 个，"
                f"违规 {self.violations} 起；{rates}")


DEMO_COUNTY = "郁南县交通运输局"
DEMO_TYPES = ("coach", "charter", "dangerous")


def _previous_month(today: date) -> str:
    y, m = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{y:04d}-{m:02d}"


def _box(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]}


# 路段限速 zones for the demo (schematic areas, not surveyed roads): a band over the base map's expressway
# (core/data/basemap-yunan.json), where the road class gives coaches and trucks 100 km/h (实施条例
# Art 78), and a posted 30 km/h stretch of steep bends (Art 46) on the 都城—连滩 provincial road, which the
# vehicles generated on that road cross, so the 通报 shows overspeed judged against a zone.
DEMO_ZONES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": _box(111.20, 23.00, 112.10, 23.04),
            "properties": {"name": "演示：高速公路路段（示意）", "road_class": "expressway",
                           "source": "演示数据：按《道路交通安全法实施条例》第七十八条"},
        },
        {
            "type": "Feature",
            "geometry": _box(111.60, 23.10, 111.70, 23.16),
            "properties": {"name": "演示：急弯陡坡路段（示意）", "road_class": "special", "limit_kmh": 30,
                           "source": "演示数据：按《道路交通安全法实施条例》第四十六条"},
        },
    ],
}


def load_demo_monitoring(*, seed: int, today: date, scale: float) -> MonitoringDemoSummary:
    """Generate last month's positions for the demo county's 两客一危 fleet (deterministic for ``seed``), store
    them, bind terminals 13800000001… to the first five vehicles and run the month. ``scale`` thins the
    reporting interval (1.0: one point a minute while driving)."""
    from zhifa.core.basemap import roads
    from zhifa.monitoring.services import monthly_run, terminal_bind
    from zhifa.monitoring.simulate import simulate_month
    from zhifa.monitoring.store import Store
    from zhifa.monitoring.zone_services import speed_zones_import

    county = Org.objects.filter(name=DEMO_COUNTY).first()
    qs = Vehicle.objects.filter(vehicle_type__in=DEMO_TYPES, status="active").order_by("plate", "plate_color")
    if county is not None:
        qs = qs.filter(org__path__startswith=county.path)
    vehicles = list(qs)
    month = _previous_month(today)
    interval = max(30, int(round(60 / max(scale, 0.05))))
    table = simulate_month(
        [(v.plate, v.plate_color, v.vehicle_type) for v in vehicles],
        month,
        seed=seed,
        hours_per_day=5.0,
        interval_s=interval,
        routes=roads(),  # the roads of the shipped 郁南县 base map, drawn under the track page
    )
    store = Store()
    store.ingest_table(table, source="demo")
    terminals = 0
    for i, v in enumerate(vehicles[:5], start=1):
        terminal_bind(terminal_no=f"138{i:08d}", vehicle=v, actor=None, auth_code=f"DEMO{i:04d}")
        terminals += 1
    violations, rates = 0, {}
    if county is not None:
        speed_zones_import(data=DEMO_ZONES, org=county, actor=None)
        run = monthly_run(org=county, month=month, actor=None, store=store)
        violations, rates = run.summary["counts"]["violations"], run.summary["rates"]
    return MonitoringDemoSummary(month, len(vehicles), table.num_rows, terminals, violations, rates)
