"""The compiled track pass (numba, kernel.py) and the NumPy fallback give identical results."""

from __future__ import annotations

import sys
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import require_service
from tests.monitoring.helpers import local_ts
from zhifa.monitoring import definitions as d
from zhifa.monitoring import engine as eng
from zhifa.monitoring.rules import rules_for
from zhifa.monitoring.simulate import build_track, drive, gap, simulate_month, stop, table
from zhifa.monitoring.store import month_bounds

VEHICLES = [
    ("粤W40001", "yellow", "coach"),
    ("粤W40002", "yellow", "charter"),
    ("粤W40003", "yellow", "dangerous"),
]


@pytest.fixture
def compiled():
    try:
        import numba  # noqa: F401
    except ImportError:
        require_service("numba", False, "pip install numba")
    assert d.kernel() is not None


def _month(tmp_path):
    month = simulate_month(VEHICLES, "2025-03", seed=7, hours_per_day=6, interval_s=60)
    extra = (
        build_track("粤W40004", "yellow", local_ts(3, 22, 30), [drive(130), stop(19), drive(130), stop(30)])
        + build_track(
            "粤W40004", "yellow", local_ts(9, 2, 10), [drive(30, 70), stop(20), drive(250), drive(5, 110)]
        )
        + build_track(
            "粤W40005", "yellow", local_ts(9, 10), [drive(10), gap(25, km=5), drive(3, 90), gap(60, km=9)]
        )
        + build_track("粤W40005", "yellow", local_ts(10, 1), [drive(300, 100)])
        + [{"plate": "", "plate_color": "yellow", "ts": local_ts(9, 10), "lon": 0.0, "lat": 0.0}]
        + [{"plate": "粤W40001", "plate_color": "yellow", "ts": local_ts(9, 10), "lon": 140.0, "lat": 23.0}]
        # a point in the month before: counted as a record, not on the month's track
        + [
            {
                "plate": "粤W40002",
                "plate_color": "yellow",
                "ts": local_ts(1, 1) - 86400,
                "lon": 111.5,
                "lat": 23.2,
            }
        ]
    )
    data = pa.concat_tables([month, table(extra)])
    f = tmp_path / "month.parquet"
    pq.write_table(data, f)
    vinfo = [eng.VehicleInfo(p, c, t, f"企业{i % 2}", "郁南县", 1) for i, (p, c, t) in enumerate(VEHICLES)]
    vinfo += [
        eng.VehicleInfo("粤W40004", "yellow", "coach", "企业1", "郁南县", 1),
        eng.VehicleInfo("粤W40005", "yellow", "dangerous", "企业0", "郁南县", 1),
        eng.VehicleInfo("粤W40006", "yellow", "coach", "企业0", "郁南县", 1),
    ]
    return [str(f)], vinfo


def _files(res, out):
    eng.write_outputs(res, out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _cols(files, vinfo, rules):
    vs = eng._vehicles_sorted(vinfo)
    con = eng._duck_con(1, None)
    try:
        eng._duck_pos(con, files)
        cols = eng._duck_points(con, rules, {(v.plate, v.plate_color): i for i, v in enumerate(vs)})
    finally:
        con.close()
    vt = d.VehicleTable([v.vehicle_type for v in vs], [v.night_exempt for v in vs], rules)
    return cols, vt


def _same(a, b):
    for k in d.VEHICLE_STATS + ["vid"]:
        assert np.array_equal(a["vehicles"][k], b["vehicles"][k]), k
    rows = [
        sorted(zip(*(map(str, x["violations"][k]) for k in d.VIOLATION_FIELDS), strict=True)) for x in (a, b)
    ]
    assert rows[0] == rows[1]
    return rows[0]


def test_compiled_and_numpy_outputs_are_identical(tmp_path, compiled, monkeypatch):
    files, vinfo = _month(tmp_path)
    rules = rules_for(date(2025, 3, 1))
    fast = eng.compute(files, vinfo, rules, month="2025-03")
    monkeypatch.setattr(d, "_KERNEL", False)  # as without numba
    assert d.kernel() is None
    slow = eng.compute(files, vinfo, rules, month="2025-03")
    assert _files(fast, tmp_path / "fast") == _files(slow, tmp_path / "slow")
    kinds = {v["type"] for v in fast.violations}
    assert {"fatigue", "night_fatigue", "daily_fatigue", "overspeed", "coach_night_run"} <= kinds


def test_track_pass_identical_on_shuffled_input_with_duplicates(tmp_path, compiled):
    files, vinfo = _month(tmp_path)
    rules = rules_for(date(2025, 3, 1))
    cols, vt = _cols(files, vinfo, rules)
    rng = np.random.default_rng(3)
    o = rng.permutation(len(cols["vid"]))
    o = np.concatenate([o, o[:50]])  # duplicated (vehicle, time) points: the canonical-order path
    shuffled = {k: v[o] for k, v in cols.items()}
    start, end = month_bounds("2025-03")
    for c in (cols, shuffled):
        rows = _same(
            d.track_pass(c, vt, rules, start=start, end=end, compiled=True),
            d.track_pass(c, vt, rules, start=start, end=end, compiled=False),
        )
        assert rows


def test_more_violations_than_room_runs_again(tmp_path, compiled, monkeypatch):
    files, vinfo = _month(tmp_path)
    rules = rules_for(date(2025, 3, 1))
    cols, vt = _cols(files, vinfo, rules)
    start, end = month_bounds("2025-03")
    slow = d.track_pass(cols, vt, rules, start=start, end=end, compiled=False)
    monkeypatch.setattr(d, "_MIN_CAP", 1)
    fast = d.track_pass(cols, vt, rules, start=start, end=end, compiled=True)
    assert len(_same(fast, slow)) > 1


def test_empty_batch(compiled):
    rules = rules_for(date(2025, 3, 1))
    vt = d.VehicleTable(["coach"], [0], rules)
    z = np.zeros(0)
    cols = {"vid": z, "ts": z, "lon": z, "lat": z, "speed_kmh": z, "fm": z}
    res = d.track_pass(cols, vt, rules, start=0, end=1, compiled=True)
    assert len(res["vehicles"]["vid"]) == 0 and len(res["violations"]["vid"]) == 0


def test_without_numba_falls_back_to_numpy(tmp_path, monkeypatch):
    files, vinfo = _month(tmp_path)
    rules = rules_for(date(2025, 3, 1))
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba → ImportError
    monkeypatch.delitem(sys.modules, "zhifa.monitoring.kernel", raising=False)
    monkeypatch.delattr(sys.modules["zhifa.monitoring"], "kernel", raising=False)
    monkeypatch.setattr(d, "_KERNEL", None)
    assert d.kernel() is None
    with pytest.raises(RuntimeError):
        d.track_pass(
            {"vid": [], "ts": [], "lon": [], "lat": [], "speed_kmh": [], "fm": []},
            d.VehicleTable([], [], rules),
            rules,
            start=0,
            end=1,
            compiled=True,
        )
    res = eng.compute(files, vinfo, rules, month="2025-03")
    assert res.summary["counts"]["violations"] > 0


def test_env_switch_disables_the_compiled_pass(monkeypatch):
    monkeypatch.setenv("ZHIFA_MON_NUMBA", "0")
    monkeypatch.setattr(d, "_KERNEL", None)
    assert d.kernel() is None
