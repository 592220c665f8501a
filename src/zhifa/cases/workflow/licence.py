"""处罚法 Art 9(三) on a licence: the case names the act and the party's licence at 处理意见; the decision
moves it through the registry (暂扣 or 吊销), and a decision revoked on 复议/诉讼 gives it back (发还 or
恢复)."""

from __future__ import annotations

from datetime import date

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.registry.enums import LicenceStatus, PermitAction

from .. import clocks as ck
from ..enums import LicenceAct, PenaltyType
from ..errors import CaseError
from ..models import Case

_PERMIT_ACTION = {LicenceAct.SUSPEND: PermitAction.SUSPEND, LicenceAct.REVOKE: PermitAction.REVOKE}


def _licence_penalty_clean(case: Case, data: dict, actor) -> tuple[str, object, int | None]:
    """(act, licence, 暂扣 months) of an Art 9(三) penalty. 暂扣 and 吊销 name a licence by its number: one
    registered within the actor's jurisdiction, held by the case's party (its enterprise, person or vehicle,
    or a vehicle of its enterprise), in a status the registry's move applies to. Refusals name the field."""
    from zhifa.registry.selectors import licences_visible
    from zhifa.registry.services import PERMIT_MOVES

    act = str(data.get("licence_act") or "").strip()
    if act not in LicenceAct.values:
        raise CaseError.INVALID.error(
            detail="请选择证照处罚：暂扣许可证件、降低资质等级或吊销许可证件（《中华人民共和国行政处罚法》第九条第（三）项）",
            fields={"licence_act": "必填"},
        )
    if act == LicenceAct.DOWNGRADE:
        return act, None, None
    verb = "暂扣" if act == LicenceAct.SUSPEND else "吊销"
    months = None
    if act == LicenceAct.SUSPEND:
        raw = str(data.get("licence_suspend_months") or "").strip()
        months = int(raw) if raw.isdigit() else 0
        if not 1 <= months <= 120:
            raise CaseError.INVALID.error(
                detail="请填写暂扣期限（1至120个月的整数）",
                fields={"licence_suspend_months": "应为1至120的整数"},
            )
    number = str(data.get("licence_number") or "").strip()
    if not number:
        raise CaseError.INVALID.error(detail=f"请填写拟{verb}的证照编号", fields={"licence_number": "必填"})
    scoped = list(licences_visible(actor).filter(number=number))
    if not scoped:  # the same words whether it is unknown or another unit's: no probing other counties
        detail = f"证照编号“{number}”未在本单位管辖范围内登记，不能{verb}"
        raise CaseError.INVALID.error(detail=detail, fields={"licence_number": detail})
    ent, person, vehicle = case.enterprise_id, case.person_id, case.vehicle_id
    held = [
        lic
        for lic in scoped
        if (lic.enterprise_id and lic.enterprise_id == ent)
        or (lic.person_id and lic.person_id == person)
        or (lic.vehicle_id and (lic.vehicle_id == vehicle or (ent and lic.vehicle.enterprise_id == ent)))
    ]
    if not held:
        detail = f"证照“{number}”的持证人不是本案当事人{case.party_name}，不能{verb}" + (
            "" if ent or person or vehicle else "（本案当事人未关联登记的企业、自然人或车辆）"
        )
        raise CaseError.INVALID.error(detail=detail, fields={"licence_number": detail})
    lic = held[0]
    if lic.status not in PERMIT_MOVES[_PERMIT_ACTION[act]].applies_to:
        detail = f"证照“{number}”已{lic.get_status_display()}，不能{verb}"
        raise CaseError.INVALID.error(detail=detail, fields={"licence_number": detail})
    return act, lic, months


def apply_licence_penalty(case: Case, actor, on: date) -> None:
    """The decision's 暂扣 or 吊销 moves the licence through the registry's one transition service
    (``permit_decide``: 决定书文号 = the case's, authority = the case's unit, 暂扣 until the corresponding day
    of the last month, 民法典 Art 202). Once: a move already recorded under the case's 文号 is not repeated."""
    action = _PERMIT_ACTION.get(case.licence_act) if case.penalty_type == PenaltyType.REVOKE else None
    if action is None or not case.licence_id:
        return
    from zhifa.registry.models import PermitDecision
    from zhifa.registry.services import permit_decide

    authority = jurisdiction_of(case.org)
    if PermitDecision.objects.filter(
        authority=authority, doc_no=case.decision_no, licence_id=case.licence_id
    ).exists():
        return
    reason = f"{case.violation_name}（{case.number}；{case.penalty_article or '处罚依据见决定书'}）"
    data = {
        "doc_no": case.decision_no,
        "doc_name": "行政处罚决定书",
        "decided_on": on.isoformat(),
        "reason": reason[:500],
    }
    if action == PermitAction.SUSPEND:
        data["suspend_until"] = ck.add_months(on, case.licence_suspend_months or 0).isoformat()
    # the case workflow dates the decision (its own guards); the registry takes that date
    permit_decide(action=action, data=data, actor=actor, licence=case.licence, authority=authority, today=on)


_LICENCE_UNDO = {  # the status the decision left, the registry move that undoes it, its name
    LicenceAct.SUSPEND: (LicenceStatus.SUSPENDED, PermitAction.RETURN, "发还"),
    LicenceAct.REVOKE: (LicenceStatus.REVOKED, PermitAction.RESTORE, "恢复"),
}


def _licence_moved_by_decision(case: Case):
    """The licence this case's decision suspended or revoked, if it is still in the status that decision left
    it in by the latest move on it (else None: returned, restored or moved since)."""
    undo = _LICENCE_UNDO.get(case.licence_act)
    if undo is None or not case.licence_id or case.penalty_type != PenaltyType.REVOKE:
        return None
    from zhifa.registry.models import Licence, PermitDecision

    lic = Licence.objects.get(pk=case.licence_id)
    last = PermitDecision.objects.filter(licence=lic).order_by("-decided_on", "-pk").first()
    if lic.status != undo[0] or last is None or last.doc_no != case.decision_no:
        return None
    return lic


def _licence_undo_on_revocation(case: Case, data: dict, actor, on: date) -> None:
    """撤销 of the decision by 复议/诉讼 (《中华人民共和国行政复议法》第六十四条, 《中华人民共和国行政诉讼法》第七十条):
    a licence this decision suspended, and still suspended by it, is returned (发还 before the period ends:
    the 暂扣 no longer stands); one it revoked, and still revoked by it, is restored (恢复, on the number of
    the 复议决定书/判决书, required by the guard). Once: a licence moved since is left alone."""
    lic = _licence_moved_by_decision(case)
    if lic is None:
        return
    from zhifa.registry.services import permit_decide

    _status, action, verb = _LICENCE_UNDO[case.licence_act]
    appeal_doc_no = str(data.get("appeal_doc_no") or "").strip()
    doc_no = appeal_doc_no or f"{case.decision_no}（撤销后{verb}）"
    reason = f"原行政处罚决定（{case.decision_no}）经{case.get_appeal_kind_display() or '复议/诉讼'}被撤销，{verb}证照"
    row = {"doc_no": doc_no, "decided_on": on.isoformat(), "reason": reason}
    if action == PermitAction.RETURN:
        row["early"] = "1"  # before the period ends: the 暂扣 decision no longer stands
    else:
        row["appeal_doc_no"] = appeal_doc_no
    permit_decide(
        action=action, data=row, actor=actor, licence=lic, authority=jurisdiction_of(case.org), today=on
    )
