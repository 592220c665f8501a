"""救济: an administrative reconsideration (行政复议) or lawsuit (行政诉讼) against the decision is registered
as a record (:class:`~zhifa.cases.models.CaseAppeal`: the organ or court, its case number, whether the party
was in time, the bureau's 答复/答辩 deadline), answered, then its result, with what the result undoes.

- in time: 复议 within 60 days of knowing the decision (复议法 2023 Art 20 para 1), a lawsuit within 6 months
  (行政诉讼法 Art 46 para 1) or within 15 days of receiving the 复议 decision (Art 45), counted from the
  day the decision is deemed served;
- the bureau answers a 复议 within 10 working days of receiving the copy of the application (复议法 2023
  Art 48, Art 88 para 2) and a lawsuit within 15 days of receiving the copy of the complaint (行政诉讼法
  Art 67 para 1); both are case clocks;
- the outcome (维持/变更/撤销/确认违法/驳回/撤回/调解) is kept with its date and document number and
  feeds the 纠错率 (``selectors.correction_rate``)."""

from __future__ import annotations

from datetime import date

from zhifa.accounts.enums import Role
from zhifa.registry.enums import PermitAction

from .. import clocks as ck
from ..enums import AppealKind, AppealOutcome, ClockKind, LicenceAct
from ..errors import CaseError
from ..models import Case, CaseAppeal
from .base import _d, _fen
from .basis import check_changed_fine
from .licence import _licence_moved_by_decision, _licence_undo_on_revocation
from .paperwork import _remedy
from .publication import announce_decision_overturned, announce_penalty_decided


def check_no_open_appeal(case, data, actor, on):
    """复议/诉讼 names its kind and the organ or court, and is registered only if none is still open."""
    if (data.get("kind") or "") not in AppealKind.values:
        raise CaseError.INVALID.error(detail="请选择复议或诉讼", fields={"kind": "必填"})
    if case.appeal_filed_on and not case.appeal_outcome:
        raise CaseError.INVALID.error(detail="已有未结的复议/诉讼")
    filed, received = _d(data, "filed_on", on), _d(data, "received_on", on)
    if received < filed or received > on:
        raise CaseError.APPEAL.error(
            detail="收到申请书/起诉状副本的日期应在申请/起诉之后、登记之日或之前", fields={"received_on": "日期有误"}
        )


def served_from(case: Case) -> date | None:
    """The day the decision counts as served: ``served_on`` is the deemed service date (公告: publication plus
    the 民事诉讼法 Art 95 period; ``service_started_on`` is the day of the act)."""
    return case.served_on


def appeal_period(case: Case, kind: str) -> ck.Deadline | None:
    """The party's period: 复议 60 days (复议法 2023 Art 20), a lawsuit 6 months (行政诉讼法 Art 46), or 15
    days after a 复议 decision (Art 45); None before the decision is served."""
    if kind == AppealKind.LITIGATION:
        after_recon = (
            CaseAppeal.objects.filter(case=case, kind=AppealKind.RECONSIDERATION, outcome_on__isnull=False)
            .exclude(outcome=AppealOutcome.WITHDRAWN)
            .order_by("-outcome_on")
            .first()
        )
        if after_recon is not None:
            return ck.deadline("litigation_after_reconsideration", after_recon.outcome_on)
    start = served_from(case)
    if start is None:
        return None
    name = "reconsideration_period" if kind == AppealKind.RECONSIDERATION else "litigation_period"
    return ck.deadline(name, start)


def _answer_clock(kind: str) -> tuple[str, str]:
    if kind == AppealKind.RECONSIDERATION:
        return ClockKind.RECON_ANSWER, "reconsideration_answer_period"
    return ClockKind.LITIGATION_ANSWER, "litigation_answer_period"


