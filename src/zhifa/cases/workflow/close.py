"""结案: revoking the filing (撤销立案), filing a summary decision (当场处罚决定书备案), closing the case after
the case check (案卷评查), and archiving it."""

from __future__ import annotations

from .. import clocks as ck
from ..enums import AppealOutcome, ClockKind, Outcome, Procedure
from ..errors import CaseError
from ..hooks import case_closed_schedule
from .base import S, _req
from .publication import announce_filing_revoked


def check_revocation_reason(case, data, actor, on):
    """撤销立案 gives its reason."""
    _req(data, "reason", "撤销立案理由")


def record_filing_revoked(case, data, actor, on, after):
    """Records the reason; the decision time limit stops."""
    case.close_reason = data["reason"]
    after.append(lambda: ck.clock_stop(case, ClockKind.DECISION_LIMIT))
    after.append(lambda: announce_filing_revoked(case, on, actor, data["reason"]))


def record_summary_filing(case, data, actor, on, after):
    """Records the 当场处罚决定书备案 (交通运输行政执法程序规定 Art 61(八)); its clock is met."""
    case.summary_filed_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.SUMMARY_FILING, on))


def check_may_close(case, data, actor, on):
    """结案: a summary decision filed (程序规定 Art 61(八)), a fine paid, no veto in the case check."""
    if case.procedure == Procedure.SUMMARY and not case.summary_filed_on:
        raise CaseError.SUMMARY_FILING.error()
    # A fine is performed by payment (登记缴款); a penalty without one (警告, 暂扣 or 吊销 of a licence) is
    # carried out by the served decision itself and the licence move it made, so it may be closed once served.
    if (
        case.state == S.SERVED
        and case.outcome == Outcome.PENALTY
        and case.fine_fen
        and case.appeal_outcome not in (AppealOutcome.REVOKED, AppealOutcome.CONFIRMED_ILLEGAL)
    ):
        raise CaseError.NOT_ALLOWED.error(state=case.get_state_display(), action="结案（罚款尚未履行）")
    from .check import case_check_run

    result = case_check_run(case=case, actor=actor, on=on, save=True)
    vetoes = [f for f in result.findings if f["veto"]]
    if vetoes:
        raise CaseError.CHECK_VETO.error(detail="；".join(f["label"] for f in vetoes))


def close_case(case, data, actor, on, after):
    """Records the closing and its reason; every clock stops, follow-ups run after commit."""
    case.closed_on = on
    case.close_reason = str(
        data.get("reason")
        or case.close_reason
        or {
            Outcome.PENALTY: "处罚决定已执行完毕",
            Outcome.NO_PENALTY: "不予行政处罚",
            Outcome.TRANSFER: "已移送",
        }.get(case.outcome, "撤销立案")
    )
    after.append(lambda: ck.clock_stop(case, *ClockKind.values))
    after.append(lambda: case_closed_schedule(case.pk))  # feeders' follow-ups, after commit


def archive_case(case, data, actor, on, after):
    """Records the day of archiving."""
    case.archived_on = on
