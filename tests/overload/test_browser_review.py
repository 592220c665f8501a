"""The review queue in headless Chromium: an officer signs in, opens the queue, sees the record with its
device status and images, confirms it, and the record becomes a case source."""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.factories import PASSWORD, fake_idcard, make_org_tree, make_user
from tests.overload.conftest import row, write_csv
from tests.test_browser import browser_page  # noqa: F401  (fixture)

SCREENSHOT = "/tmp/zf-overload-review.png"


@pytest.fixture
def county(transactional_db, tmp_path):
    from zhifa.accounts.services import certificate_add, officer_create
    from zhifa.overload.services import ingest_file, station_save

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    o = officer_create(
        org=tree.squad_a1, name="黄执法", idcard=fake_idcard(random.Random(5)), user=officer, actor=None
    )
    certificate_add(
        officer=o,
        number="44530001009",
        issuing_authority="广东省人民政府",
        field="comprehensive",
        valid_from=date(2024, 1, 1),
        valid_to=date(2030, 12, 31),
        actor=None,
    )
    station_save(
        code="YN-NJK-01",
        org=tree.bureau_a,
        actor=None,
        name="南江口治超非现场检测点",
        accuracy_class="5",
        cert_no="YFJL-2026-0131",
        cert_valid_from=date(2026, 3, 1),
        cert_valid_to=date(2027, 2, 28),
    )
    ingest_file(
        path=write_csv(
            tmp_path / "in.csv", [row("BR1", gross=56_500), row("BR2", plate="粤W54321", gross=61_000)]
        ),
        actor=None,
        org=tree.bureau_a,
    )
    return tree


@pytest.mark.browser
def test_officer_reviews_the_queue(browser_page, live_server, county):  # noqa: F811
    from zhifa.cases.models import CaseSource

    page = browser_page
    page.goto(f"{live_server.url}/overload/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/overload/")
    assert page.locator("h1").inner_text() == "治超 · 待审核超限记录"
    assert page.locator("table.leads tbody tr").count() == 2
    assert page.locator("nav.sidenav a.active").inner_text() == "治超 2"  # with its count of leads to review
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.locator("table.leads tbody tr", has_text="粤W12345").locator("a").click()
    page.wait_for_url("**/overload/leads/*/")
    body = page.locator("main").inner_text()
    assert "YFJL-2026-0131" in body and "过车当日有效" in body and "7500 千克" in body
    assert page.locator("img[alt^=过车图片]").count() == 2
    page.fill("textarea[name=reason]", "图片清晰，车牌与轴数一致")
    page.click("button[value=confirm]")
    page.wait_for_load_state()
    assert "已确认为案源" in page.locator("ul.messages").inner_text()
    src = CaseSource.objects.get(external_ref="YN-NJK-01:BR1")
    assert src.proposed["fine"]["amount_fen"] == 3_500_00  # 7,500 kg → 7 × 500 yuan (part-tonne not counted)


@pytest.mark.browser
def test_driver_by_id_number_source_unit_and_pending_decisions(browser_page, live_server, county):  # noqa: F811
    """Issue 24 through the pages: the officer names the driver by ID number, the head links a source
    weighing station to its 货运源头单位, and the 一超四罚 page lists the confirmed lead as 待决定."""
    from tests.factories import fake_uscc
    from zhifa.overload.models import Lead, Station
    from zhifa.registry.models import Person
    from zhifa.registry.services import subject_save

    head = make_user("head_a", county.bureau_a, {"head"})
    idcard = fake_idcard(random.Random(21))
    subject_save(kind="persons", actor=head, data={"name": "李司机", "idcard": idcard})
    uscc = fake_uscc(random.Random(22))
    subject_save(
        kind="enterprises",
        actor=head,
        data={"uscc": uscc, "name": "郁南县石场建材有限公司", "business_type": "source"},
    )
    page = browser_page

    def sign_in(user):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/overload/")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/overload/")

    sign_in("officer_a")
    lead = Lead.objects.get(record_id="BR1")
    page.goto(f"{live_server.url}/overload/leads/{lead.pk}/")
    page.fill("input[name=driver_idcard]", idcard)
    page.click("button[value=confirm]")
    page.wait_for_load_state()
    assert "已确认为案源" in page.locator("ul.messages").inner_text()
    lead.refresh_from_db()
    assert lead.driver == Person.objects.get(name="李司机")
    page.goto(f"{live_server.url}/overload/sanctions/")
    body = page.locator("main").inner_text()
    assert "待决定" in body and "粤W12345" in body and "只计已作出行政处罚决定" in body

    sign_in("head_a")
    page.goto(f"{live_server.url}/overload/stations/new/")
    page.fill("input[name=code]", "YN-SC-01")
    page.fill("input[name=name]", "石场出场称重点")
    page.select_option("select[name=kind]", "source")
    page.fill("input[name=source_enterprise_uscc]", uscc)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert Station.objects.get(code="YN-SC-01").source_enterprise.uscc == uscc
