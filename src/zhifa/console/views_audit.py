"""审计日志 pages (审计管理员 only; everybody else, the other two administrators included, gets 403).

Every search, record view, export and chain check is itself audited by ``console.audit_services``.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import Role
from zhifa.accounts.views_admin import role_required
from zhifa.console import audit_services
from zhifa.console.audit_services import AuditFilter
from zhifa.core.audit import detail_rows
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page
from zhifa.core.models import AuditRecord

auditor_required = role_required(Role.AUDITADMIN)

_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _parse_when(raw: str, *, end: bool) -> datetime | None:
    """A datetime-local or date input; a bare date means the start (or the end) of that day."""
    raw = raw.strip()
    if not raw:
        return None
    tz = timezone.get_current_timezone()
    for fmt in _FORMATS:
        try:
            value = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return timezone.make_aware(value + (timedelta(minutes=1) if end else timedelta()), tz)
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(raw) from None
    if end:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def filters_from(request) -> tuple[AuditFilter, dict, list[str]]:
    g = request.GET
    form = {k: g.get(k, "").strip() for k in ("start", "end", "actor", "action", "target", "success")}
    errors = []
    start = end = None
    try:
        start = _parse_when(form["start"], end=False)
    except ValueError:
        errors.append(f"开始时间“{form['start']}”格式不正确")
    try:
        end = _parse_when(form["end"], end=True)
    except ValueError:
        errors.append(f"结束时间“{form['end']}”格式不正确")
    if start and end and end <= start:
        errors.append("结束时间应晚于开始时间")
    success = {"1": True, "0": False}.get(form["success"])
    f = AuditFilter(
        start=start,
        end=end,
        actor=form["actor"],
        action=form["action"],
        target=form["target"],
        success=success,
    )
    return f, form, errors


@auditor_required
def audit_list(request):
    f, form, errors = filters_from(request)
    ctx = {
        "page_title": "审计日志",
        "form": form,
        "actions": audit_services.action_names(),
        "verify": request.session.pop("audit_verify_result", None),
    }
    if errors:
        ctx["error"] = "；".join(errors)  # nothing searched, so nothing to audit
        response = list_page(request, "console/audit_list.html", AuditRecord.objects.none(), context=ctx)
        response.status_code = 422
        return response
    qs = audit_services.audit_query(actor=request.user, filters=f)
    return list_page(request, "console/audit_list.html", qs, context=ctx, page_size=50)


@auditor_required
def audit_detail(request, seq: int):
    rec = audit_services.audit_get(actor=request.user, seq=seq)
    if rec is None:
        raise Http404
    detail_json = json.dumps(rec.detail, ensure_ascii=False, indent=2, sort_keys=True) if rec.detail else ""
    return render(
        request,
        "console/audit_detail.html",
        {"page_title": f"审计记录 #{rec.seq}", "rec": rec, "detail_json": detail_json,
         "detail_rows": detail_rows(rec.detail)},
    )


@auditor_required
def audit_export_csv(request):
    f, _form, errors = filters_from(request)
    if errors:
        messages.error(request, "；".join(errors))
        return redirect(f"/audit/?{request.GET.urlencode()}")
    try:
        count, lines = audit_services.audit_export(actor=request.user, filters=f)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(f"/audit/?{request.GET.urlencode()}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["X-Row-Count"] = str(count)
    return response


@require_POST
@auditor_required
def audit_verify_view(request):
    result = audit_services.audit_chain_verify(actor=request.user)
    data = {
        "ok": result.ok,
        "checked": result.checked,
        "message": result.message,
        "broken_seq": result.broken_seq,
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "console/_audit_verify.html", {"verify": data})
    request.session["audit_verify_result"] = data
    return redirect("/audit/")
