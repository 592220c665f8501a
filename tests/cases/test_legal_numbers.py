"""Legal numbers at their boundaries: 简易程序 amounts, holiday deadlines, the 3% surcharge cap,
enforcement windows, and the surcharge pause during 复议/诉讼."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.conftest import D0, ON_THE_SPOT, catalogue_violation, step, to_state
from zhifa.cases import clocks as ck
from zhifa.cases.enums import CaseState
from zhifa.cases.services import case_summary_create, summary_allowed
from zhifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "fen", "ok"),
    [
        ("citizen", 20000, True),
        ("citizen", 20100, False),
        ("citizen", 20001, False),
        ("org", 300000, True),
        ("org", 300100, False),
        ("org", 300001, False),
    ],
)
def test_summary_procedure_amounts_art_51(kind, fen, ok):
    assert summary_allowed(party_kind=kind, penalty_type="fine", fine_fen=fen, on=D0)[0] is ok


def test_summary_warning_always_and_revoke_never():
    assert summary_allowed(party_kind="citizen", penalty_type="warning", fine_fen=None, on=D0)[0]
    assert not summary_allowed(party_kind="org", penalty_type="revoke", fine_fen=None, on=D0)[0]


def test_summary_case_201_yuan_refused_200_accepted(kit):
    common = dict(
        org=kit.tree.squad_a1,
        party_kind="citizen",
        party_name="李某",
        violation_name="未携带从业资格证",
        violation_code=catalogue_violation().code,
        facts="驾驶员未随车携带从业资格证",
        penalty_type="fine",
        officer_ids=[kit.o1.pk, kit.o2.pk],
        actor=kit.officer_user,
        on=D0,
        summary_record=ON_THE_SPOT,
    )
    with pytest.raises(DomainError) as e:
        case_summary_create(fine_fen=20100, **common)
    assert e.value.code == "cases.summary_amount" and "第五十一条" in e.value.message
    c = case_summary_create(fine_fen=20000, **common)
    assert c.state == CaseState.SERVED and c.procedure == "summary"
    filing = c.clocks.get(kind="summary_filing")
    assert filing.due == date(2026, 3, 9)  # 5 working days after Mon 2026-03-02 (程序规定 Art 61(8))
    with pytest.raises(DomainError) as e:  # one certified officer only
        case_summary_create(fine_fen=20000, **{**common, "officer_ids": [kit.o1.pk, kit.o3.pk]})
    assert e.value.code == "cases.officers"


def test_deadline_in_2026_national_day_holiday():
    # decided Wed 2026-09-30: 7 working days skip the National Day/Mid-Autumn holiday (Oct 1-8 2026 per the
    # library calendar) -> the publication/service deadline lands after the holiday.
    dl = ck.deadline("service_absent_party", date(2026, 9, 30))
    assert dl.due > date(2026, 10, 8) and dl.day_type == "workdays"
    assert any("国庆" in line for line in dl.explanation)
    # 15 calendar days from 2026-09-20 end on 2026-10-05 (holiday) and roll over to the next working day
    pay = ck.deadline("payment_period", date(2026, 9, 20))
    assert pay.due >= date(2026, 10, 8) and any("第二百零三条" in line for line in pay.explanation)


def test_surcharge_three_percent_reaches_cap():
    assert ck.surcharge(100000, 1)[0] == 3000  # 1,000 元 x 3% x 1 day = 30 元
    assert ck.surcharge(100000, 33)[0] == 99000
    amount, why = ck.surcharge(100000, 34)  # 102% -> capped at the fine
    assert amount == 100000 and "上限" in why
    assert ck.surcharge(100000, 400)[0] == 100000


def test_surcharge_paused_during_appeal():
    due = date(2026, 3, 18)
    assert ck.late_days(due, date(2026, 3, 28), []) == 10
    assert ck.late_days(due, date(2026, 3, 28), [["2026-03-20", "2026-03-25"]]) == 5
    assert ck.late_days(due, date(2026, 3, 28), [["2026-03-20", None]]) == 2


def test_execution_reminder_and_court_window(kit):
    c = to_state(kit, "notified", fine_fen=100000)
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)
    c = step(kit, c, "serve", on=date(2026, 3, 3), method="direct", proof="回证")
    with pytest.raises(DomainError) as e:
        step(kit, c, "remind", on=date(2026, 3, 18))  # due day itself: not yet overdue
    assert e.value.code == "cases.not_overdue"
    c = step(kit, c, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    c = step(kit, c, "appeal_result", on=date(2026, 3, 25), outcome="upheld")
    c = step(kit, c, "remind", on=date(2026, 3, 28))
    assert c.state == CaseState.EXECUTING
    from zhifa.cases.workflow import current_surcharge

    assert current_surcharge(c, date(2026, 3, 28))[0] == 100000 * 3 // 100 * 5  # 10 late days - 5 paused
    # court: 10 working days after the reminder AND after the 6-month litigation period (from 2026-03-03)
    with pytest.raises(DomainError) as e:
        step(kit, c, "apply_court", kit.head, on=date(2026, 4, 20))
    assert e.value.code == "cases.court_window" and "第五十三条" in e.value.message
    window = c.clocks.get(kind="court_window")
    assert window.due >= date(2026, 12, 3)  # 6 months + 3 months after service
    materials = {"m_application": "1", "m_decision": "1", "m_opinion": "1", "m_subject": "1"}  # 强制法 Art 55
    c = step(kit, c, "apply_court", kit.head, on=date(2026, 9, 10), court="郁南县人民法院", **materials)
    assert c.court_applied_on == date(2026, 9, 10)


def test_revoked_on_appeal_withdraws_disclosure(kit, django_capture_on_commit_callbacks):
    from zhifa.disclosure.models import DisclosureRecord, DisclosureState
    from zhifa.disclosure.services import disclosure_record_publish

    c = to_state(kit, "notified", fine_fen=100000)
    c = step(kit, c, "statement", content="放弃")
    with django_capture_on_commit_callbacks(execute=True):
        c = step(kit, c, "decide", kit.head)
    rec = DisclosureRecord.objects.get(source_id=str(c.pk))
    if rec.state != DisclosureState.PUBLISHED:  # the disclosure module may already publish on emit
        disclosure_record_publish(record=rec, on=date(2026, 3, 5), actor=kit.head)
    c = step(kit, c, "serve", on=date(2026, 3, 3), method="direct", proof="回证")
    c = step(kit, c, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    with django_capture_on_commit_callbacks(execute=True):
        c = step(kit, c, "appeal_result", on=date(2026, 4, 27), outcome="revoked")
    rec.refresh_from_db()
    assert rec.withdraw_due == date(2026, 4, 30)  # 3 working days (Art 48)
    c = step(kit, c, "close", kit.head, on=date(2026, 4, 28))
    assert c.state == CaseState.CLOSED
