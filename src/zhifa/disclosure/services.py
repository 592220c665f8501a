"""双公示 writes: emit (after commit, idempotent), publish through the masking layer, withdraw, expire,
stop on credit repair. Every change is audited in its transaction.

* 7 working days from the decision to publish (the "七个工作日内上网公开" rule, procedure.md §3.1 [S]);
* 3 working days to withdraw a published item whose decision was changed, revoked, declared illegal or
  void (处罚法 Art 48 para 2 [V]); zhifa takes it down at once, the due date is kept for the board;
* 公示截止期 by severity class and decision date (disclosure.rules: 36号令 from 2026-04-01, 58号令 before).
"""

from __future__ import annotations

import json
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.selectors import is_business_user, jurisdiction_of
from zhifa.core import events
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.core.crypto import decrypt_field, digest_bytes, encrypt_field

from . import masking, rules
from .errors import DisclosureError
from .events import DAILY_RUN, DECISION_RECORDED, RECORD_EXPIRED, RECORD_WITHDRAWN
from .models import DisclosureKind, DisclosureRecord, DisclosureState, ExportBatch, PublicRecord
from .selectors import name_key
from .sources import build

VISIBLE = (DisclosureState.PUBLISHED,)
LIVE = (DisclosureState.PENDING, DisclosureState.HELD, DisclosureState.PUBLISHED)


def _source_key(source) -> tuple[str, str]:
    return source._meta.label_lower, str(source.pk)


def _emit_now(
    *,
    kind: str,
    source,
    decided_on: date,
    actor,
    items: dict | None = None,
    confidential: str = "",
    on: date | None = None,
) -> DisclosureRecord | None:
    stype, sid = _source_key(source)
    current = (
        DisclosureRecord.objects.filter(kind=kind, source_type=stype, source_id=sid)
        .order_by("-version")
        .first()
    )
    b = build(kind, source, decided_on, items=items, confidential=confidential)
    period = None
    if kind == DisclosureKind.PENALTY and b.severity:
        period = rules.period_for(severity=b.severity, decided_on=decided_on)
        b.items["publish_until"] = period.publish_until.isoformat() if period.publish_until else ""
    payload = dict(b.items)
    if current and current.payload == payload:
        if current.state != DisclosureState.WITHDRAWN:
            return current  # idempotent: the same decision emitted again
        if current.changed_on and decided_on <= current.changed_on:
            return current  # a stale emission (a retried hook) of a decision changed or revoked since
    version = (current.version + 1) if current else 1
    days, basis = rules.publish_workdays(kind)
    r = add_workdays(decided_on, days)
    org = _org_of(source)
    state, hold = DisclosureState.PENDING, ""
    if b.not_public_reason:
        state, hold = DisclosureState.NOT_PUBLIC, b.not_public_reason
    elif period is not None and not period.publish:
        state, hold = DisclosureState.NOT_PUBLIC, period.explanation[0]
    else:
        missing = masking.missing_items(kind, b.items)
        if missing:
            state, hold = DisclosureState.HELD, "缺少数据项：" + "、".join(missing)
    try:
        with transaction.atomic():
            if current and current.state in LIVE:  # a new version replaces the old one (Art 48: 3 days)
                reason = "决定内容变更，以新版本替换"
                _mark_changed(current, changed_on=decided_on, reason=reason)
                _take_down(current, DisclosureState.WITHDRAWN, on or timezone.localdate(), actor, reason=reason)
                events.emit(RECORD_WITHDRAWN, record=current, actor=actor, reason=reason)
            rec = DisclosureRecord.objects.create(
                org=jurisdiction_of(org) if org is not None else _default_org(actor),
                kind=kind,
                source_type=stype,
                source_id=sid,
                source_repr=str(source)[:300],
                version=version,
                decided_on=decided_on,
                publish_due=r.date,
                publish_explanation=[f"自作出决定之日起 {days} 个工作日内公示（{basis}）", *r.explanation],
                payload=payload,
                pii_enc=_seal(b.secrets, b.names),
                state=state,
                hold_reason=hold[:500],
                subject_kind=b.subject_kind,
                subject_name=b.subject_name[:200],
                subject_code=(b.subject_code or "")[:18],
                subject_ref=b.subject_ref,
                related_refs=b.related_refs,
                plate=b.plate[:10],
                doc_no=b.doc_no[:80],
                violation_code=b.violation_code[:40],
                severity=b.severity,
                severity_basis=b.severity_basis[:300],
                publish_until=period.publish_until if period else None,
                repair_eligible_from=period.repair_eligible_from if period else None,
                period_explanation=period.explanation if period else [],
            )
            audit_record(
                action="disclosure.emit",
                actor=actor,
                target=rec,
                after={
                    "kind": kind,
                    "source": f"{stype}:{sid}",
                    "publish_due": r.date.isoformat(),
                    "state": state,
                    "severity": b.severity,
                },
            )
            if rules.AUTO_PUBLISH and state == DisclosureState.PENDING:
                _publish(rec, max(on or timezone.localdate(), decided_on), actor)
            if b.counts_for_credit:
                events.emit(DECISION_RECORDED, record=rec, actor=actor)
    except IntegrityError:  # a concurrent hook emitted the same version
        return DisclosureRecord.objects.get(kind=kind, source_type=stype, source_id=sid, version=version)
    return rec


