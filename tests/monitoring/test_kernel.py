"""The compiled track pass (numba, kernel.py) and the NumPy fallback give identical results."""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import require_service
from tests.monitoring.helpers import COLOR, PLATE, base_point, local_ts, month_zones
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
        + [{"plate": "粤W40005", "plate_color": "yellow", "ts": local_ts(9, 11), "lon": None, "lat": 23.0}]
        + [{"plate": "粤W40005", "plate_color": "yellow", "ts": local_ts(9, 12), "lon": 111.0, "lat": 23.0}]
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


def _setup(files, vinfo, rules):
    start, end = month_bounds("2025-03")
    return eng._Setup(vinfo, rules, start, end), eng.read_records(files)


def _same(a, b):
    for k in d.VEHICLE_STATS + ["vid"]:
        assert np.array_equal(a["vehicles"][k], b["vehicles"][k]), k
    assert np.array_equal(a["unnamed"], b["unnamed"])
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
    assert fast.summary["failed_checks"]["plate_missing"] == 1


def test_compiled_and_numpy_outputs_are_identical_with_zones(tmp_path, compiled, monkeypatch):
    """路段限速: the zones' point lookup and limits give the same violations in both passes."""
    files, vinfo = _month(tmp_path)
    rules = rules_for(date(2025, 3, 1))
    zones = month_zones()
    fast = eng.compute(files, vinfo, rules, month="2025-03", zones=zones)
    plain = eng.compute(files, vinfo, rules, month="2025-03")
    monkeypatch.setattr(d, "_KERNEL", False)  # as without numba
    slow = eng.compute(files, vinfo, rules, month="2025-03", zones=zones)
    assert _files(fast, tmp_path / "fast") == _files(slow, tmp_path / "slow")
    named = Counter(
        re.match("路段“[^”]+”|不在路段限速图层内", v["detail"])[0]
        for v in fast.violations
        if v["type"] == "overspeed"
    )
    assert {
        "路段“城区人民路”",
        "路段“急弯路段”",
        "路段“S279省道”",
        "路段“施工路段”",
        "不在路段限速图层内",
    } <= set(named)
    # the zones' lower limits find more overspeed than the vehicle types' limits alone
    n = [sum(v["type"] == "overspeed" for v in x.violations) for x in (fast, plain)]
    assert n[0] > n[1]
    # and the rest of the pass is untouched by them
    others = [[v for v in x.violations if v["type"] != "overspeed"] for x in (fast, plain)]
    assert others[0] == others[1]


def test_pass_identical_on_shuffled_input_with_duplicates(tmp_path, compiled):
    files, vinfo = _month(tmp_path)
    su, t = _setup(files, vinfo, rules_for(date(2025, 3, 1)))
    rng = np.random.default_rng(3)
    o = rng.permutation(t.num_rows)
    o = np.concatenate([o, o[:50]])  # duplicated (vehicle, time) points: the canonical-order path
    shuffled = t.take(pa.array(o))
    canonical = t.take(pa.array(np.sort(o)))  # the same records in the input's (vehicle, time) order
    rows = _same(su.run(shuffled, compiled=True), su.run(shuffled, compiled=False))
    assert rows
    assert _same(su.run(canonical, compiled=True), su.run(canonical, compiled=False)) == rows
    assert _same(su.run(t, compiled=True), su.run(t, compiled=False))


# a missing value fails no check but its own (SQL: a comparison with NULL is not true); NaN is above every
# number (DuckDB's and Spark SQL's order of doubles)
MISSING = [
    ({"speed_kmh": None}, set()),
    ({"heading": None, "altitude_m": None, "status": None}, set()),
    ({"recv_ts": None}, set()),
    ({"lon": None}, {"coord_missing"}),
    ({"lon": None, "lat": 0.0}, {"coord_missing", "coord_zero"}),
    ({"lon": None, "lat": 60.0}, {"coord_missing"}),
    ({"plate_color": None}, {"plate_color_invalid"}),
    ({"plate": None, "status": 1}, {"plate_missing", "not_positioned"}),
    ({"speed_kmh": float("nan")}, {"speed_out_of_range"}),
    ({"lat": float("nan")}, {"coord_outside_china"}),
    ({"lon": 0.0, "lat": 60.0}, {"coord_zero"}),
    ({"status": -3}, {"not_positioned"}),  # FLOOR(-3 / 2) = -2: bit 1 clear
    ({"status": -1}, set()),
    ({"speed_kmh": -0.0, "heading": 0, "altitude_m": -500}, set()),
]


