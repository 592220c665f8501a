"""后台任务 pages: a job's progress and result for whoever started it; the history, retry and cancel for the
系统管理员 (the job records are operations data, not business data, so the sysadmin's view of them keeps
三员分立: the page shows what ran and how it ended, never the business rows it touched)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import Role
from zhifa.accounts.views_admin import role_required
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page
from zhifa.jobs import selectors, services
from zhifa.jobs.files import export_file
from zhifa.jobs.models import Job
from zhifa.jobs.queue import broker_description
from zhifa.jobs.registry import all_specs


def _is_admin(user) -> bool:
    return user.has_role(Role.SYSADMIN)


def _job(request, pk: int) -> Job:
    job = selectors.job_for(request.user, pk, admin=_is_admin(request.user))
    if job is None:
        raise Http404
    return job


@role_required(Role.SYSADMIN)
def job_history(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    specs = all_specs()
    periodic = [s for s in specs if s.schedule]
    last = selectors.last_runs([s.name for s in periodic])
    return list_page(request, "console/job_history.html", selectors.jobs_history(status=status, kind=kind, q=q),
                     context={"page_title": "后台任务", "f_status": status, "f_kind": kind, "q": q,
                              "status_choices": Job.Status.choices, "specs": specs,
                              "periodic": [(s, last.get(s.name)) for s in periodic],
                              "counts": selectors.jobs_by_status(), "broker": broker_description(),
                              "daily_hour": settings.JOBS_DAILY_HOUR})


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "console/job_detail.html",
                  {"job": job, "page_title": f"后台任务 #{job.pk}", "is_admin": _is_admin(request.user)})


@login_required
def job_progress(request, pk: int):
    """The polled fragment (every second while the job is not finished)."""
    return render(request, "console/_job_progress.html", {"job": _job(request, pk)})


@login_required
def job_file(request, pk: int):
    """The file a background export wrote: for whoever submitted it only (an administrator sees that the job
    ran, never the business rows in the file)."""
    job = selectors.job_for(request.user, pk, admin=False)
    path = export_file(job.pk) if job is not None and job.status == Job.Status.DONE else None
    if path is None:
        raise Http404
    filename = (job.result or {}).get("filename") or path.name
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)


@require_POST
@role_required(Role.SYSADMIN)
def job_retry(request, pk: int):
    try:
        new = services.job_retry(job=_job(request, pk), actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("job_detail", pk=pk)
    messages.success(request, f"已重新提交为任务 #{new.pk}")
    return redirect("job_detail", pk=new.pk)


@require_POST
@login_required
def job_cancel(request, pk: int):
    job = _job(request, pk)  # the submitter or an administrator
    try:
        services.job_cancel(job=job, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "任务已取消")
    return redirect("job_detail", pk=pk)
