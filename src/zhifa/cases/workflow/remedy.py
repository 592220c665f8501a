"""救济: an administrative reconsideration (行政复议) or lawsuit (行政诉讼) against the decision is registered,
then its result, with what the result undoes."""

from __future__ import annotations

from zhifa.accounts.enums import Role
from zhifa.registry.enums import PermitAction

from .. import clocks as ck
from ..enums import AppealOutcome, ClockKind, LicenceAct
from ..errors import CaseError
from .base import _fen
from .basis import check_changed_fine
from .licence import _licence_moved_by_decision, _licence_undo_on_revocation
from .publication import announce_decision_overturned, announce_penalty_decided


def check_no_open_appeal(case, data, actor, on):
    """复议/诉讼 names its kind, and is registered only if none is still open."""
    from ..enums import AppealKind

    if (data.get("kind") or "") not in AppealKind.values:
        raise CaseError.INVALID.error(detail="请选择复议或诉讼", fields={"kind": "必填"})
    if case.appeal_filed_on and not case.appeal_outcome:
        raise CaseError.INVALID.error(detail="已有未结的复议/诉讼")


def record_appeal_filed(case, data, actor, on, after):
    """Records the appeal; no surcharge accrues while it is open (处罚法 Art 73 para 3)."""
    case.appeal_kind = data["kind"]
    case.appeal_filed_on = on
    case.appeal_outcome = ""
    # 处罚法 Art 73 para 3: the surcharge is not counted during 复议/诉讼.
    case.surcharge_pauses = [*case.surcharge_pauses, [on.isoformat(), None]]
    after.append(lambda: ck.clock_pause(case, ClockKind.COURT_WINDOW, on))


def check_appeal_result(case, data, actor, on):
    """A result for an open appeal; restoring a revoked licence needs the right role and a 文号."""
    if not case.appeal_filed_on or case.appeal_outcome:
        raise CaseError.INVALID.error(detail="没有未结的复议/诉讼")
    if (data.get("outcome") or "") not in AppealOutcome.values:
        raise CaseError.INVALID.error(detail="请选择复议/诉讼结果", fields={"outcome": "必填"})
    if data["outcome"] == AppealOutcome.CHANGED:
        check_changed_fine(case, _fen(data, "new_fine_fen"))  # 处罚法 Art 38 (issue 14)
    # a 吊销 undone by the 撤销 is restored (registry 恢复): on the number of the document that revoked it, and
    # by those who record a 吊销 (法制审核人员 or 负责人, registry ENDERS)
    if (
        data["outcome"] == AppealOutcome.REVOKED
        and case.licence_act == LicenceAct.REVOKE
        and _licence_moved_by_decision(case) is not None
    ):
        from zhifa.registry.services import PERMIT_MOVES

        roles = PERMIT_MOVES[PermitAction.RESTORE].roles
        if not actor.has_role(*roles):
            raise CaseError.ROLE.error(
                action="登记撤销吊销决定的复议/诉讼结果（恢复证照）",
                roles="、".join(Role(r).label for r in roles),
            )
        if not str(data.get("appeal_doc_no") or "").strip():
            detail = "原决定吊销了许可证件，撤销后恢复证照须依据撤销该决定的行政复议决定书或行政判决书，请填写其文号"
            raise CaseError.INVALID.error(detail=detail, fields={"appeal_doc_no": detail})


def record_appeal_result(case, data, actor, on, after):
    """Records the result and ends the surcharge pause; a 撤销 gives the licence back (行政复议法 Art 64,
    行政诉讼法 Art 70); a decision undone or changed is withdrawn from the public record (or republished)."""
    case.appeal_outcome = data["outcome"]
    pauses = [list(p) for p in case.surcharge_pauses]
    if pauses and pauses[-1][1] is None:
        pauses[-1][1] = on.isoformat()
    case.surcharge_pauses = pauses
    after.append(lambda: ck.clock_resume(case, ClockKind.COURT_WINDOW, on))
    if case.appeal_outcome == AppealOutcome.REVOKED:
        after.append(lambda: _licence_undo_on_revocation(case, data, actor, on))
    if case.appeal_outcome in (AppealOutcome.REVOKED, AppealOutcome.CONFIRMED_ILLEGAL, AppealOutcome.CHANGED):
        after.append(lambda: announce_decision_overturned(case, on, actor, case.get_appeal_outcome_display()))
        if case.appeal_outcome == AppealOutcome.CHANGED and _fen(data, "new_fine_fen") is not None:
            case.fine_fen = _fen(data, "new_fine_fen")
            after.append(lambda: announce_penalty_decided(case, on, actor))
        if case.appeal_outcome in (AppealOutcome.REVOKED, AppealOutcome.CONFIRMED_ILLEGAL):
            after.append(
                lambda: ck.clock_stop(
                    case, ClockKind.PAYMENT, ClockKind.COURT_REMINDER, ClockKind.COURT_WINDOW
                )
            )
    return None
