"""送达与缴款: the decision is served, payment may be deferred or split, is recorded with any surcharge
(加处罚款). An unpaid fine is reminded (催告) and taken to court in ``enforce.py``."""

from __future__ import annotations

from datetime import date

from .. import clocks as ck
from ..enums import ClockKind, Outcome, ServiceMethod
from ..errors import CaseError
from ..models import Case
from .base import _d, _fen, _req


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


def check_instalment_request(case, data, actor, on):
    """延期/分期缴纳 gives its reason and the last day of payment."""
    _req(data, "reason", "确有经济困难的理由")
    if not _d(data, "defer_to"):
        raise CaseError.INVALID.error(detail="请填写延期/分期最后缴纳日期", fields={"defer_to": "必填"})


def approve_instalment(case, data, actor, on, after):
    """Records the approved deferral; payment is due on its last day (处罚法 Art 66 para 2)."""
    to = _d(data, "defer_to")
    case.instalments = [
        *case.instalments,
        {"due": to.isoformat(), "approved_on": on.isoformat(), "reason": data["reason"]},
    ]
    case.payment_due = to
    dl = ck.Deadline(to, "days", "《行政处罚法》第六十六条第二款", [f"经批准延期/分期缴纳至 {to:%Y-%m-%d}。"])
    after.append(lambda: ck.clock_set(case, ClockKind.PAYMENT, dl, on))


def current_surcharge(case: Case, until: date) -> tuple[int, str]:
    """The surcharge (加处罚款) on an unpaid fine up to ``until``, pauses for 复议/诉讼 left out, with its
    explanation (see ``clocks.surcharge``)."""
    if not case.fine_fen or not case.payment_due:
        return 0, ""
    days = ck.late_days(case.payment_due, until, case.surcharge_pauses)
    return ck.surcharge(case.fine_fen, days)


def check_paid_in_full(case, data, actor, on):
    """A payment entered covers the fine and the surcharge (加处罚款) due on the day."""
    amount, _ = current_surcharge(case, on)
    paid = _fen(data, "paid_fen")
    if paid is not None and paid < (case.fine_fen or 0) + amount:
        raise CaseError.INVALID.error(
            detail=f"应缴 {((case.fine_fen or 0) + amount) / 100:.2f} 元（含加处罚款）",
            fields={"paid_fen": "金额不足"},
        )


def record_payment(case, data, actor, on, after):
    """Records the payment with the surcharge due; the payment clock is met, the court clocks stop."""
    amount, _ = current_surcharge(case, on)
    case.paid_on = on
    case.surcharge_fen = amount
    case.paid_fen = _fen(data, "paid_fen") or (case.fine_fen or 0) + amount
    after.append(lambda: ck.clock_meet(case, ClockKind.PAYMENT, on))
    after.append(lambda: ck.clock_stop(case, ClockKind.COURT_REMINDER, ClockKind.COURT_WINDOW))


# 催告 and the court steps (check_payment_overdue, record_reminder, check_court_application_window,
# record_court_application, record_enforcement_done) are in ``enforce.py``.
