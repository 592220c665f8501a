"""统计指标 of 投诉举报: every registered indicator for a period, by one dimension, with the orders behind
each value (drill-down) and an XLSX export of the table."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from zhifa.accounts.views_admin import business_required
from zhifa.core import indicators as registry
from zhifa.core.indicator_pages import period, table, xlsx
from zhifa.core.listing import list_page

from . import list_exports
from .indicators import DIMENSIONS
from .views import _ctx


@business_required
def indicators(request):
    start, end = period(request)
    dimension = request.GET.get("by", "")
    dimension = dimension if dimension in DIMENSIONS else ""
    inds, rows = table(request.user, "complaints", start, end, dimension)
    if request.GET.get("export") == "xlsx":
        return xlsx(inds, rows, dimension_label=DIMENSIONS.get(dimension, "范围"), title="投诉举报统计指标",
                    start=start, end=end)
    return render(request, "complaints/indicators.html", _ctx(
        "indicators", inds=inds, table=rows, start=start, end=end, by=dimension, dimensions=DIMENSIONS.items()))


@business_required
def drill(request):
    start, end = period(request)
    try:
        ind = registry.get(request.GET.get("id", ""))
    except KeyError:
        raise PermissionDenied from None
    if ind.owner != "complaints":
        raise PermissionDenied
    dimension = request.GET.get("by", "")
    dimension = dimension if dimension in DIMENSIONS else ""
    qs = ind.rows_behind(request.user, start=start, end=end, dimension=dimension, key=request.GET.get("key", ""))
    return list_page(request, "complaints/indicator_drill.html", qs.order_by("-received_on", "-pk"),
                     context=_ctx("indicators", ind=ind, start=start, end=end, today=timezone.localdate()),
                     export=list_exports.ORDERS)
