"""What 投诉举报 hears from cases: the 案源 it raised was accepted (立案) or closed (不予立案), or the case
was decided (处罚决定, 不予处罚) or its filing revoked (撤销立案) — the order and its reply draft say so, in words that may be told to the complainant."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from zhifa.cases.events import (
    FILING_REVOKED,
    NO_PENALTY_DECIDED,
    PENALTY_DECIDED,
    SOURCE_ACCEPTED,
    SOURCE_CLOSED,
)
from zhifa.cases.models import SourceOrigin
from zhifa.core import events

from .enums import CaseOutcome
from .models import WorkOrder
from .services import order_case_outcome


def _order_of(source) -> WorkOrder | None:
    if source is None or source.origin != SourceOrigin.COMPLAINT or not source.external_ref:
        return None
    return WorkOrder.objects.filter(case_source_id=source.pk).first()


def source_accepted(*, source, case, on: date, actor) -> None:
    order = _order_of(source)
    if order is not None:
        order_case_outcome(order=order, outcome=CaseOutcome.REGISTERED, on=on, actor=actor,
                           text=f"经核查，已依法立案调查（案件编号 {case.number}）")


def source_closed(*, source, reason: str, actor) -> None:
    order = _order_of(source)
    if order is not None:
        order_case_outcome(order=order, outcome=CaseOutcome.NOT_REGISTERED, on=timezone.localdate(), actor=actor,
                           text=f"经核查，不予立案。理由：{reason}")


def penalty_decided(*, case, decided_on: date, actor) -> None:
    """The decision's summary: document number, violation and penalty kind — the party named only as the
    register names an organisation; a natural person's name is not told (个人信息保护法 Art 13)."""
    order = _order_of(getattr(case, "source", None)) if case.source_id else None
    if order is None:
        return
    party = case.party_name if case.party_kind == "org" else "当事人"
    penalty = case.get_penalty_type_display() if case.penalty_type else "行政处罚"
    fine = f"，罚款{case.fine_fen / 100:,.2f}元" if case.fine_fen else ""
    text = (f"已于{decided_on:%Y年%m月%d日}对{party}作出行政处罚决定（{case.decision_no or '决定书'}）："
            f"{case.violation_name}，{penalty}{fine}")
    order_case_outcome(order=order, outcome=CaseOutcome.DECIDED, text=text, on=decided_on, actor=actor)


def no_penalty_decided(*, case, decided_on: date, actor) -> None:
    """不予行政处罚 (处罚法 Art 33): what was found and that the party was educated, without the party's name."""
    order = _order_of(getattr(case, "source", None)) if case.source_id else None
    if order is not None:
        order_case_outcome(order=order, outcome=CaseOutcome.NO_PENALTY, on=decided_on, actor=actor,
                           text=f"经调查，依法作出不予行政处罚决定（{case.decision_no or '决定书'}），"
                                "已对当事人进行批评教育并责令改正")


def filing_revoked(*, case, reason: str, on: date, actor) -> None:
    order = _order_of(getattr(case, "source", None)) if case.source_id else None
    if order is not None:
        order_case_outcome(order=order, outcome=CaseOutcome.REVOKED, on=on, actor=actor,
                           text=f"经调查，已撤销立案。理由：{reason}")


events.subscribe(SOURCE_ACCEPTED, source_accepted)
events.subscribe(NO_PENALTY_DECIDED, no_penalty_decided)
events.subscribe(FILING_REVOKED, filing_revoked)
events.subscribe(SOURCE_CLOSED, source_closed)
events.subscribe(PENALTY_DECIDED, penalty_decided)
