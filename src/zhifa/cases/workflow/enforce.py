"""强制执行 in steps, for a bureau without its own enforcement power (行政强制法 Art 13 para 2, Art 53):

催告 (Arts 35, 54: in writing; the court may be asked ten working days after it is served, Art 69) → the
party's 陈述、申辩 after the 催告, recorded and re-checked, adopted when it holds (Art 36) → the application
to the court within three months after the 复议/诉讼 periods (Art 53) with the materials of Art 55 → the
court's acceptance within five working days, or its refusal and the bureau's 复议 to the court above within
fifteen days (Art 56) → the ruling within seven working days of acceptance (Art 57; thirty days where the
court hears the parties, Art 58) → performance, or 中止 / 终结 on the grounds of Arts 39 and 40.

The record of these steps is :class:`~zhifa.cases.models.CaseCourtEnforcement` (one per case).
"""

from __future__ import annotations

from .. import clocks as ck
from ..enums import ClockKind, CourtStatus, SuspendGround, TerminateGround
from ..errors import CaseError
from ..models import Case, CaseCourtEnforcement
from .base import _req
from .serve_enforce import refuse_while_public_notice_runs

# 行政强制法 Art 55 (一)–(四): the materials an application must carry (field name, label)
COURT_MATERIALS = (
    ("m_application", "强制执行申请书（行政机关负责人签名、加盖印章、注明日期）"),
    ("m_decision", "行政决定书及作出决定的事实、理由和依据"),
    ("m_opinion", "当事人的意见及行政机关催告情况"),
    ("m_subject", "申请强制执行标的情况"),
)


def _yes(data: dict, key: str) -> bool:
    return str(data.get(key) or "").strip().lower() in ("1", "true", "on", "yes", "是")


def _record(case: Case) -> CaseCourtEnforcement:
    row, _ = CaseCourtEnforcement.objects.get_or_create(case=case, defaults={"org": case.org})
    return row


def _status(case: Case) -> str:
    row = CaseCourtEnforcement.objects.filter(case=case).first()
    return row.status if row else ""


def _update(case: Case, **values) -> None:
    _record(case)
    CaseCourtEnforcement.objects.filter(case=case).update(**values)


def _step_error(detail: str, article: str):
    return CaseError.COURT_STEP.error(detail=detail, article=article)


# --- 催告 and the party's statement -----------------------------------------------------------------


def check_payment_overdue(case, data, actor, on):
    """催告 only after the payment deadline has passed (强制法 Art 54), never while a 公告送达 runs."""
    refuse_while_public_notice_runs(case, on, "催告")
    if not case.payment_due or on <= case.payment_due:
        raise CaseError.NOT_OVERDUE.error(due=f"{case.payment_due:%Y-%m-%d}" if case.payment_due else "—")


def record_reminder(case, data, actor, on, after):
    """Records the 催告; starts the wait before a court application and the court window."""
    case.reminded_on = on
    w = ck.deadline("court_enforcement_reminder_wait", on)
    cw = ck.court_window(case)
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_REMINDER, w, on))
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_WINDOW, cw, case.served_on))


def check_reminded(case, data, actor, on):
    """The party's 陈述、申辩 answers a 催告 already served (行政强制法 Art 36)."""
    if not case.reminded_on:
        raise _step_error("当事人收到催告书后方可陈述、申辩，本案尚未催告", "第三十五条、第三十六条")
    if _status(case):
        raise _step_error(
            "已申请人民法院强制执行，催告后的陈述、申辩应在申请前记录", "第三十六条、第五十五条第（三）项"
        )


def record_reminder_statement(case, data, actor, on, after):
    """Records the statement and whether it holds and is adopted (Art 36: recorded, re-checked, adopted)."""
    content, adopted = _req(data, "content", "陈述申辩内容"), _yes(data, "adopted")
    after.append(
        lambda: _update(case, statement=content, statement_on=on, statement_adopted=adopted, status="")
    )


# --- the application and the court's answers ------------------------------------------------------


