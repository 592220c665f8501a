"""送达: the decision is served and the day it counts as served (deemed service) is recorded. Deferral or
instalments, payments and the surcharge (加处罚款) are in ``payment.py``; an unpaid fine is reminded (催告) and
taken to court in ``enforce.py``."""

from __future__ import annotations

from datetime import date

from .. import clocks as ck
from ..enums import ClockKind, Outcome, ServiceMethod
from ..errors import CaseError
from ..models import Case
from .base import _d
from .basis import check_basis


def _service_act_on(data: dict, on: date) -> date:
    return _d(data, "act_on", on) or on


def check_service_proof(case, data, actor, on):
    """送达 by a listed method with what that method needs (处罚法 Art 61; 民事诉讼法 Arts 87–95): a receipt or
    other proof, for 留置 a witness or a photo/video record (Art 89), for 电子送达 the party's signed 送达地址确认书
    (处罚法 Art 61 para 2), for 公告 the medium and why the other methods failed (Art 95). The day of the act
    is not after the day it is recorded. A penalty decision is served only with its legal basis (Art 38)."""
    if case.outcome == Outcome.PENALTY:
        check_basis(case, "serve")  # 处罚法 Art 38 (issue 14)
    method = data.get("method") or ""
    if method not in ServiceMethod.values:
        raise CaseError.INVALID.error(detail="请选择送达方式", fields={"method": "必填"})
    act_on = _service_act_on(data, on)
    if act_on > on:
        raise CaseError.INVALID.error(
            detail=f"送达行为日期 {act_on:%Y-%m-%d} 晚于登记日 {on:%Y-%m-%d}",
            fields={"act_on": "不能晚于登记日"},
        )
    if case.decided_on and act_on < case.decided_on:
        raise CaseError.INVALID.error(
            detail=f"送达行为日期 {act_on:%Y-%m-%d} 早于决定日 {case.decided_on:%Y-%m-%d}",
            fields={"act_on": "不能早于决定日"},
        )
    if method == ServiceMethod.PUBLIC_NOTICE:
        missing = {k: "必填" for k in ("medium", "failed_reason") if not str(data.get(k) or "").strip()}
        if missing:
            raise CaseError.PUBLIC_NOTICE_GROUNDS.error(fields=missing)
        return
    if not str(data.get("proof") or "").strip():
        raise CaseError.SERVICE_PROOF.error()
    if method == ServiceMethod.LEFT and not any(
        str(data.get(k) or "").strip() for k in ("witness", "record")
    ):
        raise CaseError.LEFT_SERVICE_WITNESS.error(fields={"witness": "见证人或拍照录像记录至少填一项"})
    if method == ServiceMethod.ELECTRONIC and not str(data.get("address_confirmation") or "").strip():
        raise CaseError.ELECTRONIC_CONSENT.error(fields={"address_confirmation": "必填"})


_SERVICE_DETAIL_KEYS = (
    "place",
    "proof",
    "witness",
    "record",
    "address_confirmation",
    "medium",
    "failed_reason",
)


def record_service(case, data, actor, on, after):
    """Records the act of service and the day the decision counts as served (``served_on``): the day of the act,
    or for 公告送达 the day the publication period ends (民事诉讼法 Art 95: 30 days). The service period is met
    on the day of the act; the payment period (处罚法 Art 67) and every later clock run from the deemed day."""
    act_on = _service_act_on(data, on)
    method = data["method"]
    detail = {
        k: str(data.get(k) or "").strip() for k in _SERVICE_DETAIL_KEYS if str(data.get(k) or "").strip()
    }
    served = act_on
    if method == ServiceMethod.PUBLIC_NOTICE:
        dl = ck.deadline("public_notice_service_period", act_on)
        served = dl.due
        detail["deemed"] = dl.explanation
    case.served_on = served
    case.service_started_on = act_on
    case.service_method = method
    case.service_proof = str(data.get("proof") or "").strip() or f"公告（{detail.get('medium', '')}）"
    case.service_detail = detail
    after.append(lambda: ck.clock_meet(case, ClockKind.SERVICE, act_on))
    if case.outcome == Outcome.PENALTY and case.fine_fen:
        pd = ck.deadline("payment_period", served)
        case.payment_due = pd.due
        after.append(lambda: ck.clock_set(case, ClockKind.PAYMENT, pd, served))


def refuse_while_public_notice_runs(case: Case, on: date, action: str) -> None:
    """While a 公告 runs the decision is not yet served (民事诉讼法 Art 95): no payment period has started
    (处罚法 Art 67 para 3), so nothing may be booked against it."""
    if case.public_notice_running(on):
        p = ck.param("public_notice_service_period", on=case.service_started_on or on)
        raise CaseError.PUBLIC_NOTICE_RUNNING.error(
            deemed=f"{case.served_on:%Y-%m-%d}", period=f"{p.value}日", action=action
        )

