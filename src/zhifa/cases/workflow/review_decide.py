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
from .basis import check_basis, check_exemption, decision_rows, deviations, exemptions_of, ticked
from .hearing import check_hearing_basis
from .notice_hearing import _statement_window_open
from .paperwork import _decision_number
from .publication import announce_no_penalty, announce_penalty_decided


def check_statement_period_over(case, data, actor, on):
    """From 告知, review is asked only once the party spoke, waived or its period ended (Art 45, 64)."""
    if case.state == S.NOTIFIED:
        due = _statement_window_open(case, on)
        if due:
            raise CaseError.STATEMENT_PERIOD.error(due=f"{due:%Y-%m-%d}")


def check_reviewer_qualified(case, data, actor, on):
    """A qualified reviewer who is not an investigator of the case (处罚法 Art 58 para 2); an opinion."""
    qual = ReviewerQualification.objects.filter(user=actor).first()
    if qual is None or not qual.qualified:
        raise CaseError.REVIEWER.error(detail=f"{actor} 未登记法律职业资格")
    if any(co.officer.user_id == actor.pk for co in active_officers(case)):
        raise CaseError.REVIEWER.error(detail="本案调查人员不得担任法制审核人员")
    _req(data, "opinion", "审核意见")


def record_review(case, data, actor, on, after):
    """A review passed records reviewer and day; one not passed sends the case back (退回补充调查)."""
    passed = str(data.get("passed", "true")).lower() in ("1", "true", "on", "yes")
    if passed:
        case.review_passed_on = on
        case.reviewer = actor
        return None
    case.review_passed_on = None
    return S.INVESTIGATED  # 审核未通过：退回补充调查，重新提出处理意见


def check_discussion_quorum(case, data, actor, on):
    """集体讨论: at least three heads present, the minutes and a conclusion."""
    attendees = [a for a in str(data.get("attendees") or "").replace("，", ",").split(",") if a.strip()]
    if len(attendees) < 3:
        raise CaseError.INVALID.error(detail="集体讨论出席负责人不少于三人", fields={"attendees": "至少三人"})
    _req(data, "minutes", "讨论记录")
    _req(data, "conclusion", "讨论结论")


def record_discussion(case, data, actor, on, after):
    """Records the day of the 集体讨论."""
    case.discussed_on = on


def _decision_common_guards(case: Case, on: date) -> None:
    if case.limit_due and on > case.limit_due:
        raise CaseError.TIME_LIMIT.error(due=f"{case.limit_due:%Y-%m-%d}")


def check_may_decide_penalty(case, data, actor, on):
    """处罚决定: statement periods over (处罚法 Art 45, 64), review (Art 58) and discussion (Art 57 para 2) done,
    within the time limit (Art 60), certified officers (Art 42), no heavier than notified (Art 44, 45), the
    benchmark kept or the deviation reasoned (Art 34)."""
    check_hearing_basis(case)  # Art 65: after a hearing, on its 笔录 and the 听证报告
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
    check_basis(case, "decide")  # 处罚法 Art 38 (issue 14)
    check_exemption(case, case.exemption, case.exemption_conditions, penalty=True)  # 处罚法 Art 33
    rows, total = decision_rows(case, data)  # each fine within its legal range (处罚法 Art 38)
    fine = total if rows else _fen(data, "fine_fen")
    if fine is None:
        fine = case.proposed_fine_fen
    if case.penalty_type == PenaltyType.FINE and fine is not None and case.proposed_fine_fen is not None:
        if fine > case.proposed_fine_fen:
            raise CaseError.HEAVIER.error(notified=f"{case.proposed_fine_fen / 100:.2f}")
    # the benchmark is the catalogue's tier of each violation (set at 处理意见), never a typed range
    lo, hi = case.benchmark_min_fen, case.benchmark_max_fen
    off = deviations(rows) if rows else (
        [f"{lo / 100:.2f}–{hi / 100:.2f}元"]
        if fine is not None and lo is not None and hi is not None and not lo <= fine <= hi
        else []
    )
    if off:
        reasons = str(data.get("deviation_reasons") or case.deviation_reasons or "").strip()
        if not reasons or not (case.review_passed_on or case.discussed_on):
            raise CaseError.DEVIATION.error(range="；".join(off))


def record_penalty_decision(case, data, actor, on, after):
    """Records the penalty decision (fine, provisional 文号); meets the decision limit, starts the service
    period and emits the public record (双公示)."""
    rows, total = decision_rows(case, data)
    for r in rows:
        r.save(update_fields=["fine_fen"])
    fine = total if rows else _fen(data, "fine_fen")
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
    after.append(lambda: announce_penalty_decided(case, on, actor))


def check_may_decide_no_penalty(case, data, actor, on):
    """不予处罚 (处罚法 Art 33): ground and education record given, within the limit (Art 60)."""
    _req(data, "education_record", "教育记录")
    _req(data, "ground", "不予处罚理由")
    check_hearing_basis(case)  # Art 65: after a hearing, on its 笔录 and the 听证报告
    _decision_common_guards(case, on)
    kind, conds = ticked(data)
    check_exemption(case, kind, conds, penalty=False)


def record_no_penalty_decision(case, data, actor, on, after):
    """Records the no-penalty decision (education record, provisional 文号); meets the decision limit and
    starts the service period."""
    case.outcome = Outcome.NO_PENALTY
    case.education_record = data["education_record"]
    kind, conds = ticked(data)
    if kind and check_exemption(case, kind, conds, penalty=False):
        case.exemption, case.exemption_conditions = kind, conds
    if case.exemption:  # the ground names the Art 33 exemption applied (its source in the catalogue)
        ex = next((e for e in exemptions_of(case) if e.get("kind") == case.exemption), {})
        data["exemption_ground"] = f"{ex.get('label', case.exemption)}（{ex.get('source', '《行政处罚法》第三十三条')}）"
    case.decided_on = on
    case.decided_by = actor
    case.decision_no = _decision_number(case, on.year, "不罚")
    sv = ck.deadline("service_absent_party", on)
    after.append(lambda: ck.clock_meet(case, ClockKind.DECISION_LIMIT, on))
    after.append(lambda: ck.clock_set(case, ClockKind.SERVICE, sv, on))
    after.append(lambda: announce_no_penalty(case, on, actor))


def check_extension_allowed(case, data, actor, on):
    """延长办案期限 gives its reason; a second extension needs collective discussion."""
    _req(data, "reason", "延期理由")
    if (
        case.extension_days
        and not case.discussed_on
        and not str(data.get("collective_minutes") or "").strip()
    ):
        raise CaseError.EXTENSION.error(detail="本案已延长过一次")


def extend_time_limit(case, data, actor, on, after):
    """Adds the extension to the decision time limit (处罚法 Art 60)."""
    case.extension_days += param("decision_time_extension", on=on).value
    dl = ck.decision_limit(case)
    case.limit_due = dl.due
    after.append(lambda: ck.clock_set(case, ClockKind.DECISION_LIMIT, dl, case.registered_on))
