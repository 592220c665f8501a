"""告知与听证: the party is told of the proposed penalty and its rights (违法行为通知书), may state its case
or waive it, and where it has the right may waive the hearing or ask for one; the hearing itself (notice,
agents, recusal, withdrawal, absence, 笔录, 报告) is in ``hearing.py``."""

from __future__ import annotations

from datetime import date

from .. import clocks as ck
from ..enums import ClockKind, HearingEnd, Outcome, StatementForm
from ..errors import CaseError
from ..models import Case
from .base import _req, check_officers
from .basis import check_basis


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
    if str(data.get("waive_hearing")).lower() in ("1", "true", "on", "yes") and case.hearing_right:
        _waive_hearing(case, on, StatementForm.RECORDED, after)


def _waive_hearing(case: Case, on: date, form: str, after: list) -> None:
    case.hearing_waived_on = on
    case.hearing_waiver_form = form
    after.append(lambda: ck.clock_meet(case, ClockKind.HEARING_REQUEST, on))


def check_hearing_waiver(case, data, actor, on):
    """放弃听证 (处罚法 Arts 63, 64): only with the right, before any request, in writing or recorded."""
    if not case.hearing_right:
        raise CaseError.HEARING_RIGHT.error()
    _hearing_still_open(case)
    if str(data.get("form") or "") not in StatementForm.values:
        raise CaseError.INVALID.error(detail="请选择书面放弃或口头放弃记录在案", fields={"form": "必填"})
    _req(data, "note", "放弃听证的书面声明或记录")


def record_hearing_waiver(case, data, actor, on, after):
    """The waiver ends the hearing-request period at once; the statement period runs on."""
    _waive_hearing(case, on, str(data["form"]), after)


def _hearing_still_open(case: Case) -> None:
    """The party gave up the hearing (waiver, withdrawal, absence) or it ended: no new request."""
    if case.hearing_waived_on:
        raise CaseError.HEARING_CLOSED.error(on=f"{case.hearing_waived_on:%Y-%m-%d}", how="放弃听证")
    if case.hearing_end:
        how = HearingEnd(case.hearing_end).label
        raise CaseError.HEARING_CLOSED.error(on=f"{case.hearing_ended_on:%Y-%m-%d}", how=how)


def check_hearing_request(case, data, actor, on):
    """听证 only where the right was given (处罚法 Art 63) and requested in time (Art 64(一))."""
    if not case.hearing_right:
        raise CaseError.HEARING_RIGHT.error()
    _hearing_still_open(case)
    due = ck.deadline("hearing_request_period", case.notified_on).due
    if on > due:
        raise CaseError.HEARING_LATE.error(due=f"{due:%Y-%m-%d}")


def record_hearing_request(case, data, actor, on, after):
    """Records the hearing request; its period is met."""
    case.hearing_requested_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.HEARING_REQUEST, on))


def _statement_window_open(case: Case, on: date) -> date | None:
    if case.statement_made or case.notified_on is None:
        return None
    due = ck.deadline("statement_period", case.notified_on).due
    if case.hearing_right and not case.hearing_waived_on and not case.hearing_end:
        due = max(due, ck.deadline("hearing_request_period", case.notified_on).due)
    return due if on <= due else None
