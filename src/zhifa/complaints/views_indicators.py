"""统计指标 of 投诉举报: every registered indicator for a period, by one dimension, with the orders behind
each value (drill-down) and an XLSX export of the table."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from zhifa.accounts.views_admin import business_required
from zhifa.core import indicators as registry
from zhifa.core.exports import spreadsheet_response
from zhifa.core.listing import list_page

from . import list_exports
from .indicators import DIMENSIONS
from .views import _ctx


def _period(request) -> tuple[date, date]:
    return registry.period_from_query(request.GET, timezone.localdate())


def _table(user, start: date, end: date, dimension: str) -> tuple[list, list]:
    inds = registry.indicators("complaints")
    keys: dict[str, str] = {}
    cells: dict[tuple[str, str], object] = {}
    for ind in inds:
        for v in ind.values(user, start=start, end=end, dimension=dimension):
            keys.setdefault(v.key, v.label)
            cells[(ind.id, v.key)] = v
    rows = [(key, label, [(ind, cells.get((ind.id, key))) for ind in inds]) for key, label in sorted(keys.items())]
    return inds, rows


@business_required
def indicators(request):
    start, end = _period(request)
    dimension = request.GET.get("by", "")
    dimension = dimension if dimension in DIMENSIONS else ""
    inds, rows = _table(request.user, start, end, dimension)
    if request.GET.get("export") == "xlsx":
        header = [DIMENSIONS.get(dimension, "范围")] + [f"{i.name}（{i.unit}）" for i in inds]
        body = [[label] + [("" if c is None or c.value is None else c.value) for _i, c in cs] for _k, label, cs in rows]
        body.append([])
        body.append(["口径"] + [i.formula for i in inds])
        return spreadsheet_response(header, body, fmt="xlsx", filename=f"投诉举报统计指标-{start}至{end}",
                                    sheet="统计指标")
    return render(request, "complaints/indicators.html", _ctx(
        "indicators", inds=inds, table=rows, start=start, end=end, by=dimension, dimensions=DIMENSIONS.items()))


@business_required
def drill(request):
    start, end = _period(request)
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
