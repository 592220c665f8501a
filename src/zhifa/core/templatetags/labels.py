"""``{{ d.target_type|object_name:d.target_id }}`` → "案件 #101"; ``{{ "cases.case"|model_name }}`` → 案件:
records named in words, never our ``app.model`` codes (:mod:`zhifa.core.labels`)."""

from django import template

from zhifa.core.labels import model_label, object_label

register = template.Library()


@register.filter
def object_name(target_type: str, target_id="") -> str:
    return object_label(target_type, target_id)


@register.filter
def model_name(dotted: str) -> str:
    return model_label(dotted)
