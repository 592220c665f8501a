"""投诉举报 pages for officers: the work-order list (filters, export), a new order, the order's page (timeline,
clocks, the moves the table allows, 转为案源, the complainant in clear for the handler only). Reads through
``complaints.selectors`` (jurisdiction-scoped), writes through ``complaints.services``."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.views_admin import business_required
from zhifa.core.crypto import DIGEST_ALGORITHM
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page

from . import attachments, list_exports, rules, selectors, services
from .enums import Category, Channel, Satisfaction, State, Urgency

SUBNAV = [
    ("list", "/complaints/", "工单"),
    ("new", "/complaints/new/", "登记工单"),
    ("indicators", "/complaints/indicators/", "统计指标"),
]


def _ctx(tab: str, **extra) -> dict:
    return {"subnav": SUBNAV, "tab": tab, **extra}


def _units(user):
    from zhifa.accounts.models import Org

    root = jurisdiction_of(user.org)
    return Org.objects.filter(path__startswith=root.path).order_by("path")


@business_required
def order_list(request):
    g = request.GET
    f = {k: g.get(k, "").strip() for k in ("q", "state", "channel", "category", "org", "month")}
    overdue = g.get("overdue") == "1"
    qs = selectors.order_search(request.user, overdue=overdue, today=timezone.localdate(), **f)
    return list_page(
        request, "complaints/order_list.html", qs.order_by("-received_on", "-pk"),
        context=_ctx("list", f=f, overdue=overdue, states=[("open", "未办结"), *State.choices],
                     channels=Channel.choices, categories=Category.choices, units=_units(request.user),
                     today=timezone.localdate()),
        export=list_exports.ORDERS,
    )


@business_required
def platform_export(request):
    """导出至热线平台: the orders of a channel in a date range, with their replies and results, in the
    platform's own columns (what the 12345 import reads), as XLSX or CSV."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from zhifa.core.exports import CSV_TYPE, XLSX_TYPE

    from .importers import platform_export as export_file

    g = request.GET
    try:
        d_from = date.fromisoformat(g["from"]) if g.get("from") else None
        d_to = date.fromisoformat(g["to"]) if g.get("to") else None
    except ValueError:
        messages.error(request, "日期格式应为 YYYY-MM-DD")
        return redirect("/complaints/")
    channel = g.get("channel", Channel.H12345)
    channel = channel if channel in Channel.values else ""
    by = "replied" if g.get("by") == "replied" else "received"
    fmt = "csv" if g.get("format") == "csv" else "xlsx"
    qs = selectors.orders_for_platform(selectors.orders_visible(request.user), date_from=d_from, date_to=d_to,
                                       channel=channel, by=by)
    data = export_file(qs, fmt=fmt, actor=request.user,
                       filters={"from": d_from, "to": d_to, "channel": channel, "by": by})
    resp = HttpResponse(data, content_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE)
    resp["Content-Disposition"] = content_disposition_header(True, f"热线工单办理结果_{channel or '全部渠道'}.{fmt}")
    return resp


def _form_values(post) -> dict:
    return {k: post.get(k, "").strip() for k in (
        "channel", "category", "urgency", "title", "content", "received_on", "external_no", "name", "phone",
        "idcard", "subject_text", "party_ref", "place", "lat", "lng", "occurred_at")} | {
        "anonymous": post.get("anonymous") == "1"}


@business_required
def order_new(request):
    form = {"channel": Channel.PHONE, "category": Category.COMPLAINT, "urgency": Urgency.NORMAL,
            "received_on": timezone.localdate().isoformat()}
    error, field_errors, duplicates = "", {}, []
    if request.method == "POST":
        form = _form_values(request.POST)
        try:
            from zhifa.cases.pickers import subject_from_ref

            subject = subject_from_ref(request.user, form["party_ref"])
            received = date.fromisoformat(form["received_on"]) if form["received_on"] else timezone.localdate()
            occurred = datetime.fromisoformat(form["occurred_at"]) if form["occurred_at"] else None
            if occurred is not None and timezone.is_naive(occurred):
                occurred = timezone.make_aware(occurred)
            if request.POST.get("confirm") != "1" and form["lat"] and form["lng"]:
                duplicates = selectors.near_duplicates(category=form["category"], lat=form["lat"],
                                                       lng=form["lng"], on=received,
                                                       org=jurisdiction_of(request.user.org))
            if not duplicates:
                order, created = services.order_create(
                    actor=request.user, org=jurisdiction_of(request.user.org), channel=form["channel"],
                    category=form["category"], urgency=form["urgency"] or Urgency.NORMAL, title=form["title"],
                    content=form["content"], received_on=received, external_no=form["external_no"],
                    complainant=services.Complainant(form["name"], form["phone"], form["idcard"]),
                    anonymous=form["anonymous"], subject=subject, subject_text=form["subject_text"],
                    place=form["place"], lat=form["lat"] or None, lng=form["lng"] or None, occurred_at=occurred)
                messages.success(request, f"已登记工单 {order.number}" if created else
                                 f"该外部工单号已登记为 {order.number}，未重复登记")
                return redirect(f"/complaints/{order.pk}/")
        except ValueError:
            error = "日期或坐标格式有误（日期应为 YYYY-MM-DD）"
        except DomainError as e:
            error, field_errors = e.message, e.fields or {}
    return render(request, "complaints/order_new.html", _ctx(
        "new", form=form, error=error, field_errors=field_errors, duplicates=duplicates,
        channels=Channel.choices, categories=Category.choices, urgencies=Urgency.choices))


