"""What 双公示 does when something happens below it (a licence decided, a case decided or
overturned; see :mod:`zhifa.core.events`); subscribed in
:meth:`zhifa.disclosure.apps.DisclosureConfig.ready`."""

from __future__ import annotations

from datetime import date

from zhifa.cases.events import DECISION_OVERTURNED, PENALTY_DECIDED
from zhifa.core import events
from zhifa.registry.enums import PermitAction
from zhifa.registry.events import PERMIT_DECIDED
from zhifa.registry.models import PermitDecision
from zhifa.registry.services import GRANTING, PERMIT_MOVES

from .services import disclosure_record_emit, disclosure_record_withdraw


def permit_disclose(*, decision: PermitDecision, actor, publish_on: date | None, immediately: bool) -> None:
    """The public side of a 许可决定: the record of the decision it changes or ends comes down (3 working
    days); a granting decision is published (7 working days). A 恢复 publishes the record of the granting
    decision the 吊销 withdrew again, as a new version of that record (a withdrawn record stays withdrawn: its
    history is the 双公示 trail), due 7 working days from the 恢复."""
    if decision.action == PermitAction.RESTORE and decision.previous is not None:
        disclosure_record_emit(
            kind="permit",
            source=decision.previous,
            decided_on=decision.decided_on,
            actor=actor,
            on=publish_on,
            immediately=immediately,
        )

    if decision.previous is not None and PERMIT_MOVES[decision.action].withdraws:
        disclosure_record_withdraw(
            source=decision.previous,
            changed_on=decision.decided_on,
            reason=f"{decision.get_action_display()}（{decision.doc_no}）",
            actor=actor,
            on=publish_on,
            immediately=immediately,
        )
    if decision.action in GRANTING:
        disclosure_record_emit(
            kind="permit",
            source=decision,
            decided_on=decision.decided_on,
            actor=actor,
            on=publish_on,
            immediately=immediately,
        )


def case_penalty_disclose(*, case, decided_on: date, actor) -> None:
    """A 行政处罚决定 is published (7 working days; the record is made after the case's commit)."""
    disclosure_record_emit(kind="penalty", source=case, decided_on=decided_on, actor=actor)


def case_decision_withdraw(*, case, changed_on: date, actor, reason: str) -> None:
    """An appeal changed, revoked or declared illegal the decision: its record comes down (Art 48: 3 working
    days; after the case's commit)."""
    disclosure_record_withdraw(source=case, changed_on=changed_on, reason=f"复议/诉讼结果：{reason}", actor=actor)


def subscribe() -> None:
    events.subscribe(PERMIT_DECIDED, permit_disclose)
    events.subscribe(PENALTY_DECIDED, case_penalty_disclose)
    events.subscribe(DECISION_OVERTURNED, case_decision_withdraw)
