"""How a custody event's detail reads on the evidence pages."""

from django import template

register = template.Library()


@register.filter
def custody_detail(detail) -> str:
    """A custody event's detail in words: "大小 2.2 KB（2,243 字节）；摘要 84f16668…" — never ``size=…``."""
    from django.template.defaultfilters import filesizeformat

    from zhifa.evidence.enums import CUSTODY_DETAIL_LABELS, CUSTODY_RESULT_LABELS

    parts = []
    for key, value in (detail or {}).items():
        if key == "size":
            text = f"{filesizeformat(value)}（{int(value):,} 字节）"
        elif key == "digest":
            text = f"{str(value)[:16]}…"
        elif key == "result":
            text = CUSTODY_RESULT_LABELS.get(value, value)
        else:
            text = str(value)
        label = CUSTODY_DETAIL_LABELS.get(key)
        parts.append(f"{label} {text}" if label else text)
    return "；".join(parts)
