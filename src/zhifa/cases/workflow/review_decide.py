"""审核与决定: legal review (法制审核) and collective discussion (集体讨论) where the case needs them, the
penalty or no-penalty decision within the time limit, and extending that limit."""

from __future__ import annotations

from datetime import date

from .. import clocks as ck
from ..clocks import param
from ..enums import ClockKind, Outcome, PenaltyType
from ..errors import CaseError
from ..models import Case, ReviewerQualification
from .base import S, _fen, _req, active_officers, check_officers
from .notice_hearing import _statement_window_open
from .paperwork import _decision_number
from .publication import _emit_disclosure


def g_submit_review(case, data, actor, on):
    if case.state == S.NOTIFIED:
        due = _statement_window_open(case, on)
        if due:
            raise CaseError.STATEMENT_PERIOD.error(due=f"{due:%Y-%m-%d}")


def g_review(case, data, actor, on):
    qual = ReviewerQualification.objects.filter(user=actor).first()
    if qual is None or not qual.qualified:
        raise CaseError.REVIEWER.error(detail=f"{actor} 未登记法律职业资格")
    if any(co.officer.user_id == actor.pk for co in active_officers(case)):
        raise CaseError.REVIEWER.error(detail="本案调查人员不得担任法制审核人员")
    _req(data, "opinion", "审核意见")


def e_review(case, data, actor, on, after):
    passed = str(data.get("passed", "true")).lower() in ("1", "true", "on", "yes")
    if passed:
        case.review_passed_on = on
        case.reviewer = actor
        return None
    case.review_passed_on = None
    return S.INVESTIGATED  # 审核未通过：退回补充调查，重新提出处理意见


def g_discuss(case, data, actor, on):
    attendees = [a for a in str(data.get("attendees") or "").replace("，", ",").split(",") if a.strip()]
    if len(attendees) < 3:
        raise CaseError.INVALID.error(detail="集体讨论出席负责人不少于三人", fields={"attendees": "至少三人"})
    _req(data, "minutes", "讨论记录")
    _req(data, "conclusion", "讨论结论")


def e_discuss(case, data, actor, on, after):
    case.discussed_on = on


def _decision_common_guards(case: Case, on: date) -> None:
    if case.limit_due and on > case.limit_due:
        raise CaseError.TIME_LIMIT.error(due=f"{case.limit_due:%Y-%m-%d}")


def g_decide(case, data, actor, on):
    if case.state == S.NOTIFIED:
        due = _statement_window_open(case, on)
        if due:
            raise CaseError.STATEMENT_PERIOD.error(due=f"{due:%Y-%m-%d}")
    if case.review_required and not case.review_passed_on:
        raise CaseError.REVIEW_REQUIRED.error(reasons="；".join(case.review_reasons))
    if case.discussion_required and not case.discussed_on:
        raise CaseError.DISCUSSION_REQUIRED.error()
    _decision_common_guards(case, on)
    check_officers(case, on)
    fine = _fen(data, "fine_fen")
    if fine is None:
        fine = case.proposed_fine_fen
    if case.penalty_type == PenaltyType.FINE and fine is not None and case.proposed_fine_fen is not None:
        if fine > case.proposed_fine_fen:
            raise CaseError.HEAVIER.error(notified=f"{case.proposed_fine_fen / 100:.2f}")
    lo, hi = case.benchmark_min_fen, case.benchmark_max_fen
    if fine is not None and lo is not None and hi is not None and not lo <= fine <= hi:
        reasons = str(data.get("deviation_reasons") or case.deviation_reasons or "").strip()
        if not reasons or not (case.review_passed_on or case.discussed_on):
            raise CaseError.DEVIATION.error(range=f"{lo / 100:.2f}–{hi / 100:.2f}元")


def e_decide(case, data, actor, on, after):
    fine = _fen(data, "fine_fen")
    case.fine_fen = fine if fine is not None else case.proposed_fine_fen
    if data.get("deviation_reasons"):
        case.deviation_reasons = data["deviation_reasons"]
    case.outcome = Outcome.PENALTY
    case.decided_on = on
    case.decided_by = actor
    case.decision_no = _decision_number(case, on.year, "罚")
    sv = ck.deadline("service_absent_party", on)
    after.append(lambda: ck.clock_meet(case, ClockKind.DECISION_LIMIT, on))
    after.append(lambda: ck.clock_set(case, ClockKind.SERVICE, sv, on))
    after.append(lambda: _emit_disclosure(case, on, actor))


def g_decide_no_penalty(case, data, actor, on):
    _req(data, "education_record", "教育记录")
    _req(data, "ground", "不予处罚理由")
    _decision_common_guards(case, on)


def e_decide_no_penalty(case, data, actor, on, after):
    case.outcome = Outcome.NO_PENALTY
    case.education_record = data["education_record"]
    case.decided_on = on
    case.decided_by = actor
    case.decision_no = _decision_number(case, on.year, "不罚")
    sv = ck.deadline("service_absent_party", on)
    after.append(lambda: ck.clock_meet(case, ClockKind.DECISION_LIMIT, on))
    after.append(lambda: ck.clock_set(case, ClockKind.SERVICE, sv, on))


def g_extend(case, data, actor, on):
    _req(data, "reason", "延期理由")
    if (
        case.extension_days
        and not case.discussed_on
        and not str(data.get("collective_minutes") or "").strip()
    ):
        raise CaseError.EXTENSION.error(detail="本案已延长过一次")


def e_extend(case, data, actor, on, after):
    case.extension_days += param("decision_time_extension", on=on).value
    dl = ck.decision_limit(case)
    case.limit_due = dl.due
    after.append(lambda: ck.clock_set(case, ClockKind.DECISION_LIMIT, dl, case.registered_on))
