"""Issue 15 item 11: the public portal and the officer's field pages (the 当场处罚 form, a case step page,
the evidence upload) are usable on a phone 390 px wide: the page never scrolls sideways, the main form's
submit button is visible, at least 40 px tall and clickable, and the menu folds behind a button. Real pages
in headless Chromium at 390×844; screenshots go to /tmp/zf-phone-*.png."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from tests.cases.conftest import catalogue_violation, make_officer
from tests.cases.test_browser_case import _login
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)

D = date(2026, 3, 2)
PHONE = {"width": 390, "height": 844}
PORTAL = ["/public/", "/public/records/", "/public/credit/", "/public/inspections/", "/public/inspections/results/",
          "/public/overload/", "/public/complaints/", "/public/complaints/status/"]


@pytest.fixture
def field_case(transactional_db):
    """A registered case with two officers assigned: the next step is an 笔录 taken in the field."""
    from zhifa.cases.services import case_create
    from zhifa.cases.workflow import case_transition

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    rng = random.Random(11)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31))
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31))
    c = case_create(violation_code=catalogue_violation().code,
        org=tree.squad_a1, party_kind="org", party_name="郁南县通达物流有限公司", violation_name="未按规定携带道路运输证",
        violated_article="《道路运输条例》第三十四条", penalty_article="《道路运输条例》第六十八条",
        facts="粤W12345号货车未随车携带道路运输证。", occurred_on=D, discovered_on=D, actor=officer, created_on=D,
    )  # fmt: skip
    c = case_transition(case=c, action="register", actor=head, on=D)
    c = case_transition(case=c, action="assign_officers", actor=officer, data={"officer_ids": [o1.pk, o2.pk]}, on=D)
    return c.pk


def _fits(page, name: str) -> None:
    page.screenshot(path=f"/tmp/zf-phone-{name}.png", full_page=True)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: 页面宽 {width}px，超出手机屏幕 {PHONE['width']}px"


def _submit_usable(page, form_selector: str) -> None:
    button = page.locator(f"{form_selector} button[type=submit]").last
    button.scroll_into_view_if_needed()
    assert button.is_visible() and button.is_enabled()
    box = button.bounding_box()
    assert box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    button.click(trial=True)  # Playwright's actionability check: nothing covers it, it receives the tap


def test_portal_and_field_pages_fit_a_phone(browser_page, live_server, field_case):  # noqa: F811
    page = browser_page
    page.set_viewport_size(PHONE)
    for url in PORTAL:
        page.goto(f"{live_server.url}{url}")
        _fits(page, re.sub(r"\W+", "-", url.strip("/")) or "portal")
    page.goto(f"{live_server.url}/public/complaints/")
    _submit_usable(page, "main form[method=post]")

    _login(page, live_server.url, "officer_a")
    # the menu is folded behind its button, and opens with a tap
    assert page.locator(".sidenav ul").is_hidden()
    toggle = page.locator(".navbutton")
    assert toggle.bounding_box()["height"] >= 40
    toggle.click()
    assert page.locator(".sidenav ul").is_visible()
    _fits(page, "menu")
    for name, url in [("summary", "/cases/new/?procedure=summary"), ("step", f"/cases/{field_case}/step/record/"),
                      ("evidence", f"/evidence/t/cases.case/{field_case}/")]:
        page.goto(f"{live_server.url}{url}")
        assert page.locator(".navbutton").is_visible()
        _fits(page, name)
        _submit_usable(page, "main form[method=post]")
