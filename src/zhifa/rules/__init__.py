"""The rule library (三库). Public entry points for other apps, imported lazily (Django apps must not
import models at package import time):

``violation_get``, ``violation_severity``, ``procedure_param``, ``procedure_params``, ``Param``, ``discretion_range``, ``summary_procedure_allowed``,
``hearing_required``, ``late_payment_surcharge``, ``overload_fine``, ``load_starter_catalogue``.
"""

from __future__ import annotations

_EXPORTS = {
    "violation_get": "zhifa.rules.selectors",
    "violation_severity": "zhifa.rules.selectors",
    "procedure_param": "zhifa.rules.params",
    "procedure_params": "zhifa.rules.params",
    "Param": "zhifa.rules.params",
    "discretion_range": "zhifa.rules.discretion",
    "summary_procedure_allowed": "zhifa.rules.discretion",
    "hearing_required": "zhifa.rules.discretion",
    "late_payment_surcharge": "zhifa.rules.discretion",
    "overload_fine": "zhifa.rules.discretion",
    "WARNING": "zhifa.rules.discretion",
    "load_starter_catalogue": "zhifa.rules.services",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
