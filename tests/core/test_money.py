"""Money typed in yuan, stored in fen: the one parser and formatter (zhifa.core.money)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core.money import MoneyError, parse_yuan, yuan_plain, yuan_text


@pytest.mark.parametrize(
    "typed,fen",
    [
        ("3000", 300000),
        ("2,000.50", 200050),
        ("1,234.5", 123450),
        ("１，２３４．５０", 123450),  # full-width digits and separators
        ("0.05", 5),
        (".5", 50),
        (" 20 元", 2000),
        ("¥19.99", 1999),
        (300, 30000),
    ],
)
def test_parse_yuan_reads_what_people_type(typed, fen):
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize(
    "typed,reason",
    [
        ("1.234", "最多保留两位小数"),
        ("-1", "不能为负数"),
        ("abc", "不是有效金额"),
        ("1e3", "不是有效金额"),
        ("", "不能为空"),
        ("1.2.3", "不是有效金额"),
    ],
)
def test_parse_yuan_refuses_with_a_chinese_reason(typed, reason):
    with pytest.raises(MoneyError) as e:
        parse_yuan(typed, label="罚款")
    assert reason in str(e.value) and "罚款" in str(e.value)


def test_format_two_decimals_with_thousands():
    assert yuan_text(300000) == "3,000.00元"
    assert yuan_text(5) == "0.05元"
    assert yuan_text(None) == "—"
    assert yuan_plain(123456789) == "1,234,567.89"


@given(st.integers(min_value=0, max_value=10**14))
def test_fen_to_yuan_string_to_fen_round_trip(fen):
    assert parse_yuan(yuan_plain(fen)) == fen
    assert parse_yuan(yuan_text(fen)) == fen


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_yuan_and_cents_typed_plainly(whole, cents):
    assert parse_yuan(f"{whole}.{cents:02d}") == whole * 100 + cents


def test_template_filter():
    t = Template("{% load money %}{{ a|yuan }}|{{ b|yuan }}|{{ a|yuan_plain }}")
    assert t.render(Context({"a": 200050, "b": None})) == "2,000.50元|—|2,000.50"
