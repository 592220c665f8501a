"""Browser: the public searches a plate and sees the masked record; an officer (负责人) registers and
approves a credit repair, and the record disappears from the portal."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import PASSWORD, make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401 - fixture

from .helpers import emit


@pytest.mark.browser
def test_public_plate_search_then_repair(browser_page, live_server, transactional_db):  # noqa: F811
    page = browser_page
    tree = make_org_tree()
    head = make_user("head_a", tree.bureau_a, {"head"})
    rec = emit(
        tree.squad_a1,
        head,
        decided_on=date(2026, 4, 10),
        subject_name="张三丰",
        subject_kind="自然人",
        subject_code="",
        legal_rep="",
        facts="当事人张三丰（电话13812345678）驾驶粤W12345超限运输",
    )
    rec.subject_ref = "person:1"
    rec.save(update_fields=["subject_ref"])
    from zhifa.credit.services import credit_record_from_disclosure

    credit_record_from_disclosure(record=rec, actor=head)

    page.goto(f"{live_server.url}/public/")
    page.fill("input[name=q]", "粤W12345")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/public/records/?q=*")
    assert page.locator("tbody tr").count() == 1
    page.click("tbody tr a")
    detail = page.locator("dl.detail").inner_text()
    assert "张*" in detail and "张三丰" not in detail and "13812345678" not in detail and "粤W12345" in detail

    page.goto(f"{live_server.url}/login/?next=/credit/subjects/person:1/")
    page.fill("input[name=username]", "head_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/credit/subjects/person:1/")
    page.fill("form.repair input[name=proof]", "罚款缴纳凭证 2026-001")
    page.check("form.repair input[name=obligations_met]")
    page.click("form.repair button[type=submit]")
    page.wait_for_url("**/credit/subjects/person:1/")
    page.goto(f"{live_server.url}/credit/repairs/")
    page.fill("input[name=reasons]", "已纠正并履行全部义务，作出信用承诺")
    page.click("button[name=approve][value='1']")
    page.wait_for_url("**/credit/repairs/")
    assert "准予修复" in page.locator("tbody").inner_text()

    page.goto(f"{live_server.url}/public/records/?q=粤W12345")
    assert "没有符合条件的公示记录" in page.locator("tbody").inner_text()
