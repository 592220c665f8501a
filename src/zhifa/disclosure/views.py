"""Pages: the public portal (no login, /public/) and the internal 双公示 board (/disclosure/)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from zhifa.accounts.models import Org
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.exports import spreadsheet_response
from zhifa.core.listing import list_page
from zhifa.core.pagination import page_number

from . import exports, list_exports, rules, selectors, services
from .lookups import PUBLIC_RATINGS
from .models import DisclosureKind, DisclosureState

EXPORT_MAX = 50_000


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _search(request, *, offset: int = 0, limit: int):
    g = request.GET
    return selectors.public_search(
        q=g.get("q", ""),
        kind=g.get("kind", ""),
        date_from=_date(g.get("from")),
        date_to=_date(g.get("to")),
        offset=offset,
        limit=limit,
    )


def _labels(kind: str) -> list[tuple[str, str]]:
    return [(k, label) for k, label, _ in rules.ITEMS[kind]]


@cache_control(public=True, max_age=60)
def public_home(request):
    bureaus = Org.objects.filter(kind__in=["bureau", "county"]).order_by("path")
    return render(
        request,
        "disclosure/public_home.html",
        {
            "kinds": DisclosureKind.choices,
            "latest": selectors.public_search(limit=10),
            "bureaus": bureaus,
            "ratings": PUBLIC_RATINGS()[:10],
        },
    )


@cache_control(public=True, max_age=60)
def public_records(request):
    """Search with "more" paging (no COUNT over a million rows)."""
    try:
        page = page_number(request.GET.get("page"))
    except DomainError as e:  # a page beyond any list: an OFFSET the database cannot bind (issue 16 item 8)
        return render(request, "core/error.html", {"code": 400, "message": e.message}, status=400)
    size = 20
    rows = _search(request, offset=(page - 1) * size, limit=size + 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/public_records.html",
        {
            "rows": rows[:size],
            "has_next": len(rows) > size,
            # no name starts with the query: the rows are names containing it (the page says so)
            "contains": rows.contains and request.GET.get("q", "").strip(),
            "page_no": page,
            "querystring": query.urlencode(),
            "kinds": DisclosureKind.choices,
            # a plain dict: a QueryDict lookup of an absent key falls back to dir() in the template engine
            "q": {k: request.GET.get(k, "") for k in ("q", "kind", "from", "to")},
        },
    )


@cache_control(public=True, max_age=60)
def public_record(request, pk: int):
    r = selectors.public_get(pk)
    if r is None:
        raise Http404
    items = [(label, r.data[k]) for k, label in _labels(r.kind) if r.data.get(k)]
    return render(request, "disclosure/public_record.html", {"r": r, "items": items})


def public_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header, data = exports.rows(_search(request, limit=EXPORT_MAX), request.GET.get("kind", ""))
    return spreadsheet_response(header, data, fmt=fmt, filename="gongshi", sheet="公示")


@cache_control(public=True, max_age=300)
def public_bureau(request, org_id: int):
    org = get_object_or_404(Org, pk=org_id)
    items = selectors.public_search(kind=DisclosureKind.ENFORCEMENT, org_id=org.pk, limit=200)
    return render(
        request,
        "disclosure/public_bureau.html",
        {"org": org, "items": items, "recent": selectors.public_search(org_id=org.pk, limit=20)},
    )


@cache_control(public=True, max_age=300)
def public_credit(request):
    qs = PUBLIC_RATINGS()
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(public_name__contains=q)
    return list_page(request, "disclosure/public_credit.html", qs, context={"q": q})


# ---------------------------------------------------------------------------------------- internal


@business_required
def board(request):
    today = timezone.localdate()
    return render(
        request, "disclosure/board.html", {"b": selectors.board(request.user, on=today), "today": today}
    )


@business_required
def record_list(request):
    qs = selectors.records_visible(request.user)
    state, q = request.GET.get("state", ""), request.GET.get("q", "").strip()
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(subject_name__contains=q) | qs.filter(plate=q.upper()) | qs.filter(doc_no=q)
    return list_page(
        request,
        "disclosure/record_list.html",
        qs.order_by("-decided_on", "-id"),
        context={"states": DisclosureState.choices, "state": state, "q": q},
        export=list_exports.RECORDS,
    )


@business_required
def record_detail(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.user), pk=pk)
    public = getattr(rec, "public", None) if rec.state == DisclosureState.PUBLISHED else None
    items = [(label, public.data.get(k, "")) for k, label in _labels(rec.kind)] if public else []
    missing = [(k, label) for k, label, req in rules.ITEMS[rec.kind] if req and not rec.payload.get(k)]
    return render(
        request,
        "disclosure/record_detail.html",
        {"rec": rec, "public": public, "items": items, "missing": missing},
    )


@business_required
@require_POST
def record_complete(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.user), pk=pk)
    keys = {k for k, _l, _r in rules.ITEMS[rec.kind]}
    data = {k: v.strip() for k, v in request.POST.items() if k in keys and v.strip()}
    try:
        services.disclosure_record_complete(
            record=rec, items=data, on=timezone.localdate(), actor=request.user
        )
        messages.success(request, "已补录并公示。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("disclosure_record", pk=pk)


@business_required
@require_POST
def record_publish(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.user), pk=pk)
    try:
        services.disclosure_record_publish(record=rec, on=timezone.localdate(), actor=request.user)
        messages.success(request, "已公示。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("disclosure_record", pk=pk)


@business_required
def export_batches(request):
    from zhifa.accounts.selectors import jurisdiction_of

    from .models import ExportBatch

    if request.method == "POST":
        p = request.POST
        fmt = p.get("fmt", "csv")
        if fmt not in ("csv", "xlsx", "json"):
            raise Http404
        body, batch = services.disclosure_export_batch(
            actor=request.user,
            org=request.user.org,
            target=p.get("target", "信用中国") or "信用中国",
            fmt=fmt,
            kind=p.get("kind", ""),
            date_from=_date(p.get("from")),
            date_to=_date(p.get("to")),
        )
        resp = HttpResponse(body, content_type="application/octet-stream")
        resp["Content-Disposition"] = f'attachment; filename="push-{batch.pk}.{fmt}"'
        return resp
    qs = ExportBatch.objects.filter(org=jurisdiction_of(request.user.org))
    return list_page(request, "disclosure/exports.html", qs, context={"kinds": DisclosureKind.choices})


@business_required
def enforcement_items(request):
    from .services import ENFORCEMENT_CATEGORIES, enforcement_item_publish

    if request.method == "POST":
        p = request.POST
        try:
            enforcement_item_publish(
                org=request.user.org,
                category=p.get("category", ""),
                title=p.get("title", ""),
                content=p.get("content", ""),
                on=timezone.localdate(),
                actor=request.user,
            )
            messages.success(request, "已发布执法公示。")
        except DomainError as e:
            messages.error(request, e.message)
            if e.status == 403:
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied from None
        return redirect("disclosure_enforcement")
    qs = (
        selectors.records_visible(request.user)
        .filter(kind=DisclosureKind.ENFORCEMENT)
        .order_by("-decided_on", "-id")
    )
    return list_page(
        request,
        "disclosure/enforcement.html",
        qs,
        context={"categories": ENFORCEMENT_CATEGORIES},
        export=list_exports.RECORDS,
    )
