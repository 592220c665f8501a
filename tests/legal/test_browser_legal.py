"""法制工作 in headless Chromium: a normative document from draft to 公布 (and onto the portal's 有效文件目录),
and a 评查 campaign from sampling to the 通报 DOCX, each step by the role that does it."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.cases.conftest import make_officer
from tests.cases.test_browser_case import _login
from tests.factories import make_user
from tests.legal.conftest import closed_cases
from tests.test_browser import browser_page  # noqa: F401  (fixture)


def _people(tree):
    return (
        make_user("officer_a", tree.squad_a1, {"officer"}),
        make_user("reviewer_a", tree.bureau_a, {"legal_reviewer"}),
        make_user("head_a", tree.bureau_a, {"head"}),
    )


def _ok(page, text: str):
    page.wait_for_load_state()
    assert page.locator(".errorlist, .messages .error").count() == 0 or text in page.content(), (
        page.content()[:2000]
    )
    assert text in page.content(), text


@pytest.mark.browser
def test_document_from_draft_to_published(browser_page, live_server, transactional_db):  # noqa: F811
    from tests.factories import make_org_tree

    tree = make_org_tree()
    _people(tree)
    page, base = browser_page, live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, base, "officer_a")
    page.goto(f"{base}/legal/")
    page.click("text=起草新文件")
    page.fill("input[name=title]", "郁南县巡游出租汽车经营服务管理规定")
    page.fill("input[name=subject]", "出租汽车")
    page.click("text=登记草案")
    _ok(page, "已登记文件草案")
    doc_url = page.url
    page.click("text=不征求意见，直接送合法性审核")
    _ok(page, "合法性审核")
    _login(page, base, "reviewer_a")
    page.goto(doc_url)
    page.click("text=提交审核结论")  # every point 符合 (the defaults)
    _ok(page, "公平竞争审查")
    assert (
        page.locator("input[type=radio][name=f_9-5]").count() == 3
    )  # 条例 Art 9(5): three possible findings
    page.click("text=作出审查结论")
    _ok(page, "符合公平竞争审查标准，可以出台")
    _login(page, base, "head_a")
    page.goto(doc_url)
    page.fill("input[name=minutes]", "2026年第5次局务会议审议通过")
    page.click("text=登记集体审议")
    _ok(page, "已集体审议")
    _login(page, base, "reviewer_a")
    page.goto(doc_url)
    page.fill("input[name=doc_no]", "郁交规〔2026〕1号")
    page.click("text=登记编号印发")
    _ok(page, "规范性文件登记〔")
    page.fill("input[name=url]", "https://www.yunan.gov.cn/zwgk/gfxwj/1.html")
    page.click("button:has-text('公布')")
    _ok(page, "已公布（现行有效）")
    assert page.locator("#doc-status").inner_text() == "已公布（现行有效）"
    page.goto(f"{base}/public/legal/documents/")
    assert "郁南县巡游出租汽车经营服务管理规定" in page.locator("#directory").inner_text()
    assert errors == []


@pytest.mark.browser
def test_review_campaign_from_sampling_to_report(browser_page, live_server, transactional_db):  # noqa: F811
    from tests.factories import make_org_tree

    tree = make_org_tree()
    officer, reviewer, _head = _people(tree)
    handler = make_officer(tree.squad_a1, "郁南甲执法", random.Random(5), user=officer)
    closed_cases(
        tree, officer, {tree.squad_a1: 3, tree.squad_a2: 2}, closed_on=date(2026, 5, 6), handler=handler
    )
    page, base = browser_page, live_server.url
    _login(page, base, "reviewer_a")
    page.goto(f"{base}/legal/reviews/")
    page.fill("input[name=closed_from]", "2026-01-01")
    page.fill("input[name=closed_to]", "2026-12-31")
    page.fill("input[name=ratio]", "30")
    page.fill("input[name=per_unit]", "2")
    page.check(f"input[name=reviewers][value='{reviewer.pk}']")
    page.click("text=登记评查")
    page.click("text=随机抽取案卷")
    _ok(page, "按种子重放结果一致")
    links = page.locator("#files a:has-text('评分')")
    n = links.count()
    assert n == 4  # ceil(3 × 30%) = ceil(2 × 30%) = 1, raised to the 2 per unit
    for _ in range(n):
        page.locator("#files a:has-text('评分')").first.click()
        page.click("text=保存评分")  # full marks prefilled
        _ok(page, "已保存")
    page.click("text=生成并印发通报")
    _ok(page, "下载通报")
    assert page.locator("#campaign-status").inner_text() == "已通报"
    href = page.locator("#report a").get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200 and response.body()[:2] == b"PK"


@pytest.mark.browser
def test_hearing_with_head_and_judicial_suggestion_then_counsel(browser_page, live_server, transactional_db):  # noqa: F811
    """The head records a hearing at which the 局长 appeared (规定 Art 2), a 司法建议 with its reply and a
    法律顾问 contract with one opinion, from the 复议应诉 register and the 法律顾问 page."""
    from tests.factories import make_org_tree
    from zhifa.cases.models import CaseAppeal

    tree = make_org_tree()
    officer, _reviewer, head = _people(tree)
    (case,) = closed_cases(tree, officer, {tree.bureau_a: 1}, closed_on=date(2026, 2, 1))
    CaseAppeal.objects.create(
        case=case,
        org=case.org,
        kind="litigation",
        organ="郁南县人民法院",
        filed_on=date(2026, 3, 1),
        received_on=date(2026, 3, 3),
    )
    page, base = browser_page, live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, base, "head_a")
    page.goto(f"{base}/legal/appeals/")
    page.click("text=开庭、出庭与意见书")
    page.fill("#hearing-form input[name=held_on]", "2026-05-12")
    page.check("#hearing-form input[name=head_present]")
    page.fill("#hearing-form input[name=head_name]", "陈建国")
    page.fill("#hearing-form input[name=head_title]", "局长")
    page.select_option("#hearing-form select[name=head_rank]", "principal")
    page.click("#hearing-form button")
    _ok(page, "陈建国（局长，正职负责人）")
    page.select_option("#recommendation-form select[name=kind]", "judicial")
    page.fill("#recommendation-form input[name=received_on]", "2026-06-01")
    page.fill("#recommendation-form input[name=content]", "规范送达程序")
    page.click("#recommendation-form button")
    _ok(page, "2026-07-31")  # the default 60 days (unconfirmed for 司法建议)
    page.fill("#recommendations input[name=corrective_action]", "修订送达回证格式")
    page.click("text=报送整改情况")
    _ok(page, "修订送达回证格式")
    page.goto(f"{base}/legal/counsel/")
    page.fill("#contract-form input[name=counsel]", "广东南江律师事务所")
    page.fill("#contract-form input[name=starts_on]", "2026-01-01")
    page.fill("#contract-form input[name=ends_on]", "2026-12-31")
    page.fill("#contract-form input[name=scope]", "常年法律顾问")
    page.fill("#contract-form input[name=fee]", "60000")
    page.click("#contract-form button")
    _ok(page, "60,000.00")
    page.fill("#opinion-form input[name=matter_title]", "公交票价调整")
    page.fill("#opinion-form input[name=given_on]", "2026-03-10")
    page.fill("#opinion-form input[name=summary]", "程序合法")
    page.click("#opinion-form button")
    _ok(page, "公交票价调整")
    assert "未登记资格" in page.content()  # reviewer_a has no 法律职业资格 recorded
    assert errors == []
