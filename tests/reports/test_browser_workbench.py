"""The hand-over on 首页, in headless Chromium: the officer submits a case for 法制审核 → the reviewer sees it
on the 工作台 with a notification (bell count) and passes it → the head sees the decision to make with a
notification. Another county's head sees none of it. Screenshots of each 工作台 go to /tmp (not committed)."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from tests.cases.conftest import Kit, make_officer, new_case, step
from tests.cases.test_browser_case import _login as sign_in
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)

FAR = date(2099, 12, 31)


@pytest.fixture
def walked(transactional_db):
    """A case of 第一中队 told and waived (10 万元 on a company: 法制审核 required), ready to submit."""
    from django.utils import timezone

    from zhifa.cases.services import reviewer_qualification_set
    from zhifa.notifications.models import Notification

    tree = make_org_tree()
    officer = make_user("officer", tree.squad_a1, {"officer"})
    head = make_user("head", tree.bureau_a, {"head"})
    reviewer = make_user("reviewer", tree.bureau_a, {"legal_reviewer"})
    make_user("head_b", tree.bureau_b, {"head"})
    rng = random.Random(5)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=FAR)
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=FAR)
    reviewer_qualification_set(user=reviewer, certificate_no="A20184401000123", actor=None)
    kit = Kit(tree, officer, head, reviewer, o1, o2, o2)
    on = timezone.localdate()
    c = new_case(kit, on=on, occurred_on=on)
    c = step(kit, c, "register", head, on=on)
    c = step(kit, c, "assign_officers", on=on, officer_ids=[o1.pk, o2.pk])
    c = step(kit, c, "record", on=on, kind="询问笔录", content="问：是否随车携带道路运输证？答：没有。", signature="signed")
    c = step(kit, c, "end_investigation", on=on, report="事实清楚，证据确凿。")
    c = step(kit, c, "propose", head, on=on, outcome="penalty", penalty_type="fine", proposed_fine_fen=10_000_000,
             tier="general", tier_reasons="情节一般")
    c = step(kit, c, "notify", on=on)
    c = step(kit, c, "statement", on=on, content="放弃陈述申辩和听证", waive_hearing="true")
    assert c.review_required
    Notification.objects.all().delete()  # the set-up's own hand-offs; the walk starts with an empty bell
    return c


def _login(page, url, username):
    sign_in(page, url, username)
    page.goto(f"{url}/")


def _bell(page) -> int:
    count = page.locator("#bell-count")
    return int(count.inner_text()) if count.count() else 0


@pytest.mark.browser
def test_handover_officer_reviewer_head(browser_page, live_server, walked):  # noqa: F811
    page, url, c = browser_page, live_server.url, walked
    label = f"{c.number} {c.party_name}"

    _login(page, url, "officer")
    group = page.locator("[data-group=steps]")
    assert label in group.inner_text()
    page.screenshot(path="/tmp/zf-workbench-officer.png", full_page=True)
    page.goto(f"{url}/cases/{c.pk}/step/submit_review/")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/cases/{c.pk}/")
    assert "已办理" in page.locator(".messages").inner_text()

    _login(page, url, "reviewer")
    assert _bell(page) == 1
    review = page.locator("[data-group=review]")
    assert label in review.inner_text()
    assert re.search(r"首页\s*1", page.locator("nav.sidenav").inner_text())  # the count on the menu
    page.screenshot(path="/tmp/zf-workbench-reviewer.png", full_page=True)
    review.get_by_role("link", name=label).click()  # the item opens the page where it is done
    page.wait_for_url(f"{url}/cases/{c.pk}/step/review/")
    page.fill("[name=opinion]", "事实清楚，证据确凿，适用法律正确，程序合法。")
    page.check("input[type=checkbox][name=passed]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/cases/{c.pk}/")
    assert "已办理" in page.locator(".messages").inner_text()
    page.goto(f"{url}/")
    assert page.locator("[data-group=review]").count() == 0  # done: off the reviewer's list

    _login(page, url, "head")
    assert _bell(page) == 1
    decision = page.locator("[data-group=decision]")
    assert label in decision.inner_text()
    assert decision.get_by_role("link", name=label).get_attribute("href") == f"/cases/{c.pk}/step/decide/"
    page.screenshot(path="/tmp/zf-workbench-head.png", full_page=True)
    page.click("a.bell")
    page.wait_for_url(f"{url}/notifications/")
    note = page.get_by_role("link", name=re.compile("法制审核通过，待作出决定"))
    assert note.count() == 1
    note.click()  # opening it marks it read and goes to the decision page
    page.wait_for_url(f"{url}/cases/{c.pk}/step/decide/")
    assert _bell(page) == 0

    _login(page, url, "officer")  # the officer was told the result too
    assert _bell(page) == 1
    page.goto(f"{url}/notifications/")
    assert "法制审核通过" in page.locator("table.notifications").inner_text()

    _login(page, url, "head_b")  # another county: nothing of this case, no notification
    assert _bell(page) == 0
    assert c.number not in page.locator("main").inner_text()