def check_court_application_window(case, data, actor, on):
    """申请法院强制执行 after the 催告 wait (强制法 Art 54), within the court window (Art 53), with the
    materials of Art 55 and the court named."""
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
    if _status(case) not in ("", CourtStatus.REFUSED):
        raise _step_error("已申请人民法院强制执行，不能重复申请", "第五十三条")
    missing = [label for key, label in COURT_MATERIALS if not _yes(data, key)]
    if missing:
        raise CaseError.COURT_MATERIALS.error(
            missing="；".join(missing), fields={k: "必备" for k, _ in COURT_MATERIALS}
        )
    _req(data, "court", "受理申请的人民法院")


def record_court_application(case, data, actor, on, after):
    """Records the application and its materials; the court has five working days to accept (Art 56)."""
    case.court_applied_on = on
    materials = [label for key, label in COURT_MATERIALS if _yes(data, key)]
    if str(data.get("other_materials") or "").strip():
        materials.append(str(data["other_materials"]).strip())
    court = str(data["court"]).strip()
    acc = ck.deadline("court_acceptance_period", on)
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_WINDOW, on))
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_REMINDER, on))
    after.append(
        lambda: _update(case, court=court, materials=materials, applied_on=on, status=CourtStatus.APPLIED)
    )
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_ACCEPT, acc, on))


def check_court_applied(case, data, actor, on):
    """The court's acceptance or refusal answers an application (行政强制法 Art 56)."""
    if _status(case) != CourtStatus.APPLIED:
        raise _step_error("尚未向人民法院申请强制执行，或法院已作出受理决定", "第五十六条")
    if _yes(data, "accepted") and not str(data.get("court_case_no") or "").strip():
        raise CaseError.INVALID.error(detail="请填写法院受理案号", fields={"court_case_no": "必填"})


def record_court_acceptance(case, data, actor, on, after):
    """受理: the court rules within seven working days (Art 57). 不予受理: the bureau may ask the court above
    within fifteen days (Art 56 para 2)."""
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_ACCEPT, on))
    if _yes(data, "accepted"):
        no = str(data["court_case_no"]).strip()
        ruling = ck.deadline("court_ruling_period", on)
        after.append(lambda: _update(case, status=CourtStatus.ACCEPTED, accepted_on=on, court_case_no=no))
        after.append(lambda: ck.clock_set(case, ClockKind.COURT_RULING, ruling, on))
    else:
        review = ck.deadline("court_refusal_review_period", on)
        note = str(data.get("reason") or "")
        after.append(lambda: _update(case, status=CourtStatus.REFUSED, refused_on=on, ruling_reason=note))
        after.append(lambda: ck.clock_set(case, ClockKind.COURT_REVIEW, review, on))


def check_court_review_in_time(case, data, actor, on):
    """复议 to the court above within fifteen days of a refusal to accept (Art 56 para 2) or to enforce
    (Art 58 para 3)."""
    row = CaseCourtEnforcement.objects.filter(case=case).first()
    if row is None or row.status not in (CourtStatus.REFUSED, CourtStatus.DENIED):
        raise _step_error(
            "只有法院裁定不予受理或者不予执行后，方可向上一级人民法院申请复议",
            "第五十六条第二款、第五十八条第三款",
        )
    since = row.refused_on if row.status == CourtStatus.REFUSED else row.ruling_on
    due = ck.deadline("court_refusal_review_period", since).due
    if on > due:
        raise _step_error(
            f"向上一级人民法院申请复议的期限已于 {due:%Y-%m-%d} 届满", "第五十六条第二款、第五十八条第三款"
        )
    _req(data, "court", "上一级人民法院")


def record_court_review(case, data, actor, on, after):
    """The court above now decides whether to accept (15 days) or to enforce (30 days)."""
    row = _record(case)
    upper = str(data["court"]).strip()
    back = CourtStatus.APPLIED if row.status == CourtStatus.REFUSED else CourtStatus.ACCEPTED
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_REVIEW, on))
    after.append(lambda: _update(case, status=back, review_applied_on=on, court=upper))


def check_court_accepted(case, data, actor, on):
    """A ruling follows acceptance (行政强制法 Arts 57, 58), with the ruling's number."""
    if _status(case) != CourtStatus.ACCEPTED:
        raise _step_error("法院尚未受理强制执行申请", "第五十七条")
    _req(data, "ruling_no", "裁定书文号")
    if not _yes(data, "granted"):
        _req(data, "reason", "不予执行的理由")


