"""Domain events: how an app says "this happened" so that apps above it can react, without importing them.

The layering (ARCHITECTURE.md, checked by import-linter) lets an app import only the apps below it. When an
effect must travel *up* — a published penalty becomes a credit record, a licence decision becomes a 双公示
record, a decided case is published — the lower app emits an event and the higher app listens:

* the emitter **declares** each event once, in its own ``events.py``: a dotted name, a Chinese label, the
  payload keys (:func:`declare`);
* a listener **subscribes** in its AppConfig.ready (:func:`subscribe`), naming the declared :class:`Event`
  object, never a string — a typo cannot subscribe to nothing;
* the emitter calls :func:`emit` with exactly the declared payload.

Two phases, chosen by the listener:

* ``IN_TRANSACTION`` (the default): the listener runs at once, inside the emitter's transaction, in the
  order of subscription (apps subscribe in the order of INSTALLED_APPS). Its rows commit or roll back with
  the cause's, and an exception refuses the cause. This is for records that must agree with their cause: a
  credit record of a public penalty must never exist without the penalty record, nor the other way round.
* ``AFTER_COMMIT``: the listener runs after the outermost transaction commits (``transaction.on_commit``,
  robust: a failing listener is logged and the others still run; the cause stands). This is for effects
  that may lag or fail alone: notifications, pushes to other platforms. Such listeners must be idempotent.

Nothing here is durable across a crash between commit and an after-commit listener; work that must survive
that belongs in the job queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

IN_TRANSACTION = "in_transaction"
AFTER_COMMIT = "after_commit"
PHASES = (IN_TRANSACTION, AFTER_COMMIT)


@dataclass(frozen=True)
class Listener:
    handler: Callable[..., Any]
    phase: str

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


@dataclass(eq=False)
class Event:
    """One kind of happening, declared by the app that emits it."""

    name: str  # "<app>.<what happened>", e.g. "disclosure.decision_recorded"
    label: str  # Chinese, for the seams list and logs
    payload: tuple[str, ...]  # the keyword arguments every listener receives
    listeners: list[Listener] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Event {self.name}>"


_EVENTS: dict[str, Event] = {}


def declare(name: str, *, label: str, payload: tuple[str, ...]) -> Event:
    """Declare an event (once per name; declaring it again with the same payload returns the same object)."""
    existing = _EVENTS.get(name)
    if existing is not None:
        if existing.payload != tuple(payload):
            raise ValueError(f"event {name} declared twice with different payloads")
        return existing
    event = Event(name=name, label=label, payload=tuple(payload))
    _EVENTS[name] = event
    return event


def named(name: str) -> Event:
    """The declared event called ``name``: for a listener in an app of the emitter's own layer, which may not
    import the emitter's ``events.py`` (the emitter's AppConfig.ready declares it, and comes first in
    INSTALLED_APPS). An undeclared name is a start-up error, not a subscription to nothing."""
    event = _EVENTS.get(name)
    if event is None:
        raise LookupError(
            f"event {name} is not declared (is the emitting app installed before the listener?)"
        )
    return event


def subscribe(event: Event, handler: Callable[..., Any], *, phase: str = IN_TRANSACTION) -> None:
    """Call ``handler(**payload)`` whenever ``event`` is emitted. Subscribing the same handler twice (an
    AppConfig.ready run again) has no further effect."""
    if not isinstance(event, Event) or _EVENTS.get(event.name) is not event:
        raise TypeError(f"subscribe() takes a declared Event, not {event!r}")
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {PHASES}")
    listener = Listener(handler=handler, phase=phase)
    if any(existing.name == listener.name for existing in event.listeners):
        return
    event.listeners.append(listener)


def emit(event: Event, /, **payload: Any) -> list[Any]:
    """Tell the listeners of ``event``. In-transaction listeners run now, in order, and their return values
    come back as a list (an exception propagates to the emitter); after-commit listeners are scheduled."""
    if set(payload) != set(event.payload):
        raise TypeError(f"{event.name} takes {sorted(event.payload)}, got {sorted(payload)}")
    results = []
    for listener in event.listeners:
        if listener.phase == IN_TRANSACTION:
            results.append(listener.handler(**payload))
        else:
            # robust: Django logs a failing listener with its traceback and runs the next callbacks
            transaction.on_commit(_deferred(listener, payload), robust=True)
    return results


def _deferred(listener: Listener, payload: dict) -> Callable[[], Any]:
    def run() -> None:
        listener.handler(**payload)

    run.__qualname__ = listener.name  # what Django's log of a failing callback names
    return run


def declared() -> list[Event]:
    """Every declared event, by name (for the seams list and the checks)."""
    return [_EVENTS[name] for name in sorted(_EVENTS)]
