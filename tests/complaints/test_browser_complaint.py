"""The whole loop in the real pages (headless Chromium): a citizen files a complaint on the portal (solving
the offline captcha), an officer turns it into a 案源, the head accepts it, the case is walked to its decision,
the decision flows back into the order's reply draft, the officer answers, and the citizen's status page
shows the reply."""

from __future__ import annotations

import re

import pytest

from tests.cases.test_browser_case import _login, _step, people  # noqa: F401  (fixture and step helpers)
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


def _solve(page, url) -> str:
    """Read the arithmetic the SVG draws (a person reads the image; the test reads its text nodes)."""
    svg = page.request.get(f"{url}/public/complaints/captcha.svg").text()
    expr = "".join(re.findall(r">([0-9+\-=?])</text>", svg)).rstrip("=?")
    a, op, b = re.fullmatch(r"(\d+)([+-])(\d+)", expr).groups()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b))


@pytest.mark.browser
def test_citizen_to_case_to_reply(browser_page, live_server, people):  # noqa: F811
    from zhifa.cases.models import Case
    from zhifa.complaints.models import WorkOrder

    page, url = browser_page, live_server.url
    page.goto(f"{url}/public/complaints/")
    page.select_option("select[name=org]", label="郁南县交通运输局")
    page.select_option("select[name=category]", "report")
    page.fill("input[name=title]", "汽车站外强行招揽旅客")
    page.fill("textarea[name=content]", "郁南汽车站外有客车驾驶员强行招揽旅客，车牌粤W12345。")
    page.fill("input[name=place]", "郁南汽车站")
    page.fill("input[name=name]", "陈大文")
    page.fill("input[name=phone]", "13622223333")
    page.fill("input[name=captcha]", _solve(page, url))
    page.click("#complaint-form button[type=submit]")
    number = page.locator("#order-number").inner_text()
    code = page.locator("#tracking-code").inner_text()
    order = WorkOrder.objects.get(number=number)

    _login(page, url, "officer_a")
    page.goto(f"{url}/complaints/")
    page.click(f"text={number}")
    page.click("#to-case")
    assert "已转为案源" in page.locator(".messages").inner_text()
    order.refresh_from_db()
    src = order.case_source

    _login(page, url, "head_a")
    page.goto(f"{url}/cases/sources/{src.pk}/")
    page.fill("input[name=violation_code]", "DY-014")
    page.check(f"input[name=officer_ids][value='{people['o1'].pk}']")
    page.check(f"input[name=officer_ids][value='{people['o2'].pk}']")
    page.click("button[name=decision][value=accept]")
    page.wait_for_load_state()
    case = Case.objects.get(source=src)
    pk = case.pk

    _login(page, url, "officer_a")
    _step(page, url, pk, "record", fills={"content": "问：是否在站外招揽旅客？答：是。"},
          selects={"kind": "询问笔录", "signature": "signed"})
    _step(page, url, pk, "end_investigation", fills={"report": "违法事实清楚，证据确凿。"})
    _login(page, url, "head_a")
    _step(page, url, pk, "propose", fills={"proposed_fine_fen": "2,000.00", "tier_reasons": "初次违法，情节一般"},
          selects={"outcome": "penalty", "penalty_type": "fine", "tier": "general"})
    _login(page, url, "officer_a")
    _step(page, url, pk, "notify")
    _step(page, url, pk, "statement", fills={"content": "当事人放弃陈述申辩"})
    _login(page, url, "head_a")
    _step(page, url, pk, "decide")

    order.refresh_from_db()
    assert order.case_outcome == "decided" and "行政处罚决定" in order.reply_draft
    _login(page, url, "officer_a")
    page.goto(f"{url}/complaints/{order.pk}/")
    reply = page.locator("form.act-reply textarea[name=reply_text]")
    assert "行政处罚决定" in reply.input_value()  # the draft from the case's decision
    page.click("form.act-reply button[type=submit]")
    assert "已办理：答复" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    page.goto(f"{url}/public/complaints/status/?number={number}&code={code}")
    status = page.locator("#status").inner_text()
    assert "已答复" in status and "行政处罚决定" in page.locator("#reply").inner_text()
    assert "陈大文" not in page.content() and "13622223333" not in page.content()
