"""The track page draws offline (issue 15 item 9): without a tile server the county's base map (outline,
roads, towns), a scale bar and a north arrow are painted under the track; with no base file configured, a
plain grid. Pixel counts on the map's canvas in each colour (zhifa/basemap.js, vehicle.html)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.monitoring.test_browser_pages import LINE_RGB, PAINTED, county  # noqa: F401  (fixture)
from tests.test_browser import browser_page  # noqa: F401  (fixture)

NATIONAL_RGB = (0xD9, 0x53, 0x4F)  # G324 in basemap.js
GRID_RGB = (0xC8, 0xC8, 0xC8)


def _open_track(page, base, county):  # noqa: F811
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{base}/monitoring/vehicles/{county['coach'].pk}/?date=2025-03-03"
    page.goto(url)
    if page.locator("input[name=username]").count():
        page.fill("input[name=username]", "officer_a")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(url)
    page.wait_for_function(f"() => ({PAINTED})({list(LINE_RGB)}) > 200")  # the track itself
    return errors


@pytest.mark.browser
def test_track_over_the_shipped_base_map_then_over_a_grid(browser_page, live_server, county, settings):  # noqa: F811
    page = browser_page
    settings.MAP_BASE_GEOJSON = None  # the shipped 郁南县 file
    errors = _open_track(page, live_server.url, county)
    main = page.locator("main").inner_text()
    assert "底图：郁南县底图（示意）" in main and "指北针" in main
    assert page.evaluate(f"({PAINTED})({list(NATIONAL_RGB)})") > 50  # the national road under the track
    shipped_grey = page.evaluate(f"({PAINTED})({list(GRID_RGB)})")  # only edges of other lines blend to it
    assert page.locator("#map .leaflet-control-scale-line").inner_text().strip()  # e.g. "20 km"
    assert page.locator("#map .zhifa-north").inner_text().strip() == "北"
    assert page.locator("#map .leaflet-tooltip", has_text="都城镇").count() == 1  # towns named
    assert page.locator("#map .leaflet-tile").count() == 0  # nothing fetched from a tile server
    assert page.locator("#map .leaflet-marker-icon").count() == 1  # still only the lead's marker
    page.screenshot(path="/tmp/zf-monitoring-basemap.png", full_page=True)

    settings.MAP_BASE_GEOJSON = ""  # a bureau without a base file: a grid
    errors += _open_track(page, live_server.url, county)
    assert "未配置底图" in page.locator("main").inner_text()
    grid = page.evaluate(f"({PAINTED})({list(GRID_RGB)})")
    assert grid > 500 and grid > 10 * shipped_grey, (grid, shipped_grey)
    assert page.evaluate(f"({PAINTED})({list(NATIONAL_RGB)})") == 0
    assert page.locator("#map .zhifa-north").count() == 1
    page.screenshot(path="/tmp/zf-monitoring-grid.png", full_page=True)
    assert errors == []
