"""数据导入 pages (法制审核人员 and 执法部门负责人): upload a CSV/XLSX, follow the job, read its row errors.

The upload is saved under ``DATA_DIR/uploads``, an :class:`ImportJob` is created, and
:func:`zhifa.core.imports.run_import` (which validates every row, applies the good ones and audits the
run) works in a background job (``imports.run``, run by ``zhifa worker``: it survives a restart of the web
server, and of the worker, see zhifa.jobs); the job page polls a fragment every second until it is finished.
A user sees the jobs of their unit and its sub-units (``ImportJob.org_id``); anyone else's is a 404.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from zhifa.accounts.enums import Role
from zhifa.accounts.selectors import orgs_visible
from zhifa.accounts.views_admin import role_required
from zhifa.core.imports import errors_csv, import_receive, importers
from zhifa.core.listing import list_page
from zhifa.core.models import ImportJob
from zhifa.jobs.services import job_submit

log = logging.getLogger(__name__)

importer_required = role_required(Role.LEGAL_REVIEWER, Role.HEAD)

ALLOWED_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ERRORS_PAGE_SIZE = 100
FINISHED = (ImportJob.Status.DONE, ImportJob.Status.FAILED)


def _kinds() -> list[tuple[str, str]]:
    return [(k, imp.label) for k, imp in sorted(importers().items())]


def jobs_visible(actor):
    return ImportJob.objects.filter(org_id__in=orgs_visible(actor).values("pk"))


def _job(request, pk: int) -> ImportJob:
    job = jobs_visible(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


# --- pages ---------------------------------------------------------------------------------------


@importer_required
def import_index(request):
    actor = request.user
    kinds = _kinds()
    form = {"kind": request.POST.get("kind", "") if request.method == "POST" else request.GET.get("new", "")}
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if form["kind"] not in dict(kinds):
            error = "请选择导入类型"
        elif upload is None:
            error = "请选择要上传的文件"
        elif suffix not in ALLOWED_SUFFIXES:
            error = f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 CSV 或 XLSX 文件"
        elif upload.size > MAX_UPLOAD_BYTES:
            error = f"文件过大（{upload.size // 1024 // 1024} MB），单个文件不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB"
        elif actor.org_id is None:
            error = "您的账户未设置所属单位，不能导入"
        else:
            job, path = import_receive(form["kind"], upload.chunks(), Path(upload.name).name, suffix=suffix,
                                       actor=actor)
            job_submit("imports.run", params={"import_job": job.pk, "path": str(path)}, actor=actor)
            return redirect("import_job", pk=job.pk)
    qs = jobs_visible(actor)
    f_kind = request.GET.get("kind", "")
    f_status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    if f_kind:
        qs = qs.filter(kind=f_kind)
    if f_status in ImportJob.Status.values:
        qs = qs.filter(status=f_status)
    if q:
        qs = qs.filter(filename__icontains=q)
    response = list_page(
        request,
        "console/import_index.html",
        qs.order_by("-started_at", "-pk"),
        context={
            "page_title": "数据导入",
            "kinds": kinds,
            "kind_labels": dict(kinds),
            "form": form,
            "error": error,
            "f_kind": f_kind,
            "f_status": f_status,
            "q": q,
            "status_choices": ImportJob.Status.choices,
        },
    )
    if error:
        response.status_code = 422
    return response


def _job_context(request, job: ImportJob) -> dict:
    paginator = Paginator(job.errors or [], ERRORS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "job": job,
        "finished": job.status in FINISHED,
        "kind_label": dict(_kinds()).get(job.kind, job.kind),
        "page": page,
        "rows": page.object_list,
        "total": paginator.count,
        "querystring": "",
        "page_title": f"导入任务 #{job.pk}",
    }


@importer_required
def import_job(request, pk: int):
    return render(request, "console/import_job.html", _job_context(request, _job(request, pk)))


@importer_required
def import_job_progress(request, pk: int):
    """The polled fragment: counts and bar while running; counts and the errors table when finished."""
    return render(request, "console/_import_progress.html", _job_context(request, _job(request, pk)))


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@importer_required
def import_job_errors_csv(request, pk: int):
    job = _job(request, pk)
    return _csv_response(errors_csv(job), f"import-{job.pk}-errors.csv")


@importer_required
def import_template_csv(request, kind: str):
    imp = importers().get(kind)
    if imp is None:
        raise Http404
    buf = io.StringIO()
    csv.writer(buf).writerow(imp.template_header())
    return _csv_response(buf.getvalue(), f"template-{kind}.csv")
