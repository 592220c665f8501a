"""The real pages in headless Chromium (Debian's chromium, driven by Playwright's sync API).

An officer signs in through the login form, opens the vehicle list, searches a plate, opens the
vehicle's detail page and sees the plate and the owner enterprise. A screenshot of the list is written
to /tmp/zf-vehicles.png for a look by eye.
"""

from __future__ import annotations

import os
import random

import pytest

from tests.conftest import chromium_path, require_service
from tests.factories import PASSWORD, fake_uscc, make_org_tree, make_user

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = "/tmp/zf-vehicles.png"


@pytest.fixture
def browser_page():
    require_service("Chromium", chromium_path() is not None, "apt-get install chromium")
    from playwright import sync_api
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # around it are still synchronous, so allow them.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            # a tablet in landscape: the pages must be usable there
            context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
            browser.close()
    finally:
        if old is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture
def county(transactional_db):
    from zhifa.registry.services import subject_save

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    uscc = fake_uscc(random.Random(42))
    subject_save(
        kind="enterprises",
        actor=head,
        data={"uscc": uscc, "name": "郁南县通达物流有限公司", "business_type": "freight"},
    )
    for plate, color, vtype in (
        ("粤W12345", "yellow", "heavy_truck"),
        ("粤W23456", "yellow", "tractor"),
        ("粤W34567", "blue", "truck"),
        ("粤W45678", "blue", "coach"),
    ):
        subject_save(
            kind="vehicles",
            actor=head,
            data={
                "plate": plate,
                "plate_color": color,
                "vehicle_type": vtype,
                "enterprise_uscc": uscc,
                "transport_cert_no": f"445322{plate[-5:]}0",
            },
        )
    return {"officer": officer, "uscc": uscc}


@pytest.mark.browser
def test_officer_finds_a_vehicle(browser_page, live_server, county):
    page = browser_page
    page.goto(f"{live_server.url}/registry/vehicles/")
    assert "/login/" in page.url  # not signed in yet
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/registry/vehicles/")
    assert page.locator("h1").inner_text() == "监管对象 · 车辆"
    assert page.locator("tbody tr").count() == 4
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.fill("input[name=q]", "粤W23456")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/registry/vehicles/?q=*")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "半挂牵引车" in rows.first.inner_text()

    page.click("text=粤W23456")
    page.wait_for_url("**/registry/vehicles/*/")
    assert page.locator("h1").inner_text() == "车辆 粤W23456"
    detail = page.locator("dl.detail").inner_text()
    assert "粤W23456" in detail and "郁南县通达物流有限公司" in detail and county["uscc"] in detail
    # the sidebar marks the module, the tab bar the kind
    assert page.locator("nav.sidenav a.active").inner_text() == "监管对象"
    assert page.locator("nav[aria-label=监管对象类别] a[aria-current=page]").inner_text() == "车辆"
