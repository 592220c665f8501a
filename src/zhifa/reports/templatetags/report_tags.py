"""``row|cells:ind``: a drill-down row's cells in the indicator's export columns (as the XLSX writes them);
``ind|record_link:row``: the record's own page."""

from __future__ import annotations

from django import template

from zhifa.core.list_export import _get, cell_value

register = template.Library()


@register.filter
def cells(row, ind) -> list:
    spec = ind.export
    if spec is None:
        return [str(row)]
    return [cell_value(get(row) if callable(get) else _get(row, get)) for _h, get in spec.columns]


@register.filter
def record_link(ind, row) -> str:
    return ind.link(row) if ind.link else ""
