"""The 双公示 hook: decisions emit disclosure records after commit, idempotently.

* 7 working days from the decision to publish (the "七个工作日内上网公开" rule, procedure.md §3.1 [S]);
* 3 working days to withdraw a published item whose decision was changed, revoked, declared illegal or
  void (处罚法 Art 48 para 2 [V]).
"""

from __future__ import annotations

import os
from datetime import date

from django.db import IntegrityError, transaction

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays

from .models import DisclosureKind, DisclosureRecord, DisclosureState

PUBLISH_WORKDAYS = int(os.environ.get("ZHIFA_DISCLOSURE_PUBLISH_WORKDAYS", "7"))
WITHDRAW_WORKDAYS = 3  # 《行政处罚法》第四十八条第二款 "三日内" (working days, Art 85)


def _source_key(source) -> tuple[str, str]:
    return source._meta.label_lower, str(source.pk)


def _payload(source) -> dict:
    fn = getattr(source, "disclosure_payload", None)
    if callable(fn):
        return fn()
    fields = ("number", "decision_no", "party_name", "violation_name", "penalty_article", "fine_fen", "facts")
    return {f: getattr(source, f) for f in fields if hasattr(source, f)}


def _emit_now(*, kind: str, source, decided_on: date, actor) -> DisclosureRecord | None:
    stype, sid = _source_key(source)
    current = (
        DisclosureRecord.objects.filter(kind=kind, source_type=stype, source_id=sid)
        .order_by("-version")
        .first()
    )
    payload = _payload(source)
    if current and current.state != DisclosureState.WITHDRAWN and current.payload == payload:
        return current  # idempotent: the same decision emitted again
    version = (current.version + 1) if current else 1
    r = add_workdays(decided_on, PUBLISH_WORKDAYS)
    org = getattr(source, "org", None)
    try:
        with transaction.atomic():
            rec = DisclosureRecord.objects.create(
                org=jurisdiction_of(org),
                kind=kind,
                source_type=stype,
                source_id=sid,
                source_repr=str(source)[:300],
                version=version,
                decided_on=decided_on,
                publish_due=r.date,
                publish_explanation=[f"自作出决定之日起 {PUBLISH_WORKDAYS} 个工作日内公示", *r.explanation],
                payload=payload,
            )
            audit_record(
                action="disclosure.emit",
                actor=actor,
                target=rec,
                after={"kind": kind, "source": f"{stype}:{sid}", "publish_due": r.date.isoformat()},
            )
    except IntegrityError:  # a concurrent hook emitted the same version
        return DisclosureRecord.objects.get(kind=kind, source_type=stype, source_id=sid, version=version)
    return rec


def disclosure_record_emit(*, kind: str, source, decided_on: date, actor) -> None:
    """Queue the record for after the caller's commit (nothing is published for a rolled-back decision)."""
    if kind not in DisclosureKind.values:
        raise ValueError(kind)
    transaction.on_commit(lambda: _emit_now(kind=kind, source=source, decided_on=decided_on, actor=actor))


def _withdraw_now(*, source, changed_on: date, reason: str, actor) -> list[DisclosureRecord]:
    stype, sid = _source_key(source)
    out = []
    r = add_workdays(changed_on, WITHDRAW_WORKDAYS)
    for rec in DisclosureRecord.objects.filter(source_type=stype, source_id=sid).exclude(
        state=DisclosureState.WITHDRAWN
    ):
        with transaction.atomic():
            rec.changed_on = changed_on
            rec.withdraw_due = r.date
            rec.withdraw_reason = reason[:300]
            if rec.state == DisclosureState.PENDING:  # never published: nothing to take down
                rec.state = DisclosureState.WITHDRAWN
                rec.withdrawn_on = changed_on
            rec.save()
            audit_record(
                action="disclosure.withdraw",
                actor=actor,
                target=rec,
                reason=reason[:300],
                after={"withdraw_due": r.date.isoformat()},
            )
        out.append(rec)
    return out


def disclosure_record_withdraw(*, source, changed_on: date, reason: str, actor) -> None:
    """A decision was changed or revoked: published items must come down within 3 working days."""
    transaction.on_commit(
        lambda: _withdraw_now(source=source, changed_on=changed_on, reason=reason, actor=actor)
    )


@transaction.atomic
def disclosure_record_publish(*, record: DisclosureRecord, on: date, actor) -> DisclosureRecord:
    DisclosureRecord.objects.filter(pk=record.pk, state=DisclosureState.PENDING).update(
        state=DisclosureState.PUBLISHED, published_on=on
    )
    record.refresh_from_db()
    audit_record(action="disclosure.publish", actor=actor, target=record)
    return record


@transaction.atomic
def disclosure_record_mark_withdrawn(*, record: DisclosureRecord, on: date, actor) -> DisclosureRecord:
    DisclosureRecord.objects.filter(pk=record.pk).update(state=DisclosureState.WITHDRAWN, withdrawn_on=on)
    record.refresh_from_db()
    audit_record(action="disclosure.withdrawn", actor=actor, target=record)
    return record
