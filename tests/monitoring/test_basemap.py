"""The offline base map (issue 15 item 9): the shipped 郁南县 file, the setting that names another file or
none (grid), and the demo's generated routes that follow its roads."""

from __future__ import annotations

import json
import math

from zhifa.core import basemap
from zhifa.demo.monitoring import DEMO_ZONES
from zhifa.monitoring.simulate import M_PER_DEG_LAT, Route, simulate_month

FLEET = [("粤W1", "yellow", "coach"), ("粤W2", "yellow", "dangerous"), ("粤W3", "yellow", "charter"),
         ("粤W4", "yellow", "coach"), ("粤W5", "yellow", "dangerous"), ("粤W6", "yellow", "coach")]


def _dist_to_polyline_m(lon, lat, line) -> float:
    k = math.cos(math.radians(lat)) * M_PER_DEG_LAT
    best = float("inf")
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        ax, ay, bx, by, px, py = x0 * k, y0 * M_PER_DEG_LAT, x1 * k, y1 * M_PER_DEG_LAT, lon * k, lat * M_PER_DEG_LAT
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def test_production_never_defaults_to_the_demo_countys_roads(settings):
    settings.MAP_BASE_GEOJSON, settings.PROD = None, True
    assert basemap.base_path() is None and basemap.base_map() is None  # a grid until the bureau names its file


def test_shipped_base_map_is_the_default_and_has_outline_and_roads(settings):
    settings.MAP_BASE_GEOJSON, settings.PROD = None, False
    data = basemap.base_map()
    kinds = {f["properties"]["kind"] for f in data["features"]}
    assert {"boundary", "national", "expressway", "provincial"} <= kinds
    assert data["name"] == "郁南县底图（示意）" and basemap.base_name() == data["name"]
    assert basemap.SHIPPED.stat().st_size < 20_000  # small: it ships in the package and in every page
    assert len(basemap.roads()) == 5


def test_setting_names_another_file_or_none(settings, tmp_path):
    own = tmp_path / "county.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kind": "national", "name": "G1"},
         "geometry": {"type": "LineString", "coordinates": [[110.0, 22.0], [110.1, 22.1]]}}]}), encoding="utf-8")
    settings.MAP_BASE_GEOJSON = str(own)
    assert basemap.base_map()["features"][0]["properties"]["name"] == "G1"
    assert basemap.base_name() == "county"  # no name in the file: its file name
    settings.MAP_BASE_GEOJSON = ""
    assert basemap.base_map() is None  # the page draws a grid
    settings.MAP_BASE_GEOJSON = str(tmp_path / "missing.geojson")
    assert basemap.base_map() is None
    own.write_text("{not json", encoding="utf-8")
    settings.MAP_BASE_GEOJSON = str(own)
    assert basemap.base_map() is None  # an unreadable file: the grid, not an error page


def test_route_walks_the_polyline_and_turns_back_at_the_ends():
    r = Route([(111.0, 23.0), (111.1, 23.0), (111.1, 23.1)])
    assert 21_000 < r.length < 22_000
    assert r.at(0)[:2] == (111.0, 23.0)
    lon, lat, heading = r.at(r.length)
    assert (round(lon, 6), round(lat, 6)) == (111.1, 23.1) and heading == 0  # north on the second leg
    assert r.at(r.length + 100)[2] == 180  # past the end: back south
    assert r.at(2 * r.length)[:2] == (111.0, 23.0)
    assert r.at(100)[2] == 90


def test_generated_demo_routes_follow_the_roads_and_cross_the_demo_zones():
    roads = basemap.roads()
    table = simulate_month(FLEET, "2025-03", seed=3, interval_s=120, routes=roads).to_pylist()
    good = [p for p in table if p["status"] == 3 and p["lon"] != 0.0]
    off = [p for p in good if min(_dist_to_polyline_m(p["lon"], p["lat"], r) for r in roads) > 1.0]
    assert len(off) / len(good) < 0.01  # only the drift spikes leave the road
    # deterministic: the same seed gives the same month
    assert table == simulate_month(FLEET, "2025-03", seed=3, interval_s=120, routes=roads).to_pylist()

    def inside(p, zone):
        (x0, y0), _, (x1, y1), *_ = zone["geometry"]["coordinates"][0]
        return x0 <= p["lon"] <= x1 and y0 <= p["lat"] <= y1

    for zone in DEMO_ZONES["features"]:
        assert any(inside(p, zone) for p in good), zone["properties"]["name"]


def test_without_routes_the_month_is_what_it_was():
    """Tests and benchmarks that call simulate_month without routes keep their straight east-west tracks."""
    table = simulate_month(FLEET[:2], "2025-03", seed=7, interval_s=300).to_pylist()
    assert "_s" not in table[0]
    by_day = {}
    for p in table:
        if p["status"] == 3 and p["lon"]:
            by_day.setdefault((p["plate"], p["ts"] // 86400), set()).add(p["lat"])
    assert sum(len(v) == 1 for v in by_day.values()) / len(by_day) > 0.9
