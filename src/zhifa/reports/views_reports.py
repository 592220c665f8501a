"""Pages of the reports: the indicator catalogue and drill-down (every value → exactly the records it counts,
exportable), the annual 法治政府建设年度报告 (draft, lint, issue, DOCX/PDF, masked public version) and the
指挥中心 dashboard with its JSON for the self-refresh."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.selectors import jurisdiction_of, scope_q
from zhifa.accounts.views_admin import business_required
from zhifa.core import indicators as registry
from zhifa.core.errors import DomainError
from zhifa.core.list_export import ListExport
from zhifa.core.listing import list_page

from . import dashboard as board
from . import services
from .models import PARTS, AnnualReport, ReportState

GENERIC = ListExport(title="记录", columns=[("记录", str)])


def _date(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return default


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start = _date(request.GET.get("start", ""), date(today.year, 1, 1))
    end = _date(request.GET.get("end", ""), today)
    return start, max(start, end)


@business_required
def catalogue(request):
    start, end = _period(request)
    groups: dict[str, list] = {}
    for ind in registry.indicators():
        groups.setdefault(ind.domain or "其他", []).append(
            (ind, ind.total(request.user, start=start, end=end))
        )
    return render(
        request,
        "reports/catalogue.html",
        {"groups": groups.items(), "start": start, "end": end, "fmt": services.fmt},
    )


@business_required
def drill(request, ident: str):
    if not registry.exists(ident):
        raise Http404
    ind = registry.get(ident)
    start, end = _period(request)
    by = request.GET.get("by", "")
    by = by if by in ind.dimensions else ""
    key = request.GET.get("key", "")
    value = ind.total(request.user, start=start, end=end)
    breakdown = ind.values(request.user, start=start, end=end, dimension=by) if by else []
    rows = ind.rows_behind(request.user, start=start, end=end, dimension=by, key=key)
    if hasattr(rows, "order_by"):
        rows = rows.order_by("-pk")
    spec = ind.export or GENERIC
    snap = None
    if request.GET.get("report", "").isdigit():
        report = AnnualReport.objects.filter(
            scope_q(request.user, jurisdiction=True), pk=int(request.GET["report"])
        ).first()
        snap = report.snapshots.filter(indicator_id=ident).first() if report else None
    ctx = {
        "ind": ind,
        "start": start,
        "end": end,
        "value": value,
        "by": by,
        "key": key,
        "breakdown": breakdown,
        "headers": [h for h, _g in spec.columns],
        "snap": snap,
        "fmt": services.fmt,
    }
    return list_page(request, "reports/drill.html", rows, context=ctx, export=spec)


@business_required
def annual_list(request):
    reports = AnnualReport.objects.filter(scope_q(request.user, jurisdiction=True)).select_related("org")
    today = timezone.localdate()
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        try:
            r = services.report_create(actor=request.user, org=jurisdiction_of(request.user.org), year=year)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("reports_annual_list")
        return redirect("reports_annual", pk=r.pk)
    return render(request, "reports/annual_list.html", {"reports": reports, "default_year": today.year})


def _report(request, pk: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.filter(scope_q(request.user, jurisdiction=True)).select_related("org"), pk=pk
    )


@business_required
def annual(request, pk: int):
    report = _report(request, pk)
    rs = services.refs(report, request.user)
    mask = request.GET.get("masked") == "1"
    headings = dict(PARTS)
    sections = [
        {
            "part": s["part"],
            "heading": headings[s["part"]],
            "paragraphs": [
                [(services.masked(t) if (mask and r) else t, r) for t, r in services.segments(p, rs)]
                for p in s.get("body", "").split("\n")
                if p.strip()
            ],
        }
        for s in report.sections
    ]
    findings = (
        services.lint(report, {k: r.value for k, r in rs.items()})
        if report.state == ReportState.DRAFT
        else []
    )
    submit_by, publish_by = services.deadlines(report.year)
    start, end = services.period(report.year)
    return render(
        request,
        "reports/annual.html",
        {
            "report": report,
            "sections": sections,
            "findings": findings,
            "mask": mask,
            "refs": rs.values(),
            "submit_by": submit_by,
            "publish_by": publish_by,
            "start": start,
            "end": end,
            "issued": report.state == ReportState.ISSUED,
            "changed": [r for r in rs.values() if r.changed],
        },
    )


@business_required
def annual_edit(request, pk: int):
    report = _report(request, pk)
    if request.method == "POST":
        bodies = {p: request.POST.get(f"part{p}", "") for p, _h in PARTS}
        try:
            services.report_update(actor=request.user, report=report, bodies=bodies)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "已保存")
        return redirect("reports_annual", pk=report.pk)
    bodies = {s["part"]: s.get("body", "") for s in report.sections}
    parts = [(p, h, bodies.get(p, "")) for p, h in PARTS]
    return render(
        request,
        "reports/annual_edit.html",
        {"report": report, "parts": parts, "indicators": registry.indicators()},
    )


@require_POST
@business_required
def annual_issue(request, pk: int):
    report = _report(request, pk)
    try:
        services.report_issue(actor=request.user, report=report)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已签发，报告中的数字已固定为签发时的快照")
    return redirect("reports_annual", pk=report.pk)


@require_POST
@business_required
def annual_mark(request, pk: int):
    report = _report(request, pk)
    try:
        services.report_mark(
            actor=request.user,
            report=report,
            submitted_on=_date(request.POST.get("submitted_on", ""), None),
            published_on=_date(request.POST.get("published_on", ""), None),
            publish_url=request.POST.get("publish_url", ""),
        )
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("reports_annual", pk=report.pk)


@business_required
def annual_file(request, pk: int, fmt: str):
    report = _report(request, pk)
    mask = request.GET.get("masked") == "1"
    data = services.report_docx(report, request.user, mask=mask)
    name = f"{report.title}{'（公开版）' if mask else ''}"
    if fmt == "pdf":
        from zhifa.documents.services import docx_to_pdf

        try:
            data = docx_to_pdf(data)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("reports_annual", pk=report.pk)
        ctype = "application/pdf"
    else:
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return resp


@business_required
def dashboard(request):
    import os

    from zhifa.core import basemap

    tiles = os.environ.get("ZHIFA_MAP_TILE_URL", "")
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": board.data(request.user, today=timezone.localdate()),
            "map_data": {"tiles": tiles, "base": None if tiles else basemap.base_map()},
        },
    )


@business_required
def dashboard_positions(request):
    return JsonResponse(board.positions(request.user), json_dumps_params={"ensure_ascii": False})


@business_required
def dashboard_json(request):
    return JsonResponse(
        board.data(request.user, today=timezone.localdate()), json_dumps_params={"ensure_ascii": False}
    )


# --- 月度通报 ----------------------------------------------------------------------------------------------


def _bulletin(request, pk: int):
    from .models import Bulletin

    return get_object_or_404(
        Bulletin.objects.filter(scope_q(request.user, jurisdiction=True)).select_related("org"), pk=pk
    )


def _bulletin_units(user):
    """The units a bulletin can be about: the actor's bureau (its jurisdiction), its brigades and 中队."""
    from zhifa.accounts.enums import OrgKind
    from zhifa.accounts.models import Org

    if not user.org_id:
        return Org.objects.none()
    root = jurisdiction_of(user.org)
    return Org.objects.filter(
        path__startswith=root.path, kind__in=[OrgKind.BUREAU, OrgKind.BRIGADE, OrgKind.SQUAD]
    )


