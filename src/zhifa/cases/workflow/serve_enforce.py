"""送达与执行: the decision is served, payment may be deferred or split, is recorded with any surcharge
(加处罚款), and an unpaid fine is reminded (催告) and taken to court (申请法院强制执行)."""

from __future__ import annotations

from datetime import date

from .. import clocks as ck
from ..enums import ClockKind, Outcome, ServiceMethod
from ..errors import CaseError
from ..models import Case
from .base import _d, _fen, _req
from .basis import check_basis


def check_service_proof(case, data, actor, on):
    """送达 by a listed method, with a receipt or other proof unless by 公告 (处罚法 Art 61)."""
    if case.outcome == Outcome.PENALTY:
        check_basis(case, "serve")  # 处罚法 Art 38 (issue 14)
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


def check_payment_overdue(case, data, actor, on):
    """催告 only after the payment deadline has passed (强制法 Art 54)."""
    if not case.payment_due or on <= case.payment_due:
        raise CaseError.NOT_OVERDUE.error(due=f"{case.payment_due:%Y-%m-%d}" if case.payment_due else "—")


def record_reminder(case, data, actor, on, after):
    """Records the 催告; starts the wait before a court application and the court window."""
    case.reminded_on = on
    w = ck.deadline("court_enforcement_reminder_wait", on)
    cw = ck.court_window(case)
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_REMINDER, w, on))
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_WINDOW, cw, case.served_on))


def check_court_application_window(case, data, actor, on):
    """申请法院强制执行 after the 催告 wait (强制法 Art 54), within the court window (Art 53)."""
    if not case.reminded_on:
        raise CaseError.REMINDER_WAIT.error(due="催告")
    wait = ck.deadline("court_enforcement_reminder_wait", case.reminded_on).due
    if on <= wait:
        raise CaseError.REMINDER_WAIT.error(due=f"{wait:%Y-%m-%d}")
    cw = ck.court_window(case)
    recon = ck.deadline("reconsideration_period", case.served_on).due
    litig = ck.deadline("litigation_period", case.served_on).due
    start = max(recon, litig)
    if on <= start or on > cw.due:
        raise CaseError.COURT_WINDOW.error(start=f"{start:%Y-%m-%d}", due=f"{cw.due:%Y-%m-%d}")


def record_court_application(case, data, actor, on, after):
    """Records the court application; the court clocks are met."""
    case.court_applied_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_WINDOW, on))
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_REMINDER, on))


def record_enforcement_done(case, data, actor, on, after):
    """强制执行完毕: the day of performance is recorded unless already paid."""
    case.paid_on = case.paid_on or on
