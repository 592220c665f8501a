"""Money in the real pages (headless Chromium): a fine typed in yuan at 处理意见 ("2,000.50") is shown as
2,000.50元, and a part payment registered on the page leaves the balance on the case page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import catalogue_violation
from tests.cases.test_browser_case import _login, _step, people  # noqa: F401  (fixtures and helpers)
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.mark.browser
def test_fine_in_yuan_and_part_payment_in_the_pages(browser_page, live_server, people):  # noqa: F811
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case, CasePayment
    from zhifa.cases.services import case_create
    from zhifa.cases.workflow import case_transition

    officer, head = User.objects.get(username="officer_a"), User.objects.get(username="head_a")
    today = timezone.localdate()
    start = today - timedelta(days=5)
    c = case_create(violation_code=catalogue_violation().code,
        org=officer.org, party_kind="org", party_name="郁南县通达物流有限公司",
        violation_name="未按规定携带道路运输证", violated_article="《中华人民共和国道路运输条例》第三十四条",
        penalty_article="《中华人民共和国道路运输条例》第六十八条", facts="粤W12345号货车未随车携带道路运输证。",
        occurred_on=start, discovered_on=start, actor=officer, created_on=start,
    )  # fmt: skip

    def go(action, who=officer, **data):
        nonlocal c
        c = case_transition(case=c, action=action, actor=who, data=data, on=today)

    go("register", head)
    go("assign_officers", officer_ids=[people["o1"].pk, people["o2"].pk])
    go("record", kind="询问笔录", content="问：是否携带道路运输证？答：忘带了。", signature="signed")
    go("end_investigation", report="违法事实清楚，证据确凿。")

    page, url = browser_page, live_server.url
    _login(page, url, "head_a")
    _step(
        page, url, c.pk, "propose",
        fills={"proposed_fine_fen": "2,000.50", "tier_reasons": "初次违法，情节一般"},
        selects={"outcome": "penalty", "penalty_type": "fine", "tier": "general"},
    )  # fmt: skip
    assert "拟罚款 2,000.50元" in page.locator("dl.detail").inner_text()
    assert Case.objects.get(pk=c.pk).proposed_fine_fen == 200050

    c = Case.objects.get(pk=c.pk)
    go("notify")
    go("statement", content="放弃陈述申辩", waive_hearing="true")
    go("decide", head)
    go("serve", method="direct", proof="送达回证 001")

    _login(page, url, "officer_a")
    page.goto(f"{url}/cases/{c.pk}/")
    assert "罚款 2,000.50元" in page.locator("dl.detail").inner_text()
    _step(page, url, c.pk, "pay", fills={"paid_fen": "1,000.00", "receipt_no": "缴款书 0001"}, selects={"channel": "bank"})
    account = page.locator("#account").inner_text()
    assert "罚款余额 1,000.50元" in account and "尚欠合计 1,000.50元" in account, account
    assert "缴款书 0001" in account and re.search(r"第七十二条", account)
    assert "已送达" in page.locator("h1").inner_text()
    assert CasePayment.objects.get(case_id=c.pk).amount_fen == 100000
