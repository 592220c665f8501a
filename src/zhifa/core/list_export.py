"""Any list a person filters, as XLSX or CSV: the page's own rows (same selector, same filter, same scope),
Chinese headers, values as the page shows them, and an audit record of the export (a sensitive read).

A list page declares a :class:`ListExport` (its columns) and hands it to
:func:`zhifa.core.listing.list_page`; the page then shows "导出 Excel" / "导出 CSV" links carrying its query
string plus ``export=xlsx|csv``, and the same view answers them with the file. Cells go through
:func:`zhifa.core.exports.spreadsheet_row` (formula injection) on the way out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from .audit import audit_record
from .exports import spreadsheet_response

FORMATS = ("xlsx", "csv")
# GET parameters that are not filters (the export itself, the page number)
_NOT_FILTERS = {"export", "page"}
_ID_LIKE = re.compile(r"\d{6,}[\dXx]*")


@dataclass(frozen=True)
class ListExport:
    """``title``: the list's Chinese name (sheet, file name, audit); ``columns``: (Chinese header, attribute path such as ``"org.name"`` / ``"get_state_display"``, or a
    function of the row)."""

    title: str
    columns: Sequence[tuple[str, str | Callable[[Any], Any]]]


def export_format(request) -> str:
    fmt = request.GET.get("export", "")
    return fmt if fmt in FORMATS else ""


def max_rows() -> int:
    return int(getattr(settings, "EXPORT_MAX_ROWS", 10000))


def yuan(fen: int | None) -> Decimal | str:
    """Money stored in fen as a number of yuan with two decimals (a spreadsheet can sum it); None → ""."""
    return "" if fen is None else (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def _get(row: Any, path: str) -> Any:
    value = row
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if callable(value):
            value = value()
    return value


def cell_value(value: Any) -> Any:
    """As a person reads it: dates YYYY-MM-DD, times in Asia/Shanghai to the minute, 是/否, None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value
    return str(value)


def _filters(request) -> dict[str, str]:
    """The page's filter for the audit record; long digit runs (an ID number typed in the search box) are
    masked."""
    out = {}
    for key in request.GET:
        if key in _NOT_FILTERS:
            continue
        value = request.GET.get(key, "")[:60]
        out[key] = _ID_LIKE.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 3), value)
    return out


# Set by the jobs app (zhifa.jobs.exports): ``fn(request, fmt, total, title) -> response`` that queues a
# large export as a background job and answers with its page. Core cannot import the jobs layer above it.
_background: Callable | None = None


def set_background(fn: Callable | None) -> None:
    global _background
    _background = fn


def inline_rows() -> int:
    return int(getattr(settings, "EXPORT_INLINE_ROWS", 5000))


def list_export(request, rows, spec: ListExport, *, fmt: str = ""):
    """The file of ``rows`` (a queryset or a list, already scoped and filtered by the page's selector).

    More than :func:`inline_rows` rows: the same view runs again in a background job as the same person
    (its page offers the file when written), so a large export never holds a web process for minutes.
    At most :func:`max_rows` rows are written; beyond that a last row says in Chinese how many were left
    out. The export is audited (``list.export``) with the list, format, filter and row counts."""
    fmt = fmt or export_format(request) or "xlsx"
    cap = max_rows()
    total = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    if total > inline_rows() and _background is not None and not getattr(request, "zhifa_background", False):
        return _background(request, fmt=fmt, total=min(total, cap), title=spec.title)
    header = [h for h, _ in spec.columns]
    data = [
        [cell_value(get(row) if callable(get) else _get(row, get)) for _, get in spec.columns]
        for row in rows[:cap]
    ]
    if total > cap:
        data.append([f"注：符合条件的共 {total} 条，本次仅导出前 {cap} 条；请缩小筛选范围后分批导出。"])
    model = getattr(rows, "model", None)
    audit_record(
        action="list.export",
        actor=request.user,
        target_type=model._meta.label_lower if model is not None else "",
        target_repr=spec.title,
        detail={
            "list": spec.title,
            "format": fmt,
            "filters": _filters(request),
            "rows": min(total, cap),
            "total": total,
        },
    )
    stamp = timezone.localdate().isoformat()
    return spreadsheet_response(header, data, fmt=fmt, filename=f"{spec.title}-{stamp}", sheet=spec.title)
