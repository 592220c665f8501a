"""Reading a list export back in tests (issue 15 item 8): the XLSX through openpyxl with cell types, the CSV
as rows."""

from __future__ import annotations

import csv
import io


def xlsx_rows(response):
    """(rows of values with empty cells as "", the worksheet) of an XLSX list export."""
    from openpyxl import load_workbook

    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active  # not read-only: cell types are checked
    return [[c.value if c.value is not None else "" for c in r] for r in ws.iter_rows()], ws


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_text_not_formula(ws, row: int, column: int, needle: str) -> None:
    """The cell holds ``needle`` as text (the apostrophe core.exports puts before formula-like text)."""
    cell = ws.cell(row=row, column=column)
    assert cell.data_type == "s" and not str(cell.value).startswith("="), cell.value
    assert needle in str(cell.value)
