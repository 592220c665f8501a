"""路段限速 layer in the platform: GeoJSON import (bad features reported, good ones in, idempotent by name), the
CLI command, the zones a monthly run uses (the unit's, those above and below it) and the zones page."""

from __future__ import annotations

import json

import pytest

from tests.monitoring.helpers import local_ts
from tests.monitoring.test_pages import login
from zhifa.cli import main
from zhifa.core.errors import DomainError
from zhifa.monitoring import services
from zhifa.monitoring.models import SpeedZone, ViolationLead
from zhifa.monitoring.simulate import build_track, drive, table
from zhifa.monitoring.store import Store
from zhifa.monitoring.zone_services import speed_zones_import, zones_in_force
from zhifa.registry.models import Vehicle


def box(lon0, lat0, lon1, lat1):
    return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]


def feature(props, geometry=None):
    return {
        "type": "Feature",
        "properties": props,
        "geometry": geometry or {"type": "Polygon", "coordinates": [box(111.4, 23.1, 112.5, 23.3)]},
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


GOOD = [
    feature({"name": "G15沈海高速郁南段", "road_class": "expressway", "source": "路政台账"}),
    feature(
        {"名称": "人民路", "道路等级": "城市道路（同方向1条机动车道）", "限速": 40, "生效日期": "2025-01-01"}
    ),
    feature(
        {
            "name": "S279",
            "road_class": "multi_lane",
            "limit_kmh": 80,
            "limits": {"客运班车": 70, "dangerous": 60},
        },
        {
            "type": "MultiPolygon",
            "coordinates": [[box(111.0, 23.0, 111.1, 23.1)], [box(111.2, 23.0, 111.3, 23.1)]],
        },
    ),
]
BAD = [
    feature({"name": "", "road_class": "expressway"}),  # 4
    feature({"name": "无限速", "road_class": "multi_lane"}),  # 5: no default for this class
    feature(
        {"name": "坐标颠倒", "road_class": "expressway"},
        {"type": "Polygon", "coordinates": [box(23, 111, 24, 112)]},
    ),
    feature({"name": "超限", "road_class": "expressway", "limit_kmh": 130}),  # 7: over 第七十八条's 120
    feature({"name": "未知等级", "road_class": "县道"}),  # 8
    feature({"name": "人民路", "road_class": "special"}),  # 9: same name as feature 2
    {"type": "Feature", "properties": {"name": "点", "road_class": "special"}, "geometry": {"type": "Point"}},
    feature({"name": "日期", "road_class": "special", "valid_from": "2025-05-01", "valid_to": "2025-04-01"}),
]


def test_import_reports_bad_features_and_keeps_the_good(tree):
    res = speed_zones_import(data=collection(*GOOD, *BAD), org=tree.bureau_a, actor=None)
    assert (res.created, res.updated, res.unchanged) == (3, 0, 0)
    reasons = dict(res.errors)
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "缺少路段名称" in reasons[4]
    assert "没有法定默认限速" in reasons[5]
    assert "超出中国范围" in reasons[6] and "颠倒" in reasons[6]
    assert "第七十八条" in reasons[7]
    assert "道路等级“县道”无效" in reasons[8]
    assert "与第 2 个要素重复" in reasons[9]
    assert "Point" in reasons[10]
    assert "失效日期早于生效日期" in reasons[11]
    z = SpeedZone.objects.get(name="人民路")
    assert (z.road_class, z.limit_kmh, str(z.valid_from), z.org) == (
        "urban_one_lane",
        40.0,
        "2025-01-01",
        tree.bureau_a,
    )
    s279 = SpeedZone.objects.get(name="S279")
    assert s279.limits == {"coach": 70.0, "dangerous": 60.0}
    assert (s279.min_lon, s279.max_lon, s279.min_lat, s279.max_lat) == (111.0, 111.3, 23.0, 23.1)


def test_import_is_idempotent_by_name(tree):
    speed_zones_import(data=collection(*GOOD), org=tree.bureau_a, actor=None)
    res = speed_zones_import(data=collection(*GOOD), org=tree.bureau_a, actor=None)
    assert (res.created, res.updated, res.unchanged, res.errors) == (0, 0, 3, [])
    changed = feature({"name": "G15沈海高速郁南段", "road_class": "expressway", "limit_kmh": 110})
    res = speed_zones_import(data=collection(changed), org=tree.bureau_a, actor=None)
    assert (res.created, res.updated) == (0, 1)
    assert SpeedZone.objects.get(name="G15沈海高速郁南段").limit_kmh == 110
    assert SpeedZone.objects.count() == 3


def test_import_refuses_what_is_not_a_feature_collection_and_other_units(tree, officer_user, officer_b):
    with pytest.raises(DomainError, match="FeatureCollection"):
        speed_zones_import(data={"type": "Feature"}, org=tree.bureau_a, actor=None)
    with pytest.raises(DomainError, match="不在您的单位管辖范围内"):
        speed_zones_import(data=collection(*GOOD), org=tree.bureau_a, actor=officer_b)
    res = speed_zones_import(data=collection(*GOOD), org=tree.squad_a1, actor=officer_user)
    assert res.created == 3 and SpeedZone.objects.filter(org=tree.bureau_a).count() == 3  # the jurisdiction's


def test_cli_zones_import(tree, tmp_path, capsys):
    f = tmp_path / "zones.geojson"
    f.write_text(json.dumps(collection(*GOOD, BAD[3]), ensure_ascii=False), encoding="utf-8")
    assert main(["monitor", "zones", "import", str(f), "--org", "445322"]) == 1  # 行政区划代码
    out = capsys.readouterr().out
    assert "新增路段 3 个" in out and "拒收 1 个" in out and "第 4 个要素：限速 130 km/h 超出范围" in out
    assert main(["monitor", "zones", "import", str(f), "--org", "郁南县交通运输局"]) == 1
    assert "未变 3 个" in capsys.readouterr().out
    assert main(["monitor", "zones", "import", str(f), "--org", "不存在的局"]) == 2
    assert main(["monitor", "zones", "import", str(tmp_path / "none.geojson"), "--org", "445322"]) == 2
    assert "文件不存在" in capsys.readouterr().err
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["monitor", "zones", "import", str(bad), "--org", "445322"]) == 2
    assert "不是有效的 GeoJSON" in capsys.readouterr().err