@business_required
def bulletin_list(request):

    from . import bulletins
    from .models import Bulletin

    if request.method == "POST":
        org = _bulletin_units(request.user).filter(pk=request.POST.get("org") or 0).first()
        if org is None:
            messages.error(request, "请选择通报单位")
            return redirect("reports_bulletins")
        try:
            b = bulletins.bulletin_request(
                actor=request.user,
                org=org,
                month=request.POST.get("month", ""),
                indicator_ids=request.POST.getlist("ind"),
            )
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("reports_bulletins")
        return redirect("reports_bulletin", pk=b.pk)
    today = timezone.localdate()
    last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    units = _bulletin_units(request.user)
    return render(
        request,
        "reports/bulletins.html",
        {
            "bulletins": Bulletin.objects.filter(scope_q(request.user, jurisdiction=True)).select_related(
                "org"
            ),
            "month": last,
            "units": units,
            "indicators": registry.indicators(),
            "chosen": bulletins.DEFAULT_INDICATORS,
        },
    )


@business_required
def bulletin(request, pk: int):
    b = _bulletin(request, pk)
    return render(request, "reports/bulletin.html", {"b": b, "c": b.content})


@business_required
def bulletin_docx(request, pk: int):
    from urllib.parse import quote

    from . import bulletins

    b = _bulletin(request, pk)
    try:
        data = bulletins.bulletin_file(b)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("reports_bulletin", pk=b.pk)
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(b.number + '月度通报')}.docx"
    return resp


@require_POST
@business_required
def bulletin_move(request, pk: int, to: str):
    from . import bulletins

    b = _bulletin(request, pk)
    try:
        bulletins.bulletin_move(actor=request.user, bulletin=b, to=to)
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("reports_bulletin", pk=b.pk)
