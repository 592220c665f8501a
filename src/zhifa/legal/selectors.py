"""Reads of 法制工作, scoped by the actor's jurisdiction (documents, decisions and campaigns belong to the
bureau; every business role of it sees them). The 复议/应诉 register reads ``cases.CaseAppeal``."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.accounts.selectors import scope_q

from .enums import DocStatus
from .errors import LegalError
from .models import Decision, NormativeDoc, PowerItem, ReviewCampaign, ReviewFile


def docs_visible(actor) -> QuerySet[NormativeDoc]:
    return NormativeDoc.objects.filter(scope_q(actor, jurisdiction=True)).select_related("org")


def doc_search(actor, *, q: str = "", status: str = "") -> QuerySet[NormativeDoc]:
    qs = docs_visible(actor)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(doc_no__icontains=q)
            | Q(register_no__icontains=q)
            | Q(subject__icontains=q)
        )
    if status == "in_force":
        qs = qs.filter(status=DocStatus.PUBLISHED)
    elif status in DocStatus.values:
        qs = qs.filter(status=status)
    return qs


def _get(qs, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:  # another county's id answers as one that does not exist
        raise Http404(LegalError.NOT_FOUND.template)
    return obj


def doc_get(actor, pk: int) -> NormativeDoc:
    return _get(docs_visible(actor), pk)


def decisions_visible(actor) -> QuerySet[Decision]:
    return Decision.objects.filter(scope_q(actor, jurisdiction=True)).prefetch_related("steps")


def decision_get(actor, pk: int) -> Decision:
    return _get(decisions_visible(actor), pk)


def campaigns_visible(actor) -> QuerySet[ReviewCampaign]:
    return ReviewCampaign.objects.filter(scope_q(actor, jurisdiction=True))


def campaign_get(actor, pk: int) -> ReviewCampaign:
    return _get(campaigns_visible(actor), pk)


def campaign_files(campaign: ReviewCampaign) -> QuerySet[ReviewFile]:
    return campaign.files.select_related("case", "unit", "reviewer")


def scores_by_unit(campaign: ReviewCampaign) -> list[dict]:
    """Per unit: files, average score, 不合格 (veto) count, files sent for 整改 — what the 通报 prints."""
    units: dict[int, dict] = {}
    for f in campaign_files(campaign):
        u = units.setdefault(
            f.unit_id, {"unit": f.unit.name, "files": 0, "total": 0, "failed": 0, "rectify": 0}
        )
        u["files"] += 1
        u["total"] += f.score or 0
        u["failed"] += bool(f.vetoes)
        u["rectify"] += bool(f.rectify_due)
    for u in units.values():
        u["average"] = round(u["total"] / u["files"], 1) if u["files"] else None
    return sorted(units.values(), key=lambda u: u["unit"])


def closed_cases_for_review(actor):
    """Closed case files the actor's jurisdiction may review (the population of a campaign)."""
    from zhifa.cases.models import Case

    return Case.objects.filter(scope_q(actor, jurisdiction=True), closed_on__isnull=False)


def appeals_register(actor, *, kind: str = "") -> QuerySet:
    """The bureau's 复议/应诉 register: the cases' own 复议/诉讼 records (no copies)."""
    from zhifa.cases.models import CaseAppeal

    qs = CaseAppeal.objects.filter(scope_q(actor, jurisdiction=True)).select_related("case", "org")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-received_on", "-pk")


# --- public (no login) -----------------------------------------------------------------------------


def public_documents(*, on: date, q: str = "") -> QuerySet[NormativeDoc]:
    """有效文件目录: documents published and in force on ``on`` (with their validity dates)."""
    qs = NormativeDoc.objects.filter(status=DocStatus.PUBLISHED, effective_from__lte=on, valid_until__gte=on)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_no__icontains=q))
    return qs.select_related("org").order_by("org__path", "-effective_from", "pk")


def public_powers(*, on: date, q: str = "", kind: str = "") -> QuerySet[PowerItem]:
    """权责清单: the version of each item in force on ``on``."""
    qs = PowerItem.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("org").order_by("org__path", "code")


def powers_visible(actor) -> QuerySet[PowerItem]:
    return PowerItem.objects.filter(scope_q(actor, jurisdiction=True)).select_related("org")


def appeal_get(actor, pk: int):
    return _get(appeals_register(actor), pk)


def appeal_followups(appeal) -> dict:
    """The hearings and 复议意见书/司法建议 recorded on the legal side for one 复议/诉讼."""
    return {
        "hearings": list(appeal.legal_hearings.all()),
        "recommendations": list(appeal.legal_recommendations.all()),
    }


def counsel_contracts(actor) -> QuerySet:
    from .models import CounselContract

    return CounselContract.objects.filter(scope_q(actor, jurisdiction=True)).select_related("org")


def counsel_contract_get(actor, pk: int):
    return _get(counsel_contracts(actor), pk)


def counsel_opinions(actor) -> QuerySet:
    from .models import CounselOpinion

    return CounselOpinion.objects.filter(contract__in=counsel_contracts(actor)).select_related("contract")


def legal_reviewers(actor) -> list:
    """The jurisdiction's 法制审核人员 with their 法律职业资格 (``cases.ReviewerQualification``; 处罚法 Art 58
    para 2), those without one first."""
    from zhifa.accounts.enums import Role
    from zhifa.accounts.models import User
    from zhifa.cases.models import ReviewerQualification

    users = list(
        User.objects.filter(
            scope_q(actor, jurisdiction=True), is_active=True, roles__role=Role.LEGAL_REVIEWER
        )
        .select_related("org")
        .distinct()
        .order_by("pk")
    )
    quals = {q.user_id: q for q in ReviewerQualification.objects.filter(user__in=users)}
    rows = [(u, quals.get(u.pk)) for u in users]
    return sorted(rows, key=lambda r: bool(r[1] and r[1].qualified))
