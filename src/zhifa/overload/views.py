"""治超 pages: review queue, lead detail (review, close), stations, 一超四罚, 抄告, statistics; and the
public look-up under /public/overload/ (no login: plate + verification code, 行政处罚法 Art 41).

Reads go through ``overload.selectors`` (jurisdiction-scoped: another county's lead is a 404), writes
through ``overload.services``. Business roles only; the 三员 get 403.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import Role
from zhifa.accounts.views_admin import business_required, error_context
from zhifa.core.errors import DomainError
from zhifa.core.exports import spreadsheet_row
from zhifa.core.listing import list_page

from . import list_exports, rules, selectors, services
from .models import AccuracyClass, DeviceType, LeadStatus, PlateCodeSet, StationKind
from .screening import VERDICTS

SUBNAV = [
    ("queue", "/overload/", "待审核"),
    ("leads", "/overload/leads/", "全部记录"),
    ("stations", "/overload/stations/", "检测点"),
    ("sanctions", "/overload/sanctions/", "一超四罚"),
    ("notices", "/overload/notices/", "抄告"),
    ("stats", "/overload/stats/", "统计"),
]


def _ctx(tab: str, **extra) -> dict:
    return {"subnav": SUBNAV, "tab": tab, **extra}


@business_required
def queue(request):
    q = request.GET.get("q", "").strip()
    qs = selectors.leads_visible(request.user, status=LeadStatus.PENDING, q=q).order_by("passed_at")
    return list_page(
        request,
        "overload/lead_list.html",
        qs,
        context=_ctx("queue", q=q, title="待审核超限记录", status=LeadStatus.PENDING),
        export=list_exports.LEADS,
    )


@business_required
def lead_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in LeadStatus.values else ""
    qs = selectors.leads_visible(request.user, status=status, q=q)
    return list_page(
        request,
        "overload/lead_list.html",
        qs,
        context=_ctx(
            "leads", q=q, title="超限记录", status=status, statuses=LeadStatus.choices, show_status=True
        ),
        export=list_exports.LEADS,
    )


@business_required
def lead_detail(request, pk: int):
    lead = selectors.lead_get(request.user, pk)
    check = services.rescreen(lead)
    today = timezone.localdate()
    station = lead.station
    ctx = _ctx(
        "queue" if lead.status == LeadStatus.PENDING else "leads",
        lead=lead,
        check=check,
        verdict_label=VERDICTS.get(check["verdict"], check["verdict"]),
        fine=rules.fine_proposal(check["excess_kg"], on=timezone.localdate(lead.passed_at))
        if check["verdict"] == "overload"
        else None,
        cert_ok=station.cert_valid_on(lead.passed_at.date()),
        cert_ok_today=station.cert_valid_on(today),
        images=lead.record.get("images") or [],
        axle_weights=lead.record.get("axle_weights_kg") or [],
        can_review=request.user.has_role(Role.OFFICER) and lead.status == LeadStatus.PENDING,
        notice=getattr(lead, "notice", None),
        case=selectors.case_for_lead(lead),
        evidence_item=(lead.evidence or {}).get("evidence_item"),
        today=today,
    )
    return render(request, "overload/lead_detail.html", ctx)


@business_required
@require_POST
def lead_review(request, pk: int):
    lead = selectors.lead_get(request.user, pk)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    try:
        if action == "confirm":
            picked = request.POST.get("driver_id", "").strip()
            driver = services.driver_resolve(
                actor=request.user, idcard=request.POST.get("driver_idcard", ""),
                driver_id=int(picked) if picked.isdigit() else None,
            )
            lead = services.lead_confirm(lead=lead, actor=request.user, reason=reason, driver=driver)
            messages.success(
                request, f"已确认为案源（案源编号 {lead.case_source_id}），查询验证码 {lead.verify_code}"
            )
        elif action == "reject":
            services.lead_reject(lead=lead, actor=request.user, reason=reason)
            messages.success(request, "已排除该记录")
        else:
            raise PermissionDenied
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(f"/overload/leads/{pk}/")
    nxt = selectors.leads_visible(request.user, status=LeadStatus.PENDING).order_by("passed_at").first()
    return redirect(f"/overload/leads/{nxt.pk}/" if nxt and action else f"/overload/leads/{pk}/")


@business_required
@require_POST
def lead_close(request, pk: int):
    lead = selectors.lead_get(request.user, pk)
    try:
        closed_on = date.fromisoformat(request.POST.get("closed_on", ""))
    except ValueError:
        messages.error(request, "结案日期格式应为 YYYY-MM-DD")
        return redirect(f"/overload/leads/{pk}/")
    try:
        services.lead_close(
            lead=lead,
            actor=request.user,
            closed_on=closed_on,
            decision_no=request.POST.get("decision_no", ""),
        )
        messages.success(request, "已登记结案")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(f"/overload/leads/{pk}/")


# --- stations -------------------------------------------------------------------------------------


@business_required
def station_list(request):
    today = timezone.localdate()
    rows = list(selectors.stations_visible(request.user))
    for s in rows:
        s.cert_ok = s.cert_valid_on(today)
    return render(
        request,
        "overload/station_list.html",
        _ctx("stations", rows=rows, can_edit=request.user.has_role(*services.STATION_MANAGERS)),
    )


@business_required
def station_form(request, pk: int | None = None):
    if not request.user.has_role(*services.STATION_MANAGERS):
        raise PermissionDenied
    station = get_object_or_404(selectors.stations_visible(request.user), pk=pk) if pk else None
    ctx = _ctx(
        "stations",
        station=station,
        kinds=StationKind.choices,
        device_types=DeviceType.choices,
        classes=AccuracyClass.choices,
        code_sets=PlateCodeSet.choices,
        data=request.POST or None,
    )
    if request.method == "POST":
        p = request.POST

        def d(name):
            try:
                return date.fromisoformat(p.get(name, "")) if p.get(name) else None
            except ValueError:
                return None

        try:
            s = services.station_save(
                code=station.code if station else p.get("code", ""),
                org=station.org if station else request.user.org,
                actor=request.user,
                name=p.get("name", ""),
                kind=p.get("kind", "roadside"),
                route=p.get("route", ""),
                chainage=p.get("chainage", ""),
                direction=p.get("direction", ""),
                lanes=int(p.get("lanes") or 2),
                device_type=p.get("device_type", "quartz"),
                device_no=p.get("device_no", ""),
                accuracy_class=p.get("accuracy_class", ""),
                cert_no=p.get("cert_no", ""),
                cert_valid_from=d("cert_valid_from"),
                cert_valid_to=d("cert_valid_to"),
                plate_code_set=p.get("plate_code_set", "toll"),
                source_enterprise_uscc=p.get("source_enterprise_uscc", ""),
            )
        except DomainError as e:
            ctx.update(error_context(e))
            return render(request, "overload/station_form.html", ctx, status=422)
        except Exception as e:  # noqa: BLE001 - full_clean ValidationError and bad ints: show, do not 500
            ctx.update({"error": f"输入有误：{e}"})
            return render(request, "overload/station_form.html", ctx, status=422)
        messages.success(request, f"已保存检测点 {s}")
        return redirect("/overload/stations/")
    return render(request, "overload/station_form.html", ctx)


# --- 一超四罚 and 抄告 ----------------------------------------------------------------------------------


@business_required
def sanction_list(request):
    return list_page(
        request,
        "overload/sanction_list.html",
        selectors.sanctions_visible(request.user),
        context=_ctx(
            "sanctions",
            window=rules.SANCTION_WINDOW_DAYS,
            article=rules.SANCTION_ARTICLE,
            source_article=rules.SOURCE_ARTICLE,
            trip=rules.trip_dedupe_hours(timezone.localdate()),
            pending=selectors.pending_decision_counts(request.user, on=timezone.localdate())[:50],
        ),
    )


NOTICE_HEADER = [
    "车牌号",
    "车牌颜色",
    "车型",
    "所属企业",
    "道路运输证号",
    "驾驶人",
    "从业资格证号",
    "驾驶人所属企业",
    "货运源头单位",
    "货物装载单",
    "处罚决定书文号",
    "结案日期",
    "检测点",
    "超限质量（千克）",
    "抄告期限",
    "状态",
]


def _notice_row(n) -> list:
    it = n.items
    v, d, s, dec = it.get("vehicle", {}), it.get("driver", {}), it.get("source", {}), it.get("decision", {})
    return [
        v.get("plate"),
        v.get("plate_color"),
        v.get("vehicle_type"),
        v.get("enterprise"),
        v.get("transport_cert_no"),
        d.get("name"),
        d.get("qualification_no"),
        d.get("employer"),
        s.get("unit"),
        s.get("loading_slip"),
        dec.get("number"),
        dec.get("closed_on"),
        it.get("other", {}).get("station"),
        it.get("other", {}).get("excess_kg"),
        n.due_on.isoformat(),
        n.get_status_display(),
    ]


@business_required
def notice_list(request):
    status = request.GET.get("status", "")
    qs = selectors.notices_visible(request.user, status=status)
    if request.GET.get("export") == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(NOTICE_HEADER)
        for n in qs:
            w.writerow(spreadsheet_row(_notice_row(n)))
        resp = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = 'attachment; filename="overload-notices.csv"'
        return resp
    return list_page(
        request,
        "overload/notice_list.html",
        qs,
        context=_ctx("notices", status=status, article=rules.NOTIFY_ARTICLE, today=timezone.localdate()),
    )


@business_required
@require_POST
def notice_sent(request, pk: int):
    n = get_object_or_404(selectors.notices_visible(request.user), pk=pk)
    try:
        services.notice_mark_sent(notice=n, actor=request.user)
        messages.success(request, "已标记为已抄告")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("/overload/notices/")


# --- statistics -----------------------------------------------------------------------------------


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
        start = (
            date.fromisoformat(request.GET.get("start", ""))
            if request.GET.get("start")
            else end - timedelta(29)
        )
    except ValueError:
        end, start = today, today - timedelta(29)
    if start > end:
        start, end = end, start
    return start, min(end, start + timedelta(366))


@business_required
def stats(request):
    start, end = _period(request)
    st = selectors.station_stats(request.user, start=start, end=end)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return _export(st, fmt)
    # The template's json_script encodes this once; a pre-encoded string arrived in the page as one
    # JSON string and the charts drew nothing.
    chart = {
        "days": [r["day"] for r in st.by_day],
        "traffic": [r["traffic"] for r in st.by_day],
        "overload": [r["overload"] for r in st.by_day],
        "hours": [r["hour"] for r in st.by_hour],
        "hour_rate": [float(r["rate"]) for r in st.by_hour],
        "axles": [f"{r['axles']}轴" for r in st.by_axles],
        "axle_rate": [float(r["rate"]) for r in st.by_axles],
        "bins": [r["bin"] for r in st.excess_hist],
        "bin_counts": [r["count"] for r in st.excess_hist],
    }
    return render(
        request,
        "overload/stats.html",
        _ctx("stats", st=st, chart=chart, start=start, end=end),
    )


def _export(st, fmt: str) -> HttpResponse:
    header = ["检测点编号", "检测点名称", "通行量", "超限数", "超限率（%）"]
    rows = [
        [r["station_code"], r["name"], r["traffic"], r["overload"], float(r["rate"])] for r in st.by_station
    ]
    name = f"overload-stats-{st.start}-{st.end}"
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "检测点"
        ws.append(header)
        for r in rows:
            ws.append(spreadsheet_row(r, xlsx=True))
        ws2 = wb.create_sheet("按日")
        ws2.append(["日期", "通行量", "超限数", "超限率（%）"])
        for r in st.by_day:
            ws2.append([r["day"], r["traffic"], r["overload"], float(r["rate"])])
        ws3 = wb.create_sheet("案件")
        for k, label in (
            ("leads", "超限记录"),
            ("confirmed", "确认案源"),
            ("rejected", "排除"),
            ("pending", "待审核"),
            ("excess_tonnes", "超限吨数"),
            ("fines_yuan", "拟罚款（元）"),
        ):
            ws3.append([label, st.cases[k]])
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return resp
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(spreadsheet_row(r) for r in rows)
    resp = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return resp


# --- public look-up (no login) --------------------------------------------------------------------

LOOKUP_FAILURES_PER_HOUR = 20  # guessing codes: 8 characters of 32, and at most this many misses per address


def public_lookup(request):
    ctx: dict = {"plate": "", "code": ""}
    src = request.POST if request.method == "POST" else request.GET
    plate, code = src.get("plate", "").strip(), src.get("code", "").strip()
    if plate or code:
        ctx.update(plate=plate, code=code)
        key = f"overload-lookup:{request.META.get('REMOTE_ADDR', '')}"
        failures = cache.get(key, 0)
        if failures >= LOOKUP_FAILURES_PER_HOUR:
            ctx["error"] = "查询失败次数过多，请一小时后再试"
            return render(request, "overload/public_lookup.html", ctx, status=429)
        try:
            lead = services.lead_lookup(plate=plate, code=code)
        except DomainError as e:
            cache.set(key, failures + 1, 3600)
            ctx["error"] = e.message
            return render(request, "overload/public_lookup.html", ctx, status=404)
        if request.method == "POST" and "statement" in request.POST:
            try:
                lead = services.lead_statement_submit(plate=plate, code=code, text=request.POST["statement"])
                ctx["saved"] = True
            except DomainError as e:
                ctx["error"] = e.message
        ctx["lead"] = lead
        ctx["images"] = lead.record.get("images") or []
        ctx["axle_weights"] = lead.record.get("axle_weights_kg") or []
    return render(request, "overload/public_lookup.html", ctx)
