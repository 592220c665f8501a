"""听证 in full, each rule at its article's numbers (处罚法 2021 Arts 63-65, 85): waiver, withdrawal, absence
(Art 64(六)), the staff not investigators (Art 64(四)), public and announced (Art 64(三)), one or two agents
(Art 64(五)), recusal decided by the head, the 笔录 signed or the refusal noted (Art 64(八)), the 听证报告 and
the decision on the basis of the 笔录 (Art 65).

Dates: 告知 on Mon 2026-03-02; the 3-working-day 陈述申辩 period (bureau setting) ends Thu 2026-03-05, the
5-working-day hearing-request period (Art 64(一), Art 85) Mon 2026-03-09; a notice on Wed 2026-03-04 allows a
hearing from Fri 2026-03-13 (7 working days, Art 64(二))."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import pytest

from tests.cases.conftest import step, to_state
from tests.cases.test_workflow import refused
from zhifa.cases.enums import CaseState, ClockStatus
from zhifa.cases.models import CaseClock
from zhifa.cases.workflow.check import case_check_run
from zhifa.documents.models import IssuedDocument
from zhifa.documents.services import document_path

pytestmark = pytest.mark.django_db

FINE = 10_000_000  # 10 万元 on an organisation: hearing right (广东 较大数额) and legal review
MAR = {d: date(2026, 3, d) for d in range(1, 32)}
NOTICE = {"hearing_on": "2026-03-13", "place": "局三楼会议室", "chair": "陈法制", "members": "吴某、郑某",
          "clerk": "周记录", "announcement": "本局公告栏及门户网站"}  # fmt: skip


def _docx(case, title) -> str:
    doc = IssuedDocument.objects.filter(target_type="cases.case", target_id=str(case.pk), title=title).last()
    with zipfile.ZipFile(document_path(doc)) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


def _requested(kit):
    c = to_state(kit, "notified", fine_fen=FINE)
    assert c.hearing_right and c.review_required
    return step(kit, c, "hearing_request", on=MAR[3])


def _scheduled(kit, **notice):
    c = _requested(kit)
    return step(kit, c, "hearing_notice", on=MAR[4], **{**NOTICE, **notice})


def _review(kit, c, on):
    c = step(kit, c, "submit_review", on=on)
    return step(kit, c, "review", kit.reviewer, on=on, opinion="事实清楚，证据确凿，程序合法", passed="true")


def test_waiver_ends_the_hearing_request_window_at_once(kit):
    # without a waiver the hearing-request window (to Mon 03-09) keeps review and decision waiting on 03-06
    other = to_state(kit, "notified", fine_fen=FINE)
    e = refused(kit, other, "submit_review", "cases.statement_period", on=MAR[6])
    assert "2026-03-09" in e.message
    c = to_state(kit, "notified", fine_fen=FINE)
    refused(kit, c, "hearing_waive", "cases.invalid", on=MAR[3], note="放弃")  # written or recorded?
    c = step(kit, c, "hearing_waive", on=MAR[3], form="written", note="当事人提交书面放弃听证声明")
    assert c.hearing_waived_on == MAR[3] and c.hearing_waiver_form == "written"
    clock = CaseClock.objects.get(case=c, kind="hearing_request")
    assert clock.status == ClockStatus.MET and clock.met_on == MAR[3]
    e = refused(kit, c, "hearing_request", "cases.hearing_closed", on=MAR[4])  # within 5 days, but waived
    assert "第六十四条" in e.message
    # the statement period (to Thu 03-05) still runs: waiting on 03-05, free on 03-06
    refused(kit, c, "submit_review", "cases.statement_period", on=MAR[5])
    c = _review(kit, c, MAR[6])
    c = step(kit, c, "decide", kit.head, on=MAR[6])
    assert c.state == CaseState.DECIDED


def test_withdrawal_before_the_hearing_lets_the_case_proceed_after_the_statement_period(kit):
    c = _scheduled(kit)
    refused(kit, c, "hearing_withdraw", "cases.invalid", on=MAR[5], note="撤回")  # how?
    c = step(kit, c, "hearing_withdraw", on=MAR[5], form="recorded", note="当事人电话撤回听证申请，已记录在案")
    assert c.state == CaseState.NOTIFIED and c.hearing_end == "withdrawn" and c.hearing_ended_on == MAR[5]
    assert c.hearing_end_note.startswith("口头提出并记录在案") and not c.hearing_held
    refused(kit, c, "hearing_request", "cases.hearing_closed", on=MAR[5])  # no second request
    e = refused(kit, c, "submit_review", "cases.statement_period", on=MAR[5])  # 陈述申辩 to Thu 03-05
    assert "2026-03-05" in e.message
    c = _review(kit, c, MAR[6])
    c = step(kit, c, "decide", kit.head, on=MAR[6])
    assert c.state == CaseState.DECIDED
    c = step(kit, c, "serve", on=MAR[6], method="direct", proof="送达回证 1")
    findings = case_check_run(case=c, actor=kit.head, on=MAR[6], save=False).findings
    assert not [f for f in findings if f["code"] == "hearing"]  # a withdrawn hearing is no missing hearing


def test_absence_without_good_reason_is_deemed_a_waiver_art_64_6(kit):
    c = _scheduled(kit)
    absent = {"how": "absent", "no_good_reason": "true", "note": "当事人经通知于9时未到场，亦未说明理由"}
    e = refused(kit, c, "hearing_absent", "cases.hearing_absence", on=MAR[12], **absent)  # before the day
    assert "第六十四条第（六）项" in e.message
    refused(kit, c, "hearing_absent", "cases.hearing_absence", on=MAR[13], **{**absent, "no_good_reason": ""})
    refused(kit, c, "decide", "cases.hearing_pending", kit.head, on=MAR[13])  # still scheduled: no decision
    c = step(kit, c, "hearing_absent", on=MAR[13], **absent)
    assert c.state == CaseState.NOTIFIED and c.hearing_end == "absent" and not c.hearing_held
    assert c.hearing_end_note.startswith("视为放弃听证权利")
    refused(kit, c, "hearing_request", "cases.hearing_closed", on=MAR[13])
    c = _review(kit, c, MAR[16])
    c = step(kit, c, "decide", kit.head, on=MAR[16])
    assert c.state == CaseState.DECIDED


def test_leaving_without_permission_is_recorded_as_such(kit):
    c = _scheduled(kit)
    c = step(kit, c, "hearing_absent", on=MAR[13], how="left", no_good_reason="true", note="未经许可中途退场")
    assert c.hearing_end == "left" and c.get_hearing_end_display().endswith("（视为放弃听证权利）")


def test_chair_who_investigated_the_case_is_refused_art_64_4(kit):
    c = _requested(kit)
    e = refused(kit, c, "hearing_notice", "cases.hearing_staff", on=MAR[4], **{**NOTICE, "chair": "张执法"})
    assert "第六十四条第（四）项" in e.message and "听证主持人" in e.message and "张执法" in e.message


def test_clerk_or_member_who_investigated_the_case_is_refused(kit):
    c = _requested(kit)
    e = refused(kit, c, "hearing_notice", "cases.hearing_staff", on=MAR[4], **{**NOTICE, "clerk": "李执法"})
    assert "记录员" in e.message
    e = refused(kit, c, "hearing_notice", "cases.hearing_staff", on=MAR[4], **{**NOTICE, "members": "吴某，李执法"})
    assert "听证员" in e.message


def test_public_hearing_is_announced_unless_a_ground_of_art_64_3(kit):
    c = _requested(kit)
    e = refused(kit, c, "hearing_notice", "cases.hearing_public", on=MAR[4], **{**NOTICE, "announcement": ""})
    assert "第六十四条第（三）项" in e.message
    c = step(kit, c, "hearing_notice", on=MAR[4], **{**NOTICE, "announcement": "", "private_ground": "commercial_secret"})
    assert not c.hearing_public and c.hearing_private_ground == "commercial_secret" and not c.hearing_announced_on
    text = _docx(c, "听证通知书")
    assert "不公开举行（涉及商业秘密" in text and "吴某、郑某" in text and "周记录" in text


def test_public_hearing_notice_records_the_announcement_and_staff(kit):
    c = _scheduled(kit)
    assert c.hearing_public and c.hearing_announced_on == MAR[4] and c.hearing_announcement == "本局公告栏及门户网站"
    assert (c.hearing_chair, c.hearing_members, c.hearing_clerk) == ("陈法制", "吴某、郑某", "周记录")
    text = _docx(c, "听证通知书")
    assert "陈法制" in text and "吴某、郑某" in text and "周记录" in text and "公开举行" in text


def test_one_or_two_agents_each_with_a_power_of_attorney_art_64_5(kit):
    c = _scheduled(kit)
    refused(kit, c, "hearing_agent", "cases.invalid", on=MAR[5], name="刘律师")  # no 授权委托书
    c = step(kit, c, "hearing_agent", on=MAR[5], name="刘律师", authorization="授权委托书（特别授权）")
    c = step(kit, c, "hearing_agent", on=MAR[5], name="黄某", authorization="授权委托书（一般代理）")
    e = refused(kit, c, "hearing_agent", "cases.hearing_agents", on=MAR[5], name="丙", authorization="委托书")
    assert "一至二人" in e.message and "第六十四条第（五）项" in e.message
    assert [a["name"] for a in c.hearing_agents] == ["刘律师", "黄某"]


def test_recusal_of_the_chair_is_decided_by_the_head(kit):
    c = _scheduled(kit)
    c = step(kit, c, "hearing_recusal_request", on=MAR[6], role="chair", applicant="当事人", reason="主持人系当事人亲属")
    held = {"record": "调查人员陈述事实证据，当事人申辩", "signature": "signed"}
    e = refused(kit, c, "hearing_hold", "cases.hearing_recusal", on=MAR[13], **held)
    assert "负责人决定" in e.message
    refused(kit, c, "hearing_recusal_decide", "cases.role", on=MAR[9], granted="true", replacement="吴法制", reason="属实")
    refused(  # the replacement may not be an investigator either
        kit, c, "hearing_recusal_decide", "cases.hearing_staff", kit.head, on=MAR[9],
        granted="true", replacement="张执法", reason="属实",
    )  # fmt: skip
    c = step(kit, c, "hearing_recusal_decide", kit.head, on=MAR[9], granted="true", replacement="吴法制", reason="属实")
    assert c.hearing_chair == "吴法制"
    (r,) = c.hearing_recusals
    assert r["person"] == "陈法制" and r["granted"] is True and r["replacement"] == "吴法制"
    c = step(kit, c, "hearing_hold", on=MAR[13], **held)
    assert c.state == CaseState.HEARD


def test_hearing_cannot_be_closed_without_the_record_signed_or_the_refusal_noted_art_64_8(kit):
    c = _scheduled(kit)
    e = refused(kit, c, "hearing_hold", "cases.hearing_record", on=MAR[13], record="当事人对事实无异议")
    assert "第六十四条第（八）项" in e.message
    refused(kit, c, "hearing_hold", "cases.hearing_record", on=MAR[13], record="…", signature="refused")
    refused(kit, c, "hearing_hold", "cases.invalid", on=MAR[12], record="…", signature="signed")  # before the day
    c = step(
        kit, c, "hearing_hold", on=MAR[13], record="调查人员陈述；当事人质证申辩",
        signature="refused", refusal_note="当事人拒绝在笔录上签字，主持人已在笔录中注明",
    )  # fmt: skip
    assert c.state == CaseState.HEARD and c.hearing_held and c.hearing_record_signature == "refused"
    assert any("听证" in r for r in c.review_reasons)  # Art 58 para 1 (二)
    text = _docx(c, "听证笔录")
    assert "拒绝签字" in text and "陈法制" in text and "公开举行" in text


def test_decision_after_a_held_hearing_rests_on_the_record_and_the_report_art_65(kit):
    c = _scheduled(kit)
    c = step(kit, c, "hearing_agent", on=MAR[5], name="刘律师", authorization="授权委托书（特别授权）")
    c = step(kit, c, "hearing_hold", on=MAR[13], record="当事人对事实无异议，请求从轻", signature="signed")
    c = _review(kit, c, MAR[16])
    e = refused(kit, c, "decide", "cases.hearing_basis", kit.head, on=MAR[16])
    assert "第六十五条" in e.message and "听证报告" in e.message
    refused(kit, c, "decide_no_penalty", "cases.hearing_basis", kit.head, on=MAR[16], ground="轻微", education_record="已教育")
    refused(kit, c, "hearing_report", "cases.invalid", on=MAR[16])  # the chair's opinion is required
    c = step(kit, c, "hearing_report", on=MAR[16], summary="当事人对事实无异议", opinion="建议维持拟作出的处罚")
    assert c.hearing_report_on == MAR[16]
    refused(kit, c, "hearing_report", "cases.hearing_basis", on=MAR[17], opinion="再报")  # once
    text = _docx(c, "听证报告")
    assert "建议维持拟作出的处罚" in text and "刘律师" in text and "第六十五条" in text and "陈法制" in text
    c = step(kit, c, "decide", kit.head, on=MAR[16])
    assert c.state == CaseState.DECIDED


def test_report_only_after_a_hearing_was_held(kit):
    c = to_state(kit, "notified", fine_fen=FINE)
    c = step(kit, c, "statement", content="放弃", waive_hearing="true")
    assert c.hearing_waived_on == MAR[2] and c.hearing_waiver_form == "recorded"
    c = _review(kit, c, MAR[3])
    refused(kit, c, "hearing_report", "cases.hearing_basis", on=MAR[3], opinion="无")
