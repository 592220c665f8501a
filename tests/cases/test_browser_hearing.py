"""The hearing moves and the 当场处罚 record in the real pages (headless Chromium): the party's absence
(处罚法 Art 64(六)) and a withdrawal recorded on the step pages, and a 当场处罚 with 当场收缴 entered on the
summary form (Arts 52, 68-71)."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from tests.cases.conftest import catalogue_violation, make_officer
from tests.cases.test_browser_case import _login, _step
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)

D = date(2026, 3, 2)  # a Monday


@pytest.fixture
def scheduled(transactional_db):
    """Two cases of 10 万元 on an organisation (hearing right), each with a hearing noticed for 2026-03-13."""
    from zhifa.cases.services import case_create
    from zhifa.cases.workflow import case_transition

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    rng = random.Random(5)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31))
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31))
    out = []
    for name in ("郁南县通达物流有限公司", "郁南县顺风运输有限公司"):
        c = case_create(violation_code=catalogue_violation().code,
            org=tree.squad_a1, party_kind="org", party_name=name, violation_name="未按规定携带道路运输证",
            violated_article="《道路运输条例》第三十四条", penalty_article="《道路运输条例》第六十八条",
            facts="粤W12345号货车未随车携带道路运输证。", occurred_on=D, discovered_on=D, actor=officer, created_on=D,
        )  # fmt: skip
        moves = [
            ("register", head, {}),
            ("assign_officers", officer, {"officer_ids": [o1.pk, o2.pk]}),
            ("record", officer, {"kind": "询问笔录", "content": "问：是否携带？答：没有。", "signature": "signed"}),
            ("end_investigation", officer, {"report": "事实清楚。"}),
            ("propose", head, {"outcome": "penalty", "penalty_type": "fine", "proposed_fine_fen": 10_000_000,
                               "tier": "general", "tier_reasons": "情节一般"}),
            ("notify", officer, {}),
        ]  # fmt: skip
        for action, who, data in moves:
            c = case_transition(case=c, action=action, actor=who, data=data, on=D)
        c = case_transition(case=c, action="hearing_request", actor=officer, on=date(2026, 3, 3))
        c = case_transition(
            case=c, action="hearing_notice", actor=officer, on=date(2026, 3, 4),
            data={"hearing_on": "2026-03-13", "place": "局三楼会议室", "chair": "陈法制", "clerk": "周记录",
                  "announcement": "本局公告栏"},
        )  # fmt: skip
        out.append(c.pk)
    return out


@pytest.mark.browser
def test_absence_and_withdrawal_on_the_step_pages(browser_page, live_server, scheduled):  # noqa: F811
    from zhifa.cases.models import Case

    page, url = browser_page, live_server.url
    absent_pk, withdrawn_pk = scheduled
    _login(page, url, "officer_a")
    _step(
        page, url, absent_pk, "hearing_absent",
        fills={"note": "当事人经合法通知于9时未到场，亦未说明理由"}, selects={"how": "absent"},
        checks=("input[name=no_good_reason]",),
    )  # fmt: skip
    record = page.locator("#hearing-record").inner_text()
    assert "无正当理由拒不出席（视为放弃听证权利）" in record and "主持人 陈法制" in record
    assert "已告知" in page.locator("h1").inner_text()
    c = Case.objects.get(pk=absent_pk)
    assert c.hearing_end == "absent" and not c.hearing_held

    _step(
        page, url, withdrawn_pk, "hearing_withdraw",
        fills={"note": "当事人提交书面撤回听证申请"}, selects={"form": "written"},
    )  # fmt: skip
    assert "当事人撤回听证申请" in page.locator("#hearing-record").inner_text()
    assert Case.objects.get(pk=withdrawn_pk).hearing_end == "withdrawn"


@pytest.fixture
def two_officers(transactional_db):
    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    rng = random.Random(6)
    catalogue_violation()  # the 执法事项库 entry the summary form picks
    return [
        make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31)),
        make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31)),
    ]


@pytest.mark.browser
def test_summary_form_records_the_spot_and_the_collection(browser_page, live_server, two_officers):  # noqa: F811
    from zhifa.cases.models import Case

    page, url = browser_page, live_server.url
    _login(page, url, "officer_a")
    page.goto(f"{url}/cases/new/?procedure=summary")
    page.select_option("select[name=party_kind]", "citizen")
    page.fill("input[name=party_name]", "李某")
    page.fill("#violation-q", "TEST-001")  # picked from the 执法事项库 (处罚法 Art 38)
    page.locator("#violation-results button.pick", has_text="TEST-001").click()
    page.fill("textarea[name=facts]", "驾驶员未随车携带道路运输证。")
    page.fill("input[name=fine_fen]", "100.00")  # yuan

    def tick_officers():  # the form does not keep the ticked officers after a refusal
        for o in two_officers:
            page.check(f"input[name=officer_ids][value='{o.pk}']")

    tick_officers()
    page.select_option("select[name=statement]", "waived")
    page.select_option("select[name=party_signature]", "signed")
    page.check("input[name=collected]")
    page.click("form.card button[type=submit]")  # certificates and oral notice not ticked: refused
    assert "第五十二条" in page.locator(".messages").inner_text()
    assert not Case.objects.exists()
    page.check("input[name=certificates_shown]")
    page.check("input[name=oral_notice]")
    tick_officers()
    page.click("form.card button[type=submit]")  # the 票据 number is missing: refused
    assert "第七十条" in page.locator(".messages").inner_text()
    page.fill("input[name=receipt_no]", "粤财罚 0012345")
    tick_officers()
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    rec = page.locator("#summary-record").inner_text()
    assert "已出示执法证件" in rec and "当场收缴罚款 100.00元" in rec and "粤财罚 0012345" in rec
    assert "当场收缴罚款交至行政机关期限" in page.locator(".cards").inner_text()
    c = Case.objects.get()
    assert c.state == "performed" and c.summary_record["collection"]["receipt_no"] == "粤财罚 0012345"
