"""The whole permit in the real pages (headless Chromium): an applicant files on the portal, the window asks
for a correction, the applicant confirms it on the status page, the window accepts, grants and issues; the
电子证照 PDF is downloaded, its signature checks, its QR target (the verification page, whose address the PDF
carries beside the code) says 有效; the head records a 暂扣 in the register and the same page says 暂扣."""

from __future__ import annotations

import re

import pytest

from tests.cases.test_browser_case import _login
from tests.factories import make_org_tree, make_user
from tests.permits.conftest import USCC
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.fixture
def window(transactional_db):
    from datetime import date

    from zhifa.permits.services import catalogue_seed
    from zhifa.registry.models import Enterprise

    tree = make_org_tree()
    make_user("officer_a", tree.squad_a1, {"officer"})
    make_user("head_a", tree.bureau_a, {"head"})
    catalogue_seed(on=date(2025, 1, 1))
    Enterprise.objects.create(
        uscc=USCC, name="郁南县顺安物流有限公司", org=tree.bureau_a, business_type="freight"
    )
    return tree


@pytest.mark.browser
def test_portal_to_certificate_to_suspension(browser_page, live_server, window):  # noqa: F811
    from zhifa.documents.render import docx_text
    from zhifa.permits import certificates
    from zhifa.permits.models import Application

    page, url = browser_page, live_server.url
    page.goto(f"{url}/public/permits/")
    page.click("text=道路普通货物运输经营许可")
    assert "设定依据" in page.inner_text("#guide")
    page.click("#apply-link")
    page.select_option("select[name=org]", label="郁南县交通运输局")
    page.fill("input[name=applicant]", "郁南县顺安物流有限公司")
    page.fill("input[name=applicant_uscc]", USCC)
    page.fill("textarea[name=content]", "道路普通货物运输")
    page.click("#apply-form button[type=submit]")
    number, code = page.inner_text("#app-number"), page.inner_text("#app-code")
    app = Application.objects.get(number=number)

    _login(page, url, "officer_a")
    page.goto(f"{url}/permits/")
    page.click(f"text={number}")
    page.fill("form.act-correction textarea[name=items]", "车辆技术条件证明")
    page.click("form.act-correction button[type=submit]")
    assert page.inner_text("#state") == "待补正"

    page.context.clear_cookies()
    page.goto(f"{url}/public/permits/status/?number={number}&code={code}")
    assert "车辆技术条件证明" in page.inner_text("#correction-items")
    page.click("#corrected")
    assert "已确认补正材料提交" in page.content()

    _login(page, url, "officer_a")
    page.goto(f"{url}/permits/{app.pk}/")
    page.click("form.act-accept button[type=submit]")
    assert page.inner_text("#state") == "已受理，审查中"
    page.click("form.act-grant button[type=submit]")
    assert page.inner_text("#state") == "准予许可，待发证"
    # the step's 文书 from the document templates, downloaded from the application page
    with page.expect_download() as info:
        page.click("#steps a:text-is('准予行政许可决定书')")
    app.refresh_from_db()
    text = docx_text(open(info.value.path(), "rb").read())
    assert app.decision_no in text and "准予行政许可决定书" in text and "郁南县顺安物流有限公司" in text
    page.click("form.act-issue button[type=submit]")
    assert page.inner_text("#state") == "已发证（办结）"

    with page.expect_download() as info:
        page.click("#cert-download")
    pdf = open(info.value.path(), "rb").read()
    check = certificates.verify_bytes(pdf)
    assert check.ok, check.reason
    target = re.search(rb"/Subject \(([^)]+)\)", pdf).group(1).decode()
    assert target.startswith(f"{url}/public/permits/verify/{check.cert_id}/")

    page.context.clear_cookies()
    page.goto(target)
    assert page.inner_text("#cert-status") == "有效"
    assert "签名有效" in page.inner_text("#cert-signature")

    app.refresh_from_db()
    _login(page, url, "head_a")
    page.goto(f"{url}/registry/licences/{app.licence_id}/decisions/new/")
    page.select_option("select[name=action]", "suspend")
    page.fill("input[name=doc_no]", "郁交运罚〔2026〕8号")
    page.fill("input[name=reason]", "未按规定进行车辆维护，暂扣经营许可证")
    suspend_until = page.evaluate(
        "() => { const d = new Date(); d.setDate(d.getDate() + 30); return d.toISOString().slice(0, 10); }"
    )
    page.fill("input[name=suspend_until]", suspend_until)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert "已记录暂扣决定" in page.content(), page.inner_text("main")[:800]

    page.context.clear_cookies()
    page.goto(target)
    assert page.inner_text("#cert-status") == "暂扣"
