"""治超统计 charts draw in headless Chromium (issue 15 item 9): the chart data reaches ECharts as an
object (it was JSON-encoded twice and every chart stayed blank), each chart holds its series, and the
canvas has drawn pixels. A screenshot goes to /tmp/zf-overload-stats.png."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.overload.test_browser_review import county  # noqa: F401  (fixture)
from tests.test_browser import browser_page  # noqa: F401  (fixture)

SCREENSHOT = "/tmp/zf-overload-stats.png"
CHARTS = ("chart-day", "chart-hour", "chart-axle", "chart-excess")

# For one chart: the number of data points ECharts holds per series, and how many canvas pixels are
# neither transparent nor white (drawn bars, lines, axes and labels).
_PROBE = """(id) => {
  const el = document.getElementById(id);
  const chart = window.echarts && echarts.getInstanceByDom(el);
  if (!chart) return null;
  const series = chart.getOption().series.map(s => (s.data || []).filter(v => v !== null).length);
  const canvas = el.querySelector("canvas");
  const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) drawn++;
  }
  return {series, drawn};
}"""


@pytest.mark.browser
def test_overload_statistics_charts_draw_their_series(browser_page, live_server, county):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}/overload/stats/?start=2026-11-01&end=2026-11-30")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/overload/stats/**")
    data = page.evaluate('JSON.parse(document.getElementById("chart-data").textContent)')
    assert isinstance(data, dict) and data["traffic"], data  # an object, not a JSON string
    page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart-day'))")
    page.wait_for_timeout(300)  # ECharts animates its first frame
    for chart in CHARTS:
        probe = page.evaluate(_PROBE, chart)
        assert probe is not None, f"{chart} 未初始化"
        assert probe["series"] and all(n > 0 for n in probe["series"]), (chart, probe)
        assert probe["drawn"] > 500, (chart, probe)
    page.screenshot(path=SCREENSHOT, full_page=True)