def test_zones_in_force_for_a_run(tree):
    speed_zones_import(data=collection(GOOD[0]), org=tree.province, actor=None)  # a province's expressway
    speed_zones_import(data=collection(GOOD[1]), org=tree.bureau_a, actor=None)
    speed_zones_import(data=collection(GOOD[2]), org=tree.bureau_b, actor=None)  # the other county's
    later = feature({"name": "新路", "road_class": "special", "valid_from": "2025-04-01"})
    off = feature({"name": "停用", "road_class": "special", "active": False})
    speed_zones_import(data=collection(later, off), org=tree.bureau_a, actor=None)
    names = [z.name for z in zones_in_force(tree.brigade_a, month="2025-03")]
    assert names == ["G15沈海高速郁南段", "人民路"]
    assert [z.name for z in zones_in_force(tree.bureau_a, month="2025-04")] == [
        "G15沈海高速郁南段",
        "人民路",
        "新路",
    ]
    assert len(zones_in_force(None, month="2025-03")) == 3


def test_monthly_run_measures_overspeed_against_the_zone(tree, officer_user, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    Vehicle.objects.create(org=tree.bureau_a, plate="粤W10001", plate_color="yellow", vehicle_type="coach")
    store = Store(tmp_path / "monitoring")
    pts = build_track("粤W10001", "yellow", local_ts(3, 10), [drive(10, 60), drive(3, 95), drive(10, 60)])
    store.ingest_table(table(pts), source="test")
    run = services.monthly_run(org=tree.bureau_a, month="2025-03", actor=officer_user, store=store)
    assert run.summary["counts"]["violations"] == 0  # 95 < the coach's 100
    posted = feature({"name": "西江大桥限速", "road_class": "expressway", "limit_kmh": 90})
    speed_zones_import(data=collection(posted), org=tree.city, actor=None)
    services.monthly_run(org=tree.bureau_a, month="2025-03", actor=officer_user, store=store)
    (lead,) = ViolationLead.objects.all()
    assert lead.type == "overspeed"
    assert lead.detail.startswith("路段“西江大桥限速”（高速公路）限速 90 km/h，最高 95.0 km/h")


def test_zones_page(client, tree, officer_user, officer_b, sysadmin):
    speed_zones_import(data=collection(*GOOD), org=tree.bureau_a, actor=None)
    login(client, officer_user)
    r = client.get("/monitoring/zones/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "G15沈海高速郁南段" in html and "第七十八条" in html and 'id="zone-data"' in html
    client.logout()
    login(client, officer_b)
    assert "G15沈海高速郁南段" not in client.get("/monitoring/zones/").content.decode()
    client.logout()
    login(client, sysadmin)
    assert client.get("/monitoring/zones/").status_code == 403
