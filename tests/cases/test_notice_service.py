"""Notices and service as the law says (issue 14 item 4), each rule at its article's own numbers:

- the 违法行为通知书 states the time, place, basis and intended penalty, the 陈述申辩 period with its last day
  (处罚法 Art 44, 45; the period is the bureau's setting) and, where Art 63 applies, the 听证 right with its five
  working days (Art 64(一), Art 85);
- the decision's 救济: an ordinary decision offers 复议 (复议法 2023 Art 20, 60 days) or 诉讼 (诉讼法 Art 46,
  6 months); a 当场 decision since 2024-01-01 must go to 复议 first (复议法 2023 Art 23 para 1 (一), para 2);
- 公告送达 is deemed served 30 days after publication (民事诉讼法 Art 95) and every later clock runs from then.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import D0, ON_THE_SPOT, catalogue_violation, new_case, step
from zhifa.accounts import services as acc
from zhifa.cases import clocks as ck
from zhifa.cases.enums import ClockKind, ServiceMethod
from zhifa.cases.models import Case, CaseClock
from zhifa.cases.services import case_summary_create
from zhifa.cases.workflow.wording import remedy_for
from zhifa.core.errors import DomainError
from zhifa.documents.models import IssuedDocument
from zhifa.documents.render import docx_text
from zhifa.documents.services import document_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated_data(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def text_of(case: Case, template: str) -> str:
    doc = IssuedDocument.objects.filter(
        target_type="cases.case", target_id=str(case.pk), template=template
    ).latest("id")
    return docx_text(document_path(doc).read_bytes())


def _to_notified(kit, *, fine_fen: int, on: date = D0, **kw) -> Case:
    c = new_case(kit, on=on, location=kw.pop("location", "S276线郁南段K12+300处"))
    c = step(kit, c, "register", kit.head, on=on)
    c = step(kit, c, "assign_officers", on=on, officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", on=on, kind="询问笔录", content="问：车辆是否随车携带道路运输证？答：没有。", signature="signed")
    c = step(kit, c, "end_investigation", on=on, report="事实清楚，证据确凿。")
    c = step(
        kit,
        c,
        "propose",
        kit.head,
        on=on,
        outcome="penalty",
        penalty_type="fine",
        proposed_fine_fen=fine_fen,
        tier="general",
        tier_reasons="初次违法，情节一般",
    )
    return step(kit, c, "notify", on=on)


def refused(kit, case, action, code, who=None, on=D0, **data):
    with pytest.raises(DomainError) as e:
        step(kit, case, action, who, on=on, **data)
    assert e.value.code == code, e.value.message
    return e.value


# --- 违法行为通知书 ----------------------------------------------------------------------------------


def test_notice_states_time_place_basis_penalty_in_yuan_and_statement_period(kit):
    acc.org_update(org=kit.tree.bureau_a, actor=None, address="郁南县都城镇建设路1号", phone="0766-7112345")
    # 10,000 yuan to an organisation: under Guangdong's 100,000-yuan 较大数额 (hearing_fine_threshold_org)
    c = _to_notified(kit, fine_fen=1_000_000)
    assert not c.hearing_right
    text = text_of(c, "violation_notice")
    assert "于2026年3月2日在S276线郁南段K12+300处实施了以下违法行为" in text  # time and place of the act
    assert "违反了《道路运输条例》第三十四条的规定" in text and "依据《道路运输条例》第六十八条的规定" in text
    assert "罚款人民币10,000.00元" in text
    assert "裁量阶次：一般；裁量理由：初次违法，情节一般" in text
    # 陈述申辩: 3 working days (the bureau's setting) from Mon 2026-03-02 -> Thu 2026-03-05
    assert "有权进行陈述和申辩，可以在收到本通知书之日起三个工作日内（至2026年3月5日止）" in text
    assert "听证" not in text  # no hearing sentence when Art 63 does not apply
    assert "郁南县都城镇建设路1号" in text and "0766-7112345" in text and "张执法" in text
    # the page explains that the period is the bureau's setting and where it is set
    clock = CaseClock.objects.get(case=c, kind=ClockKind.STATEMENT)
    assert clock.due == date(2026, 3, 5) and "可按本地规定在本部署配置" in " ".join(clock.explanation)


def test_notice_states_hearing_right_and_five_working_days_when_the_fine_crosses_the_threshold(kit):
    # 100,000 yuan to an organisation reaches Guangdong's 较大数额 (处罚法 Art 63 para 1 (一))
    c = _to_notified(kit, fine_fen=10_000_000)
    assert c.hearing_right
    text = text_of(c, "violation_notice")
    assert "罚款人民币100,000.00元" in text
    assert "有权要求听证，应当在收到本通知书之日起五日内提出" in text  # Art 64 (一)
    # five working days (Art 85) from Mon 2026-03-02 -> Mon 2026-03-09
    assert "至2026年3月9日止" in text and "第八十五条" in text
    assert "逾期未提出陈述、申辩或者听证要求的，视为放弃上述权利" in text


def test_notice_office_falls_back_to_the_bureau_name(kit):
    c = _to_notified(kit, fine_fen=100_000)
    assert "联系地址（陈述、申辩地点）：郁南县交通运输局" in text_of(c, "violation_notice")


# --- 救济 in the decision ------------------------------------------------------------------------


def test_ordinary_decision_offers_reconsideration_or_lawsuit(kit):
    c = _to_notified(kit, fine_fen=100_000)
    c = step(kit, c, "statement", content="放弃陈述申辩")
    c = step(kit, c, "decide", kit.head, on=date(2026, 3, 3))
    text = text_of(c, "penalty_decision")
    assert "可以自收到本决定书之日起六十日内向郁南县人民政府申请行政复议" in text  # 复议法 2023 Art 20, 24
    assert "或者自收到本决定书之日起六个月内依法向郁南县人民法院提起行政诉讼" in text  # 诉讼法 Art 46
    assert "应当先向" not in text
    assert "第六十七条第三款" in text and "第七十二条" in text  # 15 days to pay; the surcharge


def test_summary_decision_requires_reconsideration_first(kit):
    c = case_summary_create(
        org=kit.tree.squad_a1,
        party_kind="org",
        party_name="郁南县某运输有限公司",
        violation_name="未按规定携带道路运输证",
        facts="粤W12345号货车未随车携带道路运输证。",
        penalty_type="fine",
        fine_fen=20_000,
        officer_ids=[kit.o1.pk, kit.o2.pk],
        actor=kit.officer_user,
        on=D0,
        violated_article="《道路运输条例》第三十四条",
        penalty_article="《道路运输条例》第六十八条",
        summary_record=ON_THE_SPOT,
        violation_code=catalogue_violation().code,
    )
    text = text_of(c, "penalty_decision")
    assert "应当先向郁南县人民政府申请行政复议" in text  # 复议法 2023 Art 23 para 1 (一), para 2
    assert "第二十三条第一款第（一）项、第二款" in text
    assert "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内" in text  # 诉讼法 Art 45
    assert "六个月" not in text and "或者自收到本决定书之日起" not in text  # no direct lawsuit offered
    # before the 2023 law (in force 2024-01-01) a 当场 decision had no 复议前置, and the party could choose the
    # government or the upper department (复议法 2017 Art 12)
    c.decided_on = date(2023, 12, 29)
    old = remedy_for(c)
    assert not old["review_first"] and "应当先向" not in old["text"]
    assert "郁南县人民政府或者云浮市交通运输局" in old["text"] and "六个月内" in old["text"]


# --- 送达 and the deemed date ------------------------------------------------------------------


def _decided_before_march(kit) -> Case:
    on = date(2026, 2, 9)  # a Monday; decided 2026-02-26, before the 公告 of Mon 2026-03-02
    c = _to_notified(kit, fine_fen=100_000, on=on)
    c = step(kit, c, "statement", on=on, content="放弃陈述申辩")
    return step(kit, c, "decide", kit.head, on=date(2026, 2, 26))


def test_public_notice_is_deemed_served_30_days_after_publication_and_clocks_run_from_then(kit):
    c = _decided_before_march(kit)
    published = date(2026, 3, 2)
    refused(kit, c, "serve", "cases.public_notice_grounds", on=published, method="public_notice")
    c = step(
        kit,
        c,
        "serve",
        on=published,
        method="public_notice",
        act_on=published.isoformat(),
        medium="郁南县人民政府门户网站",
        failed_reason="当事人住所无人，电话停机，邮寄退回（邮件号 1234567890123）",
    )
    # 民事诉讼法 Art 95: published Mon 2026-03-02 + 30 days -> deemed served Wed 2026-04-01
    assert c.service_started_on == published and c.served_on == date(2026, 4, 1)
    assert c.service_detail["medium"] == "郁南县人民政府门户网站"
    assert c.public_notice_running(date(2026, 3, 31)) and not c.public_notice_running(date(2026, 4, 1))
    # 处罚法 Art 67 para 3: 15 calendar days from the deemed day -> Thu 2026-04-16
    pay = CaseClock.objects.get(case=c, kind=ClockKind.PAYMENT)
    assert (
        c.payment_due == date(2026, 4, 16) and pay.start == date(2026, 4, 1) and pay.due == date(2026, 4, 16)
    )
    # the agency's own service period (Art 61: 7 working days) is met by the act of publication
    assert CaseClock.objects.get(case=c, kind=ClockKind.SERVICE).met_on == published
    # 复议法 2023 Art 20: 60 days after 2026-04-01 is Sun 2026-05-31, rolled over to Mon 2026-06-01
    assert ck.deadline("reconsideration_period", c.served_on).due == date(2026, 6, 1)
    # before the deemed day nothing is booked against the decision
    e = refused(
        kit, c, "pay", "cases.public_notice_running", on=date(2026, 3, 20),
        paid_fen=100_000, receipt_no="PJ-001", channel="bank",
    )  # fmt: skip
    assert "2026-04-01" in e.message and "第九十五条" in e.message
    refused(kit, c, "remind", "cases.public_notice_running", on=date(2026, 3, 31))
    refused(kit, c, "remind", "cases.not_overdue", on=date(2026, 4, 16))  # the last day of payment
    c = step(kit, c, "remind", on=date(2026, 4, 17))
    assert CaseClock.objects.get(case=c, kind=ClockKind.COURT_WINDOW).start == date(2026, 4, 1)
    # the 送达回证 states the method, the day of publication and the deemed day
    text = text_of(c, "service_receipt")
    assert "行政处罚决定书" in text and c.decision_no in text  # the document served, by name and number
    assert "送达方式：公告送达" in text and "送达日期：2026年3月2日" in text
    assert "视为送达日期：2026年4月1日" in text and "经过三十日即视为送达" in text and "第九十五条" in text
    assert "郁南县人民政府门户网站" in text


def test_public_notice_period_was_60_days_before_2022():
    # 民事诉讼法 (2017) Art 92: 60 days; the 2021 amendment (in force 2022-01-01, Art 95): 30 days
    assert ck.param("public_notice_service_period", on=date(2021, 12, 31)).value == 60
    assert ck.param("public_notice_service_period", on=date(2022, 1, 1)).value == 30


def test_mail_service_counts_from_the_return_slip(kit):
    c = _decided_before_march(kit)
    c = step(
        kit, c, "serve", on=date(2026, 3, 6), method="mail", proof="EMS 1234567890123", act_on="2026-03-04"
    )
    # 民事诉讼法 Art 91: the date of receipt on the return slip; payment 15 days later (Thu 2026-03-19)
    assert c.served_on == date(2026, 3, 4) and c.payment_due == date(2026, 3, 19)


def test_left_and_electronic_service_need_their_facts(kit):
    c = _decided_before_march(kit)
    on = date(2026, 3, 2)
    refused(kit, c, "serve", "cases.left_service_witness", on=on, method="left", proof="送达回证 002")
    refused(kit, c, "serve", "cases.electronic_consent", on=on, method="electronic", proof="短信发送记录")
    refused(kit, c, "serve", "cases.invalid", on=on, method="direct", proof="回证", act_on="2026-03-03")
    c = step(kit, c, "serve", on=on, method="left", proof="送达回证 002", witness="村委会主任 黄某")
    assert c.service_method == ServiceMethod.LEFT and c.served_on == on
    assert c.service_detail["witness"] == "村委会主任 黄某"


def test_case_page_shows_a_running_public_notice(client, kit):
    today = timezone.localdate()
    start = today - timedelta(days=40)
    c = _to_notified(kit, fine_fen=100_000, on=start)
    c = step(kit, c, "statement", on=start, content="放弃陈述申辩")
    c = step(kit, c, "decide", kit.head, on=today - timedelta(days=10))
    c = step(kit, c, "serve", on=today, method="public_notice", medium="报纸", failed_reason="下落不明")
    client.force_login(kit.officer_user)
    body = client.get(f"/cases/{c.pk}/").content.decode()
    assert f"公告送达中（视为送达日 {c.served_on:%Y-%m-%d}" in body and c.served_on > today


def test_reconsideration_organ_is_the_government_of_the_department_level(tree):
    # 复议法 2023 Art 24 para 1 (一): a department's acts go to the people's government of its level
    city = Case(org=tree.city, procedure="ordinary", decided_on=date(2026, 3, 2))
    province = Case(org=tree.province, procedure="ordinary", decided_on=date(2026, 3, 2))
    assert remedy_for(city)["review_organ"] == "云浮市人民政府"
    assert remedy_for(province)["review_organ"] == "广东省人民政府"
    assert remedy_for(province)["court"] == "有管辖权的人民法院"  # not a county bureau: no court guessed
