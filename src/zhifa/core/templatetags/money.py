"""``{{ case.fine_fen|yuan }}`` → "3,000.00元": every amount a page shows, stored in fen, read in yuan
(:mod:`zhifa.core.money`). ``yuan_plain`` gives the number without the unit (table cells, form values)."""

from __future__ import annotations

from django import template

from zhifa.core.money import yuan_plain as _plain
from zhifa.core.money import yuan_text

register = template.Library()


@register.filter
def yuan(fen) -> str:
    if fen in (None, ""):
        return "—"
    return yuan_text(int(fen))


@register.filter
def yuan_plain(fen) -> str:
    if fen in (None, ""):
        return ""
    return _plain(int(fen))