@business_required
def order_detail(request, pk: int):
    o = selectors.order_get(request.user, pk)
    clear = None
    if request.method == "POST" and request.POST.get("reveal") == "1":
        try:
            clear = services.complainant_reveal(order=o, actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
    rule = rules.track_rule(o.track)
    actions = services.allowed_actions(o, request.user)
    return render(request, "complaints/order_detail.html", _ctx(
        "list", o=o, clear=clear, events=selectors.timeline(o), actions=actions,
        labels=services.ACTION_LABELS, rule=rule, units=_units(request.user),
        satisfactions=Satisfaction.choices, today=timezone.localdate(),
        is_handler=services.may_see_complainant(o, request.user), files=attachments.order_files(o),
        digest_algorithm=DIGEST_ALGORITHM,
        can_case=o.case_source_id is None and o.state in ("received", "accepted", "dispatched", "handling"),
        duplicates=selectors.near_duplicates(category=o.category, lat=o.lat, lng=o.lng, on=o.received_on,
                                             place=o.place, exclude_pk=o.pk, org=jurisdiction_of(o.org))
        if o.state in ("received", "accepted") else []))


@business_required
@require_POST
def order_act(request, pk: int):
    o = selectors.order_get(request.user, pk)
    action = request.POST.get("action", "")
    try:
        on = date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None
        data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "action", "on")}
        o = services.order_transition(order=o, action=action, actor=request.user, data=data, on=on)
        messages.success(request, f"已办理：{services.ACTION_LABELS.get(action, action)}")
    except ValueError:
        messages.error(request, "办理日期格式应为 YYYY-MM-DD")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(f"/complaints/{pk}/")


@business_required
@require_POST
def order_attach(request, pk: int):
    o = selectors.order_get(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件")
        return redirect(f"/complaints/{pk}/")
    try:
        item = attachments.order_attach(order=o, upload=upload, actor=request.user,
                                        description=request.POST.get("description", ""))
        messages.success(request, f"已上传“{item.filename}”，{item.digest_algorithm} 摘要 {item.digest}")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(f"/complaints/{pk}/#attachments")


@require_http_methods(["GET", "HEAD"])
@business_required
def order_file(request, pk: int, item_pk: int):
    """An attachment to whoever may see the order (custody-logged by the evidence store)."""
    from django.http import Http404

    from zhifa.evidence import http

    o = selectors.order_get(request.user, pk)
    try:
        item = attachments.order_file(o, item_pk)
    except DomainError as e:
        raise Http404(e.message) from e
    return http.serve(request, item, inline=False)


@business_required
@require_POST
def order_to_case(request, pk: int):
    o = selectors.order_get(request.user, pk)
    try:
        src = services.order_to_case(order=o, actor=request.user)
        messages.success(request, f"已转为案源（案源编号 {src.pk}），由执法部门负责人决定是否立案")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(f"/complaints/{pk}/")


@business_required
def reply_docx(request, pk: int):
    """The reply draft (答复意见书) as a DOCX the office opens in WPS/Word."""
    import io

    from django.http import HttpResponse
    from django.utils.http import content_disposition_header
    from docx import Document

    o = selectors.order_get(request.user, pk)
    doc = Document()
    doc.add_heading("投诉举报答复意见书", level=1)
    doc.add_paragraph(f"工单号：{o.number}")
    for line in (o.reply_text or o.reply_draft or services.reply_draft(o)).splitlines():
        doc.add_paragraph(line)
    doc.add_paragraph(f"{o.org.name}")
    doc.add_paragraph(f"{timezone.localdate():%Y年%m月%d日}")
    buf = io.BytesIO()
    doc.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = content_disposition_header(True, f"答复意见书-{o.number}.docx")
    return resp
