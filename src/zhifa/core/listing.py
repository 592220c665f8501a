"""One way to render a searchable, paginated list page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

PAGE_SIZE = 30


def list_page(request, template: str, queryset, *, context: dict | None = None, page_size: int = PAGE_SIZE):
    paginator = Paginator(queryset, page_size)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"page": page, "rows": page.object_list, "total": paginator.count, "querystring": query.urlencode()}
    ctx.update(context or {})
    return render(request, template, ctx)
