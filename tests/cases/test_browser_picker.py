"""The officer picker on a case step in headless Chromium (issue 15 item 5): the 主办人员 is found by typing
a name and choosing from the list, and the step assigns that officer as lead; no numeric id is typed."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.cases.conftest import make_officer
from tests.cases.test_browser_case import _login
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.fixture
def desk(transactional_db):
    from zhifa.cases.services import case_create

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    rng = random.Random(9)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31))
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31))
    make_officer(tree.squad_b1, "李外县", rng, valid_to=date(2099, 12, 31))  # never offered
    case = case_create(
        org=tree.squad_a1, party_kind="org", party_name="郁南县某运输有限公司", violation_name="未按规定携带道路运输证",
        facts="粤W12345号货车未随车携带道路运输证。", occurred_on=date.today(), discovered_on=date.today(),
        actor=officer,
    )
    return {"case": case, "o1": o1, "o2": o2}


@pytest.mark.browser
def test_lead_officer_picked_by_name(browser_page, live_server, desk):  # noqa: F811
    from zhifa.cases.models import CaseOfficer

    page, url, case = browser_page, live_server.url, desk["case"]
    _login(page, url, "officer_a")
    page.goto(f"{url}/cases/{case.pk}/step/assign_officers/")
    page.check(f"input[name=officer_ids][value='{desk['o1'].pk}']")
    page.check(f"input[name=officer_ids][value='{desk['o2'].pk}']")
    assert page.locator("input[name=lead_id][type=number]").count() == 0  # no id box
    page.fill("input[data-picker-for=lead_id]", "李")
    page.wait_for_selector("ul.picker button.pick")
    offered = page.locator("ul.picker button.pick").all_inner_texts()
    assert offered == ["李执法（第一中队）"], offered  # the other county's 李外县 is not offered
    page.click("ul.picker button.pick")
    assert "已选：李执法" in page.locator(".picker-chosen").inner_text()
    assert page.input_value("input[type=hidden][name=lead_id]") == str(desk["o2"].pk)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/cases/{case.pk}/")
    assert "已办理" in page.locator(".messages").inner_text()
    lead = CaseOfficer.objects.get(case=case, lead=True, removed_on__isnull=True)
    assert lead.officer_id == desk["o2"].pk
