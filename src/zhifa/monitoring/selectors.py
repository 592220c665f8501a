"""Reads of the monitoring domain, scoped by the actor's jurisdiction (a sibling county's runs, leads and
tracks are not found)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, jurisdiction_of, scope_q
from zhifa.core.errors import CommonError
from zhifa.core.identifiers import normalise_plate
from zhifa.registry.models import Vehicle

from .models import MonthlyRun, SpeedZone, Terminal, ViolationLead


def _scope(actor: User, field: str = "org") -> Q:
    if not is_business_user(actor):
        return Q(pk__in=[])
    return scope_q(actor, org_field=field, jurisdiction=True)


def runs_visible(actor: User) -> QuerySet[MonthlyRun]:
    return MonthlyRun.objects.filter(_scope(actor)).select_related("org")


def run_get(actor: User, month: str, org_id: int | None = None) -> MonthlyRun:
    """The month's run of the actor's own jurisdiction, or of ``org_id`` (a county a city account
    oversees: the runs list shows it, so the page opens it) when that run is visible to the actor."""
    run = None
    if actor.org_id:
        org_filter = {"org_id": org_id} if org_id else {"org": jurisdiction_of(actor.org)}
        run = runs_visible(actor).filter(month=month, **org_filter).first()
    if run is None:
        raise CommonError.NOT_FOUND.error(what=f"{month} 月度统计")
    return run


def previous_run(run: MonthlyRun) -> MonthlyRun | None:
    return MonthlyRun.objects.filter(org=run.org, month__lt=run.month).order_by("-month").first()


def leads_visible(actor: User, *, status: str = "", type: str = "", q: str = "", month: str = "") -> QuerySet:
    qs = ViolationLead.objects.filter(_scope(actor)).select_related("vehicle", "run")
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    if q:
        plate = normalise_plate(q)  # a plate typed as people write it (京A·12345, 京a 12345) as stored
        qs = qs.filter(
            Q(enterprise_name__icontains=q) | (Q(plate__icontains=plate) if plate else Q(pk__in=[]))
        )
    if month:
        qs = qs.filter(run__month=month)
    return qs


def lead_get(actor: User, pk: int) -> ViolationLead:
    lead = leads_visible(actor).filter(pk=pk).first()
    if lead is None:
        raise CommonError.NOT_FOUND.error(what="违规线索")
    return lead


def vehicle_get(actor: User, pk: int) -> Vehicle:
    v = Vehicle.objects.filter(_scope(actor)).filter(pk=pk).select_related("enterprise").first()
    if v is None:
        raise CommonError.NOT_FOUND.error(what="车辆")
    return v


def terminals_visible(actor: User) -> QuerySet[Terminal]:
    return Terminal.objects.filter(_scope(actor)).select_related("vehicle")


def month_leads_stats(run: MonthlyRun) -> dict:
    leads = ViolationLead.objects.filter(run__org=run.org, run__month=run.month)
    total = leads.count()
    handled = leads.exclude(status="pending").count()
    return {"total": total, "handled": handled, "rate": round(100 * handled / total, 2) if total else None}


def zones_applying_q(org) -> Q:
    """The 路段限速 zones that apply in ``org``'s jurisdiction: set by it, by the units below it or by the
    units above it (a province's expressways)."""
    root = jurisdiction_of(org)
    ancestors = [int(p) for p in root.path.strip("/").split("/") if p]
    return Q(org__path__startswith=root.path) | Q(org_id__in=ancestors)


def zones_visible(actor: User) -> QuerySet[SpeedZone]:
    """The zones applying in the actor's jurisdiction (:func:`zones_applying_q`); none for the 三员 and
    actors without a unit."""
    if not is_business_user(actor) or actor.org_id is None:
        return SpeedZone.objects.none()
    return SpeedZone.objects.filter(zones_applying_q(actor.org)).select_related("org").order_by("name", "pk")
