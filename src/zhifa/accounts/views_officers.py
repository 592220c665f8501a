"""执法人员 pages: the list with each officer's 执法资格, the detail page with certificates and history,
and for 法制审核人员 / 执法部门负责人 the certificate, 年审 and leave (收缴) actions.

Reads go through ``accounts.selectors`` (scoped to the actor's unit and its sub-units, so another unit's
officer is a 404); writes through ``accounts.services``. Business roles only: the 三员 get 403.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts import selectors, services
from zhifa.accounts.enums import CertField, OfficerStatus, ReviewStatus
from zhifa.accounts.models import Certificate
from zhifa.accounts.views_admin import MappedRows, business_required, error_context
from zhifa.core.cleaning import parse_date
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page

EXPIRING_DAYS = 60
CERT_FILTERS = {"expiring": f"{EXPIRING_DAYS}日内到期", "expired": "已过期", "none": "无证"}


def _is_manager(user) -> bool:
    return user.has_role(*services.OFFICER_MANAGERS)


def _cert_filter(qs, which: str, today: date):
    live = Certificate.objects.filter(officer=OuterRef("pk"), withdrawn_on__isnull=True)
    if which == "expiring":
        return qs.filter(
            Exists(live.filter(valid_to__gte=today, valid_to__lte=today + timedelta(days=EXPIRING_DAYS)))
        )
    if which == "expired":  # holds certificates, none of them still in date
        return qs.filter(Exists(live)).exclude(Exists(live.filter(valid_to__gte=today)))
    if which == "none":  # no certificate that has not been withdrawn
        return qs.exclude(Exists(live))
    return qs


@business_required
def officer_list(request):
    actor = request.user
    today = date.today()
    qs = selectors.officers_visible(actor).prefetch_related("certificates")
    q = request.GET.get("q", "").strip()
    org = request.GET.get("org", "")
    status = request.GET.get("status", "")
    cert = request.GET.get("cert", "")
    unit = None
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(certificates__number__contains=q)).distinct()
    if org.isdigit():
        unit = selectors.orgs_visible(actor).filter(pk=int(org)).first()
        if unit is not None:
            qs = qs.filter(org__path__startswith=unit.path)
    if status in OfficerStatus.values:
        qs = qs.filter(status=status)
    qs = _cert_filter(qs, cert, today)
    rate = selectors.certified_rate(actor, on=today, org=unit)
    rows = MappedRows(qs, lambda officers: rows_with_eligibility(officers, today))
    return list_page(
        request,
        "accounts/officer_list.html",
        rows,
        context={
            "page_title": "执法人员",
            "q": q,
            "org": org,
            "status": status,
            "cert": cert,
            "unit": unit,
            "orgs": selectors.orgs_visible(actor),
            "status_choices": OfficerStatus.choices,
            "cert_choices": CERT_FILTERS,
            "rate": rate,
            "rate_percent": round(rate.rate * 100, 1),
            "today": today,
            "can_manage": _is_manager(actor),
        },
    )


def _current_cert(officer, today: date):
    """The certificate to show in the list: the one authorising today, else the latest."""
    certs = list(officer.certificates.all())
    for c in certs:
        if not selectors.certificate_problem(c, today):
            return c
    return certs[0] if certs else None


def rows_with_eligibility(rows, today: date) -> list[dict]:
    return [
        {"officer": o, "cert": _current_cert(o, today), "elig": selectors.officer_can_enforce(o, on=today)}
        for o in rows
    ]


def _history(officer) -> list[tuple[date, str]]:
    """The officer's record as dated events, newest first (from the officer and certificate rows)."""
    events: list[tuple[date, str]] = [(timezone.localdate(officer.created_at), "登记为执法人员")]
    for c in officer.certificates.all():
        events.append(
            (
                c.valid_from,
                f"执法证 {c.number}（{c.get_field_display()}）生效，发证机关：{c.issuing_authority}",
            )
        )
        if c.reviewed_on:
            events.append((c.reviewed_on, f"执法证 {c.number} 年审：{c.get_review_status_display()}"))
        if c.withdrawn_on:
            events.append((c.withdrawn_on, f"执法证 {c.number} 收缴：{c.withdraw_reason}"))
        elif c.valid_to < date.today():
            events.append((c.valid_to, f"执法证 {c.number} 有效期届满"))
    if officer.left_on:
        events.append((officer.left_on, f"离岗（{officer.get_status_display()}）"))
    return sorted(events, key=lambda e: e[0], reverse=True)


def _detail_context(request, officer) -> dict:
    today = date.today()
    certs = [
        {"cert": c, "problem": selectors.certificate_problem(c, today)} for c in officer.certificates.all()
    ]
    return {
        "page_title": f"执法人员 {officer.name}",
        "officer": officer,
        "certs": certs,
        "elig": selectors.officer_can_enforce(officer, on=today),
        "history": _history(officer),
        "can_manage": _is_manager(request.user) and officer.status == OfficerStatus.ACTIVE,
        "field_choices": CertField.choices,
        "review_choices": ReviewStatus.choices,
        "leave_choices": [
            (OfficerStatus.LEFT.value, OfficerStatus.LEFT.label),
            (OfficerStatus.RETIRED.value, OfficerStatus.RETIRED.label),
        ],
        "today": today,
        "form": {},
        "form_name": "",
        "field_errors": {},
    }


