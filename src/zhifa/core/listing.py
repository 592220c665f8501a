"""One way to render a searchable, paginated list page (and, given its columns, to export it)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from .list_export import ListExport, export_format, list_export

PAGE_SIZE = 30


def list_page(
    request,
    template: str,
    queryset,
    *,
    context: dict | None = None,
    page_size: int = PAGE_SIZE,
    export: ListExport | None = None,
):
    """The page of ``queryset``; with ``export`` the same rows as XLSX/CSV when asked (``?export=xlsx``),
    and the page's pager shows the links to them, carrying the page's filter."""
    if export is not None and export_format(request):
        return list_export(request, queryset, export)
    paginator = Paginator(queryset, page_size)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    ctx = {
        "page": page,
        "rows": page.object_list,
        "total": paginator.count,
        "querystring": query.urlencode(),
        "exportable": export is not None,
    }
    ctx.update(context or {})
    return render(request, template, ctx)