def _default_org(actor):
    if actor is None or actor.org_id is None:
        raise DisclosureError.FORBIDDEN.error()
    return jurisdiction_of(actor.org)


def _org_of(source):
    """The deciding unit of a source: ``org``, or the plan's unit of an inspection record."""
    org = getattr(source, "org", None)
    if org is None:
        try:
            org = source.assignment.task.plan.org
        except AttributeError:
            org = None
    return org


def disclosure_record_emit(
    *,
    kind: str,
    source,
    decided_on: date,
    actor,
    items: dict | None = None,
    confidential: str = "",
    on: date | None = None,
    immediately: bool = False,
) -> None:
    """Queue the record for after the caller's commit (nothing is published for a rolled-back decision).

    ``items`` replaces the data items built from ``source`` (imports); ``confidential`` names a legal
    reason not to publish (国家秘密、商业秘密、个人隐私); ``on`` is the day of publication (default today);
    ``immediately`` emits now, in the caller's transaction (loaders such as the demo county, which need the
    records before they commit).
    """
    if kind not in DisclosureKind.values:
        raise ValueError(kind)

    def emit():
        _emit_now(
            kind=kind,
            source=source,
            decided_on=decided_on,
            actor=actor,
            items=items,
            confidential=confidential,
            on=on,
        )

    if immediately:
        emit()
    else:
        transaction.on_commit(emit)


def _seal(secrets: list, names: list) -> str:
    data = {"secrets": [s for s in secrets if s], "names": [n for n in names if n]}
    return encrypt_field(json.dumps(data, ensure_ascii=False), purpose="disclosure.pii")


def _unseal(rec: DisclosureRecord) -> dict:
    if not rec.pii_enc:
        return {"secrets": [], "names": []}
    return json.loads(decrypt_field(rec.pii_enc, purpose="disclosure.pii"))


def _public_row(rec: DisclosureRecord, on: date) -> PublicRecord:
    items = {k: v for k, v in rec.payload.items() if not k.startswith("_")}
    pii = _unseal(rec)
    data = masking.public_version(rec.kind, items, secrets=pii["secrets"], names=pii["names"])
    title = " · ".join(
        x
        for x in (
            data.get("subject_name") or data.get("title", ""),
            data.get("doc_no", ""),
            data.get("violation_type") or data.get("permit_content") or data.get("result", ""),
        )
        if x
    )
    return PublicRecord(
        record=rec,
        org_id=rec.org_id,
        kind=rec.kind,
        name=data.get("subject_name", "")[:200] or data.get("title", "")[:200],
        name_key=name_key(data.get("subject_name", "") or data.get("title", ""))[:200],
        code=data.get("subject_code", ""),
        plate=data.get("plate", ""),
        doc_no=data.get("doc_no", "")[:80],
        decided_on=rec.decided_on,
        published_on=on,
        publish_until=rec.publish_until,
        title=title[:300],
        data=data,
    )


