"""``{{ counts.total_km|grouped:1 }}`` → "2,223,341.9": a quantity with thousands separators and a fixed
number of decimals (Django's zh-hans locale groups nothing, so ``floatformat`` alone prints
"2223341.908")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def grouped_text(value, decimals: int = 0) -> str:
    """The number with "," every three digits and ``decimals`` places (half-up); "—" when absent."""
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = max(0, int(decimals))
    return f"{number.quantize(Decimal(1).scaleb(-places), rounding='ROUND_HALF_UP'):,.{places}f}"


@register.filter
def grouped(value, decimals=0) -> str:
    return grouped_text(value, decimals)
