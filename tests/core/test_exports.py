"""Formula injection (issue 16 item 1): the one escaping function of every CSV/XLSX export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.core.exports import FORMULA_TRIGGERS, formula_like, import_text_error, spreadsheet_cell
from zhifa.disclosure.exports import to_csv, to_xlsx

TRIGGERS = sorted(FORMULA_TRIGGERS)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
dangerous = st.builds(lambda pad, t, rest: pad + t + rest, st.sampled_from(["", " ", "\u3000", "  "]),
                      st.sampled_from(TRIGGERS), texts)
numbers = st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False, allow_infinity=False))


def _evaluable(cell) -> bool:
    """What a spreadsheet would evaluate: text starting (after blanks) with a trigger and not a number."""
    return isinstance(cell, str) and formula_like(cell)


@given(st.one_of(texts, dangerous))
def test_no_text_comes_out_as_a_formula(value):
    out = spreadsheet_cell(value)
    assert not _evaluable(out)
    assert out == value or out == "'" + value  # nothing but the apostrophe is added, nothing is lost


@given(dangerous)
def test_every_trigger_is_neutralised(value):
    if not formula_like(value):  # only text that is exactly a number, e.g. "-1", " +2.5"
        return
    assert spreadsheet_cell(value) == "'" + value


@given(numbers)
def test_numbers_stay_numbers(value):
    out = spreadsheet_cell(value)
    assert out is value or out == value
    assert type(out) is type(value)


@given(st.from_regex(r"\A[+-]?\d{1,12}(\.\d{1,6})?\Z"))
def test_numeric_text_is_left_alone(value):
    assert spreadsheet_cell(value) == value


@given(st.lists(st.one_of(texts, dangerous), min_size=1, max_size=6))
@settings(deadline=None)  # builds a workbook per example
def test_csv_and_xlsx_exports_hold_no_formula(row):
    header = [f"列{i}" for i in range(len(row))]
    text = to_csv(header, [row]).decode("utf-8-sig")
    # the newline inside a quoted cell needs newline="" to read back as one row
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert len(back) == 2 and not any(_evaluable(c) for c in back[1])

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(to_xlsx(header, [row]))).worksheets[0]
    for cell in next(ws.iter_rows(min_row=2, max_row=2)):
        assert cell.data_type != "f"
        assert not _evaluable(cell.value)


def test_the_probe_values():
    for value in ('=HYPERLINK("http://x.example","点击查看")', "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1",
                  "-2+3", "\t=1", "＝1+1", "＋1", "－1", "＠x"):
        assert spreadsheet_cell(value) == "'" + value
    assert spreadsheet_cell(-5) == -5 and spreadsheet_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert spreadsheet_cell("-5") == "-5" and spreadsheet_cell(None) == ""
    assert spreadsheet_cell("郁南县=通达") == "郁南县=通达"


def test_xlsx_drops_the_control_characters_it_cannot_hold():
    assert spreadsheet_cell("＠\x91\x18x", xlsx=True) == "'＠\x91x"
    assert spreadsheet_cell("a\x18b") == "a\x18b"  # CSV holds them


def test_import_text_error_refuses_formulas_and_nul():
    assert "公式" in import_text_error("=1+1", "企业名称")
    assert "NUL" in import_text_error("a\x00b", "姓名")
    assert import_text_error("郁南县通达物流有限公司", "企业名称") == ""
