"""Payments, balance, 延期/分期 (处罚法 Art 66 para 2) and 加处罚款 per instalment (Art 72 para 1 item 1;
行政强制法 Art 45 para 2), each tested with the article's own numbers: 3 % a day, never above the fine."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import pytest

from tests.cases.conftest import catalogue_violation, step, to_state
from tests.cases.test_workflow import refused
from zhifa.cases.enums import CaseState
from zhifa.cases.models import CasePayment
from zhifa.cases.workflow import ledger

pytestmark = pytest.mark.django_db

SERVED = date(2026, 3, 3)  # payment deadline 15 days later: 2026-03-18 (Art 67 para 3)
THREE = "2026-04-01 1,000.00\n2026-05-01 1000\n2026-06-01 1,000.00"


def served(kit, fine_fen=300000):
    c = to_state(kit, "notified", fine_fen=fine_fen)
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)
    return step(kit, c, "serve", on=SERVED, method="direct", proof="送达回证 001")


def pay(kit, c, on, fen, receipt="缴款书 001", channel="bank"):
    return step(kit, c, "pay", on=on, paid_fen=fen, receipt_no=receipt, channel=channel)


def in_instalments(kit, schedule=THREE):
    c = served(kit)
    c = step(kit, c, "instalment_apply", on=date(2026, 3, 5), kind="split", reason="经营困难", schedule=schedule)
    return step(kit, c, "instalment", kit.head, on=date(2026, 3, 6), approved="true", opinion="同意分三期")


def test_partial_payment_leaves_the_balance_and_the_state(kit):
    c = pay(kit, served(kit), date(2026, 3, 10), 100000)  # 1,000.00 of 3,000.00
    assert c.state == CaseState.SERVED and c.paid_on is None
    led = ledger(c, date(2026, 3, 10))
    assert led.balance_fen == 200000 and led.surcharge_fen == 0
    p = CasePayment.objects.get(case=c)
    assert (p.amount_fen, p.fine_part_fen, p.receipt_no, p.channel) == (100000, 100000, "缴款书 001", "bank")
    c = pay(kit, c, date(2026, 3, 18), 200000, receipt="缴款书 002")  # the rest on the deadline: no surcharge
    assert c.state == CaseState.PERFORMED and c.paid_on == date(2026, 3, 18) and c.paid_fen == 300000
    assert c.clocks.get(kind="payment").status == "met"
    text = _doc_text(c, "行政处罚决定书")  # the decision states the fine in figures and in capitals
    assert "罚款人民币3,000.00元" in text and "人民币叁仟元整" in text


def test_pay_needs_an_amount_and_a_receipt_and_refuses_overpayment(kit):
    c = served(kit)
    e = refused(kit, c, "pay", "cases.invalid", on=date(2026, 3, 10), receipt_no="x", channel="bank")
    assert "缴款金额" in e.message  # the field is required
    refused(kit, c, "pay", "cases.invalid", on=date(2026, 3, 10), paid_fen=0, receipt_no="x", channel="bank")
    e = refused(kit, c, "pay", "cases.pay_amount", on=date(2026, 3, 10), paid_fen=-1, receipt_no="x", channel="bank")
    assert "第六十七条" in e.message
    refused(kit, c, "pay", "cases.invalid", on=date(2026, 3, 10), paid_fen=300000, channel="bank")
    e = refused(
        kit, c, "pay", "cases.overpaid", on=date(2026, 3, 10), paid_fen=300001, receipt_no="x", channel="bank"
    )
    assert "3,000.01元" in e.message and "3,000.00元" in e.message
    assert not CasePayment.objects.filter(case=c).exists()


def test_late_single_payment_surcharge_and_its_cap(kit):
    c = served(kit, fine_fen=100000)  # 1,000.00 due 2026-03-18
    led = ledger(c, date(2026, 3, 28))  # 10 days late: 3 % x 1,000 x 10 = 300.00
    assert led.surcharge_fen == 30000 and led.balance_fen == 130000
    assert "第七十二条" in led.explanation[-1]
    led = ledger(c, date(2026, 4, 27))  # 40 days: 1,200.00 > the fine → the fine itself (Art 72; 强制法 Art 45)
    assert led.surcharge_fen == 100000 and "上限" in led.explanation[-1]
    refused(kit, c, "pay", "cases.overpaid", on=date(2026, 3, 28), paid_fen=130001, receipt_no="x", channel="bank")
    c = pay(kit, c, date(2026, 3, 28), 100000)  # the fine only: the surcharge is still owed
    assert c.state == CaseState.SERVED and ledger(c, date(2026, 3, 28)).balance_fen == 30000
    assert ledger(c, date(2026, 5, 1)).surcharge_fen == 30000  # paid fine no longer accrues
    c = pay(kit, c, date(2026, 4, 2), 30000, receipt="缴款书 002")
    assert c.state == CaseState.PERFORMED and c.surcharge_fen == 30000 and c.paid_fen == 130000


def test_three_instalments_second_paid_ten_days_late(kit):
    c = in_instalments(kit)
    assert [(i["no"], i["due"], i["amount_fen"]) for i in c.instalments] == [
        (1, "2026-04-01", 100000),
        (2, "2026-05-01", 100000),
        (3, "2026-06-01", 100000),
    ]
    assert c.payment_due == date(2026, 4, 1) and c.clocks.get(kind="payment").due == date(2026, 4, 1)
    assert "第六十六条" in c.clocks.get(kind="payment").article
    c = pay(kit, c, date(2026, 4, 1), 100000)
    assert c.state == CaseState.SERVED
    assert c.payment_due == date(2026, 5, 1) and c.clocks.get(kind="payment").due == date(2026, 5, 1)
    c = pay(kit, c, date(2026, 5, 11), 100000, receipt="缴款书 002")  # 10 days late
    led = ledger(c, date(2026, 5, 11))
    assert [i.surcharge_fen for i in led.instalments] == [0, 30000, 0]  # 3 % x 1,000.00 x 10 = 300.00
    assert led.surcharge_fen == 30000 and led.balance_fen == 130000
    assert CasePayment.objects.get(receipt_no="缴款书 002").instalment_nos == [2]
    assert c.payment_due == date(2026, 6, 1)
    # the third instalment on its day, with the 300.00: fine first, then the surcharge
    c = pay(kit, c, date(2026, 6, 1), 130000, receipt="缴款书 003")
    p = CasePayment.objects.get(receipt_no="缴款书 003")
    assert (p.fine_part_fen, p.surcharge_part_fen, p.instalment_nos) == (100000, 30000, [3])
    assert c.state == CaseState.PERFORMED and c.surcharge_fen == 30000


def test_instalment_surcharges_are_capped_together_at_the_fine(kit):
    c = in_instalments(kit)
    led = ledger(c, date(2026, 7, 31))  # nothing paid: 121, 91 and 60 days late
    assert [i.surcharge_fen for i in led.instalments] == [363000, 273000, 180000]
    assert led.surcharge_fen == 300000 == c.fine_fen  # the cap is on the total, equal to the fine


def test_schedule_must_sum_to_the_fine_and_start_after_service(kit):
    c = served(kit)
    e = refused(
        kit, c, "instalment_apply", "cases.instalment_schedule", on=date(2026, 3, 5),
        kind="split", reason="经营困难", schedule="2026-04-01 1,000.00\n2026-05-01 1,000.00\n2026-06-01 999.99",
    )  # fmt: skip
    assert "2,999.99元" in e.message and "3,000.00元" in e.message and "第六十六条第二款" in e.message
    e = refused(
        kit, c, "instalment_apply", "cases.instalment_schedule", on=date(2026, 3, 5),
        kind="split", reason="经营困难", schedule="2026-03-02 1,000.00\n2026-05-01 2,000.00",
    )  # fmt: skip
    assert "早于决定书送达日 2026-03-03" in e.message
    refused(
        kit, c, "instalment_apply", "cases.instalment_schedule", on=date(2026, 3, 5),
        kind="split", reason="经营困难", schedule="2026-04-01 1,000.001\n2026-05-01 2,000.00",
    )  # fmt: skip


def test_decision_needs_the_partys_application(kit):
    c = served(kit)
    e = refused(kit, c, "instalment", "cases.instalment_application", kit.head, approved="true", opinion="同意")
    assert "经当事人申请" in e.message and "第六十六条第二款" in e.message
    c = step(kit, c, "instalment_apply", on=date(2026, 3, 5), kind="defer", reason="经营困难", schedule="2026-06-30")
    assert c.instalment_request["schedule"] == [{"no": 1, "due": "2026-06-30", "amount_fen": 300000}]
    refused(kit, c, "instalment_apply", "cases.instalment_application", on=date(2026, 3, 5),
            kind="defer", reason="又申请", schedule="2026-06-30")  # fmt: skip
    c = step(kit, c, "instalment", kit.head, on=date(2026, 3, 6), opinion="证明材料不足，不予批准")
    assert c.instalments == [] and c.payment_due == date(2026, 3, 18)  # the decision's own deadline stands
    text = _doc_text(c, "延期（分期）缴纳罚款决定书")
    assert "不予批准" in text and "延期缴纳" in text


def test_approved_deferral_moves_the_deadline_and_the_court_window(kit):
    c = served(kit)
    c = step(kit, c, "instalment_apply", on=date(2026, 3, 5), kind="defer", reason="经营困难", schedule="2026-12-31")
    c = step(kit, c, "instalment", kit.head, on=date(2026, 3, 6), approved="true", opinion="同意延期")
    assert c.payment_due == date(2026, 12, 31)
    refused(kit, c, "remind", "cases.not_overdue", on=date(2026, 4, 1))  # not overdue while deferred
    assert ledger(c, date(2026, 12, 31)).surcharge_fen == 0
    text = _doc_text(c, "延期（分期）缴纳罚款决定书")
    assert "同意你（单位）延期缴纳罚款3,000.00元" in text and "2026年12月31日前缴纳3,000.00元" in text
    assert "第六十六条第二款" in text and "第七十二条" in text


def test_instalment_document_lists_each_due_date(kit):
    c = in_instalments(kit)
    text = _doc_text(c, "延期（分期）缴纳罚款决定书")
    for line in ("第1期：2026年04月01日前缴纳1,000.00元", "第3期：2026年06月01日前缴纳1,000.00元"):
        assert line in text
    assert c.decision_no and c.decision_no in text


def test_pages_take_yuan_and_show_the_balance(client, kit):
    c = served(kit)
    client.force_login(kit.officer_user)
    r = client.post(
        f"/cases/{c.pk}/act/pay/",
        {"version": c.version, "on": "2026-03-10", "paid_fen": "1,000.001", "receipt_no": "x", "channel": "bank"},
        follow=True,
    )
    assert "最多保留两位小数" in r.content.decode()
    assert not CasePayment.objects.filter(case=c).exists()
    r = client.post(
        f"/cases/{c.pk}/act/pay/",
        {"version": c.version, "on": "2026-03-10", "paid_fen": "１,０００.00", "receipt_no": "缴款书 9", "channel": "bank"},
        follow=True,
    )
    body = r.content.decode()
    assert "已办理" in body, body
    assert CasePayment.objects.get(case=c).amount_fen == 100000
    assert "罚款 3,000.00元" in body and "罚款余额 2,000.00元" in body and "第七十二条第一款第（一）项" in body
    assert "缴款书 9" in body and "缴款金额（元，含加处罚款）" in body
    r = client.get(f"/api/v1/cases/{c.pk}")
    data = r.json()
    assert data["fine_fen"] == 300000 and data["fine_yuan"] == "3,000.00"
    assert data["paid_fen"] == 100000 and data["paid_yuan"] == "1,000.00"
    schema = client.get("/api/v1/openapi.json").json()
    props = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert "分" in props["fine_fen"]["description"] and "元" in props["fine_yuan"]["description"]
    assert "分" in schema["components"]["schemas"]["Step_pay"]["properties"]["paid_fen"]["description"]


def _doc_text(case, title):
    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.services import document_path

    doc = IssuedDocument.objects.filter(target_type="cases.case", target_id=str(case.pk), title=title).last()
    with zipfile.ZipFile(document_path(doc)) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


def test_reminder_states_the_balance_and_the_surcharge(kit):
    c = pay(kit, served(kit), date(2026, 3, 10), 100000)  # 2,000.00 left, due 2026-03-18
    c = step(kit, c, "remind", on=date(2026, 3, 28))  # 10 days late: 3 % x 2,000.00 x 10 = 600.00
    assert ledger(c, date(2026, 3, 28)).surcharge_fen == 60000
    text = _doc_text(c, "催告书")
    assert "尚欠罚款2,000.00元及加处罚款600.00元" in text and "贰仟陆佰元整" in text


def test_summary_form_takes_the_fine_in_yuan(client, kit):
    from zhifa.cases.models import Case

    client.force_login(kit.officer_user)
    form = {
        "procedure": "summary", "party_kind": "citizen", "party_name": "陈某", "violation_name": "未携带道路运输证",
        "facts": "当场查获", "penalty_type": "fine", "officer_ids": [kit.o1.pk, kit.o2.pk],
        # the on-the-spot record (处罚法 Art 52; 程序规定 Art 61)
        "certificates_shown": "on", "oral_notice": "on", "statement": "waived", "party_signature": "signed",
        "violation_code": catalogue_violation().code,  # 处罚法 Art 38
    }  # fmt: skip
    r = client.post("/cases/new/?procedure=summary", {**form, "fine_fen": "50.005"})
    assert "最多保留两位小数" in r.content.decode() and not Case.objects.exists()
    r = client.post("/cases/new/?procedure=summary", {**form, "fine_fen": "150.50"})
    assert r.status_code == 302
    c = Case.objects.get()
    assert c.fine_fen == 15050
    assert "罚款 150.50元" in client.get(f"/cases/{c.pk}/").content.decode()