@pytest.mark.parametrize(("change", "fails"), MISSING)
def test_missing_values_and_nan_in_both_passes(compiled, change, fails):
    rules = rules_for(date(2025, 3, 1))
    t = table([base_point(ts=local_ts(5, 9, m)) for m in range(3)] + [base_point(**change)])
    for name in [k for k, v in change.items() if v is None]:  # table() fills a missing recv_ts
        i = t.schema.get_field_index(name)
        t = t.set_column(i, name, pa.array(t.column(name).to_pylist()[:-1] + [None], t.schema.field(i).type))
    start, end = month_bounds("2025-03")
    su = eng._Setup([eng.VehicleInfo(PLATE, COLOR, "coach")], rules, start, end)
    out = []
    for c in (True, False):
        res = su.run(t, compiled=c)
        named = dict(
            zip(d.VEHICLE_STATS, (int(res["vehicles"][k].sum()) for k in d.VEHICLE_STATS), strict=True)
        )
        unnamed = dict(zip(d.UNNAMED_STATS, res["unnamed"].tolist(), strict=True))
        got = {n for n, _ in d.CHECKS if named[f"n_{n}"] + unnamed[f"n_{n}"]}
        assert got == fails
        assert named["records"] + unnamed["records"] == 4
        assert named["qualified"] + unnamed["qualified"] == 4 - bool(fails)
        out.append((named, unnamed))
    assert out[0] == out[1]


def test_records_without_plate_are_counted_in_their_bucket(tmp_path, compiled):
    """No separate query over the whole input: each bucket counts its records without plate or colour."""
    from zhifa.monitoring.store import Store

    store = Store(tmp_path / "store")
    pts = build_track("粤W40001", "yellow", local_ts(5, 10), [drive(30)]) + [
        base_point(plate="", ts=local_ts(5, 11)),
        base_point(plate="", plate_color="blue", ts=local_ts(5, 12)),
        base_point(plate="粤W40009", plate_color="", ts=local_ts(5, 13)),
        base_point(plate="粤W40008", ts=local_ts(5, 13)),  # another county's vehicle: not counted
    ]
    store.ingest_table(table(pts), source="test")
    files = [str(f) for f in store.month_files("2025-03")]
    assert len(files) > 1
    rules = rules_for(date(2025, 3, 1))
    vinfo = [eng.VehicleInfo("粤W40001", "yellow", "coach", "企业0", "郁南县", 1)]
    res = eng.compute(files, vinfo, rules, month="2025-03")
    n = len(pts) - 1
    assert res.summary["counts"]["records"] == n
    assert res.summary["failed_checks"]["plate_missing"] == 2
    assert res.summary["failed_checks"]["plate_color_invalid"] == 1
    assert res.summary["counts"]["qualified"] == n - 3


def test_more_violations_than_room_runs_again(tmp_path, compiled, monkeypatch):
    files, vinfo = _month(tmp_path)
    su, t = _setup(files, vinfo, rules_for(date(2025, 3, 1)))
    slow = su.run(t, compiled=False)
    monkeypatch.setattr(d, "_MIN_CAP", 1)
    fast = su.run(t, compiled=True)
    assert len(_same(fast, slow)) > 1


def test_empty_batch(compiled):
    rules = rules_for(date(2025, 3, 1))
    su = eng._Setup([eng.VehicleInfo("粤W40001", "yellow", "coach")], rules, 0, 1)
    res = su.run(eng.read_records([]), compiled=True)
    assert len(res["vehicles"]["vid"]) == 0 and len(res["violations"]["vid"]) == 0
    assert res["unnamed"].sum() == 0


def test_without_numba_falls_back_to_numpy(tmp_path, monkeypatch):
    files, vinfo = _month(tmp_path)
    rules = rules_for(date(2025, 3, 1))
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba → ImportError
    monkeypatch.delitem(sys.modules, "zhifa.monitoring.kernel", raising=False)
    monkeypatch.delattr(sys.modules["zhifa.monitoring"], "kernel", raising=False)
    monkeypatch.setattr(d, "_KERNEL", None)
    assert d.kernel() is None
    with pytest.raises(RuntimeError):
        eng._Setup([], rules, 0, 1).run(eng.read_records([]), compiled=True)
    res = eng.compute(files, vinfo, rules, month="2025-03")
    assert res.summary["counts"]["violations"] > 0


def test_env_switch_disables_the_compiled_pass(monkeypatch):
    monkeypatch.setenv("ZHIFA_MON_NUMBA", "0")
    monkeypatch.setattr(d, "_KERNEL", None)
    assert d.kernel() is None
