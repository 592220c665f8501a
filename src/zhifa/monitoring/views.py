"""Pages of 两客一危 monitoring: the monthly runs and 通报 (ECharts), the leads with their review, a vehicle's
track (Leaflet; tiles from ``ZHIFA_MAP_TILE_URL`` when set, otherwise the county's light base map from
``ZHIFA_MAP_BASE_GEOJSON`` — see basemap.py — or a plain grid)."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhifa.accounts.views_admin import business_required
from zhifa.core import basemap
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page
from zhifa.jobs.services import job_submit

from . import engine as eng
from . import report, selectors, services
from .definitions import CHECK_LABELS, VIOLATION_TYPES
from .models import ENGINE_LABELS, LeadStatus
from .rules import rules_for
from .store import Store, month_bounds


def _tile_url() -> str:
    """The intranet map tile URL template (ZHIFA_MAP_TILE_URL); empty draws on a blank canvas."""
    return os.environ.get("ZHIFA_MAP_TILE_URL", "")


@business_required
def index(request):
    runs = list(selectors.runs_visible(request.user)[:24])
    if request.method == "POST":
        month = request.POST.get("month", "").strip()
        engine = request.POST.get("engine", "duckdb")
        try:  # the quick refusals (month, role, engine) at once; the statistics themselves in the background
            services.monthly_run_check(org=request.user.org, month=month, actor=request.user, engine=engine)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect(reverse("monitoring_index"))
        job = job_submit("monitoring.monthly_run", params={"month": month, "org_id": request.user.org_id,
                                                           "engine": engine}, actor=request.user)
        return redirect(reverse("job_detail", args=[job.pk]))
    last = timezone.localdate().replace(day=1)
    prev_month = date(last.year - 1, 12, 1) if last.month == 1 else date(last.year, last.month - 1, 1)
    return render(
        request,
        "monitoring/index.html",
        {
            "page_title": "两客一危动态监控",
            "runs": runs,
            "default_month": prev_month.strftime("%Y-%m"),
            "engines": list(ENGINE_LABELS.items()),
            "rules": rules_for(timezone.localdate()).explain(),
        },
    )


def _run(request, month):
    org = request.GET.get("org", "")
    try:
        return selectors.run_get(request.user, month, int(org) if org.isdigit() else None)
    except DomainError as e:
        raise Http404(e.message) from e


@business_required
def run_page(request, month: str):
    run = _run(request, month)
    ctx = report.bulletin_context(run, selectors.previous_run(run), selectors.month_leads_stats(run))
    chart = {
        "enterprises": [e["enterprise"] for e in ctx["ranking"]],
        "series": {label: [e[key] for e in ctx["ranking"]] for label, key in report.RATES},
    }
    failed = [(CHECK_LABELS.get(k, k), n) for k, n in run.summary.get("failed_checks", {}).items() if n]
    return render(
        request,
        "monitoring/run.html",
        dict(ctx, page_title=f"{month} 动态监控通报", chart=json.dumps(chart), failed=failed),
    )


@business_required
def run_docx(request, month: str):
    run = _run(request, month)
    ctx = report.bulletin_context(run, selectors.previous_run(run), selectors.month_leads_stats(run))
    resp = HttpResponse(
        report.bulletin_docx(ctx),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    resp["Content-Disposition"] = f'attachment; filename="monitoring-{month}.docx"'
    return resp


@business_required
def lead_list(request):
    f = {k: request.GET.get(k, "").strip() for k in ("q", "status", "type", "month")}
    qs = selectors.leads_visible(request.user, **f)
    return list_page(
        request,
        "monitoring/leads.html",
        qs,
        context={
            "page_title": "违规线索",
            "f": f,
            "status_choices": LeadStatus.choices,
            "type_choices": sorted(VIOLATION_TYPES.items()),
        },
    )


@require_POST
@business_required
def lead_review(request, pk: int):
    try:
        lead = selectors.lead_get(request.user, pk)
        lead = services.lead_review(
            lead=lead,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except DomainError as e:
        if e.status == 404:
            raise Http404(e.message) from e
        messages.error(request, e.message)
    else:
        msg = f"线索已处理：{LeadStatus(lead.status).label}"
        if lead.case_source_id:
            msg += f"（案源 #{lead.case_source_id}）"
        messages.success(request, msg)
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = reverse("monitoring_leads")  # never an open redirect to another site
    return redirect(nxt)


@business_required
def vehicle_track(request, pk: int):
    try:
        vehicle = selectors.vehicle_get(request.user, pk)
    except DomainError as e:
        raise Http404(e.message) from e
    day_s = request.GET.get("date", "").strip()
    try:
        day = date.fromisoformat(day_s) if day_s else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    month = day.strftime("%Y-%m")
    start = month_bounds(month)[0] + (day.day - 1) * 86400
    store = Store()
    files = store.vehicle_files(vehicle.plate, vehicle.plate_color, month)
    info = eng.VehicleInfo(vehicle.plate, vehicle.plate_color, vehicle.vehicle_type)
    track = (
        eng.track_detail(files, info, rules_for(day), start=start, end=start + 86400)
        if files
        else {"points": [], "gaps": []}
    )
    leads = selectors.leads_visible(request.user).filter(
        plate=vehicle.plate,
        plate_color=vehicle.plate_color,
        start_at__lt=datetime.fromtimestamp(start + 86400, tz=UTC),
        end_at__gte=datetime.fromtimestamp(start, tz=UTC),
    )
    pts = track["points"]
    marks = []
    for lead in leads:
        t = int(lead.start_at.timestamp())
        near = min(pts, key=lambda p: abs(p["ts"] - t)) if pts else None
        if near:
            marks.append(
                {"lon": near["lon"], "lat": near["lat"], "label": f"{lead.type_label}：{lead.detail}"}
            )
    data = {
        "points": [[p["lat"], p["lon"], p["drift"], eng.iso(p["ts"])[11:19], p["speed"]] for p in pts],
        "gaps": [
            {"t0": eng.iso(g["t0"])[11:19], "t1": eng.iso(g["t1"])[11:19], "dist_m": g["dist_m"]}
            for g in track["gaps"]
        ],
        "marks": marks,
        "tiles": _tile_url(),
        "base": None if _tile_url() else basemap.base_map(),
    }
    return render(
        request,
        "monitoring/vehicle.html",
        {
            "page_title": f"{vehicle} 轨迹",
            "vehicle": vehicle,
            "day": day,
            "data": data,
            "has_tiles": bool(data["tiles"]),
            "has_base": data["base"] is not None,
            "base_name": basemap.base_name(),
            "n_points": len(pts),
            "n_drift": sum(1 for p in pts if p["drift"]),
            "gaps": data["gaps"],
            "leads": leads,
        },
    )


@business_required
def zone_list(request):
    """路段限速: the zones that apply in the user's jurisdiction, their limits per monitored vehicle type and
    where each comes from, on a map (over the base map or grid unless ``ZHIFA_MAP_TILE_URL`` is set)."""
    from .rules import ROAD_CLASSES
    from .zone_services import zone_rows

    zones = list(selectors.zones_visible(request.user))
    features = [
        {
            "type": "Feature",
            "geometry": z.geometry,
            "properties": {
                "name": z.name,
                "road_class": z.road_class_label,
                "limit": z.limit_kmh,
                "active": z.active,
            },
        }
        for z in zones
    ]
    return render(
        request,
        "monitoring/zones.html",
        {
            "page_title": "路段限速",
            "rows": zone_rows(zones),
            "map_data": {
                "type": "FeatureCollection",
                "features": features,
                "tiles": _tile_url(),
                "base": None if _tile_url() else basemap.base_map(),
            },
            "classes": [
                {
                    "code": rc.code,
                    "label": rc.label,
                    "limit": rc.limits.get("default"),
                    "source": rc.source,
                }
                for rc in ROAD_CLASSES.values()
            ],
        },
    )
