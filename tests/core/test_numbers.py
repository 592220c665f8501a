"""``grouped``: quantities with thousands separators and fixed decimals (zh-hans groups nothing)."""

from django.template import Context, Template

from zhifa.core.templatetags.numbers import grouped_text


def test_mileage_reads_with_separators_and_one_decimal():
    assert grouped_text(2223341.908, 1) == "2,223,341.9"
    assert grouped_text(0.05, 1) == "0.1"  # half up, not banker's rounding
    assert grouped_text(999.95, 1) == "1,000.0"
    assert grouped_text(1234567) == "1,234,567"
    assert grouped_text(None, 1) == "—" and grouped_text("", 1) == "—"


def test_the_filter_in_a_template():
    out = Template("{% load numbers %}{{ km|grouped:1 }} 公里").render(Context({"km": 2223341.908}))
    assert out == "2,223,341.9 公里"
