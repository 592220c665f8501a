"""Daily producers of notifications (reminders), run by ``zhifa notifications tick``.

An app registers a function ``fn(*, on: date) -> int`` (how many reminders it sent) in its AppConfig.ready;
the command runs them all for the day. Each must be idempotent per day (use ``notify(key=…)``), so the
command may run several times a day, from cron or by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

_PRODUCERS: dict[str, tuple[str, Callable[..., int]]] = {}


def register_daily(name: str, label: str, fn: Callable[..., int]) -> None:
    """Register ``fn`` under ``name`` (registering the same name again replaces it)."""
    _PRODUCERS[name] = (label, fn)


def run_daily(*, on: date) -> list[tuple[str, int]]:
    """Run every producer for ``on``; returns (Chinese label, count) per producer."""
    return [(label, int(fn(on=on) or 0)) for _name, (label, fn) in sorted(_PRODUCERS.items())]
