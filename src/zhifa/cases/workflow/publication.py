"""The decision's public record (双公示): the case says what happened (``cases.events``) and ``disclosure``,
one layer up, publishes or withdraws the 行政处罚 record (:mod:`zhifa.disclosure.listeners`)."""

from __future__ import annotations

from datetime import date

from zhifa.core import events

from ..events import DECISION_OVERTURNED, FILING_REVOKED, NO_PENALTY_DECIDED, PENALTY_DECIDED
from ..models import Case


def announce_penalty_decided(case: Case, on: date, actor) -> None:
    """A 行政处罚决定 was made (or made anew after an appeal changed it): it is to be published."""
    events.emit(PENALTY_DECIDED, case=case, decided_on=on, actor=actor)


def announce_decision_overturned(case: Case, on: date, actor, reason: str) -> None:
    """A 复议决定 or 判决 changed, revoked or declared illegal the decision: its record comes down."""
    events.emit(DECISION_OVERTURNED, case=case, changed_on=on, actor=actor, reason=reason)


def announce_no_penalty(case: Case, on: date, actor) -> None:
    """不予行政处罚决定: nothing to publish; the complaint the case came from hears it."""
    events.emit(NO_PENALTY_DECIDED, case=case, decided_on=on, actor=actor)


def announce_filing_revoked(case: Case, on: date, actor, reason: str) -> None:
    """撤销立案: the complaint the case came from hears it."""
    events.emit(FILING_REVOKED, case=case, reason=reason, on=on, actor=actor)