def _publish(rec: DisclosureRecord, on: date, actor) -> DisclosureRecord:
    items = {k: v for k, v in rec.payload.items() if not k.startswith("_")}
    missing = masking.missing_items(rec.kind, items)
    if missing:
        raise DisclosureError.MISSING_ITEMS.error(items="、".join(missing))
    _public_row(rec, on).save()
    rec.state, rec.published_on, rec.hold_reason = DisclosureState.PUBLISHED, on, ""
    rec.save(update_fields=["state", "published_on", "hold_reason"])
    audit_record(
        action="disclosure.publish",
        actor=actor,
        target=rec,
        after={"published_on": on.isoformat(), "late": rec.late},
    )
    return rec


def _take_down(rec: DisclosureRecord, state: str, on: date, actor, *, reason: str) -> None:
    PublicRecord.objects.filter(record=rec).delete()
    before = rec.state
    rec.state = state
    field = {
        DisclosureState.WITHDRAWN: "withdrawn_on",
        DisclosureState.EXPIRED: "expired_on",
        DisclosureState.REPAIRED: "repaired_on",
    }[state]
    setattr(rec, field, on)
    rec.save()
    audit_record(
        action=f"disclosure.{state}",
        actor=actor,
        target=rec,
        reason=reason[:300],
        before={"state": before},
        after={"state": state, field: on.isoformat()},
    )


def _require_may_publish(rec: DisclosureRecord, actor) -> None:
    """公示 and 补录 by hand are acts of the deciding bureau: a business role (执法人员、法制审核人员、执法部门负责人)
    of the record's unit or one of its sub-units, or of a superior unit (the city for its counties). The
    三员 never (三员分立), nor another county. ``actor`` None is the system (the daily tick, loaders)."""
    if actor is None:
        return
    if not is_business_user(actor) or actor.org_id is None:
        raise DisclosureError.NOT_YOURS.error()
    if not rec.org.is_within(jurisdiction_of(actor.org)):
        raise DisclosureError.NOT_YOURS.error()


@transaction.atomic
def disclosure_record_publish(*, record: DisclosureRecord, on: date, actor) -> DisclosureRecord:
    """Publish a pending or held record (refused with the missing items when incomplete)."""
    rec = DisclosureRecord.objects.select_for_update().get(pk=record.pk)
    _require_may_publish(rec, actor)
    if rec.state == DisclosureState.NOT_PUBLIC:
        raise DisclosureError.NOT_PUBLIC.error(reason=rec.hold_reason)
    if rec.state not in (DisclosureState.PENDING, DisclosureState.HELD):
        raise DisclosureError.BAD_STATE.error(state=rec.get_state_display(), action="公示")
    return _publish(rec, on, actor)


@transaction.atomic
def disclosure_record_complete(*, record: DisclosureRecord, items: dict, on: date, actor) -> DisclosureRecord:
    """Fill the missing data items of a held record, then publish it."""
    rec = DisclosureRecord.objects.select_for_update().get(pk=record.pk)
    _require_may_publish(rec, actor)
    if rec.state not in (DisclosureState.PENDING, DisclosureState.HELD):
        raise DisclosureError.BAD_STATE.error(state=rec.get_state_display(), action="补录")
    payload = dict(rec.payload)
    payload.update({k: str(v) for k, v in items.items() if not k.startswith("_") and v not in (None, "")})
    rec.payload = payload
    rec.save(update_fields=["payload"])
    audit_record(action="disclosure.complete", actor=actor, target=rec, after={"items": sorted(items)})
    return _publish(rec, on, actor)


def _mark_changed(rec: DisclosureRecord, *, changed_on: date, reason: str) -> None:
    """The decision behind ``rec`` was changed or revoked on ``changed_on``: the withdrawal is due within
    3 working days (处罚法 Art 48 para 2; rules library ``publication_withdrawal_period``)."""
    rec.changed_on = changed_on
    rec.withdraw_due = add_workdays(changed_on, rules.withdraw_workdays()).date
    rec.withdraw_reason = reason[:300]
    rec.save(update_fields=["changed_on", "withdraw_due", "withdraw_reason"])


def _withdraw_now(
    *, source, changed_on: date, reason: str, actor, on: date | None = None
) -> list[DisclosureRecord]:
    stype, sid = _source_key(source)
    out = []
    today = on or max(timezone.localdate(), changed_on)
    for rec in DisclosureRecord.objects.filter(source_type=stype, source_id=sid, state__in=LIVE):
        with transaction.atomic():
            _mark_changed(rec, changed_on=changed_on, reason=reason)
            _take_down(rec, DisclosureState.WITHDRAWN, today, actor, reason=reason)
            events.emit(RECORD_WITHDRAWN, record=rec, actor=actor, reason=reason)
        out.append(rec)
    return out


