"""The place of a complaint picked on the map (issue 18: "place (with map point)"), in headless Chromium:
on the portal form a click on the offline base map fills 纬度/经度 with a point inside the county's map,
and dragging is not needed to correct it — a second click moves it. No tile is requested."""

from __future__ import annotations

import pytest

from tests.cases.test_browser_case import people  # noqa: F401  (fixture)
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.mark.browser
def test_a_click_on_the_map_fills_the_coordinates(browser_page, live_server, people, settings):  # noqa: F811
    settings.MAP_BASE_GEOJSON, settings.PROD = None, False  # the shipped schematic 郁南县 base
    page, url = browser_page, live_server.url
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{url}/public/complaints/")
    box = page.locator(".point-picker-map")
    box.wait_for()
    assert page.input_value("input[name=lat]") == "" and page.input_value("input[name=lng]") == ""
    b = box.bounding_box()
    box.click(position={"x": b["width"] / 2, "y": b["height"] / 2})
    lat, lng = float(page.input_value("input[name=lat]")), float(page.input_value("input[name=lng]"))
    assert 22.8 < lat < 23.6 and 111.0 < lng < 112.0  # inside the base map of 郁南县
    box.click(position={"x": b["width"] / 4, "y": b["height"] / 2})
    assert float(page.input_value("input[name=lng]")) < lng  # a click further west moves the point west
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert all(r.startswith(url) for r in requested)  # every asset local, no tile server
