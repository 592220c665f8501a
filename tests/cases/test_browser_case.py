"""One ordinary-procedure case from 立案 to 结案 in the real pages (headless Chromium), as the officer,
the head and the legal reviewer in turn; the generated 行政处罚决定书 carries the case's facts."""

from __future__ import annotations

import random
import re
import zipfile
from datetime import date

import pytest

from tests.cases.conftest import make_officer
from tests.factories import PASSWORD, make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.fixture
def people(transactional_db):
    from zhifa.cases.services import reviewer_qualification_set

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    make_user("head_a", tree.bureau_a, {"head"})
    reviewer = make_user("reviewer_a", tree.bureau_a, {"legal_reviewer"})
    rng = random.Random(3)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer, valid_to=date(2099, 12, 31))
    o2 = make_officer(tree.squad_a1, "李执法", rng, valid_to=date(2099, 12, 31))
    reviewer_qualification_set(user=reviewer, certificate_no="A20184401000123", actor=None)
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()  # the 执法事项库 the case form picks from
    return {"o1": o1, "o2": o2, "tree": tree}


def _login(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _step(page, url, pk, action, fills=None, checks=(), selects=None, on=None):
    """One step on its step page; ``on`` fills the 办理日期 (default: today)."""
    page.goto(f"{url}/cases/{pk}/step/{action}/")
    if on:
        page.fill("[name=on]", on)
    for name, value in (fills or {}).items():
        page.fill(f"[name={name}]", value)
    for name, value in (selects or {}).items():
        page.select_option(f"select[name={name}]", value)
    for sel in checks:
        page.check(sel)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/cases/{pk}/")
    msg = page.locator(".messages").inner_text()
    assert "已办理" in msg, msg


@pytest.mark.browser
def test_ordinary_case_walkthrough(browser_page, live_server, people):  # noqa: F811
    from zhifa.cases.models import Case
    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.services import document_path

    page, url = browser_page, live_server.url
    _login(page, url, "officer_a")
    page.goto(f"{url}/cases/new/")
    page.select_option("select[name=party_kind]", "org")
    page.fill("input[name=party_name]", "郁南县通达物流有限公司")
    # the violation is picked from the 执法事项库: typing part of its name lists it, picking fills the articles
    page.fill("#violation-q", "招揽旅客")
    page.locator("#violation-results button.pick", has_text="DY-014").click()
    assert page.input_value("#violation_code") == "DY-014"
    assert page.input_value("#violation_name") == "客运经营者强行招揽旅客"
    assert page.input_value("#penalty_article") == "《中华人民共和国道路运输条例》第六十八条第二款"
    assert "1000元以上3000元以下罚款" in page.locator("#violation-range").inner_text()
    page.fill("textarea[name=facts]", "粤W12345号客车在郁南汽车站外强行招揽旅客。")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    pk = int(page.url.rstrip("/").split("/")[-1])

    _login(page, url, "head_a")
    _step(page, url, pk, "register")
    _login(page, url, "officer_a")
    # the assign form (on the case page) lists the unit's officers
    page.goto(f"{url}/cases/{pk}/")
    form = page.locator("form[data-action=assign_officers]")
    page.locator("details:has(form[data-action=assign_officers]) summary").click()
    form.locator(f"input[name=officer_ids][value='{people['o1'].pk}']").check()
    form.locator(f"input[name=officer_ids][value='{people['o2'].pk}']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/cases/{pk}/")
    _step(
        page,
        url,
        pk,
        "record",
        fills={"content": "问：是否携带道路运输证？答：忘带了。"},
        selects={"kind": "询问笔录", "signature": "signed"},
    )
    _step(page, url, pk, "end_investigation", fills={"report": "违法事实清楚，证据确凿。"})
    _login(page, url, "head_a")
    _step(
        page,
        url,
        pk,
        "propose",
        fills={"proposed_fine_fen": "2,000.00", "tier_reasons": "初次违法，情节一般"},  # yuan
        selects={"outcome": "penalty", "penalty_type": "fine", "tier": "general"},
    )
    _login(page, url, "officer_a")
    _step(page, url, pk, "notify")
    _step(page, url, pk, "statement", fills={"content": "当事人放弃陈述申辩"})
    _login(page, url, "head_a")
    _step(page, url, pk, "decide")
    _login(page, url, "officer_a")
    _step(page, url, pk, "serve", fills={"proof": "送达回证 001"}, selects={"method": "direct"})
    _step(page, url, pk, "pay", fills={"paid_fen": "2,000.00", "receipt_no": "缴款书 001"}, selects={"channel": "bank"})
    _login(page, url, "head_a")
    _step(page, url, pk, "close")
    assert "已结案" in page.locator("h1").inner_text()

    case = Case.objects.get(pk=pk)
    doc = IssuedDocument.objects.get(target_type="cases.case", target_id=str(pk), title="行政处罚决定书")
    with zipfile.ZipFile(document_path(doc)) as z:
        text = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    assert "郁南县通达物流有限公司" in text and "强行招揽旅客" in text
    assert "2,000.00元" in text and case.decision_no and case.decision_no in text
    assert "《中华人民共和国道路运输条例》第六十八条第二款" in text


@pytest.mark.browser
def test_case_form_picks_the_party_from_the_register_and_refuses_a_bad_code(browser_page, live_server, people):  # noqa: F811
    from zhifa.cases.models import Case
    from zhifa.core.identifiers import uscc_check_char
    from zhifa.registry.models import Enterprise

    uscc = "91445322MA4X0YRE3" + uscc_check_char("91445322MA4X0YRE3")
    ent = Enterprise.objects.create(
        uscc=uscc, name="郁南县顺安客运有限公司", org=people["tree"].bureau_a, address="郁南县都城镇"
    )
    page, url = browser_page, live_server.url
    _login(page, url, "officer_a")
    page.goto(f"{url}/cases/new/")
    page.fill("#party-q", "顺安")
    page.locator("#party-results button.pick", has_text="顺安客运").click()
    assert page.input_value("#party_name") == "郁南县顺安客运有限公司"
    assert page.input_value("#party_code") == uscc and page.input_value("#party_ref") == f"enterprise:{ent.pk}"
    # a code typed by hand is checked as the register's imports check it
    page.evaluate("document.getElementById('party_ref').value = ''")  # the officer types a code instead
    page.fill("#party_code", "12345")
    page.fill("#violation-q", "DY-014")
    page.locator("#violation-results button.pick", has_text="DY-014").click()
    page.fill("textarea[name=facts]", "站外揽客")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert "统一社会信用代码长度应为18位，实为5位" in page.locator("#party_code-error").inner_text()
    assert not Case.objects.exists()
