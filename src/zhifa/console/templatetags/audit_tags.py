"""How an audit record's action and target type read on the 审计日志 pages: Chinese names, the code kept
in a tooltip (the chain and the export keep the codes)."""

from django import template

from zhifa.core.audit import action_label
from zhifa.core.labels import model_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return action_label(code) or code


@register.filter
def audit_target_type(target_type: str) -> str:
    """``registry.enterprise`` → 企业 (the model's verbose name), else the text as stored."""
    return model_label(target_type)