def disclosure_record_withdraw(
    *, source, changed_on: date, reason: str, actor, on: date | None = None, immediately: bool = False
) -> None:
    """A decision was changed or revoked: published items come down (legal limit 3 working days), after
    the caller's commit. ``on`` is the day they come down (default today); ``immediately`` as for emit."""

    def withdraw():
        _withdraw_now(source=source, changed_on=changed_on, reason=reason, actor=actor, on=on)

    if immediately:
        withdraw()
    else:
        transaction.on_commit(withdraw)


@transaction.atomic
def disclosure_record_mark_withdrawn(*, record: DisclosureRecord, on: date, actor) -> DisclosureRecord:
    rec = DisclosureRecord.objects.select_for_update().get(pk=record.pk)
    _require_may_publish(rec, actor)
    _take_down(rec, DisclosureState.WITHDRAWN, on, actor, reason="人工撤回")
    return rec


@transaction.atomic
def disclosure_record_stop_for_repair(
    *, record: DisclosureRecord, on: date, actor, reason: str
) -> DisclosureRecord:
    """信用修复: publication stops (36号令 第三条: 终止公示), the record stays internal, marked."""
    rec = DisclosureRecord.objects.select_for_update().get(pk=record.pk)
    if rec.state not in LIVE:
        return rec
    _take_down(rec, DisclosureState.REPAIRED, on, actor, reason=reason)
    return rec


@transaction.atomic
def disclosure_expire_due(*, on: date, actor=None) -> int:
    """Stop publication automatically after the maximum period (公示截止期 passed), each one logged."""
    n = 0
    for rec in DisclosureRecord.objects.select_for_update().filter(
        state=DisclosureState.PUBLISHED, publish_until__lt=on
    ):
        reason = f"公示截止期 {rec.publish_until:%Y-%m-%d} 届满，自动停止公示"
        _take_down(rec, DisclosureState.EXPIRED, on, actor, reason=reason)
        events.emit(RECORD_EXPIRED, record=rec, on=on, actor=actor, reason=reason)
        n += 1
    return n


def disclosure_tick(*, on: date, actor=None) -> dict:
    """The daily run: publish complete pending records, expire those past their period."""
    published = 0
    for rec in DisclosureRecord.objects.filter(state=DisclosureState.PENDING, decided_on__lte=on):
        with transaction.atomic():
            _publish(rec, on, actor)
        published += 1
    expired = disclosure_expire_due(on=on, actor=actor)
    out = {"published": published, "expired": expired}
    for counts in events.emit(DAILY_RUN, on=on, actor=actor):  # e.g. credit's list memberships ended
        out.update(counts or {})
    return out


