"""案源 pages: the list, registration by hand (来访 / 来电 / 来信), one source with its attachments, and the
head's decision (立案 with the party, facts and officers pre-filled, or 不予立案). Views stay thin: the
writes are ``cases.intake.case_source_register`` and ``cases.services.case_source_accept`` / ``_close``."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import Role
from zhifa.accounts.selectors import officers_visible
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page

from . import list_exports, selectors, services
from .intake import SOURCE_TARGET, case_source_register
from .models import HAND_ORIGINS
from .pickers import subject_from_ref

_FORM_FIELDS = ("origin", "reporter_name", "reporter_phone", "facts", "party_ref", "party_label", "subject_name",
                "location", "occurred_on")


@business_required
def source_list(request):
    status = request.GET.get("status", "pending")
    qs = selectors.sources_visible(request.user)
    if status:
        qs = qs.filter(status=status)
    return list_page(request, "cases/sources.html", qs, context={
        "status": status, "page_title": "案源线索", "can_register": request.user.has_role(Role.OFFICER, Role.HEAD),
    }, export=list_exports.SOURCES)


@business_required
def source_new(request):
    """登记案源: a lead received by a visit, a call, a letter or otherwise, with its attachments."""
    form = {k: request.POST.get(k, "") for k in _FORM_FIELDS} if request.method == "POST" else {"origin": "walk_in"}
    ctx = {"form": form, "origins": [(o.value, o.label) for o in HAND_ORIGINS], "page_title": "登记案源",
           "today": timezone.localdate()}
    if request.method == "POST":
        try:
            day = form["occurred_on"].strip()
            occurred = (timezone.make_aware(datetime.fromisoformat(day)) if day else None)
            src = case_source_register(
                actor=request.user, origin=form["origin"], facts=form["facts"],
                reporter_name=form["reporter_name"], reporter_phone=form["reporter_phone"],
                subject=subject_from_ref(request.user, form["party_ref"]), subject_name=form["subject_name"],
                location=form["location"], occurred_at=occurred, files=request.FILES.getlist("files"),
            )
            messages.success(request, "案源已登记，已提醒执法部门负责人处理")
            return redirect("cases_source_detail", pk=src.pk)
        except DomainError as e:
            ctx["error"], ctx["field_errors"] = e.message, e.fields
        except ValueError:
            ctx["error"] = "输入有误：日期格式应为 YYYY-MM-DD"
    return render(request, "cases/source_new.html", ctx)


@business_required
def source_detail(request, pk: int):
    try:
        src = selectors.source_get(request.user, pk)
    except DomainError:
        raise Http404 from None
    from zhifa.evidence.selectors import evidence_for

    is_head = request.user.has_role(Role.HEAD)
    return render(request, "cases/source_detail.html", {
        "s": src, "page_title": "案源线索",
        "attachments": list(evidence_for(SOURCE_TARGET, src.pk, actor=request.user)),
        "is_head": is_head,
        "officers": list(officers_visible(request.user).filter(status="active")[:200]) if is_head else [],
    })


@require_POST
@business_required
def source_decide(request, pk: int):
    try:
        src = selectors.source_get(request.user, pk)
    except DomainError:
        raise Http404 from None
    try:
        if request.POST.get("decision") == "accept":
            party_code = request.POST.get("party_code", "").strip()
            case = services.case_source_accept(
                source=src,
                actor=request.user,
                violation_name=request.POST.get("violation_name", ""),
                violation_code=request.POST.get("violation_code", "").strip(),
                party={"party_code": party_code} if party_code else None,
                subject=subject_from_ref(request.user, request.POST.get("party_ref", "")),
                officer_ids=[int(i) for i in request.POST.getlist("officer_ids") if i.isdigit()] or None,
            )
            messages.success(request, f"已立案：{case.number}")
            return redirect("cases_detail", pk=case.pk)
        services.case_source_close(source=src, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, "已不予立案")
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("cases_source_detail", pk=src.pk)
    return redirect("cases_sources")