def record_court_ruling(case, data, actor, on, after):
    """准予执行, or 不予执行 with the reasons (the bureau may ask the court above within 15 days, Art 58)."""
    granted, no, reason = _yes(data, "granted"), str(data["ruling_no"]).strip(), str(data.get("reason") or "")
    status = CourtStatus.GRANTED if granted else CourtStatus.DENIED
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_RULING, on))
    after.append(lambda: _update(case, status=status, ruling_on=on, ruling_no=no, ruling_reason=reason))
    if not granted:
        review = ck.deadline("court_refusal_review_period", on)
        after.append(lambda: ck.clock_set(case, ClockKind.COURT_REVIEW, review, on))


# --- 执行 / 中止 / 终结 -----------------------------------------------------------------------------


def check_enforcement_granted(case, data, actor, on):
    """强制执行完毕 after a ruling that allows it (行政强制法 Art 57)."""
    if _status(case) != CourtStatus.GRANTED:
        raise _step_error("人民法院裁定准予执行后方可登记执行完毕", "第五十七条")


def record_enforcement_done(case, data, actor, on, after):
    """强制执行完毕: the day of performance is recorded unless already paid."""
    case.paid_on = case.paid_on or on
    note = str(data.get("note") or "")
    after.append(lambda: _update(case, status=CourtStatus.DONE, note=note))


def check_enforcement_suspendable(case, data, actor, on):
    """中止执行 of an enforcement under way, on a ground of 行政强制法 Art 39."""
    if _status(case) != CourtStatus.GRANTED:
        raise _step_error("只有正在执行的案件可以中止执行", "第三十九条")
    if (data.get("ground") or "") not in SuspendGround.values:
        raise CaseError.INVALID.error(detail="请选择第三十九条的中止情形", fields={"ground": "必填"})


def record_enforcement_suspended(case, data, actor, on, after):
    """Records the 中止 and its ground; it is resumed when the ground is gone (Art 39 para 2)."""
    ground, note = data["ground"], str(data.get("note") or "")
    after.append(
        lambda: _update(case, status=CourtStatus.SUSPENDED, suspended_on=on, suspend_ground=ground, note=note)
    )


def check_enforcement_suspended(case, data, actor, on):
    """恢复执行 of a suspended enforcement (行政强制法 Art 39 para 2)."""
    if _status(case) != CourtStatus.SUSPENDED:
        raise _step_error("只有中止执行的案件可以恢复执行", "第三十九条第二款")


def record_enforcement_resumed(case, data, actor, on, after):
    """The ground of the 中止 is gone: enforcement resumes."""
    after.append(lambda: _update(case, status=CourtStatus.GRANTED, resumed_on=on))


def check_enforcement_terminable(case, data, actor, on):
    """终结执行 on a ground of 行政强制法 Art 40."""
    if _status(case) not in (CourtStatus.GRANTED, CourtStatus.SUSPENDED):
        raise _step_error("只有正在执行或者中止执行的案件可以终结执行", "第四十条")
    if (data.get("ground") or "") not in TerminateGround.values:
        raise CaseError.INVALID.error(detail="请选择第四十条的终结情形", fields={"ground": "必填"})


def record_enforcement_terminated(case, data, actor, on, after):
    """Records the 终结 and its ground; the payment clock no longer applies."""
    ground, note = data["ground"], str(data.get("note") or "")
    after.append(
        lambda: _update(
            case, status=CourtStatus.TERMINATED, terminated_on=on, terminate_ground=ground, note=note
        )
    )
    after.append(lambda: ck.clock_stop(case, ClockKind.PAYMENT))


def court_context(case: Case) -> dict:
    """``court.*`` of the 强制执行申请书."""
    row = CaseCourtEnforcement.objects.filter(case=case).first()
    if row is None:
        return {}
    return {
        "court": {
            "name": row.court,
            "materials": [{"name": m} for m in row.materials],
            "statement": row.statement or "当事人收到催告书后未陈述、申辩",
            "adopted": "成立并已采纳"
            if row.statement_adopted
            else ("不成立，未予采纳" if row.statement else ""),
        }
    }
