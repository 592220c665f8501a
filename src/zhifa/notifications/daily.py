"""Daily producers of notifications (reminders), run by ``zhifa notifications tick``.

An app registers a function ``fn(*, on: date) -> int`` (how many reminders it sent) in its AppConfig.ready;
the command runs them all for the day. Each must be idempotent per day (use ``notify(key=…)``), so the
command may run several times a day, from cron or by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# a running deadline is announced this many working days ahead (and again once it has passed): one horizon
# for every app's reminders, so a person is warned the same way of a case and of a work order
REMIND_WORKDAYS = 2

_PRODUCERS: dict[str, tuple[str, Callable[..., int]]] = {}


def register_daily(name: str, label: str, fn: Callable[..., int]) -> None:
    """Register ``fn`` under ``name`` (registering the same name again replaces it)."""
    _PRODUCERS[name] = (label, fn)


def run_daily(*, on: date) -> list[tuple[str, int]]:
    """Run every producer for ``on``; returns (Chinese label, count) per producer."""
    return [(label, int(fn(on=on) or 0)) for _name, (label, fn) in sorted(_PRODUCERS.items())]


def reminder_window_end(on: date) -> date:
    """The last day a deadline may fall on to be announced on ``on`` (``REMIND_WORKDAYS`` working days)."""
    from zhifa.core.calendar import add_workdays

    return add_workdays(on, REMIND_WORKDAYS).date
