"""Two engines, one definition: DuckDB and Spark (local mode) give identical outputs on the same month, with
and without a 路段限速 layer."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import require_service
from tests.monitoring.helpers import local_ts, month_zones
from zhifa.monitoring import engine as eng
from zhifa.monitoring.rules import rules_for
from zhifa.monitoring.simulate import build_track, drive, gap, simulate_month, stop, table


@pytest.fixture(scope="session")
def spark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        require_service("PySpark", False, "pip install pyspark（测试依赖）")
    require_service("Java 17", bool(shutil.which("java")), "apt-get install openjdk-17-jre-headless")
    session = eng.spark_session("local[2]", "zhifa-test")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_duckdb_and_spark_outputs_are_identical(tmp_path, spark):
    from datetime import date

    vehicles = [
        ("粤W30001", "yellow", "coach"),
        ("粤W30002", "yellow", "charter"),
        ("粤W30003", "yellow", "dangerous"),
    ]
    month = simulate_month(vehicles, "2025-03", seed=11, hours_per_day=3, interval_s=120)
    extra = (
        build_track("粤W30004", "yellow", local_ts(3, 22, 30), [drive(121), stop(30)])
        + build_track(
            "粤W30004",
            "yellow",
            local_ts(9, 2, 10),
            [drive(30, 70), stop(19), drive(250), stop(30), drive(220)],
        )
        + build_track("粤W30005", "yellow", local_ts(9, 10), [drive(10), gap(25, km=5), drive(3, 90)])
        + [{"plate": "", "plate_color": "yellow", "ts": local_ts(9, 10), "lon": 0.0, "lat": 0.0}]
    )
    data = pa.concat_tables([month, table(extra)])
    f = tmp_path / "month.parquet"
    pq.write_table(data, f)
    vinfo = [eng.VehicleInfo(p, c, t, f"企业{i % 2}", "郁南县", 1) for i, (p, c, t) in enumerate(vehicles)]
    vinfo += [
        eng.VehicleInfo("粤W30004", "yellow", "coach", "企业1", "郁南县", 1),
        eng.VehicleInfo("粤W30005", "yellow", "dangerous", "企业0", "郁南县", 1),
        eng.VehicleInfo("粤W30006", "yellow", "coach", "企业0", "郁南县", 1),
    ]  # no data
    rules = rules_for(date(2025, 3, 1))
    for zones in (None, month_zones()):  # without and with a 路段限速 layer
        out = tmp_path / ("zones" if zones else "plain")
        a = eng.compute([str(f)], vinfo, rules, month="2025-03", engine="duckdb", zones=zones)
        b = eng.compute([str(f)], vinfo, rules, month="2025-03", engine="spark", spark=spark, zones=zones)
        eng.write_outputs(a, out / "duckdb")
        eng.write_outputs(b, out / "spark")
        types = {v["type"] for v in a.violations}
        assert types == {
            "overspeed",
            "fatigue",
            "night_fatigue",
            "daily_fatigue",
            "coach_night_run",
            "offline_move",
        }
        assert a.summary["counts"]["records"] == data.num_rows
        in_zone = [v for v in a.violations if v["detail"].startswith("路段“")]
        assert bool(in_zone) == bool(zones)
        for name in ("vehicle_month.csv", "enterprise_month.csv", "violations.csv", "summary.json"):
            assert (out / "duckdb" / name).read_bytes() == (out / "spark" / name).read_bytes(), name
