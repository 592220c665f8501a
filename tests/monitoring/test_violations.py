"""Driving-time, speed, night-run and offline-move rules at their articles' own boundaries."""

from __future__ import annotations

from tests.monitoring.helpers import COLOR, PLATE, local_ts, run, types
from zhifa.monitoring.engine import VehicleInfo
from zhifa.monitoring.simulate import build_track, drive, gap, stop


def track(start, legs, **kw):
    return build_track(PLATE, COLOR, start, legs, **kw)


# 《道路旅客运输企业安全管理规范》第三十八条: daytime continuous driving <= 4 h, each rest >= 20 min.
def test_19_minute_stop_does_not_reset_continuous_driving(tmp_path):
    res = run(tmp_path, track(local_ts(3, 8), [drive(180), stop(19), drive(65)]))
    fat = [v for v in res.violations if v["type"] == "fatigue"]
    assert len(fat) == 1
    assert fat[0]["duration_s"] == (180 + 65) * 60  # the short stop is not driving time, but no reset
    assert fat[0]["start_ts"] == local_ts(3, 8)


def test_20_minute_stop_resets_continuous_driving(tmp_path):
    res = run(tmp_path, track(local_ts(3, 8), [drive(180), stop(20), drive(65)]))
    assert "fatigue" not in types(res)


def test_exactly_4_hours_is_allowed_and_4h_30s_is_not(tmp_path):
    assert "fatigue" not in types(run(tmp_path, track(local_ts(3, 8), [drive(240), stop(30)])))
    assert "fatigue" in types(run(tmp_path, track(local_ts(3, 8), [drive(240.5), stop(30)])))


# Night-time continuous driving <= 2 h (same article); night = 22:00–06:00 (local parameter).
def test_night_stretch_of_2h01_is_night_fatigue(tmp_path):
    res = run(tmp_path, track(local_ts(3, 22, 30), [drive(121), stop(30)]))
    nf = [v for v in res.violations if v["type"] == "night_fatigue"]
    assert len(nf) == 1 and nf[0]["duration_s"] == 121 * 60
    assert "fatigue" not in types(res)


def test_night_stretch_of_exactly_2h_is_allowed(tmp_path):
    assert "night_fatigue" not in types(run(tmp_path, track(local_ts(3, 22, 30), [drive(120), stop(30)])))


def test_driving_before_22_00_is_day_driving(tmp_path):
    # 19:30–22:00 is 2.5 h of day driving, then 1 h of night: night part under 2 h
    assert "night_fatigue" not in types(run(tmp_path, track(local_ts(3, 19, 30), [drive(210), stop(30)])))


# Cumulative driving <= 8 h in any 24 h.
def test_daily_over_8_hours(tmp_path):
    legs = [drive(130), stop(30)] * 4  # 8 h 40 min
    res = run(tmp_path, track(local_ts(3, 6), legs))
    assert types(res).count("daily_fatigue") == 1
    assert "fatigue" not in types(res)


def test_daily_exactly_8_hours_is_allowed(tmp_path):
    legs = [drive(120), stop(30)] * 4
    assert "daily_fatigue" not in types(run(tmp_path, track(local_ts(3, 6), legs)))


# 《道路交通安全法实施条例》第七十八条 (100 km/h), coaches at night 80 % (第三十八条); duration 60 s local.
def test_overspeed_by_day(tmp_path):
    res = run(tmp_path, track(local_ts(3, 10), [drive(10, 60), drive(1.5, 101), drive(10, 60)]))
    osp = [v for v in res.violations if v["type"] == "overspeed"]
    assert len(osp) == 1 and osp[0]["max_speed_kmh"] == 101.0 and osp[0]["duration_s"] >= 60


def test_at_the_limit_is_not_overspeed(tmp_path):
    assert "overspeed" not in types(run(tmp_path, track(local_ts(3, 10), [drive(10, 100)])))


def test_overspeed_shorter_than_min_duration(tmp_path):
    # points every 30 s: two points over the limit span 30 s < 60 s
    assert "overspeed" not in types(
        run(tmp_path, track(local_ts(3, 10), [drive(5, 60), drive(1, 105), drive(5, 60)]))
    )


def test_coach_night_limit_is_80_percent(tmp_path):
    assert "overspeed" in types(run(tmp_path, track(local_ts(3, 23), [drive(5, 81)])))
    assert "overspeed" not in types(run(tmp_path, track(local_ts(3, 23), [drive(5, 80)])))
    truck = [VehicleInfo(PLATE, COLOR, "dangerous", "危货公司", "郁南县", 1)]
    assert "overspeed" not in types(run(tmp_path, track(local_ts(3, 23), [drive(5, 80)]), truck))


# 第三十八条（五）: long-distance coaches stop between 02:00 and 05:00, with exemptions.
def test_coach_running_at_2am(tmp_path):
    res = run(tmp_path, track(local_ts(3, 2, 10), [drive(30, 70)]))
    assert "coach_night_run" in types(res)


def test_coach_night_run_exemption_and_other_types(tmp_path):
    pts = track(local_ts(3, 2, 10), [drive(30, 70)])
    exempt = [VehicleInfo(PLATE, COLOR, "coach", "甲", "郁南县", 1, night_exempt=1)]
    assert "coach_night_run" not in types(run(tmp_path, pts, exempt))
    truck = [VehicleInfo(PLATE, COLOR, "dangerous", "乙", "郁南县", 1)]
    assert "coach_night_run" not in types(run(tmp_path, pts, truck))


def test_coach_running_before_2am_and_after_5am(tmp_path):
    assert "coach_night_run" not in types(run(tmp_path, track(local_ts(3, 5, 0), [drive(60, 70)])))
    assert "coach_night_run" not in types(run(tmp_path, track(local_ts(3, 1, 0), [drive(59, 70), stop(30)])))


def test_offline_move_of_dangerous_goods_vehicle(tmp_path):
    truck = [VehicleInfo(PLATE, COLOR, "dangerous", "危货公司", "郁南县", 1)]
    pts = track(local_ts(3, 10), [drive(10), gap(25, km=5), drive(10)])
    res = run(tmp_path, pts, truck)
    om = [v for v in res.violations if v["type"] == "offline_move"]
    assert len(om) == 1 and om[0]["duration_s"] > 1200
    # offline under the 20-minute parameter, or moved under 1 km: nothing
    assert "offline_move" not in types(
        run(tmp_path, track(local_ts(3, 10), [drive(10), gap(19, km=5), drive(5)]), truck)
    )
    assert "offline_move" not in types(
        run(tmp_path, track(local_ts(3, 10), [stop(10), gap(25, km=0.5), stop(5)]), truck)
    )
