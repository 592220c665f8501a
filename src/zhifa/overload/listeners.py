"""What 治超 does when a case decides (see :mod:`zhifa.core.events`); subscribed in
:meth:`zhifa.overload.apps.OverloadConfig.ready`.

Both run in the case's transaction: a 一超四罚 count (and the credit record it creates) must stand or fall
with the 处罚决定 it comes from.
"""

from __future__ import annotations

from datetime import date

from zhifa.cases.events import DECISION_OVERTURNED, PENALTY_DECIDED
from zhifa.core import events

from .services import lead_decision_overturned, lead_penalty_decided


def case_penalty_decided(*, case, decided_on: date, actor) -> None:
    lead_penalty_decided(case=case, decided_on=decided_on, actor=actor)


def case_decision_overturned(*, case, changed_on: date, actor, reason: str) -> None:
    lead_decision_overturned(case=case, changed_on=changed_on, actor=actor, reason=reason)


def subscribe() -> None:
    events.subscribe(PENALTY_DECIDED, case_penalty_decided)
    events.subscribe(DECISION_OVERTURNED, case_decision_overturned)
