"""送达: the decision is served and the day it counts as served (deemed service) is recorded. Deferral or
instalments, payments and the surcharge (加处罚款) are in ``payment.py``; an unpaid fine is reminded (催告) and
taken to court in ``enforce.py``."""

from __future__ import annotations

from .. import clocks as ck
from ..enums import ClockKind, Outcome, ServiceMethod
from ..errors import CaseError


def check_service_proof(case, data, actor, on):
    """送达 by a listed method, with a receipt or other proof unless by 公告 (处罚法 Art 61)."""
    method = data.get("method") or ""
    if method not in ServiceMethod.values:
        raise CaseError.INVALID.error(detail="请选择送达方式", fields={"method": "必填"})
    if method != ServiceMethod.PUBLIC_NOTICE and not str(data.get("proof") or "").strip():
        raise CaseError.SERVICE_PROOF.error()


def record_service(case, data, actor, on, after):
    """Records the service; a fine's payment period starts from it."""
    case.served_on = on
    case.service_method = data["method"]
    case.service_proof = str(data.get("proof") or "公告")
    after.append(lambda: ck.clock_meet(case, ClockKind.SERVICE, on))
    if case.outcome == Outcome.PENALTY and case.fine_fen:
        pd = ck.deadline("payment_period", on)
        case.payment_due = pd.due
        after.append(lambda: ck.clock_set(case, ClockKind.PAYMENT, pd, on))

