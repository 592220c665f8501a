"""Reads of the evidence app, scoped by the actor's unit (a sibling unit's evidence is a 404).

Only the business roles (执法人员、法制审核人员、执法部门负责人) see evidence; the 三员 see none (三员分立).
An officer sees the evidence of their unit and its sub-units; the bureau's head sees the whole bureau.
"""

from __future__ import annotations

from django.db.models import QuerySet

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, scope_q
from zhifa.core.errors import CommonError
from zhifa.evidence.models import CustodyEvent, EvidenceItem


def evidence_visible(actor: User) -> QuerySet[EvidenceItem]:
    if not is_business_user(actor):
        return EvidenceItem.objects.none()
    return EvidenceItem.objects.filter(scope_q(actor)).select_related("org", "uploaded_by", "voided_by")


def evidence_for(
    target_type: str, target_id: str | int, *, actor: User, include_void: bool = True
) -> QuerySet[EvidenceItem]:
    """The evidence of one target (e.g. ``("cases.case", 12)``) that the actor may see, oldest first."""
    qs = evidence_visible(actor).filter(
        target_type=target_type.strip().lower(), target_id=str(target_id).strip()
    )
    if not include_void:
        qs = qs.filter(voided_at__isnull=True)
    return qs.order_by("uploaded_at", "id")


def evidence_search(
    actor: User, *, q: str = "", kind: str = "", target_type: str = "", target_id: str = "", step: str = ""
) -> QuerySet[EvidenceItem]:
    qs = evidence_visible(actor)
    if q:
        from django.db.models import Q

        qs = qs.filter(
            Q(filename__icontains=q) | Q(digest__startswith=q.lower()) | Q(uploaded_by_name__icontains=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if target_type:
        qs = qs.filter(target_type=target_type.strip().lower())
    if target_id:
        qs = qs.filter(target_id=target_id.strip())
    if step:
        qs = qs.filter(step=step)
    return qs.order_by("-uploaded_at", "-id")


def evidence_get(actor: User, pk: int) -> EvidenceItem:
    """One item the actor may see; otherwise the same 404 whether it exists or not."""
    item = evidence_visible(actor).filter(pk=pk).first()
    if item is None:
        raise CommonError.NOT_FOUND.error(what="证据材料")
    return item


def custody_for(item: EvidenceItem) -> QuerySet[CustodyEvent]:
    """The custody log of an item the caller already obtained through a scoped selector."""
    return CustodyEvent.objects.filter(item=item).order_by("at", "id")


def custody_for_target(target_type: str, target_id: str | int, *, actor: User, limit: int = 200):
    items = evidence_for(target_type, target_id, actor=actor)
    return CustodyEvent.objects.filter(item__in=items).select_related("item").order_by("-at", "-id")[:limit]


def items_to_verify(*, target_type: str = "", target_id: str = "", ids: list[int] | None = None):
    """System-wide iteration for ``zhifa evidence verify`` (the CLI runs as the system, not as a user)."""
    qs = EvidenceItem.objects.all()
    if target_type:
        qs = qs.filter(target_type=target_type.strip().lower())
    if target_id:
        qs = qs.filter(target_id=str(target_id).strip())
    if ids:
        qs = qs.filter(pk__in=ids)
    return qs.order_by("id").iterator(chunk_size=500)


def target_visible(actor: User, target_type: str, target_id: str | int) -> bool:
    """May ``actor`` see the target's page? A registered target (a case, a 治超 lead) must exist and belong to
    the actor's unit or a sub-unit; an unregistered type names nothing the actor could not see."""
    from zhifa.evidence import targets

    if not is_business_user(actor):
        return False
    resolve = targets.resolver_for(target_type)
    if resolve is None:
        return True
    owner = resolve(str(target_id).strip())
    if owner is None or actor.org_id is None:
        return False
    if targets.shared_in_jurisdiction(target_type):
        from zhifa.accounts.selectors import jurisdiction_of

        return owner.is_within(jurisdiction_of(actor.org))
    return owner.is_within(actor.org)