def _officer(request, pk: int):
    return get_object_or_404(selectors.officers_visible(request.user).prefetch_related("certificates"), pk=pk)


@business_required
def officer_detail(request, pk: int):
    return render(request, "accounts/officer_detail.html", _detail_context(request, _officer(request, pk)))


def _date(raw: str, label: str, field: str, errors: dict) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        errors[field] = f"{label}不能为空"
        return None
    try:
        return parse_date(raw)
    except ValueError:
        errors[field] = f"{label}“{raw}”不是有效日期"
        return None


def _form_failed(
    request,
    officer,
    form_name: str,
    data: dict,
    e: DomainError | None = None,
    field_errors: dict | None = None,
):
    ctx = _detail_context(request, officer)
    ctx.update(form=data, form_name=form_name)
    if e is not None:
        ctx.update(error_context(e))
    else:
        ctx.update(error="请更正下列错误", field_errors=field_errors or {})
    return render(request, "accounts/officer_detail.html", ctx, status=422)


@require_POST
@business_required
def certificate_add(request, pk: int):
    officer = _officer(request, pk)
    data = {
        k: request.POST.get(k, "").strip()
        for k in ("number", "issuing_authority", "field", "valid_from", "valid_to")
    }
    errors: dict[str, str] = {}
    valid_from = _date(data["valid_from"], "有效期起", "valid_from", errors)
    valid_to = _date(data["valid_to"], "有效期至", "valid_to", errors)
    if not data["issuing_authority"]:
        errors["issuing_authority"] = "发证机关不能为空"
    if errors:
        return _form_failed(request, officer, "cert", data, field_errors=errors)
    try:
        services.certificate_add(
            officer=officer,
            number=data["number"],
            issuing_authority=data["issuing_authority"],
            field=data["field"],
            valid_from=valid_from,
            valid_to=valid_to,
            actor=request.user,
        )
    except DomainError as e:
        return _form_failed(request, officer, "cert", data, e)
    messages.success(request, f"已为 {officer.name} 登记执法证 {data['number']}")
    return redirect("officer_detail", pk=officer.pk)


@require_POST
@business_required
def certificate_review(request, pk: int, cert_id: int):
    officer = _officer(request, pk)
    cert = get_object_or_404(officer.certificates.all(), pk=cert_id)
    data = {
        "status": request.POST.get("status", ""),
        "on": request.POST.get("on", "").strip(),
        "cert": cert.pk,
    }
    errors: dict[str, str] = {}
    on = _date(data["on"], "年审日期", "on", errors)
    if errors:
        return _form_failed(request, officer, f"review{cert.pk}", data, field_errors=errors)
    try:
        services.certificate_review(cert=cert, status=data["status"], on=on, actor=request.user)
    except DomainError as e:
        return _form_failed(request, officer, f"review{cert.pk}", data, e)
    messages.success(request, f"执法证 {cert.number} 年审结果已记录：{ReviewStatus(data['status']).label}")
    return redirect("officer_detail", pk=officer.pk)


@require_POST
@business_required
def officer_leave(request, pk: int):
    officer = _officer(request, pk)
    data = {k: request.POST.get(k, "").strip() for k in ("status", "on", "reason")}
    errors: dict[str, str] = {}
    on = _date(data["on"], "离岗日期", "on", errors)
    if not data["reason"]:
        errors["reason"] = "请填写离岗原因"
    if errors:
        return _form_failed(request, officer, "leave", data, field_errors=errors)
    try:
        services.officer_leave(
            officer=officer, on=on, status=data["status"], reason=data["reason"], actor=request.user
        )
    except DomainError as e:
        return _form_failed(request, officer, "leave", data, e)
    messages.success(request, f"{officer.name} 已办理离岗，其执法证已全部收缴")
    return redirect("officer_detail", pk=officer.pk)


@business_required
def officer_create(request):
    actor = request.user
    orgs = selectors.orgs_visible(actor)
    ctx = {"page_title": "新增执法人员", "orgs": orgs, "data": {}, "field_errors": {}}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("org", "name", "idcard", "position")}
        ctx["data"] = data
        org = orgs.filter(pk=int(data["org"])).first() if data["org"].isdigit() else None
        errors = {}
        if org is None:
            errors["org"] = "请选择所在单位"
        if not data["name"]:
            errors["name"] = "姓名不能为空"
        if errors:
            ctx.update(error="请更正下列错误", field_errors=errors)
        else:
            try:
                officer = services.officer_create(
                    org=org, name=data["name"], idcard=data["idcard"], position=data["position"], actor=actor
                )
            except DomainError as e:
                ctx.update(error_context(e))
            else:
                messages.success(request, f"已登记执法人员 {officer.name}，请继续登记其执法证")
                return redirect("officer_detail", pk=officer.pk)
    return render(request, "accounts/officer_form.html", ctx)
