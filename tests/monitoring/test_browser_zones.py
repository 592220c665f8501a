"""The 路段限速 page in headless Chromium: the zones imported from GeoJSON drawn on the Leaflet map (no tiles),
a zone's name shown as text in its tooltip (never run as HTML), the limits per vehicle type in the table."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_org_tree, make_user
from tests.monitoring.test_browser_pages import painted
from tests.test_browser import browser_page  # noqa: F401  (fixture)

ZONE_RGB = (0x1F, 0x5F, 0xA8)  # an active zone's outline in monitoring/zones.html
PAINTED = painted("#zone-map")
NAME = 'G15沈海高速<img src=x onerror="window.hacked=1">'


@pytest.mark.browser
def test_officer_sees_the_zones_on_the_map(browser_page, live_server, transactional_db, monkeypatch):  # noqa: F811
    from zhifa.monitoring.zone_services import speed_zones_import

    monkeypatch.delenv("ZHIFA_MAP_TILE_URL", raising=False)
    tree = make_org_tree()
    make_user("officer_a", tree.squad_a1, {"officer"})
    ring = [[111.4, 23.1], [112.5, 23.1], [112.5, 23.3], [111.4, 23.3], [111.4, 23.1]]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": NAME, "road_class": "expressway"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    assert speed_zones_import(data=data, org=tree.bureau_a, actor=None).created == 1

    page, base = browser_page, live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/monitoring/zones/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/monitoring/zones/")
    row = page.locator("#zones tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[:6] == [NAME, "高速公路", "—", "100", "100", "80"]  # 第七十八条; dangerous goods: local 80
    page.wait_for_function(f"() => ({PAINTED})({list(ZONE_RGB)}) > 200")
    assert page.locator("#zone-map .leaflet-tile").count() == 0
    box = page.locator("#zone-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".leaflet-tooltip:not(.zhifa-town)")  # the base map names its towns too
    tip.wait_for()
    assert tip.inner_text() == f"{NAME}（高速公路）"
    assert page.evaluate("() => window.hacked") is None
    assert errors == []
