"""告知与听证: the party is told of the proposed penalty and its rights (违法行为通知书), may state its case
or waive it, and where it has the right may ask for a hearing, which is noticed and held."""

from __future__ import annotations

from datetime import date

from zhifa.core.calendar import add_workdays

from .. import clocks as ck
from ..clocks import param
from ..enums import ClockKind, Outcome
from ..errors import CaseError
from ..models import Case
from .base import _d, _req, active_officers, check_officers
from .basis import check_basis
from .criteria import review_reasons


def check_may_notify(case, data, actor, on):
    """告知 only a proposed penalty, by at least two certified officers (处罚法 Art 42)."""
    if case.proposed_outcome != Outcome.PENALTY:
        raise CaseError.INVALID.error(detail="处理意见为给予行政处罚时才需告知")
    check_basis(case, "notify")  # 处罚法 Art 38, 44 (issue 14)
    check_officers(case, on)


def record_notice(case, data, actor, on, after):
    """告知 starts the statement period and, with a hearing right, the hearing-request period (Art 45, 64)."""
    case.notified_on = on
    st = ck.deadline("statement_period", on)
    after.append(lambda: ck.clock_set(case, ClockKind.STATEMENT, st, on))
    if case.hearing_right:
        hr = ck.deadline("hearing_request_period", on)
        after.append(lambda: ck.clock_set(case, ClockKind.HEARING_REQUEST, hr, on))


def record_statement(case, data, actor, on, after):
    """陈述申辩 or its waiver ends the statement period; a waived hearing ends the hearing-request one."""
    case.statement_made = True
    after.append(lambda: ck.clock_meet(case, ClockKind.STATEMENT, on))
    if str(data.get("waive_hearing")).lower() in ("1", "true", "on", "yes"):
        after.append(lambda: ck.clock_meet(case, ClockKind.HEARING_REQUEST, on))


def check_hearing_request(case, data, actor, on):
    """听证 only where the right was given (处罚法 Art 63) and requested in time (Art 64(一))."""
    if not case.hearing_right:
        raise CaseError.HEARING_RIGHT.error()
    due = ck.deadline("hearing_request_period", case.notified_on).due
    if on > due:
        raise CaseError.HEARING_LATE.error(due=f"{due:%Y-%m-%d}")


def record_hearing_request(case, data, actor, on, after):
    """Records the hearing request; its period is met."""
    case.hearing_requested_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.HEARING_REQUEST, on))


def check_hearing_notice_period(case, data, actor, on):
    """The hearing is noticed the legal number of days before it is held (处罚法 Art 64(二))."""
    hearing_on = _d(data, "hearing_on")
    if hearing_on is None:
        raise CaseError.INVALID.error(detail="请填写听证日期", fields={"hearing_on": "必填"})
    earliest = add_workdays(on, param("hearing_notice_before", on=on).value).date
    if hearing_on < earliest:
        raise CaseError.HEARING_NOTICE.error(earliest=f"{earliest:%Y-%m-%d}")


def record_hearing_notice(case, data, actor, on, after):
    """Records the 听证通知 and the hearing date."""
    case.hearing_noticed_on = on
    case.hearing_on = _d(data, "hearing_on")


def check_hearing_chair_and_record(case, data, actor, on):
    """The chair is not an investigator of the case (处罚法 Art 64(四)); the record is given."""
    chair = _req(data, "chair", "听证主持人")
    names = {co.officer.name for co in active_officers(case)}
    if chair in names:
        raise CaseError.HEARING_CHAIR.error()
    _req(data, "record", "听证笔录摘要")


def record_hearing_held(case, data, actor, on, after):
    """A hearing held makes the decision one for legal review (处罚法 Art 58 para 1 (二))."""
    case.hearing_held = True
    case.review_reasons = review_reasons(case)
    case.review_required = bool(case.review_reasons)


def _statement_window_open(case: Case, on: date) -> date | None:
    if case.statement_made or case.notified_on is None:
        return None
    due = ck.deadline("statement_period", case.notified_on).due
    if case.hearing_right:
        due = max(due, ck.deadline("hearing_request_period", case.notified_on).due)
    return due if on <= due else None
