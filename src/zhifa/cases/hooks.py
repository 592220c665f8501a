"""Callbacks other apps register to hear that a case reached 结案 (closed).

A feeder that raised the case source (治超, 双随机, 两客一危…) may owe a follow-up when the case is over,
e.g. the 治超 抄告 to the vehicle's home authority within 7 working days of closing (超限规定 Art 44). The
cases app must not import the feeders (they sit above it), so a feeder registers a callback from its
``AppConfig.ready()``::

    from zhifa.cases.hooks import on_case_closed

    on_case_closed("overload.notice", my_callback)   # my_callback(case) -> None

Callbacks run after the closing transaction commits (``transaction.on_commit``), once per callback, in
registration order, each given the freshly read :class:`~zhifa.cases.models.Case` (with ``source``). They
must be idempotent (a retry may call them again: :func:`case_closed_replay`). A failing callback is
logged with its name and the case and does not stop the others or undo the closing (the case is closed
in law whatever a follow-up does); ``zhifa cases`` operators can replay it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger("zhifa.cases.hooks")

CaseClosedCallback = Callable[["object"], None]
_CALLBACKS: dict[str, CaseClosedCallback] = {}


def on_case_closed(name: str, callback: CaseClosedCallback) -> None:
    """Register ``callback(case)`` under ``name`` (re-registering a name replaces it: ``ready()`` may
    run more than once in tests)."""
    _CALLBACKS[name] = callback


def unregister(name: str) -> None:
    _CALLBACKS.pop(name, None)


def registered() -> list[str]:
    return list(_CALLBACKS)


def _run(case_id: int) -> list[str]:
    from .models import Case

    case = Case.objects.select_related("org", "source").filter(pk=case_id).first()
    if case is None:
        return []
    failed = []
    for name, callback in list(_CALLBACKS.items()):
        try:
            callback(case)
        except Exception:  # noqa: BLE001 - one feeder's failure must not hide the others
            log.exception("结案回调 %s 处理案件 %s 失败", name, case_id)
            failed.append(name)
    return failed


def case_closed_schedule(case_id: int) -> None:
    """Called by the workflow inside the closing transaction: run the callbacks once it commits."""
    transaction.on_commit(lambda: _run(case_id))


def case_closed_replay(case_id: int) -> list[str]:
    """Run the callbacks again for a closed case (idempotent callbacks); returns the names that failed."""
    return _run(case_id)
