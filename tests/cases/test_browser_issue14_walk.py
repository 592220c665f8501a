"""Issue 14, done when: an ordinary case walked in the real pages (headless Chromium) with the violation picked
from the 执法事项库, through 听证 (the party absent without good reason, 处罚法 Art 64(六)), 法制审核, the
decision, 公告送达 (deemed served 30 days after publication, 民事诉讼法 Art 95), a partial payment, the 催告
(行政强制法 Art 54) and the application to the court (Art 55); the issued DOCX documents carry the basis, the
hearing right, the periods and the remedy.

Every step is entered on its step page with its 办理日期, as an officer who records yesterday's work does.
Dates: act and 立案 Mon 2026-03-02; hearing noticed Wed 03-04 for Fri 03-13; decided Mon 03-16; published
Wed 03-18 → deemed served Fri 04-17; the 6-month litigation period ends 10-17; 催告 Mon 10-19, ten working
days later (Art 54) the application on Tue 11-03."""

from __future__ import annotations

import re
import zipfile

import pytest

from tests.cases.test_browser_case import _login, _step, people  # noqa: F401  (fixture and helpers)
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


def _act(page, url, pk, action, on, fills=None, selects=None, checks=()):
    _step(page, url, pk, action, fills=fills, checks=checks, selects=selects, on=on)


def _docx(pk: int, title: str) -> str:
    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.services import document_path

    doc = IssuedDocument.objects.filter(target_type="cases.case", target_id=str(pk), title=title).latest("id")
    with zipfile.ZipFile(document_path(doc)) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


BASIS = "《中华人民共和国道路运输条例》第六十三条"


@pytest.mark.browser
def test_catalogue_violation_to_court_application_in_the_pages(browser_page, live_server, people):  # noqa: F811
    from zhifa.cases.models import Case, CasePayment

    page, url = browser_page, live_server.url
    _login(page, url, "officer_a")
    page.goto(f"{url}/cases/new/")
    page.select_option("select[name=party_kind]", "citizen")
    page.fill("input[name=party_name]", "陈某")
    page.fill("#violation-q", "擅自从事道路普通货物运输")
    page.locator("#violation-results button.pick", has_text="DY-001").click()
    assert page.input_value("#penalty_article").startswith(BASIS)
    page.fill("[name=occurred_on]", "2026-03-02")
    page.fill("[name=discovered_on]", "2026-03-02")
    page.fill("textarea[name=facts]", "2026年3月2日，陈某驾驶粤W3C456号货车，未取得道路运输经营许可从事普通货物运输。")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    pk = int(page.url.rstrip("/").split("/")[-1])

    _login(page, url, "head_a")
    _act(page, url, pk, "register", "2026-03-02")
    _login(page, url, "officer_a")
    _act(page, url, pk, "assign_officers", "2026-03-02",
         checks=(f"input[name=officer_ids][value='{people['o1'].pk}']",
                 f"input[name=officer_ids][value='{people['o2'].pk}']"))  # fmt: skip
    _act(page, url, pk, "record", "2026-03-02", fills={"content": "问：是否取得经营许可？答：没有。"},
         selects={"kind": "询问笔录", "signature": "signed"})  # fmt: skip
    _act(page, url, pk, "end_investigation", "2026-03-02", fills={"report": "违法事实清楚，证据确凿。"})
    _login(page, url, "head_a")
    # 6,000 yuan: inside the 一般 tier (5,100–7,900) and, for a citizen, 较大数额 in Guangdong (5,000 以上)
    _act(page, url, pk, "propose", "2026-03-02", fills={"proposed_fine_fen": "6,000.00", "tier_reasons": "情节一般"},
         selects={"outcome": "penalty", "penalty_type": "fine", "tier": "general"})  # fmt: skip
    _login(page, url, "officer_a")
    _act(page, url, pk, "notify", "2026-03-02")
    notice = _docx(pk, "违法行为通知书")
    assert BASIS in notice and "罚款人民币6,000.00元" in notice
    assert "有权要求听证，应当在收到本通知书之日起五日内提出" in notice  # 处罚法 Art 64(一)
    assert "至2026年3月9日止" in notice  # five working days (Art 85) after Mon 03-02
    assert "陈述" in notice and "申辩" in notice

    _act(page, url, pk, "hearing_request", "2026-03-03")
    _act(page, url, pk, "hearing_notice", "2026-03-04",
         fills={"hearing_on": "2026-03-13", "place": "局三楼会议室", "chair": "陈法制", "clerk": "周记录",
                "announcement": "本局公告栏"})  # fmt: skip
    _act(page, url, pk, "hearing_absent", "2026-03-13", fills={"note": "当事人经合法通知未到场，亦未说明理由"},
         selects={"how": "absent"}, checks=("input[name=no_good_reason]",))  # fmt: skip
    assert "视为放弃听证权利" in page.locator("#hearing-record").inner_text()
    _act(page, url, pk, "submit_review", "2026-03-16")
    _login(page, url, "reviewer_a")
    _act(page, url, pk, "review", "2026-03-16", fills={"opinion": "事实清楚，证据确凿，程序合法，适用依据正确。"},
         checks=("input[type=checkbox][name=passed]",))  # fmt: skip
    _login(page, url, "head_a")
    _act(page, url, pk, "decide", "2026-03-16")
    decision = _docx(pk, "行政处罚决定书")
    assert BASIS in decision and "6,000.00元" in decision
    assert "六十日内" in decision and "申请行政复议" in decision and "六个月内" in decision  # the remedy
    assert "第七十二条" in decision  # the surcharge for late payment

    _login(page, url, "officer_a")
    _act(page, url, pk, "serve", "2026-03-18",
         fills={"act_on": "2026-03-18", "medium": "郁南县人民政府门户网站", "failed_reason": "当事人下落不明，邮寄退回"},
         selects={"method": "public_notice"})  # fmt: skip
    c = Case.objects.get(pk=pk)
    assert str(c.served_on) == "2026-04-17"  # 30 days after publication (民事诉讼法 Art 95)
    receipt = _docx(pk, "送达回证")
    assert "视为送达日期：2026年4月17日" in receipt and "第九十五条" in receipt

    _act(page, url, pk, "pay", "2026-04-20", fills={"paid_fen": "2,000.00", "receipt_no": "缴款书 0001"},
         selects={"channel": "bank"})  # fmt: skip
    account = page.locator("#account").inner_text()
    assert "罚款余额 4,000.00元" in account, account
    assert CasePayment.objects.get(case_id=pk).amount_fen == 200_000

    _act(page, url, pk, "remind", "2026-10-19")
    reminder = _docx(pk, "催告书")
    assert "4,000.00元" in reminder and "第五十四条" in reminder
    _act(page, url, pk, "reminder_statement", "2026-10-21", fills={"content": "经营困难，请求缓缴"})
    _login(page, url, "head_a")
    _act(page, url, pk, "apply_court", "2026-11-03", fills={"court": "郁南县人民法院"},
         checks=("input[name=m_application]", "input[name=m_decision]", "input[name=m_opinion]",
                 "input[name=m_subject]"))  # fmt: skip
    application = _docx(pk, "强制执行申请书")
    assert "郁南县人民法院" in application and "经营困难，请求缓缴" in application
    c = Case.objects.get(pk=pk)
    assert c.court_enforcement.court == "郁南县人民法院"
    shown = page.locator("h2:has-text('申请人民法院强制执行') + dl.detail").inner_text()
    assert "郁南县人民法院" in shown and "经营困难，请求缓缴" in shown and "第五十五条" in shown
