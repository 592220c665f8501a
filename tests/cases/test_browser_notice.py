"""In the real pages (headless Chromium): the 系统管理员 sets the bureau's office address, which the
违法行为通知书 prints as the place to state one's case; the officer serves the decision by 公告 on the serve form
and the case page then shows the 公告 running with its deemed service day (民事诉讼法 Art 95)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import catalogue_violation, make_officer
from tests.cases.test_browser_case import _login, _step
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.fixture
def desk(transactional_db):
    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    make_user("sysadmin_a", tree.bureau_a, {"sysadmin"})
    rng = random.Random(5)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31))
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31))
    return {"tree": tree, "officer": officer, "head": head, "o1": o1, "o2": o2}


def _decided_case(desk, start: date, decided: date):
    from zhifa.cases.services import case_create
    from zhifa.cases.workflow import case_transition

    officer, head = desk["officer"], desk["head"]
    c = case_create(violation_code=catalogue_violation().code,
        org=desk["tree"].squad_a1,
        party_kind="org",
        party_name="郁南县通达物流有限公司",
        violation_name="未按规定携带道路运输证",
        violated_article="《中华人民共和国道路运输条例》第三十四条",
        penalty_article="《中华人民共和国道路运输条例》第六十八条",
        facts="粤W12345号货车在S276线郁南段未随车携带道路运输证。",
        occurred_on=start,
        discovered_on=start,
        actor=officer,
        created_on=start,
    )
    steps = [
        ("register", head, {}),
        ("assign_officers", officer, {"officer_ids": [desk["o1"].pk, desk["o2"].pk]}),
        ("record", officer, {"kind": "询问笔录", "content": "问：是否携带道路运输证？答：忘带了。", "signature": "signed"}),
        ("end_investigation", officer, {"report": "违法事实清楚，证据确凿。"}),
        (
            "propose",
            head,
            {
                "outcome": "penalty",
                "penalty_type": "fine",
                "proposed_fine_fen": 100000,
                "tier_reasons": "初次违法，情节一般",
                "tier": "general",
            },
        ),
        ("notify", officer, {}),
        ("statement", officer, {"content": "当事人放弃陈述申辩"}),
    ]
    for action, who, data in steps:
        c = case_transition(case=c, action=action, actor=who, data=data, on=start)
    return case_transition(case=c, action="decide", actor=head, data={}, on=decided)


@pytest.mark.browser
def test_office_address_on_the_notice_and_public_notice_on_the_case_page(browser_page, live_server, desk):  # noqa: F811
    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.render import docx_text
    from zhifa.documents.services import document_path

    page, url = browser_page, live_server.url
    bureau = desk["tree"].bureau_a
    _login(page, url, "sysadmin_a")
    page.goto(f"{url}/admin/orgs/{bureau.pk}/edit/")
    page.fill("input[name=address]", "郁南县都城镇建设路1号")
    page.fill("input[name=phone]", "0766-7112345")
    page.click("form:has(input[name=address]) button[type=submit]")
    page.wait_for_url(f"{url}/admin/orgs/")

    today = timezone.localdate()
    case = _decided_case(desk, today - timedelta(days=40), today - timedelta(days=10))
    notice = IssuedDocument.objects.get(
        target_type="cases.case", target_id=str(case.pk), template="violation_notice"
    )
    assert "郁南县都城镇建设路1号" in docx_text(document_path(notice).read_bytes())

    _login(page, url, "officer_a")
    _step(
        page,
        url,
        case.pk,
        "serve",
        fills={"medium": "郁南县人民政府门户网站", "failed_reason": "当事人下落不明，邮寄退回"},
        selects={"method": "public_notice"},
    )
    case.refresh_from_db()
    assert case.service_started_on == today and case.served_on >= today + timedelta(days=30)
    banner = page.locator("#public-notice-running").inner_text()
    assert f"公告送达中（视为送达日 {case.served_on:%Y-%m-%d}" in banner
    assert "第九十五条" in banner
