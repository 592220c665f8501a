"""路段限速: the limit of a point comes from the zone containing it (posted limit, else the road class default
of 《道路交通安全法实施条例》第四十五、四十六、七十八条), else from the vehicle type; coaches at night at 80 %."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tests.monitoring.helpers import COLOR, PLATE, local_ts, run, types
from tests.monitoring.test_kernel import compiled  # noqa: F401  (fixture: numba, or a failure under CI)
from zhifa.monitoring import definitions as d
from zhifa.monitoring.engine import VehicleInfo
from zhifa.monitoring.rules import ROAD_CLASSES, rules_for, zone_limit_kmh
from zhifa.monitoring.simulate import build_track, drive
from zhifa.monitoring.zones import GeometryError, ZoneSpec, ZoneTable, lookup, rings_of


def box(lon0, lat0, lon1, lat1):
    return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


# build_track heads east from (111.50, 23.20): the expressway box holds the whole track, OTHER none of it
ROAD = polygon(box(111.4, 23.1, 112.5, 23.3))
OTHER = polygon(box(113.0, 24.0, 113.5, 24.5))


def track(start, legs):
    return build_track(PLATE, COLOR, start, legs)


def overspeed(res):
    return [v for v in res.violations if v["type"] == "overspeed"]


def coach_at(tmp_path, speed, zones, hour=10, vehicle="coach"):
    pts = track(local_ts(3, hour), [drive(10, 60), drive(3, speed), drive(10, 60)])
    veh = [VehicleInfo(PLATE, COLOR, vehicle, "甲客运公司", "郁南县", 1)]
    return run(tmp_path, pts, veh, zones=zones)


# --- the rule data, with its articles' own numbers -----------------------------------------------------


def test_road_class_defaults_are_the_articles_numbers():
    r = rules_for(date(2025, 3, 1))
    # 第七十八条: other motor vehicles (coaches) at most 100 km/h on expressways
    assert zone_limit_kmh(r, "expressway", "coach") == (100.0, ROAD_CLASSES["expressway"].source)
    assert "第七十八条" in ROAD_CLASSES["expressway"].source
    # 第四十五条: one lane per direction, highway 70 / urban road 50; no centre line 40 / 30
    assert zone_limit_kmh(r, "highway_one_lane", "coach")[0] == 70.0
    assert zone_limit_kmh(r, "urban_one_lane", "charter")[0] == 50.0
    assert zone_limit_kmh(r, "highway_no_centre", "coach")[0] == 40.0
    assert zone_limit_kmh(r, "urban_no_centre", "coach")[0] == 30.0
    assert all("第四十五条" in ROAD_CLASSES[c].source for c in ("highway_one_lane", "urban_no_centre"))
    # 第四十六条: sharp bends, narrow bridges, level crossings… 30 km/h
    assert zone_limit_kmh(r, "special", "coach")[0] == 30.0 and "第四十六条" in ROAD_CLASSES["special"].source
    # a posted limit overrides the class default (第四十五条 first sentence, 第七十八条 last sentence)
    assert zone_limit_kmh(r, "expressway", "coach", posted=110)[0] == 110.0
    assert zone_limit_kmh(r, "expressway", "coach", posted=110, limits={"coach": 90})[0] == 90.0
    # dangerous goods: the local parameters (80 expressway / 60 elsewhere) cap the limit
    assert zone_limit_kmh(r, "expressway", "dangerous")[0] == 80.0
    assert zone_limit_kmh(r, "highway_one_lane", "dangerous")[0] == 60.0
    assert zone_limit_kmh(r, "urban_one_lane", "dangerous")[0] == 50.0
    assert zone_limit_kmh(r, "expressway", "dangerous", limits={"dangerous": 90})[0] == 90.0
    # roads with 2+ lanes per direction other than expressways: no default in the 条例
    with pytest.raises(ValueError, match="须填写路段限速"):
        zone_limit_kmh(r, "multi_lane", "coach")
    assert zone_limit_kmh(r, "multi_lane", "coach", posted=80)[0] == 80.0


# --- the pass --------------------------------------------------------------------------------------------


def test_coach_at_105_in_an_expressway_zone_is_overspeed(tmp_path):
    """第七十八条: a coach (其他机动车) may not exceed 100 km/h on an expressway."""
    res = coach_at(tmp_path, 105, [ZoneSpec("G15沈海高速郁南段", "expressway", ROAD)])
    (v,) = overspeed(res)
    assert v["val"] == 100.0 and v["max_speed_kmh"] == 105.0
    assert v["detail"].startswith("路段“G15沈海高速郁南段”（高速公路）限速 100 km/h，最高 105.0 km/h")


def test_coach_at_105_in_a_zone_posted_110_is_not(tmp_path):
    assert "overspeed" not in types(
        coach_at(tmp_path, 105, [ZoneSpec("G15", "expressway", ROAD, posted=110)])
    )
    # …but at 111 it is, against the posted 110
    (v,) = overspeed(coach_at(tmp_path, 111, [ZoneSpec("G15", "expressway", ROAD, posted=110)]))
    assert v["val"] == 110.0 and "限速 110 km/h" in v["detail"]


def test_night_coach_at_81_in_a_100_zone_is_overspeed(tmp_path):
    """《道路旅客运输企业安全管理规范》第三十八条: at night coaches at most 80 % of the day limit: 80 of 100."""
    zones = [ZoneSpec("G15", "expressway", ROAD)]
    (v,) = overspeed(coach_at(tmp_path, 81, zones, hour=23))
    assert v["val"] == 80.0
    assert "限速 80 km/h（夜间客车按日间限速 100 km/h 的80%计）" in v["detail"]
    assert "overspeed" not in types(coach_at(tmp_path, 80, zones, hour=23))
    # the ratio applies to a posted limit too: 80 % of 110 = 88
    posted = [ZoneSpec("G15", "expressway", ROAD, posted=110)]
    assert "overspeed" not in types(coach_at(tmp_path, 85, posted, hour=23))
    assert overspeed(coach_at(tmp_path, 89, posted, hour=23))[0]["val"] == 88.0


def test_urban_and_one_lane_highway_defaults(tmp_path):
    """第四十五条第（二）项: one lane per direction, urban road 50, highway 70 km/h."""
    (v,) = overspeed(coach_at(tmp_path, 55, [ZoneSpec("城区人民路", "urban_one_lane", ROAD)]))
    assert v["val"] == 50.0 and "（城市道路（同方向1条机动车道））限速 50 km/h" in v["detail"]
    assert "overspeed" not in types(coach_at(tmp_path, 70, [ZoneSpec("S279", "highway_one_lane", ROAD)]))
    assert overspeed(coach_at(tmp_path, 71, [ZoneSpec("S279", "highway_one_lane", ROAD)]))[0]["val"] == 70.0


def test_outside_every_zone_the_vehicle_type_limit_holds(tmp_path):
    zones = [ZoneSpec("城区人民路", "urban_one_lane", OTHER)]  # 50 km/h, elsewhere
    (v,) = overspeed(coach_at(tmp_path, 101, zones))
    assert v["val"] == 100.0 and v["detail"].startswith("不在路段限速图层内，按车型限速 100 km/h")
    assert "overspeed" not in types(coach_at(tmp_path, 100, zones))
    # without any zone: the very same result and text as before the layer existed
    (w,) = overspeed(coach_at(tmp_path, 101, None))
    assert w["detail"] == "限速 100 km/h，最高 101.0 km/h，持续 150 秒"
    assert (v["start_ts"], v["end_ts"], v["val"]) == (w["start_ts"], w["end_ts"], w["val"])


def test_dangerous_goods_vehicle_in_zones(tmp_path):
    """The dangerous-goods limits are local parameters (80 expressway, 60 elsewhere: not confirmed)."""
    zones = [ZoneSpec("G15", "expressway", ROAD)]
    assert overspeed(coach_at(tmp_path, 85, zones, vehicle="dangerous"))[0]["val"] == 80.0
    zones = [ZoneSpec("S279", "highway_one_lane", ROAD)]
    assert overspeed(coach_at(tmp_path, 65, zones, vehicle="dangerous"))[0]["val"] == 60.0


def test_overlapping_zones_the_lowest_limit_applies(tmp_path):
    bridge = polygon(box(111.55, 23.1, 111.70, 23.3))  # the track crosses it while at 65 km/h
    zones = [ZoneSpec("G15", "expressway", ROAD), ZoneSpec("西江大桥", "special", bridge)]
    pts = track(local_ts(3, 10), [drive(10, 65)])
    (v,) = overspeed(run(tmp_path, pts, zones=zones))
    assert (
        v["val"] == 30.0
        and "路段“西江大桥”（急弯、窄路、窄桥、铁路道口、陡坡等路段）限速 30 km/h" in v["detail"]
    )


def test_zone_in_force_only_on_its_days(tmp_path):
    later = [ZoneSpec("G15", "expressway", ROAD, posted=60, valid_from=date(2025, 3, 4))]
    assert "overspeed" not in types(coach_at(tmp_path, 80, later))  # 3 March: the vehicle type's 100
    ended = [ZoneSpec("G15", "expressway", ROAD, posted=60, valid_to=date(2025, 3, 3))]
    assert overspeed(coach_at(tmp_path, 80, ended))[0]["val"] == 60.0  # valid_to is inclusive


def test_a_point_in_a_hole_is_outside(tmp_path):
    outer = box(111.4, 23.1, 112.5, 23.3)
    assert (
        overspeed(coach_at(tmp_path, 55, [ZoneSpec("环", "urban_one_lane", polygon(outer))]))[0]["val"] == 50
    )
    # the whole track lies in the hole: the vehicle type's 100 applies, 55 is not over it
    holed = polygon(outer, box(111.45, 23.15, 112.4, 23.25))
    assert "overspeed" not in types(coach_at(tmp_path, 55, [ZoneSpec("环", "urban_one_lane", holed)]))


# --- geometry ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Point", "coordinates": [111, 23]}, "不支持"),
        (polygon([[111, 23], [112, 23], [112, 24]]), "至少需要4个坐标点"),
        (polygon([[111, 23], [112, 23], [112, 24], [111.5, 24]]), "首尾坐标不一致"),
        (polygon(box(23.1, 111.4, 23.3, 112.5)), "超出中国范围"),
        (polygon([[111, 23], [112, 23], [111, 23], [112, 23], [111, 23]]), "不足3个不同的顶点"),
        (polygon([[111, 23], ["112", 23], [112, 24], [111, 23]]), "第 2 个坐标"),
        (None, "缺少几何图形"),
    ],
)
def test_invalid_geometry_is_refused_with_its_reason(geometry, reason):
    with pytest.raises(GeometryError, match=reason):
        rings_of(geometry)


def _random_zones(rng, n=12):
    specs = []
    for i in range(n):
        cx, cy = rng.uniform(111.0, 112.0), rng.uniform(22.5, 23.5)
        k = int(rng.integers(3, 12))
        ang = np.sort(rng.uniform(0, 2 * np.pi, k))
        rad = rng.uniform(0.05, 0.3, k)
        outer = [
            [round(cx + r * np.cos(a), 4), round(cy + r * np.sin(a), 4)]
            for a, r in zip(ang, rad, strict=True)
        ]
        rings = [outer + [outer[0]]]
        if i % 3 == 0:  # a hole
            rings.append(box(cx - 0.02, cy - 0.02, cx + 0.02, cy + 0.02))
        geom = polygon(*rings)
        if i % 4 == 1:  # a multipolygon with a second part
            geom = {"type": "MultiPolygon", "coordinates": [rings, [box(cx + 0.4, cy, cx + 0.5, cy + 0.1)]]}
        cls = ["expressway", "urban_one_lane", "highway_one_lane", "special"][i % 4]
        specs.append(
            ZoneSpec(
                f"Z{i:02d}", cls, geom, posted=None if i % 5 else 90.0, valid_from=date(2025, 3, 1 + i % 3)
            )
        )
    return specs


def test_numba_and_numpy_point_lookup_agree(compiled):  # noqa: F811
    k = d.kernel()
    rng = np.random.default_rng(5)
    r = rules_for(date(2025, 3, 1))
    tab = ZoneTable(_random_zones(rng, 40)).for_vehicles(["charter", "coach", "dangerous"], r)
    n = 40_000
    lon = np.round(rng.uniform(110.8, 112.6, n), 4)  # rounded: many points on vertices and edges
    lat = np.round(rng.uniform(22.3, 23.7, n), 4)
    lon[:100] = tab.xs[:100]  # exactly on vertices
    lat[:100] = tab.ys[:100]
    ts = rng.integers(local_ts(1, 0), local_ts(5, 0), n)
    qv = rng.integers(0, 3, n)
    cat = np.array([0, 1, 2], dtype=np.int64)
    a_lim, a_zone = lookup(tab, lon, lat, ts, cat[qv])
    drift = np.zeros(n, dtype=bool)
    sp = np.full(n, 200.0)
    args = (
        tab.grid,
        tab.gn,
        tab.cstart,
        tab.czones,
        tab.bbox,
        tab.t0,
        tab.t1,
        tab.zring,
        tab.rstart,
        tab.xs,
        tab.ys,
    )
    args += (tab.lim,)
    b_lim, b_zone = k.zone_limits(lon, lat, ts, qv, sp, drift, cat, 0.0, *args)
    assert np.array_equal(a_zone, b_zone)
    assert np.array_equal(a_lim, b_lim, equal_nan=True)
    assert (a_zone >= 0).sum() > 1000 and (a_zone < 0).sum() > 1000  # both cases well covered
    assert len(set(a_zone.tolist())) > 30 and len(tab.cstart) > 100  # most zones, a grid of many cells
    # the pre-filter: slow and drift points are not looked up
    sp[:10] = 10.0
    drift[10:20] = True
    c_lim, c_zone = k.zone_limits(lon, lat, ts, qv, sp, drift, cat, 30.0, *args)
    assert (c_zone[:20] == -1).all() and np.array_equal(c_zone[20:], a_zone[20:])
