"""Cells for the spreadsheets we hand out (CSV and XLSX): the one defence against formula injection.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage return or line feed that a
spreadsheet skips before one of them, or their full-width forms ＝＋－＠ that WPS and an IME may turn into
them) is evaluated by Excel, WPS and LibreOffice when the file is opened: an enterprise named
``=HYPERLINK("http://…","点击查看")`` in the public export became a live link, ``=cmd|' /C calc'!A0`` a
command (issue 16 item 1; OWASP "CSV Injection"). Such text is written with a leading apostrophe, which
every spreadsheet shows as text. Numbers stay numbers: an int, float or Decimal is returned unchanged,
and so is text that is exactly a number (``-12.5``), which a spreadsheet evaluates to itself.

Every CSV/XLSX export goes through :func:`spreadsheet_cell` / :func:`spreadsheet_row`; imports use
:func:`formula_like` to refuse such values where they cannot be legitimate (a name, a plate, a record id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# ASCII triggers, the characters a spreadsheet skips before one, and the full-width forms
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_LEADING_BLANKS = " \u3000"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def formula_like(text: str) -> bool:
    """True if a spreadsheet could evaluate ``text`` as a formula (text that is exactly a number is not)."""
    if not text:
        return False
    head = text.lstrip(_LEADING_BLANKS)
    return bool(head) and head[0] in FORMULA_TRIGGERS and not _NUMBER.fullmatch(text)


# Control characters an XLSX file cannot hold (openpyxl refuses the whole file: IllegalCharacterError)
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_cell(value: Any, *, xlsx: bool = False) -> Any:
    """``value`` as it may be written to a CSV or XLSX cell: numbers, dates and booleans unchanged, None as
    "", text that could be a formula prefixed with an apostrophe. For XLSX, control characters the format
    cannot hold are dropped (else one such cell refuses the whole export)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if xlsx:
        text = _XLSX_ILLEGAL.sub("", text)
    return "'" + text if formula_like(text) else text


def spreadsheet_row(values: Iterable[Any], *, xlsx: bool = False) -> list[Any]:
    return [spreadsheet_cell(v, xlsx=xlsx) for v in values]


def import_text_error(text: str, label: str) -> str:
    """The Chinese reason an imported text field is refused, or "" when it is acceptable: no NUL
    (PostgreSQL cannot store it) and nothing a spreadsheet would evaluate when the value is exported."""
    if "\x00" in text:
        return f"{label}含有空字符（NUL），请检查文件是否损坏"
    if formula_like(text):
        return f"{label}“{text[:20]}”以 = + - @ 等字符开头，可能被电子表格当作公式执行，已拒绝"
    return ""


# --- files and responses: the one way to write a CSV or an XLSX we hand out ----------------------------

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a BOM (so that Excel and WPS read the Chinese), every cell escaped."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(spreadsheet_row(header))
    w.writerows(spreadsheet_row(row) for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, sheet: str = "Sheet1") -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.append(spreadsheet_row(header, xlsx=True))
    for row in rows:
        ws.append(spreadsheet_row(row, xlsx=True))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def spreadsheet_response(header, rows, *, fmt: str, filename: str, sheet: str = "Sheet1"):
    """An attachment ``filename.csv`` / ``filename.xlsx`` (``fmt`` "csv" or "xlsx"); a Chinese file name is
    sent RFC 6266-encoded."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    if fmt == "xlsx":
        resp = HttpResponse(xlsx_bytes(header, rows, sheet=sheet), content_type=XLSX_TYPE)
    else:
        resp = HttpResponse(csv_bytes(header, rows), content_type=CSV_TYPE)
    resp["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return resp
