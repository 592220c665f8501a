"""``{% asset "zhifa/zhifa.css" %}``: the URL of a static file, as Django's ``{% static %}`` gives it, looked
up once per process. A path's URL cannot change while the process runs (STATIC_URL and the storage are
fixed at start), and the two ``{% static %}`` tags of base.html were half of its rendering (55 of 104 us),
paid by every page (benchmarks/portal_search.py)."""

from __future__ import annotations

from functools import cache

from django import template
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
@cache
def asset(path: str) -> str:
    return static(path)
