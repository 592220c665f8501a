"""The daily reminders of 法制工作 (``notifications.daily``): a document whose 有效期 ends within the
evaluation notice (6 months by default, local rule) — evaluate it, then 延续, 修改 or 废止; a 备案 or a
附带审查 answer due within the reminder window; a 复议意见书/司法建议 whose correction report is due (复议法
Art 76: 60 days) within it; and documents past their 有效期 lapse."""

from __future__ import annotations

from datetime import date

from zhifa.accounts.enums import Role
from zhifa.notifications.daily import reminder_window_end
from zhifa.notifications.kinds import declare
from zhifa.notifications.selectors import users_with_role_over
from zhifa.notifications.services import notify

from .enums import DocStatus
from .models import AppealRecommendation, DocChallenge, NormativeDoc
from .services import docs_expire, evaluation_notice_on

K_EXPIRY = declare("legal.expiry", "规范性文件有效期届满评估提醒")
K_DEADLINE = declare("legal.deadline", "法制工作期限提醒")


def _people(org) -> list:
    return list(users_with_role_over(org, Role.LEGAL_REVIEWER)) + list(users_with_role_over(org, Role.HEAD))


def remind(*, on: date) -> int:
    sent = docs_expire(on=on)
    for doc in NormativeDoc.objects.filter(
        status=DocStatus.PUBLISHED, valid_until__isnull=False
    ).select_related("org"):
        if evaluation_notice_on(doc.valid_until) <= on:
            notify(
                users=_people(doc.org),
                kind=K_EXPIRY,
                title=f"《{doc.title}》有效期至 {doc.valid_until:%Y-%m-%d}，请评估并决定延续、修改或废止",
                link=f"/legal/documents/{doc.pk}/",
                key=f"legal-expiry:{doc.pk}:{doc.valid_until:%Y%m%d}",
            )
            sent += 1
    horizon = reminder_window_end(on)
    for doc in NormativeDoc.objects.filter(
        status=DocStatus.PUBLISHED, filed_on__isnull=True, filing_due__lte=horizon
    ).select_related("org"):
        notify(
            users=_people(doc.org),
            kind=K_DEADLINE,
            title=f"《{doc.title}》报送备案期限 {doc.filing_due:%Y-%m-%d}"
            + ("，已逾期" if doc.filing_due < on else ""),
            link=f"/legal/documents/{doc.pk}/",
            key=f"legal-filing:{doc.pk}:{doc.filing_due:%Y%m%d}",
        )
        sent += 1
    for ch in DocChallenge.objects.filter(answered_on__isnull=True, answer_due__lte=horizon).select_related(
        "doc__org"
    ):
        notify(
            users=_people(ch.doc.org),
            kind=K_DEADLINE,
            title=f"《{ch.doc.title}》附带审查书面答复期限 {ch.answer_due:%Y-%m-%d}",
            link=f"/legal/documents/{ch.doc_id}/",
            key=f"legal-challenge:{ch.pk}:{ch.answer_due:%Y%m%d}",
        )
        sent += 1
    for r in AppealRecommendation.objects.filter(
        replied_on__isnull=True, reply_due__lte=horizon
    ).select_related("appeal__org", "appeal__case"):
        notify(
            users=_people(r.appeal.org),
            kind=K_DEADLINE,
            title=f"{r.get_kind_display()}（案件 {r.appeal.case.number}）整改情况报送期限 {r.reply_due:%Y-%m-%d}"
            + ("，已逾期" if r.reply_due < on else ""),
            link=f"/legal/appeals/{r.appeal_id}/",
            key=f"legal-recommendation:{r.pk}:{r.reply_due:%Y%m%d}",
        )
        sent += 1
    return sent
