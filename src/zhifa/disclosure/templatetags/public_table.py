"""The rows of the portal's result table, built with ``format_html_join``: the same escaped HTML the
template loop gave, at a tenth of its cost (the loop was most of the search page's time; see
benchmarks/portal_search.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

_ROW = (
    '<tr><td>{}</td><td><a href="/public/records/{}/">{}</a></td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>\n"
)


@register.simple_tag
def public_rows(rows):
    """``rows``: PublicRow or PublicRecord objects; an empty result says so in one row."""
    if not rows:
        return format_html('<tr><td colspan="7" class="muted">{}</td></tr>', "没有符合条件的公示记录。")
    return format_html_join(
        "",
        _ROW,
        (
            (
                r.get_kind_display(),
                r.pk,
                r.name,
                r.plate or "—",
                r.doc_no or "—",
                r.summary,
                r.decided_on.isoformat(),
                r.publish_until.isoformat() if r.publish_until else "—",
            )
            for r in rows
        ),
    )
