"""Reads of the cases domain, every one scoped by the actor's units (an officer of 第一中队 sees the
squad's cases; the bureau's head and reviewers see the whole bureau; another county sees nothing)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, scope_q
from zhifa.core.audit import action_label
from zhifa.core.errors import CommonError
from zhifa.core.models import AuditRecord

from .enums import ClockStatus
from .models import Case, CaseClock, CaseSource


def cases_visible(actor: User) -> QuerySet[Case]:
    if not is_business_user(actor):
        return Case.objects.none()
    return Case.objects.filter(scope_q(actor))


def case_search(
    actor: User,
    *,
    q: str = "",
    state: str = "",
    procedure: str = "",
    org_id: int | None = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
) -> QuerySet[Case]:
    qs = cases_visible(actor).select_related("org").order_by("-created_at", "-id")
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(party_name__icontains=q)
            | Q(violation_name__icontains=q)
            | Q(decision_no__icontains=q)
        )
    if state:
        qs = qs.filter(state=state)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if org_id:
        qs = qs.filter(org_id=org_id)
    if decided_from:
        qs = qs.filter(decided_on__gte=decided_from)
    if decided_to:
        qs = qs.filter(decided_on__lte=decided_to)
    return qs.only(
        "id",
        "number",
        "party_name",
        "violation_name",
        "state",
        "procedure",
        "fine_fen",
        "proposed_fine_fen",
        "limit_due",
        "created_at",
        "org__name",
        "decided_on",
    )


def case_get(actor: User, pk: int) -> Case:
    case = (
        cases_visible(actor)
        .select_related("org", "source", "registered_by", "decided_by", "reviewer")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise CommonError.NOT_FOUND.error(what="案件")
    return case


def sources_visible(actor: User) -> QuerySet[CaseSource]:
    if not is_business_user(actor):
        return CaseSource.objects.none()
    return CaseSource.objects.filter(scope_q(actor))


def source_get(actor: User, pk: int) -> CaseSource:
    src = sources_visible(actor).filter(pk=pk).first()
    if src is None:
        raise CommonError.NOT_FOUND.error(what="案源")
    return src


# How many days ahead the deadline board looks (a display setting, not a legal number).
DEADLINE_BOARD_DAYS = 3


def deadline_board(actor: User, *, today: date, days: int = DEADLINE_BOARD_DAYS) -> dict:
    """Running clocks of the actor's units: overdue, and due within ``days`` (default 3)."""
    window = days
    base = CaseClock.objects.filter(scope_q(actor), status=ClockStatus.RUNNING).select_related("case", "org")
    if not is_business_user(actor):
        base = base.none()
    return {
        "overdue": list(base.filter(due__lt=today).order_by("due")[:500]),
        "soon": list(
            base.filter(due__gte=today, due__lte=today + timedelta(days=window)).order_by("due")[:500]
        ),
        "sources": list(
            sources_visible(actor)
            .filter(status="pending", decision_due__lte=today + timedelta(days=window))
            .order_by("decision_due")[:200]
        ),
        "window": window,
    }


def deadlines_for_org(org, *, today: date, days: int = DEADLINE_BOARD_DAYS) -> dict:
    """The same board for a unit and its sub-units, without an actor: the ``zhifa cases deadlines``
    command (run by the system operator on the server, like the other CLI reports)."""
    base = CaseClock.objects.filter(status=ClockStatus.RUNNING).select_related("case", "org")
    if org is not None:
        base = base.filter(org__path__startswith=org.path)
    return {
        "overdue": list(base.filter(due__lt=today).order_by("due", "case_id")),
        "soon": list(
            base.filter(due__gte=today, due__lte=today + timedelta(days=days)).order_by("due", "case_id")
        ),
        "window": days,
    }


def case_timeline(case: Case) -> list[dict]:
    """Steps recorded by the workflow plus every audit record whose target is the case (views, uploads,
    documents, failed attempts), in time order."""
    items = []
    for s in case.steps.all():
        items.append(
            {
                "at": s.at,
                "kind": "step",
                "label": s.label,
                "actor": s.actor_name,
                "on": s.on,
                "documents": s.documents,
                "data": s.data,
            }
        )
    audits = AuditRecord.objects.filter(
        Q(target_type="cases.case", target_id=str(case.pk))
        | Q(detail__case_id=case.pk)
        | Q(target_type__in=["evidence.evidence", "documents.document"], detail__target_id=case.pk)
    ).order_by("seq")
    for a in audits:
        if a.action.startswith("case.") and a.action not in ("case.view",):
            continue  # the step itself is listed above
        items.append(
            {
                "at": a.at,
                "kind": "audit",
                "label": action_label(a.action),  # the Chinese name, never the code (design.md)
                "actor": a.actor_name,
                "on": None,
                "documents": [],
                "data": a.detail,
            }
        )
    return sorted(items, key=lambda i: i["at"])


def can_act(actor: User) -> bool:
    return actor.has_role(Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER)


# --- enforce (issue 14): 纠错率, and the measures the 案卷评查 must be able to find ---------------------

# outcomes that correct the bureau's decision (复议法 2023 Arts 63–65; 行政诉讼法 Arts 70, 74, 77)
CORRECTING_OUTCOMES = ("revoked", "changed", "illegal")


def correction_rate(actor: User, *, start: date, end: date) -> dict:
    """纠错率 of the actor's units: of the 复议/诉讼 concluded between ``start`` and ``end`` (both included,
    by the outcome's date), the share whose decision was 撤销, 变更 or 确认违法.

    Formula: ``corrected / concluded``, where ``concluded`` counts every appeal with an outcome in the
    period (维持、驳回、撤回、调解 included) and ``corrected`` those with outcome 撤销/变更/确认违法; each
    appeal counts once (a case with a 复议 and then a 诉讼 counts twice). ``rate`` is None when nothing
    was concluded. ``rows`` are the appeals behind the value (for the reports' drill-down)."""
    from .models import CaseAppeal

    qs = CaseAppeal.objects.none()
    if is_business_user(actor):
        qs = CaseAppeal.objects.filter(scope_q(actor), outcome_on__gte=start, outcome_on__lte=end).exclude(
            outcome=""
        )
    rows = list(qs.select_related("case").order_by("outcome_on", "id"))
    corrected = [r for r in rows if r.outcome in CORRECTING_OUTCOMES]
    return {
        "concluded": len(rows),
        "corrected": len(corrected),
        "rate": (len(corrected) / len(rows)) if rows else None,
        "rows": rows,
    }


def measures_overdue(actor: User, *, on: date) -> dict:
    """先行登记保存 undecided past their 7 days or decided late (处罚法 Art 56), and 查封/扣押 still held
    past their last day (行政强制法 Arts 25, 28, 62(三)), in the actor's units."""
    from django.db.models import F

    from .models import CasePreservation, CaseSeizure

    if not is_business_user(actor):
        return {"preservations": [], "seizures": []}
    pres = CasePreservation.objects.filter(scope_q(actor)).filter(
        Q(decided_on__isnull=True, due__lt=on) | Q(decided_on__gt=F("due"))
    )
    seiz = CaseSeizure.objects.filter(scope_q(actor)).filter(
        Q(released_on__isnull=True, due__lt=on) | Q(released_on__gt=F("due"))
    )
    return {
        "preservations": list(pres.select_related("case").order_by("due", "id")),
        "seizures": list(seiz.select_related("case").order_by("due", "id")),
    }
