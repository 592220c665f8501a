"""Chinese names of things stored as codes that several apps show (a model's dotted label)."""

from __future__ import annotations

from django.apps import apps


def model_label(dotted: str) -> str:
    """``cases.case`` → 案件 (the model's verbose name); the text as given when no model has that label."""
    app_label, _, model = (dotted or "").partition(".")
    try:
        return str(apps.get_model(app_label, model)._meta.verbose_name)
    except (LookupError, ValueError):
        return dotted


def object_label(dotted: str, pk) -> str:
    """``("cases.case", 101)`` → "案件 #101": a record a person can recognise, without our model codes."""
    return f"{model_label(dotted)} #{pk}" if pk not in (None, "") else model_label(dotted)
