"""Internal credit pages: files, repair (apply and decide), lists, ratings.

Business roles only (the 三员 get 403); reads through ``credit.selectors`` (jurisdiction-scoped: another
county's record or list entry is a 404); writes through ``credit.services``, which check the role."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page

from . import list_exports, selectors, services
from .models import ListKind, ListState


@business_required
def index(request):
    q = request.GET.get("q", "").strip()
    return list_page(
        request,
        "credit/index.html",
        selectors.subjects_search(request.user, q),
        context={"q": q},
        export=list_exports.SUBJECTS,
    )


@business_required
def subject_file(request, ref: str):
    f = selectors.credit_file(request.user, ref)
    if not f["records"] and not f["lists"]:
        from django.http import Http404

        raise Http404
    measures = selectors.credit_measures_for(ref, on=timezone.localdate())
    return render(
        request,
        "credit/file.html",
        {
            "ref": ref,
            "f": f,
            "name": (f["records"] or f["lists"])[0].subject_name,
            "measures": measures,
            "today": timezone.localdate(),
        },
    )


@business_required
@require_POST
def repair_apply(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.user), pk=pk)
    p = request.POST
    try:
        services.credit_repair_apply(
            record=rec,
            applicant=p.get("applicant", rec.subject_name),
            pledge=p.get("pledge", ""),
            proof=p.get("proof", ""),
            obligations_met=p.get("obligations_met") == "1",
            on=timezone.localdate(),
            actor=request.user,
            on_behalf=True,
        )
        messages.success(request, "信用修复申请已登记。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("credit_file", ref=rec.subject_ref)


@business_required
def repairs(request):
    return list_page(request, "credit/repairs.html", selectors.repairs_visible(request.user))


@business_required
@require_POST
def repair_decide(request, pk: int):
    app = get_object_or_404(selectors.repairs_visible(request.user), pk=pk)
    try:
        services.credit_repair_decide(
            application=app,
            approve=request.POST.get("approve") == "1",
            reasons=request.POST.get("reasons", ""),
            on=timezone.localdate(),
            actor=request.user,
        )
        messages.success(request, "已作出决定。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("credit_repairs")


@business_required
def lists(request):
    from . import rules

    criteria = {**rules.OVERLOAD_BLACKLIST_CRITERIA, **rules.RED_CRITERIA, **rules.WATCH_CRITERIA}
    qs = selectors.lists_visible(request.user).select_related("org")
    kind, state = request.GET.get("list_kind", ""), request.GET.get("state", "")
    if kind in ListKind.values:
        qs = qs.filter(list_kind=kind)
    if state in ListState.values:
        qs = qs.filter(state=state)
    return list_page(
        request,
        "credit/lists.html",
        qs,
        context={
            "criteria": criteria.items(),
            "kind": kind,
            "state": state,
            "kinds": ListKind.choices,
            "states": ListState.choices,
        },
        export=list_exports.LIST_ENTRIES,
    )


@business_required
@require_POST
def list_propose(request):
    p = request.POST
    try:
        services.list_entry_propose(
            org=request.user.org,
            list_kind=p.get("list_kind", ""),
            subject_ref=p.get("subject_ref", ""),
            subject_name=p.get("subject_name", ""),
            criterion=p.get("criterion", ""),
            facts=p.get("facts", ""),
            on=timezone.localdate(),
            actor=request.user,
        )
        messages.success(request, "已告知当事人，异议期开始。")
    except (DomainError, KeyError) as e:
        messages.error(request, getattr(e, "message", "名单类别有误"))
    return redirect("credit_lists")


@business_required
@require_POST
def list_action(request, pk: int, action: str):
    entry = get_object_or_404(selectors.lists_visible(request.user), pk=pk)
    on, p = timezone.localdate(), request.POST
    try:
        if action == "object":
            services.list_entry_object(entry=entry, objection=p.get("objection", ""), actor=request.user)
        elif action == "decide":
            services.list_entry_decide(
                entry=entry,
                include=p.get("include") == "1",
                on=on,
                actor=request.user,
                reasons=p.get("reasons", ""),
            )
        elif action == "end":
            services.list_entry_end(
                entry=entry, on=on, actor=request.user, reason=p.get("reasons", "") or "期满或修复"
            )
        else:
            from django.http import Http404

            raise Http404
        messages.success(request, "已处理。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("credit_lists")


@business_required
def ratings(request):
    return list_page(
        request,
        "credit/ratings.html",
        selectors.ratings_visible(request.user),
        context={"year": timezone.localdate().year - 1},
    )


@business_required
@require_POST
def rating_action(request, action: str):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "考核年度有误")
        return redirect("credit_ratings")
    try:
        if action == "run":
            n = services.rating_run(org=request.user.org, year=year, actor=request.user)
            messages.success(request, f"{year} 年度初评完成：{n} 个主体。")
        else:
            n = services.rating_finalise(
                org=request.user.org, year=year, on=timezone.localdate(), actor=request.user
            )
            messages.success(request, f"{year} 年度结果已审定公布：{n} 个主体。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("credit_ratings")