def record_appeal_filed(case, data, actor, on, after):
    """Records the appeal with its timeliness and the bureau's answer clock; no surcharge accrues while it is
    open (处罚法 Art 73 para 3)."""
    kind = data["kind"]
    filed, received = _d(data, "filed_on", on), _d(data, "received_on", on)
    period = appeal_period(case, kind)
    clock_kind, param = _answer_clock(kind)
    answer = ck.deadline(param, received)
    # by default the county's government (复议法 2023 Art 24 para 1 item 1) or court, as the decision says
    default = _remedy(case)["review_organ" if kind == AppealKind.RECONSIDERATION else "court"]
    organ = str(data.get("organ") or "").strip() or default

    def write():
        row = CaseAppeal.objects.create(
            case=case,
            org=case.org,
            kind=kind,
            organ=organ,
            their_number=str(data.get("their_number") or "").strip(),
            filed_on=filed,
            received_on=received,
            period_start=served_from(case),
            period_due=period.due if period else None,
            period_article=period.article if period else "",
            answer_due=answer.due,
        )
        data["appeal_id"] = row.pk
        ck.clock_set(case, clock_kind, answer, received)

    after.append(write)
    case.appeal_kind = kind
    case.appeal_filed_on = filed
    case.appeal_outcome = ""
    # 处罚法 Art 73 para 3: the surcharge is not counted during 复议/诉讼.
    case.surcharge_pauses = [*case.surcharge_pauses, [on.isoformat(), None]]
    after.append(lambda: ck.clock_pause(case, ClockKind.COURT_WINDOW, on))


def check_appeal_result(case, data, actor, on):
    """A result for an open appeal; restoring a revoked licence needs the right role and a 文号."""
    if not case.appeal_filed_on or case.appeal_outcome:
        raise CaseError.INVALID.error(detail="没有未结的复议/诉讼")
    if data.get("outcome") == AppealOutcome.CHANGED and _fen(data, "new_fine_fen") is None and case.fine_fen:
        raise CaseError.APPEAL.error(detail="变更决定的，请填写变更后的罚款", fields={"new_fine_fen": "必填"})
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
    _close_open_appeal(case, data, on, after)
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


def _open_appeal(case: Case) -> CaseAppeal | None:
    return CaseAppeal.objects.filter(case=case, outcome="").order_by("-filed_on", "-id").first()


def _close_open_appeal(case, data, on, after) -> None:
    row = _open_appeal(case)
    if row is None:  # an appeal registered before the records existed
        return
    new_fine = _fen(data, "new_fine_fen")
    doc_no = str(data.get("appeal_doc_no") or "").strip()
    data["appeal_id"] = row.pk

    def write():
        CaseAppeal.objects.filter(pk=row.pk).update(
            outcome=data["outcome"], outcome_on=on, outcome_doc_no=doc_no, new_fine_fen=new_fine
        )
        ck.clock_stop(case, _answer_clock(row.kind)[0])

    after.append(write)


def check_appeal_unanswered(case, data, actor, on):
    """The bureau's 答复 (复议法 2023 Art 48) or 答辩 (行政诉讼法 Art 67) answers an open appeal, once."""
    row = _open_appeal(case)
    if row is None:
        raise CaseError.APPEAL.error(detail="没有未结的复议/诉讼")
    if row.answered_on:
        raise CaseError.APPEAL.error(detail=f"已于 {row.answered_on:%Y-%m-%d} 提交答复/答辩")
    if on < row.received_on:
        raise CaseError.APPEAL.error(detail="答复/答辩日期早于收到副本的日期")


def record_appeal_answer(case, data, actor, on, after):
    """Records the day the 答复/答辩 with the evidence and basis was submitted; its clock is met (a late one
    stays visible as late)."""
    row = _open_appeal(case)
    data["appeal_id"] = row.pk

    def write():
        CaseAppeal.objects.filter(pk=row.pk).update(answered_on=on)
        ck.clock_meet(case, _answer_clock(row.kind)[0], on)

    after.append(write)
