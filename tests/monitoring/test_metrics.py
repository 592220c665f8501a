"""Qualified-record checks, drift and track-gap thresholds, and the five rates."""

from __future__ import annotations

import json

import pytest

from tests.monitoring.helpers import COLOR, PLATE, base_point, local_ts, run
from zhifa.monitoring import definitions as d
from zhifa.monitoring.engine import VehicleInfo, write_outputs
from zhifa.monitoring.simulate import build_track, drive, gap, stop

BAD = {
    "plate_missing": {"plate": ""},
    "plate_color_invalid": {"plate_color": "unknown"},
    "coord_missing": {"lon": None},
    "coord_zero": {"lat": 0.0},
    "coord_outside_china": {"lon": 140.0},
    "time_invalid": {"ts": local_ts(5, 10) - 30 * 365 * 86400},
    "time_future": {"recv_ts": local_ts(5, 10) - 3600},
    "speed_out_of_range": {"speed_kmh": 160.1},
    "heading_out_of_range": {"heading": 360},
    "altitude_out_of_range": {"altitude_m": 9001},
    "not_positioned": {"status": 1},  # bit 1 (定位) clear
}


@pytest.mark.parametrize("check", [c for c, _ in d.CHECKS])
def test_each_qualified_record_check(tmp_path, check):
    good = [base_point(ts=local_ts(5, 9, m)) for m in range(3)]
    bad = base_point(**BAD[check])
    res = run(tmp_path, good + [bad])
    fails = res.summary["failed_checks"]
    assert fails[check] == 1
    assert sum(fails.values()) == 1, fails  # the bad record fails only its own check
    assert res.summary["counts"]["records"] == 4
    assert res.summary["counts"]["qualified"] == 3


def test_checks_at_their_limits_pass(tmp_path):
    pts = [
        base_point(ts=local_ts(5, 9, 0), speed_kmh=160.0, heading=359, altitude_m=9000, lon=136.0, lat=54.0),
        base_point(ts=local_ts(5, 9, 1), speed_kmh=0.0, heading=0, altitude_m=-500, lon=73.0, lat=3.0),
    ]
    res = run(tmp_path, pts)
    assert res.summary["counts"]["qualified"] == 2


def test_drift_spike_is_a_drift_point(tmp_path):
    # points 10 s apart; a spike of 0.01 degree latitude (1,112 m → 400 km/h) out and back
    pts = [base_point(ts=local_ts(5, 10, 0, s), speed_kmh=0.0) for s in range(0, 60, 10)]
    pts[3] = dict(pts[3], lat=23.21)
    res = run(tmp_path, pts)
    v = res.vehicles[0]
    assert v["drift_points"] == 1 and v["drifting"] == 1
    assert res.summary["rates"]["漂移率"] == 100.0
    assert v["total_m"] == 0  # the drift point is left out of the track


def test_jump_below_drift_speed_is_not_drift(tmp_path):
    pts = [base_point(ts=local_ts(5, 10, 0, s), speed_kmh=0.0) for s in range(0, 60, 10)]
    pts[3] = dict(pts[3], lat=23.204)  # 445 m in 10 s = 160 km/h < 200 km/h
    res = run(tmp_path, pts)
    assert res.vehicles[0]["drift_points"] == 0
    assert res.summary["rates"]["漂移率"] == 0.0


@pytest.mark.parametrize(("minutes", "km", "complete"), [(6, 3, False), (6, 1.45, True), (4.5, 3, True)])
def test_track_gap_thresholds(tmp_path, minutes, km, complete):
    # incomplete when the gap exceeds 300 s AND 2,000 m (local parameters). The gap segment also holds the
    # last 30 s of driving (500 m, 30 s): 6 min → 390 s, 4.5 min → exactly 300 s; 1.45 km → 1,950 m.
    pts = build_track(PLATE, COLOR, local_ts(5, 10), [drive(10), gap(minutes, km=km), drive(10)])
    v = run(tmp_path, pts).vehicles[0]
    assert (v["complete_m"] == v["total_m"]) is complete
    if not complete:
        assert v["total_m"] - v["complete_m"] == pytest.approx(km * 1000 + 500, abs=520)


def test_rates_networked_online_and_outputs(tmp_path):
    pts = build_track(PLATE, COLOR, local_ts(5, 10), [drive(30), stop(30)])
    vehicles = [
        VehicleInfo(PLATE, COLOR, "coach", "甲客运公司", "郁南县", 1),
        VehicleInfo("粤W00002", COLOR, "coach", "甲客运公司", "郁南县", 1),  # never online
        VehicleInfo("粤W00003", COLOR, "dangerous", "乙危货公司", "郁南县", 1, networked_before=1),
    ]
    res = run(tmp_path, pts, vehicles)
    r = res.summary["rates"]
    assert r["入网率"] == round(200 / 3, 2)  # 2 of 3: online now, or networked in an earlier month
    assert r["上线率"] == 50.0  # 1 online of 2 networked
    assert r["数据合格率"] == 100.0 and r["轨迹完整率"] == 100.0
    ent = {e["enterprise"]: e for e in res.enterprises}
    assert ent["甲客运公司"]["online"] == 1 and ent["乙危货公司"]["online"] == 0
    paths = write_outputs(res, tmp_path / "out")
    assert [p.name for p in paths] == [
        "vehicle_month.csv",
        "enterprise_month.csv",
        "violations.csv",
        "summary.json",
    ]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert set(summary["rates"]) == {"入网率", "上线率", "数据合格率", "轨迹完整率", "漂移率"}
    header = (tmp_path / "out" / "violations.csv").read_text("utf-8").splitlines()[0]
    assert header == "plate,plate_color,type,start,end,duration_s,max_speed_kmh,detail"


def test_every_threshold_has_a_source():
    from zhifa.monitoring.rules import BASE_PARAMS

    for name, p in BASE_PARAMS.items():
        assert p.source, name
        assert p.national or "本地参数" in p.source or "本地参数" in p.kind, name
