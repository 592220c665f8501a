"""先行登记保存, 查封/扣押, 强制执行 in steps and 复议/诉讼 as records (issue 14, part enforce), each rule
tested with the numbers of its own article."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.enums import AppealKind, ClockKind, ClockStatus, CourtStatus
from zhifa.cases.models import CaseAppeal, CasePreservation, CaseSeizure
from zhifa.cases.selectors import correction_rate, deadline_board, measures_overdue
from zhifa.core.errors import DomainError
from zhifa.documents.models import IssuedDocument
from zhifa.documents.render import docx_text
from zhifa.documents.services import document_path

from .conftest import D0, step, to_state

ITEMS = "行车记录仪存储卡，1张，本局证据室\n道路运输证复印件，1份，本局证据室"


def _err(fn, *args, **kw) -> DomainError:
    with pytest.raises(DomainError) as e:
        fn(*args, **kw)
    return e.value


def _investigating(kit):
    c = to_state(kit, "investigating")
    return step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])


def _doc_text(case, action: str, n: int = 0) -> str:
    """The text of the ``n``-th document the step ``action`` issued."""
    ref = case.steps.filter(action=action).latest("id").documents[n]
    return docx_text(document_path(IssuedDocument.objects.get(pk=ref["id"])).read_bytes())


# --- 先行登记保存 (处罚法 Art 56: decide within 7 days; Art 85: working days) ----------------------------


def test_preservation_is_decided_within_seven_working_days(kit):
    c = _investigating(kit)
    e = _err(
        step, kit, c, "preserve", items=ITEMS, reason="数据可能被删除"
    )  # an officer: needs the head's name
    assert e.code == "cases.preservation" and "第五十六条" in e.message
    e = _err(step, kit, c, "preserve", kit.head, items="，，", reason="数据可能被删除")  # no item named
    assert e.code == "cases.preservation"
    c = step(kit, c, "preserve", items=ITEMS, reason="行车记录仪数据可能被删除", approved_by="陈局长")
    p = CasePreservation.objects.get(case=c)
    assert p.items[0] == {"name": "行车记录仪存储卡", "quantity": "1张", "place": "本局证据室"}
    assert p.approved_by == "陈局长" and p.started_on == D0
    # 2026-03-02 (Mon) + 7 working days = 2026-03-11 (Wed)
    assert p.due == date(2026, 3, 11)
    clock = c.clocks.get(kind=ClockKind.PRESERVATION)
    assert (
        clock.due == date(2026, 3, 11)
        and clock.status == ClockStatus.RUNNING
        and "第五十六条" in clock.article
    )
    docs = c.steps.get(action="preserve").documents
    assert [d["template"] for d in docs] == ["先行登记保存通知书", "证据登记保存清单"]
    assert docs[0]["number"] and not docs[1]["number"]  # the list goes with the numbered notice
    notice, listing = _doc_text(c, "preserve", 0), _doc_text(c, "preserve", 1)
    assert "第五十六条" in notice and "2026年03月11日" in notice and "陈局长" in notice
    assert "行车记录仪存储卡" in listing and "本局证据室" in listing and "{{" not in listing
    # day 8 (2026-03-12): no confiscation any more
    e = _err(step, kit, c, "preservation_decide", kit.head, on=date(2026, 3, 12), disposition="confiscate")
    assert e.code == "cases.preservation_late" and "2026-03-11" in e.message and "第五十六条" in e.message
    # day 7: in time
    c = step(kit, c, "preservation_decide", kit.head, on=date(2026, 3, 11), disposition="test", note="送检")
    p.refresh_from_db()
    assert p.decided_on == date(2026, 3, 11) and p.disposition == "test" and not p.decided_late
    assert c.clocks.get(kind=ClockKind.PRESERVATION).status == ClockStatus.MET


def test_an_undecided_preservation_is_overdue_and_a_late_release_stays_visible(kit):
    c = _investigating(kit)
    c = step(kit, c, "preserve", kit.head, items=ITEMS, reason="证据可能灭失")
    board = deadline_board(kit.head, today=date(2026, 3, 12))
    assert any(k.case_id == c.pk and k.kind == ClockKind.PRESERVATION for k in board["overdue"])
    found = measures_overdue(kit.head, on=date(2026, 3, 12))["preservations"]
    assert [p.case_id for p in found] == [c.pk]
    assert measures_overdue(kit.head, on=date(2026, 3, 11))["preservations"] == []  # day 7: not yet
    c = step(kit, c, "preservation_release", kit.head, on=date(2026, 3, 13), note="原物退还当事人")
    p = CasePreservation.objects.get(case=c)
    assert p.disposition == "release" and p.decided_late  # released, but late: the 案卷评查 finds it
    assert [x.pk for x in measures_overdue(kit.head, on=date(2026, 3, 20))["preservations"]] == [p.pk]
    assert c.steps.get(action="preservation_release").documents[0]["template"] == "解除证据登记保存决定书"


# --- 查封/扣押 (行政强制法 Arts 18, 24, 25, 28) -------------------------------------------------------


def _seize(kit, c, **kw):
    data = {
        "kind": "seize",
        "legal_basis": "《中华人民共和国道路运输条例》第六十三条",
        "reason": "涉嫌未取得道路运输经营许可擅自从事道路运输经营",
        "items": "粤W12345号小型客车，1辆，本局停车场",
        **kw,
    }
    return step(kit, c, "seize", kit.head, **data)


def test_seizure_runs_thirty_days_extended_once_by_thirty(kit):
    c = _investigating(kit)
    e = _err(_seize, kit, c, legal_basis="")
    assert e.code == "cases.seizure" and "第二十二条" in e.message
    c = _seize(kit, c)
    s = CaseSeizure.objects.get(case=c)
    # Art 25: 30 days from 2026-03-02 → 2026-04-01 (calendar days: Art 69 makes only ≤10 days working days)
    assert s.due == date(2026, 4, 1)
    assert c.clocks.get(kind=ClockKind.SEIZURE).due == date(2026, 4, 1)
    docs = [d["template"] for d in c.steps.get(action="seize").documents]
    assert docs == ["行政强制措施决定书", "查封扣押清单"]
    decision = _doc_text(c, "seize")  # Art 24: party, reasons, basis, period, items, remedy, authority
    for part in (
        "郁南县某运输有限公司",
        "《中华人民共和国道路运输条例》第六十三条",
        "2026年03月02日至2026年04月01日",
        "粤W12345号小型客车",
        "申请行政复议",
        "提起行政诉讼",
    ):
        assert part in decision, part
    e = _err(step, kit, c, "seizure_extend", kit.head, on=date(2026, 3, 30), days=31, reason="案情复杂")
    assert e.code == "cases.seizure_extension" and "第二十五条" in e.message
    c = step(kit, c, "seizure_extend", kit.head, on=date(2026, 3, 30), days=30, reason="案情复杂")
    s.refresh_from_db()
    assert s.due == date(2026, 5, 1) and s.extension_days == 30  # the 30 + 30 days end on 2026-05-01
    assert c.clocks.get(kind=ClockKind.SEIZURE).due == date(2026, 5, 1)
    assert c.steps.get(action="seizure_extend").documents[0]["template"] == "延长行政强制措施期限通知书"
    ext = _doc_text(c, "seizure_extend")
    assert "延长扣押期限30日" in ext and "2026年05月01日" in ext and "案情复杂" in ext
    e = _err(step, kit, c, "seizure_extend", kit.head, on=date(2026, 4, 20), days=10, reason="仍需调查")
    assert e.code == "cases.seizure_extension" and "2026-03-30" in e.message  # once only
    # Art 25 para 3: 5 days of testing (2026-04-10 .. 04-14) are not counted
    c = step(kit, c, "seizure_testing", on=date(2026, 4, 10), test_from="2026-04-10", test_to="2026-04-14")
    s.refresh_from_db()
    assert s.due == date(2026, 5, 6)
    e = _err(step, kit, c, "seizure_release", kit.head, on=date(2026, 4, 20), ground="decided", returned="")
    assert e.code == "cases.seizure_release" and "第二十八条" in e.message
    c = step(
        kit, c, "seizure_release", kit.head, on=date(2026, 4, 20), ground="decided", returned="车辆已退还"
    )
    s.refresh_from_db()
    assert s.released_on == date(2026, 4, 20) and s.release_ground == "decided"
    assert c.clocks.get(kind=ClockKind.SEIZURE).status == ClockStatus.MET
    assert measures_overdue(kit.head, on=date(2026, 6, 1))["seizures"] == []


def test_an_expired_seizure_cannot_be_extended_and_is_overdue(kit):
    c = _seize(kit, _investigating(kit))
    e = _err(step, kit, c, "seizure_extend", kit.head, on=date(2026, 4, 2), days=30, reason="案情复杂")
    assert e.code == "cases.seizure_extension" and "2026-04-01" in e.message
    assert len(measures_overdue(kit.head, on=date(2026, 4, 2))["seizures"]) == 1


# --- 强制执行 in steps (行政强制法 Arts 53–58) -------------------------------------------------------


MATERIALS = {"m_application": "true", "m_decision": "true", "m_opinion": "true", "m_subject": "true"}


def _served(kit, served_on=date(2026, 3, 3)):
    c = to_state(kit, "notified", fine_fen=100000)
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)
    return step(kit, c, "serve", on=served_on, method="direct", proof="回证")


def test_court_enforcement_in_steps(kit):
    c = _served(kit)  # served 2026-03-03: the 6-month litigation period ends 2026-09-03
    c = step(kit, c, "remind", on=date(2026, 9, 1))
    c = step(kit, c, "reminder_statement", on=date(2026, 9, 3), content="经营困难，请求缓缴", adopted="")
    # Art 54: ten working days after the 催告 (2026-09-01 → 2026-09-15)
    e = _err(step, kit, c, "apply_court", kit.head, on=date(2026, 9, 10), court="郁南县人民法院", **MATERIALS)
    assert e.code == "cases.reminder_wait" and "2026-09-15" in e.message
    # Art 55: the application lists what is missing
    partial = {**MATERIALS, "m_subject": ""}
    e = _err(step, kit, c, "apply_court", kit.head, on=date(2026, 9, 16), court="郁南县人民法院", **partial)
    assert (
        e.code == "cases.court_materials"
        and "申请强制执行标的情况" in e.message
        and "第五十五条" in e.message
    )
    c = step(kit, c, "apply_court", kit.head, on=date(2026, 9, 16), court="郁南县人民法院", **MATERIALS)
    rec = c.court_enforcement
    assert (
        rec.status == CourtStatus.APPLIED and len(rec.materials) == 4 and rec.statement.startswith("经营困难")
    )
    assert c.steps.get(action="apply_court").documents[0]["template"] == "强制执行申请书"
    app = _doc_text(c, "apply_court")
    assert "郁南县人民法院" in app and "经营困难，请求缓缴" in app and "申请强制执行标的情况" in app
    # Art 56: the court accepts within 5 working days (2026-09-16 → 2026-09-22: Sunday 09-20 is a 调休 working day)
    assert c.clocks.get(kind=ClockKind.COURT_ACCEPT).due == date(2026, 9, 22)
    e = _err(
        step, kit, c, "court_ruling", on=date(2026, 9, 20), granted="true", ruling_no="（2026）粤5322行审1号"
    )
    assert e.code == "cases.court_step" and "第五十七条" in e.message
    c = step(
        kit, c, "court_accept", on=date(2026, 9, 18), accepted="true", court_case_no="（2026）粤5322行审1号"
    )
    # Art 57: the ruling within 7 working days of acceptance (2026-09-18 → 2026-09-29)
    assert c.clocks.get(kind=ClockKind.COURT_RULING).due == date(2026, 9, 29)
    assert c.clocks.get(kind=ClockKind.COURT_ACCEPT).status == ClockStatus.MET
    e = _err(step, kit, c, "enforced", kit.head, on=date(2026, 9, 20), note="已执行")
    assert e.code == "cases.court_step"
    c = step(kit, c, "court_ruling", on=date(2026, 9, 25), granted="true", ruling_no="（2026）粤5322行审1号")
    c = step(kit, c, "enforcement_suspend", kit.head, on=date(2026, 10, 9), ground="third_party")
    c.court_enforcement.refresh_from_db()
    assert c.court_enforcement.status == CourtStatus.SUSPENDED
    c = step(kit, c, "enforcement_resume", kit.head, on=date(2026, 10, 20))
    c = step(kit, c, "enforced", kit.head, on=date(2026, 10, 30), note="法院划拨到账")
    assert c.state == "performed"
    c.court_enforcement.refresh_from_db()
    assert c.court_enforcement.status == CourtStatus.DONE


def test_a_refused_application_goes_to_the_court_above_within_fifteen_days(kit):
    c = _served(kit)
    c = step(kit, c, "remind", on=date(2026, 9, 1))
    c = step(kit, c, "apply_court", kit.head, on=date(2026, 9, 16), court="郁南县人民法院", **MATERIALS)
    c = step(kit, c, "court_accept", on=date(2026, 9, 18), accepted="", reason="材料不齐")
    # Art 56 para 2: 15 days from the refusal (2026-09-18 → 2026-10-03, a holiday: the clock shows the rule)
    assert c.clocks.get(kind=ClockKind.COURT_REVIEW).status == ClockStatus.RUNNING
    due = c.clocks.get(kind=ClockKind.COURT_REVIEW).due
    e = _err(
        step,
        kit,
        c,
        "court_review",
        kit.head,
        on=date.fromordinal(due.toordinal() + 1),
        court="云浮市中级人民法院",
    )
    assert e.code == "cases.court_step" and "第五十六条第二款" in e.message
    c = step(kit, c, "court_review", kit.head, on=date(2026, 9, 28), court="云浮市中级人民法院")
    c.court_enforcement.refresh_from_db()
    assert (
        c.court_enforcement.status == CourtStatus.APPLIED
        and c.court_enforcement.court == "云浮市中级人民法院"
    )
    c = step(
        kit, c, "court_accept", on=date(2026, 10, 12), accepted="true", court_case_no="（2026）粤53行审9号"
    )
    c = step(kit, c, "court_ruling", on=date(2026, 10, 14), granted="true", ruling_no="（2026）粤53行审9号")
    c = step(kit, c, "enforcement_terminate", kit.head, on=date(2026, 11, 2), ground="dissolved")
    c.court_enforcement.refresh_from_db()
    assert c.court_enforcement.status == CourtStatus.TERMINATED
    assert c.clocks.get(kind=ClockKind.PAYMENT).status == ClockStatus.STOPPED


# --- 复议 and 诉讼 as records -------------------------------------------------------------------------


def test_reconsideration_answer_due_ten_working_days_after_receipt(kit):
    c = _served(kit)  # served 2026-03-03
    c = step(
        kit,
        c,
        "appeal_file",
        on=date(2026, 4, 1),
        kind="reconsideration",
        filed_on="2026-03-30",
        their_number="郁府复〔2026〕3号",
    )
    a = CaseAppeal.objects.get(case=c)
    assert a.organ == "郁南县人民政府" and a.received_on == date(2026, 4, 1)
    # 60 days from 2026-03-03 → 2026-05-02, a rest day of the May holiday → next working day
    assert a.timely and a.period_due >= date(2026, 5, 2)
    # 复议法 2023 Art 48 (Art 88: working days): 2026-04-01 + 10 working days, 清明 4-6 April left out
    assert a.answer_due == date(2026, 4, 16)
    clock = c.clocks.get(kind=ClockKind.RECON_ANSWER)
    assert clock.due == date(2026, 4, 16) and "第四十八条" in clock.article
    c = step(kit, c, "appeal_answer", on=date(2026, 4, 10))
    a.refresh_from_db()
    assert a.answered_on == date(2026, 4, 10) and not a.answered_late
    assert c.clocks.get(kind=ClockKind.RECON_ANSWER).status == ClockStatus.MET
    e = _err(step, kit, c, "appeal_answer", on=date(2026, 4, 12))
    assert e.code == "cases.appeal"


def test_lawsuit_defence_due_fifteen_days_after_receipt_and_after_reconsideration_fifteen_days(kit):
    c = _served(kit)
    c = step(kit, c, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    c = step(
        kit, c, "appeal_result", on=date(2026, 4, 27), outcome="upheld", appeal_doc_no="郁府复决〔2026〕3号"
    )
    # 行政诉讼法 Art 45: 15 days after the 复议 decision (2026-04-27 → 2026-05-12); filed 2026-05-05: in time
    c = step(
        kit,
        c,
        "appeal_file",
        on=date(2026, 5, 6),
        kind="litigation",
        filed_on="2026-05-05",
        organ="郁南县人民法院",
        their_number="（2026）粤5322行初5号",
    )
    lit = CaseAppeal.objects.get(case=c, kind=AppealKind.LITIGATION)
    assert lit.timely and lit.period_due == date(2026, 5, 12) and "第四十五条" in lit.period_article
    # Art 67: 15 days from receipt of the complaint (2026-05-06 → 2026-05-21)
    assert lit.answer_due == date(2026, 5, 21)
    assert c.clocks.get(kind=ClockKind.LITIGATION_ANSWER).due == date(2026, 5, 21)
    c = step(kit, c, "appeal_answer", on=date(2026, 5, 25))
    lit.refresh_from_db()
    assert lit.answered_late  # a late defence is recorded, and stays visible as late


def test_reconsideration_filed_61_days_after_service_is_late(kit):
    c = _served(kit, served_on=date(2026, 6, 1))  # + 60 days = 2026-07-31 (Fri)
    c = step(kit, c, "appeal_file", on=date(2026, 8, 3), kind="reconsideration", filed_on="2026-07-31")
    assert CaseAppeal.objects.get(case=c).timely  # day 60: in time
    c = step(kit, c, "appeal_result", on=date(2026, 8, 10), outcome="withdrawn")
    c = step(kit, c, "appeal_file", on=date(2026, 8, 3), kind="reconsideration", filed_on="2026-08-01")
    late = CaseAppeal.objects.filter(case=c).latest("id")
    assert late.period_due == date(2026, 7, 31) and late.timely is False  # day 61: recorded as late


def test_revoked_counts_in_the_correction_rate_upheld_does_not(kit):
    c1, c2 = _served(kit), _served(kit)
    c1 = step(kit, c1, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    c2 = step(kit, c2, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    before = correction_rate(kit.head, start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert before["concluded"] == 0 and before["rate"] is None
    step(
        kit, c1, "appeal_result", on=date(2026, 4, 27), outcome="revoked", appeal_doc_no="郁府复决〔2026〕4号"
    )
    step(
        kit, c2, "appeal_result", on=date(2026, 4, 28), outcome="upheld", appeal_doc_no="郁府复决〔2026〕5号"
    )
    r = correction_rate(kit.head, start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert (r["concluded"], r["corrected"], r["rate"]) == (2, 1, 0.5)
    assert [a.case_id for a in r["rows"]] == [c1.pk, c2.pk]
    assert correction_rate(kit.head, start=date(2026, 5, 1), end=date(2026, 5, 31))["concluded"] == 0
    a1 = CaseAppeal.objects.get(case=c1)
    assert (
        a1.outcome == "revoked"
        and a1.outcome_on == date(2026, 4, 27)
        and a1.outcome_doc_no == "郁府复决〔2026〕4号"
    )


def test_a_changed_decision_needs_the_new_fine(kit):
    c = _served(kit)
    c = step(kit, c, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    e = _err(step, kit, c, "appeal_result", on=date(2026, 4, 27), outcome="changed")
    assert e.code == "cases.appeal"
    c = step(kit, c, "appeal_result", on=date(2026, 4, 27), outcome="changed", new_fine_fen=50000)
    assert c.fine_fen == 50000 and CaseAppeal.objects.get(case=c).new_fine_fen == 50000
