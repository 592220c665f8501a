"""先行登记保存 and 扣押 through the real pages (headless Chromium): the officer preserves evidence with the
head's name, the head orders an 扣押 and extends it once; the case page lists both with their periods, and a
second extension is refused with 行政强制法 Art 25."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.cases.conftest import catalogue_violation, make_officer
from tests.cases.test_browser_case import _login, _step
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.fixture
def investigating_case(transactional_db):
    from zhifa.cases.services import case_create
    from zhifa.cases.workflow import case_transition

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    rng = random.Random(5)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31))
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31))
    c = case_create(violation_code=catalogue_violation().code,
        org=tree.squad_a1,
        party_kind="org",
        party_name="郁南县通达客运有限公司",
        violation_name="未取得道路运输经营许可擅自从事道路运输经营",
        violated_article="《中华人民共和国道路运输条例》第十条",
        penalty_article="《中华人民共和国道路运输条例》第六十三条",
        facts="粤W66666号小型客车在都城镇车站附近揽客营运，未取得道路运输经营许可。",
        occurred_on=date.today(),
        discovered_on=date.today(),
        actor=officer,
    )
    c = case_transition(case=c, action="register", actor=head)
    case_transition(case=c, action="assign_officers", actor=officer, data={"officer_ids": [o1.pk, o2.pk]})
    return c


@pytest.mark.browser
def test_preservation_and_seizure_in_the_pages(browser_page, live_server, investigating_case):  # noqa: F811
    from zhifa.cases.models import CasePreservation, CaseSeizure

    page, url, pk = browser_page, live_server.url, investigating_case.pk
    _login(page, url, "officer_a")
    _step(
        page,
        url,
        pk,
        "preserve",
        fills={
            "items": "行车记录仪存储卡，1张，本局证据室",
            "reason": "行车记录仪数据可能被删除，以后难以取得",
            "approved_by": "陈局长",
        },
    )
    p = CasePreservation.objects.get(case_id=pk)
    assert p.approved_by == "陈局长" and p.items[0]["name"] == "行车记录仪存储卡"
    _login(page, url, "head_a")
    _step(
        page,
        url,
        pk,
        "seize",
        fills={
            "legal_basis": "《中华人民共和国道路运输条例》第六十三条",
            "reason": "涉嫌未取得道路运输经营许可擅自从事道路运输经营",
            "items": "粤W66666号小型客车，1辆，本局停车场",
        },
        selects={"kind": "seize"},
    )
    _step(page, url, pk, "seizure_extend", fills={"days": "30", "reason": "案情复杂，需调查实际经营情况"})
    s = CaseSeizure.objects.get(case_id=pk)
    assert s.extension_days == 30 and (s.due - s.started_on).days == 60
    page.goto(f"{url}/cases/{pk}/")
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "先行登记保存" in body and "行车记录仪存储卡" in body and "待处理" in body
    assert "粤W66666号小型客车" in body and "已延长 30 日" in body and s.due.isoformat() in body
    assert "先行登记保存处理决定期限" in body and "查封、扣押期限" in body  # the clocks, with their labels
    # a second extension: refused with the article
    page.goto(f"{url}/cases/{pk}/step/seizure_extend/")
    page.fill("[name=days]", "10")
    page.fill("[name=reason]", "仍需调查")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("body")
    assert "第二十五条" in text and "不得再次延长" in text