@transaction.atomic
def disclosure_export_batch(
    *,
    actor,
    org,
    target: str,
    fmt: str,
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    on: date | None = None,
) -> tuple[bytes, ExportBatch]:
    """A push batch for 信用中国 / the provincial platform: every change since the previous batch to the
    same platform (same unit and kind) — rows newly public (新增), rows whose public items changed or whose
    decision was made anew (变更), and rows the platform holds that are no longer public (撤销公示: repaired,
    revoked or changed on appeal, expired), each with its state and reason. The first batch to a platform
    carries every public row. What was sent, when, its SM3 digest and what the platform now holds are kept
    so the bureau can prove it. Only masked 公示版 data leave (a withdrawn row is rebuilt through the same
    masking layer)."""
    from . import exports
    from .selectors import public_search

    scope = jurisdiction_of(org)
    today = on or timezone.localdate()
    prev = ExportBatch.objects.filter(org=scope, target=target[:60], kind=kind).order_by("-created_at", "-pk").first()
    held: dict[str, str] = dict(prev.sent or {str(i): "" for i in prev.record_ids}) if prev else {}
    current = list(public_search(kind=kind, date_from=date_from, date_to=date_to, org_id=scope.pk))
    if date_from or date_to:  # rows outside the period that the platform holds stay as they are
        inside = {str(r.record_id) for r in current}
        outside_ids = [int(k) for k in held if k not in inside]
        still = set(PublicRecord.objects.filter(record_id__in=outside_ids).values_list("record_id", flat=True))
        keep = {k: v for k, v in held.items() if int(k) in still}
    else:
        keep = {}
    now = {str(r.record_id): r for r in current}
    gone = {int(k) for k in held if k not in now and k not in keep}
    gone_recs = {r.pk: r for r in DisclosureRecord.objects.filter(pk__in=gone)}
    replaced = {(r.kind, r.source_type, r.source_id): r for r in gone_recs.values()}
    out, changes, sent = [], {}, dict(keep)
    for rid, r in now.items():
        digest = exports.row_digest(r)
        sent[rid] = digest
        if rid in held and held[rid] == digest:
            continue  # unchanged since the last batch
        rec = r.record if hasattr(r, "record") else DisclosureRecord.objects.get(pk=r.record_id)
        older = replaced.pop((rec.kind, rec.source_type, rec.source_id), None)
        if older is not None:
            gone.discard(older.pk)
            changes[r.record_id] = (exports.CHANGED, older.withdraw_reason or "决定内容变更", (older.changed_on or today).isoformat())
        elif rid in held:
            changes[r.record_id] = (exports.CHANGED, "公示数据项更新", today.isoformat())
        else:
            changes[r.record_id] = (exports.NEW, "", (r.published_on or today).isoformat())
        out.append(r)
    for pk in sorted(gone):
        rec = gone_recs.get(pk)
        if rec is None:
            continue
        row = _public_row(rec, rec.published_on or today)
        reason, when = _withdrawal_reason(rec)
        changes[pk] = (exports.WITHDRAWN, reason, (when or today).isoformat())
        out.append(row)
    header, data = exports.rows(out, kind, changes=changes)
    body = {"csv": exports.to_csv, "xlsx": exports.to_xlsx, "json": exports.to_json}[fmt](header, data)
    batch = ExportBatch.objects.create(
        org=scope,
        target=target[:60],
        fmt=fmt,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        rows=len(out),
        digest=digest_bytes(body),
        record_ids=[r.record_id for r in out],
        sent=sent,
        created_by=str(actor) if actor else "",
    )
    counts = {s: sum(1 for c in changes.values() if c[0] == s) for s in (exports.NEW, exports.CHANGED, exports.WITHDRAWN)}
    audit_record(
        action="disclosure.export",
        actor=actor,
        target=batch,
        after={"rows": len(out), "digest": batch.digest, "target": target, "changes": counts},
    )
    return body, batch


def _withdrawal_reason(rec: DisclosureRecord) -> tuple[str, date | None]:
    """Why a row the platform holds is no longer public, in the words of its record's state."""
    if rec.state == DisclosureState.REPAIRED:
        return "信用修复，终止公示（《信用修复管理办法》）", rec.repaired_on
    if rec.state == DisclosureState.WITHDRAWN:
        return rec.withdraw_reason or "决定被变更或撤销，撤回公示（《行政处罚法》第四十八条）", rec.withdrawn_on
    if rec.state == DisclosureState.EXPIRED:
        return f"公示期满（公示截止期 {rec.publish_until or ''}），停止公示", rec.expired_on
    return f"停止公示（{rec.get_state_display()}）", None


ENFORCEMENT_CATEGORIES = (
    "执法主体",
    "执法人员",
    "职责",
    "执法依据",
    "执法程序",
    "随机抽查事项清单",
    "裁量基准",
    "其他",
)


def enforcement_item_publish(
    *, org, category: str, title: str, content: str, on: date, actor
) -> DisclosureRecord:
    """Publish (or revise) a 执法公示 事前 item of the actor's bureau (负责人 or 法制审核人员)."""
    from zhifa.accounts.enums import Role

    from .sources import EnforcementItem

    if actor is None or not actor.has_role(Role.HEAD, Role.LEGAL_REVIEWER):
        raise DisclosureError.FORBIDDEN.error()
    if category not in ENFORCEMENT_CATEGORIES or not title.strip() or not content.strip():
        raise DisclosureError.MISSING_ITEMS.error(items="公示类别、标题或内容")
    src = EnforcementItem(jurisdiction_of(org), category, title.strip(), content.strip())
    return _emit_now(kind=DisclosureKind.ENFORCEMENT, source=src, decided_on=on, actor=actor, on=on)
