"""Officers' pages of the JT/T 809 link: platforms with their month's figures, 查岗 (send, list, judged),
报警督办 (send from a lead or a reported alarm, list with replies and what happened when overdue)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page

from ..errors import MonitoringError
from ..models import Jt809Alarm, LeadStatus, SpotCheckStatus, SupervisionStatus
from ..selectors import leads_visible
from . import selectors, services
from .protocol import SPOTCHECK_OBJECTS, SUPERVISION_LEVELS


def _month(request) -> tuple[str, date, date]:
    raw = request.GET.get("month", "").strip()
    try:
        y, m = (int(x) for x in raw.split("-"))
        start = date(y, m, 1)
    except ValueError:
        start = timezone.localdate().replace(day=1)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.strftime("%Y-%m"), start, end


def _hms(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    return f"{h} 小时 {rem // 60} 分"


@business_required
def platforms(request):
    month, start, end = _month(request)
    online = selectors.online_center_ids()
    rows = [{"s": s, "online": s.platform.center_id in online, "disconnect": _hms(s.disconnect_s)}
            for s in selectors.stats_for(request.user, start, end)]  # fmt: skip
    return render(
        request,
        "monitoring/jt809/platforms.html",
        {"page_title": "平台对接（JT/T 809）", "rows": rows, "month": month},
    )


@business_required
def spotchecks(request):
    plats = list(selectors.platforms_visible(request.user).filter(active=True))
    if request.method == "POST":
        chosen = [p for p in plats if str(p.pk) in request.POST.getlist("platform")]
        if request.POST.get("all") == "1":
            chosen = plats
        try:
            minutes = int(request.POST.get("answer_minutes") or services.answer_minutes_default())
        except ValueError:
            minutes = 0
        try:
            sent = services.spotcheck_send(actor=request.user, platforms=chosen, question=request.POST.get("question", ""),
                                           answer_seconds=minutes * 60)  # fmt: skip
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已向 {len(sent)} 个平台发出查岗，平台在线时立即下发")
        return redirect("/monitoring/jt809/spotchecks/")
    status = request.GET.get("status", "").strip()
    qs = selectors.spotchecks_visible(request.user)
    if status in SpotCheckStatus.values:
        qs = qs.filter(status=status)
    return list_page(request, "monitoring/jt809/spotchecks.html", qs, context={
        "page_title": "平台查岗", "platforms": plats, "status": status, "status_choices": SpotCheckStatus.choices,
        "default_minutes": services.answer_minutes_default(), "objects": SPOTCHECK_OBJECTS})  # fmt: skip


@business_required
def supervisions(request):
    plats = list(selectors.platforms_visible(request.user).filter(active=True))
    if request.method == "POST":
        f = request.POST
        try:
            pl = next((p for p in plats if str(p.pk) == f.get("platform")), None)
            if pl is None:
                raise MonitoringError.JT809.error(detail="请选择下级平台")
            try:
                deadline = timezone.make_aware(datetime.fromisoformat(f.get("deadline", "")))
            except ValueError:
                raise MonitoringError.JT809.error(
                    detail=f"督办截止时间“{f.get('deadline', '')}”无效"
                ) from None
            lead = leads_visible(request.user).filter(pk=f.get("lead") or 0).first()
            alarm = Jt809Alarm.objects.filter(platform__in=plats, pk=f.get("alarm") or 0).first()
            services.supervision_create(actor=request.user, platform=pl, deadline=deadline, level=int(f.get("level", 1)),
                                        lead=lead, alarm=alarm, detail=f.get("detail", ""))  # fmt: skip
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已向 {pl.name} 发出报警督办")
        return redirect("/monitoring/jt809/supervisions/")
    status = request.GET.get("status", "").strip()
    qs = selectors.supervisions_visible(request.user)
    if status in SupervisionStatus.values:
        qs = qs.filter(status=status)
    leads = leads_visible(request.user).filter(status__in=[LeadStatus.PENDING, LeadStatus.NOTICE])[:50]
    alarms = Jt809Alarm.objects.filter(platform__in=plats).select_related("platform")[:50]
    default_deadline = (timezone.localtime() + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M")
    return list_page(request, "monitoring/jt809/supervisions.html", qs, context={
        "page_title": "报警督办", "platforms": plats, "status": status, "status_choices": SupervisionStatus.choices,
        "leads": leads, "alarms": alarms, "levels": SUPERVISION_LEVELS.items(), "default_deadline": default_deadline,
        })  # fmt: skip
