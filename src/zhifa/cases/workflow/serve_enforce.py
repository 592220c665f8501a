"""送达与执行: the decision is served, and an unpaid fine is reminded (催告) and taken to court (申请法院强制执行).
Deferral or instalments, payments and the surcharge (加处罚款) are in ``payment.py``."""

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
