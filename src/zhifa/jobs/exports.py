"""Large list exports as background jobs: the list's own view runs again in the worker as the same person
with the same query string (same selector, scope, filter and audit record), and the file is kept for them
to download from the job's page (``/jobs/N/file``; the submitter only — not even an administrator, whose
role sees no business data)."""

from __future__ import annotations

import re

from django.shortcuts import redirect

from zhifa.core import list_export
from zhifa.jobs.files import export_dir
from zhifa.jobs.registry import job


def _submit(request, *, fmt: str, total: int, title: str):
    from zhifa.jobs.services import job_submit

    query = request.GET.copy()
    query["export"] = fmt
    j = job_submit("exports.list", params={"path": request.path, "query": query.urlencode(), "fmt": fmt,
                                           "title": title, "rows": total}, actor=request.user)
    return redirect("job_detail", pk=j.pk)


list_export.set_background(_submit)


@job("exports.list", label="导出列表", max_attempts=2)
def export_list(ctx, *, path: str, query: str, fmt: str, title: str, rows: int) -> dict:
    from django.http import HttpRequest, QueryDict
    from django.urls import resolve

    from zhifa.jobs.services import JobFailed

    actor = ctx.actor
    if actor is None or not actor.is_active:
        raise JobFailed("提交导出的账户已不存在或已停用")
    ctx.progress(0, rows, f"正在导出《{title}》共 {rows} 条", force=True)
    request = HttpRequest()
    request.method, request.path, request.path_info = "GET", path, path
    request.GET = QueryDict(query)
    request.user = actor
    request.META = {"REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "zhifa-worker", "SERVER_PORT": "80"}
    request.zhifa_background = True  # list_export writes the file here instead of queueing again
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200 or not response.has_header("Content-Disposition"):
        raise JobFailed(f"导出失败：列表页面返回 {response.status_code}")
    suffix = fmt if fmt in list_export.FORMATS else "xlsx"
    target = export_dir() / f"job-{ctx.job.pk}.{suffix}"
    part = target.with_name(target.name + ".part")
    part.write_bytes(response.content)
    part.replace(target)
    m = re.search(r"filename\*=UTF-8''([^;]+)", response["Content-Disposition"])
    from urllib.parse import unquote

    filename = unquote(m.group(1)) if m else target.name
    ctx.progress(rows, rows, force=True)
    return {"summary": f"《{title}》已导出 {rows} 条", "url": f"/jobs/{ctx.job.pk}/file", "link_label": "下载文件",
            "filename": filename}
