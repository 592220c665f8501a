"""How an audit record's action and target type read on the 审计日志 pages: Chinese names, the code kept
in a tooltip (the chain and the export keep the codes)."""

from django import template
from django.apps import apps

from zhifa.core.audit import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return action_label(code) or code


@register.filter
def audit_target_type(target_type: str) -> str:
    """``registry.enterprise`` → 企业 (the model's verbose name), else the text as stored."""
    app_label, _, model = (target_type or "").partition(".")
    try:
        return str(apps.get_model(app_label, model)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type
