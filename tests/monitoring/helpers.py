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
) -> eng.MetricsResult:
    f = tmp_path / f"pos-{len(list(tmp_path.glob('pos-*')))}.parquet"
    pq.write_table(table(points), f)
    vehicles = (
        vehicles
        if vehicles is not None
        else [eng.VehicleInfo(PLATE, COLOR, "coach", "甲客运公司", "郁南县", 1)]
    )
    rules = rules_for(date(2025, 3, 1), overrides)
    return eng.compute([str(f)], vehicles, rules, month=month, engine=engine, spark=spark)


def types(res: eng.MetricsResult) -> list[str]:
    return [v["type"] for v in res.violations]
