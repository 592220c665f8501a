"""Reads of jobs for pages and probes."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from zhifa.jobs.models import Job


def job_for(actor, pk: int, *, admin: bool) -> Job | None:
    """A job its submitter may follow; an administrator (系统管理员) sees every job."""
    qs = Job.objects.filter(pk=pk)
    if not admin:
        qs = qs.filter(actor_id=actor.pk)
    return qs.first()


def jobs_history(*, status: str = "", kind: str = "", q: str = "") -> QuerySet[Job]:
    qs = Job.objects.all()
    if status in Job.Status.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(label__icontains=q) | qs.filter(error__icontains=q)
    return qs.order_by("-created_at", "-pk")


def jobs_by_status() -> dict[str, int]:
    """Counts per status (for /metrics and the history page)."""
    out = {s: 0 for s in Job.Status.values}
    for row in Job.objects.values("status").annotate(n=Count("pk")):
        out[row["status"]] = row["n"]
    return out


def last_runs(kinds: list[str]) -> dict[str, Job]:
    """The newest job of each kind (the schedule's 最近运行)."""
    out: dict[str, Job] = {}
    for kind in kinds:
        job = Job.objects.filter(kind=kind).order_by("-created_at", "-pk").first()
        if job is not None:
            out[kind] = job
    return out
