"""In headless Chromium: a number in the annual report opens exactly the records it counts; after issue the
number stays while an edited record flags the live value; the 指挥中心 draws its charts and a tile opens its
records; a 月度通报 is generated and downloadable."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.cases.conftest import Kit, make_officer, new_case, step
from tests.cases.test_browser_case import _login
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)

FAR = date(2099, 12, 31)
Y = date.today().year


@pytest.fixture
def registered(transactional_db):
    tree = make_org_tree()
    officer = make_user("officer", tree.squad_a1, {"officer"})
    head = make_user("head", tree.bureau_a, {"head"})
    rng = random.Random(7)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=FAR)
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=FAR)
    kit = Kit(tree, officer, head, None, o1, o2, o2)
    on = date(Y, 1, 5)
    cases = [
        step(kit, new_case(kit, on=on, occurred_on=on, party_name=f"运输公司{i}"), "register", head, on=on)
        for i in range(3)
    ]
    # one of the year before: not counted
    old = date(Y - 1, 12, 1)
    step(kit, new_case(kit, on=old, occurred_on=old), "register", head, on=old)
    return kit, cases


@pytest.mark.browser
def test_report_number_opens_its_records(browser_page, live_server, registered):  # noqa: F811
    from zhifa.cases.models import Case
    from zhifa.reports import services

    kit, cases = registered
    page, url = browser_page, live_server.url
    report = services.report_create(actor=kit.head, org=kit.tree.bureau_a, year=Y)
    _login(page, url, "head")
    page.goto(f"{url}/reports/annual/{report.pk}/")
    ref = page.locator('a.ind-ref[data-ind="cases.registered"]').first
    assert ref.inner_text() == "3宗"
    ref.click()
    page.wait_for_url("**/reports/indicators/cases.registered/**")
    shown = {
        int(x)
        for x in page.locator("#drill-rows tbody tr[data-pk]").evaluate_all(
            "rows => rows.map(r => r.dataset.pk)"
        )
    }
    assert shown == {c.pk for c in cases}
    assert page.locator("#drill-count").inner_text() == "3"
    page.screenshot(path="/tmp/zf-report-drill.png", full_page=True)

    # issue, then a record changes: the report keeps 3宗 and says the live value moved
    page.goto(f"{url}/reports/annual/{report.pk}/")
    page.click("form[action$='/issue/'] button")
    page.wait_for_load_state()
    assert page.locator("#report-state").inner_text() == "已签发"
    Case.objects.filter(pk=cases[0].pk).update(registered_on=None)
    page.goto(f"{url}/reports/annual/{report.pk}/")
    assert page.locator('a.ind-ref[data-ind="cases.registered"]').first.inner_text() == "3宗"
    assert "现值 2宗" in page.locator("#live-changed").inner_text()
    page.locator('a.ind-ref[data-ind="cases.registered"]').first.click()
    page.wait_for_url("**/reports/indicators/cases.registered/**")
    assert "签发快照：3 宗" in page.locator("#ind-snapshot").inner_text()


@pytest.mark.browser
def test_dashboard_draws_and_clicks_through(browser_page, live_server, registered):  # noqa: F811
    kit, cases = registered
    page, url = browser_page, live_server.url
    _login(page, url, "head")
    page.goto(f"{url}/reports/dashboard/")
    page.wait_for_function("() => document.querySelectorAll('.dash-trend canvas').length > 0")
    assert page.locator("#chart-states canvas").count() == 1
    page.screenshot(path="/tmp/zf-dashboard.png", full_page=True)
    tile = page.locator('.dash-tile[data-ind="cases.registered"] a.dash-month')
    tile.click()
    page.wait_for_url("**/reports/indicators/cases.registered/**")
    assert page.locator("h1").inner_text().startswith("立案查处案件")
