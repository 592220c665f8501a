"""Shared helpers: build tracks, run the DuckDB engine on them."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from zhifa.monitoring import engine as eng
from zhifa.monitoring.rules import rules_for
from zhifa.monitoring.simulate import table

MONTH = "2025-03"
PLATE, COLOR = "粤W12345", "yellow"


def base_point(**kw) -> dict:
    """A qualified record of the vehicle PLATE, changed by ``kw``."""
    p = {
        "plate": PLATE,
        "plate_color": COLOR,
        "ts": local_ts(5, 10),
        "lon": 111.5,
        "lat": 23.2,
        "speed_kmh": 40.0,
        "heading": 90,
        "altitude_m": 50,
        "alarm": 0,
        "status": 3,
    }
    p.update(kw)
    return p


def local_ts(day: int, hour: int, minute: int = 0, second: int = 0) -> int:
    """Epoch seconds of 2025-03-DD hh:mm:ss in Asia/Shanghai."""
    return calendar.timegm((2025, 3, day, hour, minute, second)) - 8 * 3600


def run(
    tmp_path: Path,
    points: list[dict],
    vehicles: list[eng.VehicleInfo] | None = None,
    *,
    engine="duckdb",
    spark=None,
    overrides=None,
    month=MONTH,
    zones=None,
) -> eng.MetricsResult:
    f = tmp_path / f"pos-{len(list(tmp_path.glob('pos-*')))}.parquet"
    pq.write_table(table(points), f)
    vehicles = (
        vehicles
        if vehicles is not None
        else [eng.VehicleInfo(PLATE, COLOR, "coach", "甲客运公司", "郁南县", 1)]
    )
    rules = rules_for(date(2025, 3, 1), overrides)
    return eng.compute([str(f)], vehicles, rules, month=month, engine=engine, spark=spark, zones=zones)


def types(res: eng.MetricsResult) -> list[str]:
    return [v["type"] for v in res.violations]


def month_zones():
    """路段限速 zones over part of the generated month's area (simulate_month: 111.2–112.0 E, 22.8–23.4 N, then
    east): an expressway, an urban road, a multipolygon of bends, a posted limit per vehicle type, one in
    force only from the 10th, one with a hole."""
    from zhifa.monitoring.zones import ZoneSpec

    def box(lon0, lat0, lon1, lat1):
        return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]

    poly = lambda *rings: {"type": "Polygon", "coordinates": list(rings)}  # noqa: E731
    return [
        ZoneSpec("G15高速", "expressway", poly(box(111.6, 22.7, 112.6, 23.0))),
        ZoneSpec(
            "城区人民路",
            "urban_one_lane",
            poly(box(111.3, 23.0, 111.6, 23.2), box(111.4, 23.05, 111.5, 23.1)),
        ),
        ZoneSpec(
            "急弯路段",
            "special",
            {
                "type": "MultiPolygon",
                "coordinates": [[box(111.9, 23.2, 112.0, 23.3)], [box(112.2, 23.3, 112.3, 23.4)]],
            },
        ),
        ZoneSpec(
            "S279省道", "multi_lane", poly(box(111.6, 23.2, 112.4, 23.5)), posted=80, limits={"coach": 70}
        ),
        ZoneSpec(
            "施工路段",
            "highway_one_lane",
            poly(box(111.0, 22.7, 111.8, 23.6)),
            valid_from=date(2025, 3, 10),
            valid_to=date(2025, 3, 20),
        ),
    ]
