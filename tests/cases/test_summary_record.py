"""The 简易程序 record and 当场收缴, at the articles' numbers: 处罚法 Art 52 (certificates shown), 程序规定
Art 61 (oral 告知, 陈述申辩, the party's signature or refusal), 处罚法 Art 68 (100 yuan or less, or collection
later would be hard), Art 69 (remote, water, poorly connected areas on the party's request), Art 70 (the
专用票据), Art 71 with Art 85 (hand in within 2 working days; on water from landing)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.conftest import D0, ON_THE_SPOT, catalogue_violation
from zhifa.cases.enums import CaseState, ClockStatus
from zhifa.cases.models import Case, CaseClock
from zhifa.cases.services import case_summary_create
from zhifa.cases.workflow import case_transition
from zhifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _summary(kit, *, fine_fen=10000, on=D0, **record):
    return case_summary_create(
        org=kit.tree.squad_a1,
        party_kind="citizen",
        party_name="李某",
        violation_name="未随车携带道路运输证",
        facts="驾驶员未随车携带道路运输证",
        penalty_type="fine",
        fine_fen=fine_fen,
        officer_ids=[kit.o1.pk, kit.o2.pk],
        actor=kit.officer_user,
        on=on,
        summary_record={**ON_THE_SPOT, **record},
        violation_code=catalogue_violation().code,  # a decision needs its basis (处罚法 Art 38)
    )


def _refused(kit, code, **kw):
    with pytest.raises(DomainError) as e:
        _summary(kit, **kw)
    assert e.value.code == code, e.value.message
    assert not Case.objects.exists()  # nothing is written
    return e.value


def test_summary_case_without_showing_certificates_is_refused_art_52(kit):
    e = _refused(kit, "cases.summary_record", certificates_shown=False)
    assert "第五十二条" in e.message and "出示执法证件" in e.message


def test_summary_record_needs_oral_notice_statement_and_signature_art_61(kit):
    assert "第（三）项" in _refused(kit, "cases.summary_record", oral_notice="").message
    assert "第（五）项" in _refused(kit, "cases.summary_record", statement="").message
    assert "第（五）项" in _refused(kit, "cases.summary_record", statement="made", statement_content="").message
    assert "第（七）项" in _refused(kit, "cases.summary_record", party_signature="").message
    assert "第（七）项" in _refused(kit, "cases.summary_record", party_signature="refused").message
    c = _summary(kit, statement="waived", statement_content="", party_signature="refused", refusal_note="拒绝签收，已注明")
    assert c.summary_record["party_signature"] == "refused" and c.summary_record["statement"] == "waived"
    assert c.state == CaseState.SERVED and "collection" not in c.summary_record  # paid later at the bank


def test_collecting_150_yuan_on_the_spot_without_a_ground_is_refused_art_68(kit):
    e = _refused(kit, "cases.onsite_collection", fine_fen=15000, collected=True, receipt_no="粤财罚 0001")
    assert "第六十八条" in e.message and "150.00元" in e.message and "100元" in e.message
    # naming the 100-yuan ground for 150 yuan does not help
    _refused(kit, "cases.onsite_collection", fine_fen=15000, collected=True, collection_ground="small", receipt_no="1")


def test_collecting_100_yuan_with_a_receipt_is_accepted_and_the_hand_in_is_due_in_2_working_days(kit):
    c = _summary(kit, fine_fen=10000, collected=True, receipt_no="粤财罚字 No.0012345")
    col = c.summary_record["collection"]
    assert (col["amount_fen"], col["ground"], col["receipt_no"]) == (10000, "small", "粤财罚字 No.0012345")
    assert c.state == CaseState.PERFORMED and c.paid_fen == 10000 and c.paid_on == D0
    clock = CaseClock.objects.get(case=c, kind="onsite_handin")
    assert clock.due == date(2026, 3, 4)  # Mon 03-02 + 2 working days (Art 71, Art 85)
    assert "第七十一条" in clock.article and clock.day_type == "workdays"
    assert CaseClock.objects.get(case=c, kind="payment").status == ClockStatus.MET


def test_hand_in_period_counts_working_days_over_a_weekend(kit):
    c = _summary(kit, on=date(2026, 3, 6), collected=True, receipt_no="0012346")  # a Friday
    assert CaseClock.objects.get(case=c, kind="onsite_handin").due == date(2026, 3, 10)  # Tue


def test_collection_without_the_receipt_number_is_refused_art_70(kit):
    e = _refused(kit, "cases.onsite_receipt", fine_fen=10000, collected=True, receipt_no="")
    assert "第七十条" in e.message and "专用票据" in e.message


def test_150_yuan_collected_in_a_remote_area_on_the_partys_request_art_69(kit):
    c = _summary(kit, fine_fen=15000, collected=True, collection_ground="remote", receipt_no="0012347")
    assert c.summary_record["collection"]["ground"] == "remote" and c.paid_fen == 15000


def test_hand_in_recorded_and_a_late_one_shows_as_late(kit):
    c = _summary(kit, collected=True, receipt_no="0012348")
    with pytest.raises(DomainError) as e:  # not before the collection
        case_transition(case=c, action="onsite_handin", actor=kit.officer_user, data={"handed_in_on": "2026-03-01"})
    assert e.value.code == "cases.onsite_handin" and "第七十一条" in e.value.message
    c = case_transition(
        case=c, action="onsite_handin", actor=kit.officer_user, data={"handed_in_on": "2026-03-06"}, on=date(2026, 3, 6)
    )
    assert c.collection_handed_in_on == date(2026, 3, 6)
    clock = CaseClock.objects.get(case=c, kind="onsite_handin")
    assert clock.status == ClockStatus.MET and clock.met_on == date(2026, 3, 6) and clock.met_on > clock.due
    with pytest.raises(DomainError) as e:  # once
        case_transition(case=c, action="onsite_handin", actor=kit.officer_user, data={"handed_in_on": "2026-03-06"})
    assert e.value.code == "cases.onsite_handin"


def test_on_water_the_hand_in_period_runs_from_landing(kit):
    c = _summary(kit, collected=True, receipt_no="0012349", on_water=True)
    assert not CaseClock.objects.filter(case=c, kind="onsite_handin").exists()  # not landed yet
    with pytest.raises(DomainError) as e:
        case_transition(case=c, action="onsite_handin", actor=kit.officer_user, data={"handed_in_on": "2026-03-10"})
    assert "抵岸" in e.value.message
    c = case_transition(
        case=c,
        action="onsite_handin",
        actor=kit.officer_user,
        data={"handed_in_on": "2026-03-10", "landed_on": "2026-03-09"},
        on=date(2026, 3, 10),
    )
    clock = CaseClock.objects.get(case=c, kind="onsite_handin")
    assert clock.start == date(2026, 3, 9) and clock.due == date(2026, 3, 11) and clock.status == ClockStatus.MET


def test_summary_case_with_collection_can_be_filed_and_closed(kit):
    c = _summary(kit, collected=True, receipt_no="0012350")
    c = case_transition(case=c, action="summary_file", actor=kit.officer_user, on=D0)
    c = case_transition(case=c, action="onsite_handin", actor=kit.officer_user, data={"handed_in_on": "2026-03-03"}, on=date(2026, 3, 3))
    c = case_transition(case=c, action="close", actor=kit.head, on=date(2026, 3, 3))
    assert c.state == CaseState.CLOSED


def test_the_api_takes_the_on_the_spot_record(client, kit):
    import json

    from tests.cases.test_views_api import login

    login(client, kit.officer_user)
    body = {
        "party_kind": "citizen", "party_name": "李某", "violation_name": "未随车携带道路运输证",
        "facts": "驾驶员未随车携带道路运输证", "fine_fen": 5000, "officer_ids": [kit.o1.pk, kit.o2.pk],
        "on": "2026-03-02", "violation_code": catalogue_violation().code,
    }  # fmt: skip
    r = client.post("/api/v1/cases/summary", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "cases.summary_record" and "第五十二条" in r.json()["message"]
    body["summary_record"] = {**ON_THE_SPOT, "collected": True, "receipt_no": "粤财罚 0012399"}
    r = client.post("/api/v1/cases/summary", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    c = Case.objects.get(pk=r.json()["id"])
    assert c.summary_record["collection"]["receipt_no"] == "粤财罚 0012399"
    assert CaseClock.objects.get(case=c, kind="onsite_handin").due == date(2026, 3, 4)
