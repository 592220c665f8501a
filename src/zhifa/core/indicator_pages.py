"""The 统计指标 page of a feeder app, shared: the period from the query string, one app's registered
indicators as a table by one dimension, and that table as XLSX with the formulas under it."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from zhifa.core import indicators as registry
from zhifa.core.exports import spreadsheet_response


def period(request) -> tuple[date, date]:
    """``start`` / ``end`` from the query string (default: 1 January to today); ``end`` never before ``start``."""
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = date(today.year, 1, 1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)


def table(user, owner: str, start: date, end: date, dimension: str) -> tuple[list, list]:
    """``owner``'s indicators and the rows ``(key, label, [(indicator, value or None)…])`` by ``dimension``."""
    inds = registry.indicators(owner)
    keys: dict[str, str] = {}
    cells: dict[tuple[str, str], object] = {}
    for ind in inds:
        for v in ind.values(user, start=start, end=end, dimension=dimension):
            keys.setdefault(v.key, v.label)
            cells[(ind.id, v.key)] = v
    rows = [
        (key, label, [(ind, cells.get((ind.id, key))) for ind in inds]) for key, label in sorted(keys.items())
    ]
    return inds, rows


def xlsx(inds, rows, *, dimension_label: str, title: str, start: date, end: date):
    header = [dimension_label] + [f"{i.name}（{i.unit}）" for i in inds]
    body = [
        [label] + [("" if c is None or c.value is None else c.value) for _i, c in cs]
        for _k, label, cs in rows
    ]
    body.append([])
    body.append(["口径"] + [i.formula for i in inds])
    return spreadsheet_response(
        header, body, fmt="xlsx", filename=f"{title}-{start}至{end}", sheet="统计指标"
    )


def totals(user, owner: str, start: date, end: date) -> list:
    """``owner``'s indicators with their totals for the period: ``[(indicator, value)…]`` (a page without
    dimensions)."""
    return [(ind, ind.total(user, start=start, end=end)) for ind in registry.indicators(owner)]


def totals_xlsx(rows, *, title: str, start: date, end: date):
    """The totals of :func:`totals` as XLSX, one indicator a row with its formula."""
    body = [[i.name, i.unit, "" if v.value is None else v.value, i.formula] for i, v in rows]
    return spreadsheet_response(
        ["指标", "单位", "数值", "口径"], body, fmt="xlsx", filename=f"{title}-{start}至{end}", sheet="统计指标"
    )
