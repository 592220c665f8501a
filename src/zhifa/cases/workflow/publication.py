"""The decision's public record (双公示): the two calls into ``zhifa.disclosure``, kept together in one
module so that they can be replaced by an event."""

from __future__ import annotations

from datetime import date

from ..models import Case


def _emit_disclosure(case: Case, on: date, actor) -> None:
    from zhifa.disclosure.services import disclosure_record_emit

    disclosure_record_emit(kind="penalty", source=case, decided_on=on, actor=actor)


def _withdraw_disclosure(case: Case, on: date, actor, reason: str) -> None:
    from zhifa.disclosure.services import disclosure_record_withdraw

    disclosure_record_withdraw(source=case, changed_on=on, reason=f"复议/诉讼结果：{reason}", actor=actor)
