"""The 两客一危 pages in headless Chromium: an officer signs in, opens the month's 通报 (the ECharts chart drawn,
the five rates shown), downloads the DOCX, opens a vehicle's track (the Leaflet polyline painted on the
map's canvas, the violation marker placed; no tiles), and reviews the lead."""

from __future__ import annotations

import io
import json
import random

import pytest
from docx import Document

from tests.factories import PASSWORD, fake_uscc, make_org_tree, make_user
from tests.monitoring.helpers import local_ts
from tests.test_browser import browser_page  # noqa: F401  (fixture)

SCREENSHOT = "/tmp/zf-monitoring-track.png"
RATES = ("入网率", "上线率", "数据合格率", "轨迹完整率", "漂移率")
LINE_RGB = (0x1F, 0x5F, 0xA8)  # the polyline colour in monitoring/vehicle.html

def painted(map_selector: str) -> str:
    """A page function counting the pixels of one colour on a Leaflet map's vector canvas."""
    return """([r, g, b]) => {
  const c = document.querySelector(MAP + " .leaflet-overlay-pane canvas");
  if (!c || !c.width) return 0;
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - r) < 12 && Math.abs(d[i + 1] - g) < 12 && Math.abs(d[i + 2] - b) < 12 && d[i + 3] > 150) n++;
  }
  return n;
}""".replace("MAP", json.dumps(map_selector))


PAINTED = painted("#map")


@pytest.fixture
def county(transactional_db, settings, tmp_path, monkeypatch):
    from zhifa.monitoring.services import monthly_run
    from zhifa.monitoring.simulate import build_track, drive, stop, table
    from zhifa.monitoring.store import Store
    from zhifa.registry.models import Enterprise, Vehicle

    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("ZHIFA_MAP_TILE_URL", raising=False)  # no tiles: the track on a blank canvas
    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    ent = Enterprise.objects.create(
        org=tree.bureau_a,
        uscc=fake_uscc(random.Random(11)),
        name="郁南甲客运有限公司",
        business_type="passenger",
    )
    coach = Vehicle.objects.create(
        org=tree.bureau_a, plate="粤W10001", plate_color="yellow", vehicle_type="coach", enterprise=ent
    )
    Vehicle.objects.create(
        org=tree.bureau_a, plate="粤W10002", plate_color="yellow", vehicle_type="dangerous", enterprise=ent
    )
    store = Store(tmp_path / "monitoring")
    # 4 h 10 min at the wheel from 08:00 on 3 March: one fatigue lead (道路旅客运输企业安全管理规范 Art 38: 4 h by day)
    store.ingest_table(
        table(build_track("粤W10001", "yellow", local_ts(3, 8), [drive(250), stop(30)])), source="t"
    )
    run = monthly_run(org=tree.bureau_a, month="2025-03", actor=officer, store=store)
    return {"officer": officer, "coach": coach, "run": run}


@pytest.mark.browser
def test_officer_reads_the_bulletin_track_and_reviews(browser_page, live_server, county):  # noqa: F811
    from zhifa.monitoring.models import ViolationLead

    page, base = browser_page, live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/monitoring/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/monitoring/")
    page.click("a[href^='/monitoring/runs/2025-03/']")
    page.wait_for_url("**/monitoring/runs/2025-03/**")

    # the five rates, each with this month's value from the run
    rates = county["run"].summary["rates"]
    for label in RATES:
        row = page.locator("table").first.locator("tbody tr", has_text=label)
        cell = row.locator("td").nth(1).inner_text()
        assert cell == ("—" if rates[label] is None else f"{rates[label]}%"), (label, cell)
    assert rates["入网率"] == 50.0 and rates["上线率"] == 100.0
    # ECharts drew the chart: an instance on #chart with the five series and a painted canvas
    page.wait_for_selector("#chart canvas")
    series = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart')).getOption().series.map(s => s.name)"
    )
    assert series == list(RATES)

    with page.expect_download() as dl:
        page.click("text=下载通报（DOCX）")
    assert dl.value.suggested_filename == "monitoring-2025-03.docx"
    with open(dl.value.path(), "rb") as fh:
        text = "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)
    assert "2025年3月道路运输车辆动态监控情况的通报" in text and "疲劳驾驶" in text

    # the lead list links the vehicle's track of the lead's day
    page.click("text=本月违规线索")
    page.wait_for_url("**/monitoring/leads/?month=2025-03")
    row = page.locator("tbody tr", has_text="粤W10001")
    assert "疲劳驾驶" in row.inner_text() and "待审核" in row.inner_text()
    row.locator("a", has_text="粤W10001").click()
    page.wait_for_url(f"**/monitoring/vehicles/{county['coach'].pk}/?date=2025-03-03")
    assert "定位点" in page.locator("main").inner_text()
    page.wait_for_function(f"() => ({PAINTED})({list(LINE_RGB)}) > 200")  # the polyline, in its colour
    markers = page.locator("#map .leaflet-marker-icon")
    assert markers.count() == 1  # the fatigue lead of that day
    assert page.locator("#map .leaflet-tile").count() == 0  # no tile server configured
    markers.first.click()
    assert "疲劳驾驶" in page.locator(".leaflet-popup-content").inner_text()
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.go_back()
    page.wait_for_url("**/monitoring/leads/?month=2025-03")
    row = page.locator("tbody tr", has_text="粤W10001")
    row.locator("input[name=note]").fill("已电话通知企业负责人")
    row.locator("button[value=notice]").click()
    page.wait_for_load_state()
    assert "线索已处理：已通知企业整改" in page.locator("ul.messages").inner_text()
    assert "已通知企业整改" in page.locator("tbody tr", has_text="粤W10001").inner_text()
    lead = ViolationLead.objects.get()
    assert (lead.status, lead.review_note, lead.reviewed_by_id) == (
        "notice",
        "已电话通知企业负责人",
        county["officer"].pk,
    )
    assert errors == []
