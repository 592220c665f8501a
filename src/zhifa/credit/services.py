"""Credit writes. Every one is keyword-only, atomic and audited.

Seams:
* ``credit_record_add(...)``: anything that counts for credit (治超 一超四罚 leads, complaints upheld,
  commitments, commendations, imports from other platforms); idempotent on (category, source_ref, subject).
* ``credit_record_from_disclosure(record=...)``: called by the disclosure layer for every emitted record.
* ``credit_repair_apply`` / ``credit_repair_decide``: 信用修复; an approval stops publication, voids
  list membership based on the record and recomputes the subject's rating, in one transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.services import require_business
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.disclosure.masking import public_subject_name

from . import driver_points, rules
from .errors import CreditError
from .models import (
    Category,
    CreditRecord,
    CreditRepair,
    Effect,
    ListEntry,
    ListKind,
    ListState,
    Rating,
    RatingStage,
    RecordStatus,
    RepairState,
)

_KIND_CATEGORY = {"penalty": Category.PENALTY, "permit": Category.PERMIT, "inspection": Category.INSPECTION}


def _require_business(actor) -> None:
    """``actor=None`` is the system; a person needs a business role (三员分立)."""
    if actor is not None:
        require_business(actor)


def _require_head(actor, what: str) -> None:
    """Listing a subject (or taking it off) and publishing grades bind the whole bureau, so its head
    decides, not the officer who proposed. The national list procedure was not retrieved (procedure.md
    §4, 交政研发〔2018〕181号 status unverified): this is the platform's choice, as for the annual grades."""
    if actor is None or not actor.has_role(Role.HEAD):
        raise CreditError.FORBIDDEN.error(detail=f"{what}须由负责人决定")


def _in_jurisdiction(actor, org) -> bool:
    return actor is not None and actor.org_id is not None and jurisdiction_of(actor.org).pk == org.pk


@transaction.atomic
def credit_record_add(
    *,
    org,
    subject_ref: str,
    subject_name: str,
    category: str,
    title: str,
    source: str,
    source_ref: str,
    occurred_on: date,
    effect: str,
    actor,
    subject_code: str = "",
    severity: str = "",
    points: int = 0,
    points_item: str = "",
    repair_eligible_from: date | None = None,
    disclosure=None,
) -> CreditRecord:
    """Add one record to a subject's credit file (idempotent on category + source_ref + subject).

    ``points_item`` names a driver 诚信考核 计分项目 (``driver_points`` table key); the points are then the
    table's value for it on the day the record is added, kept on the record."""
    if category not in Category.values or effect not in Effect.values:
        raise ValueError((category, effect))
    if points_item:
        found = driver_points.item(points_item)
        if found is None:
            raise CreditError.POINTS_ITEM.error(item=points_item)
        points = found.points
    rec, created = CreditRecord.objects.get_or_create(
        category=category,
        source_ref=source_ref[:80],
        subject_ref=subject_ref,
        defaults={
            "org": jurisdiction_of(org),
            "subject_name": subject_name[:200],
            "subject_code": subject_code[:18],
            "title": title[:300],
            "source": source[:100],
            "occurred_on": occurred_on,
            "effect": effect,
            "severity": severity,
            "points": points,
            "points_item": points_item,
            "repair_eligible_from": repair_eligible_from,
            "disclosure": disclosure,
        },
    )
    if created:
        audit_record(
            action="credit.record_add",
            actor=actor,
            target=rec,
            after={"category": category, "effect": effect, "subject": subject_ref},
        )
    return rec


def credit_record_from_disclosure(*, record, actor) -> CreditRecord | None:
    """See :func:`_from_disclosure`; also files the record under related subjects (the vehicle of a case)."""
    rec = _from_disclosure(record=record, actor=actor, ref=None)
    for ref in record.related_refs or []:
        _from_disclosure(record=record, actor=actor, ref=ref)
    return rec


def _from_disclosure(*, record, actor, ref: str | None) -> CreditRecord | None:
    """A disclosure record becomes a credit record of its subject (penalties negative, permits and
    conforming inspections neutral). Records without an identified subject are skipped."""
    category = _KIND_CATEGORY.get(record.kind)
    ref = ref or record.subject_ref or _registered_ref(record)
    ref = ref or (f"uscc:{record.subject_code}" if record.subject_code else "")
    if not ref and record.subject_kind == "org" and record.subject_name:
        ref = f"name:{record.subject_name}"  # an organisation not linked to the registry: keyed by name
    if category is None or not ref:
        return None
    effect = Effect.NEGATIVE if category == Category.PENALTY else Effect.NEUTRAL
    if category == Category.INSPECTION:
        # 未发现问题 counts as a clean inspection; 责令整改 / 立案查处 / 移送 count against the subject
        result = record.payload.get("result", "")
        effect = Effect.POSITIVE if result in ("未发现问题", "合格") else Effect.NEGATIVE
    title = (
        record.payload.get("violation_type")
        or record.payload.get("permit_content")
        or record.payload.get("result")
        or record.source_repr
    )
    # a penalty of a driver (a registered person) scores the 诚信考核 计分项目 its violation maps to
    scored = (
        driver_points.item_for_violation(record.violation_code)
        if category == Category.PENALTY and ref.startswith("person:")
        else None
    )
    return credit_record_add(
        org=record.org,
        subject_ref=ref,
        subject_name=record.subject_name or record.source_repr,
        subject_code=record.subject_code or record.plate,
        category=category,
        title=title,
        source=record.org.name,
        source_ref=f"disclosure:{record.source_type}:{record.source_id}:v{record.version}",
        occurred_on=record.decided_on,
        effect=effect,
        severity=record.severity,
        points_item=scored.key if scored else "",
        repair_eligible_from=record.repair_eligible_from,
        disclosure=record,
        actor=actor,
    )


def _registered_ref(record) -> str:
    """One credit file per subject: a record whose decision named no registry object is filed under the
    registered subject its 统一社会信用代码 names, when the register knows it (a natural person's ID number is
    matched where the record is built, ``zhifa.disclosure.sources``); otherwise ``uscc:`` / ``name:``."""
    from zhifa.registry.selectors import subject_resolve

    return subject_resolve(uscc=record.subject_code) if record.subject_code else ""


@transaction.atomic
def credit_record_void_for_disclosure(*, record, actor, reason: str) -> int:
    """The decision behind a record was changed or revoked: its credit record is void."""
    on = record.withdrawn_on or record.changed_on
    return _void(CreditRecord.objects.filter(disclosure=record), on, actor, reason)


@transaction.atomic
def credit_record_void_for_source(*, source_ref: str, on: date, actor, reason: str) -> int:
    """The decision filed under ``source_ref`` (a record added with ``credit_record_add``) was revoked: its
    credit records are void (a 吊销 undone by 复议决定 or 判决)."""
    return _void(CreditRecord.objects.filter(source_ref=source_ref[:80]), on, actor, reason)


def _void(records, on: date, actor, reason: str) -> int:
    n = 0
    for rec in records.select_for_update().filter(status=RecordStatus.ACTIVE):
        _set_status(rec, RecordStatus.VOID, on, actor, reason)
        n += 1
    return n


@transaction.atomic
def credit_record_expire_for_disclosure(*, record, on: date, actor, reason: str) -> int:
    """The publication period ended: the credit records stay in the file, marked expired."""
    n = 0
    for rec in CreditRecord.objects.select_for_update().filter(disclosure=record, status=RecordStatus.ACTIVE):
        _set_status(rec, RecordStatus.EXPIRED, on, actor, reason)
        n += 1
    return n


@transaction.atomic
def credit_tick(*, on: date, actor=None) -> dict:
    """The daily run: list memberships past their effective period end, each logged."""
    ended = 0
    for e in ListEntry.objects.select_for_update().filter(state=ListState.EFFECTIVE, effective_to__lt=on):
        _list_end(e, on, actor, f"有效期至 {e.effective_to:%Y-%m-%d} 届满，自动移出")
        ended += 1
    return {"lists_ended": ended}


def _set_status(rec: CreditRecord, status: str, on: date, actor, reason: str) -> None:
    before = rec.status
    rec.status, rec.status_on, rec.status_reason = status, on, reason[:300]
    rec.save(update_fields=["status", "status_on", "status_reason"])
    audit_record(
        action=f"credit.record_{status}",
        actor=actor,
        target=rec,
        reason=reason[:300],
        before={"status": before},
        after={"status": status},
    )


# ------------------------------------------------------------------------------------------------
# 信用修复
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def credit_repair_apply(
    *,
    record: CreditRecord,
    applicant: str,
    pledge: str,
    proof: str,
    obligations_met: bool,
    on: date,
    actor,
    on_behalf: bool = False,
) -> CreditRepair:
    """Register an application; refused, with the failing condition, when a 36号令 第十条 condition fails."""
    if actor is not None and not _in_jurisdiction(actor, record.org):
        raise CreditError.FORBIDDEN.error(detail="非本单位认定的失信信息（谁认定、谁修复）")
    if record.effect != Effect.NEGATIVE or record.status != RecordStatus.ACTIVE:
        raise CreditError.REPAIR_NOT_NEGATIVE.error()
    if record.repair_eligible_from and on < record.repair_eligible_from:
        raise CreditError.REPAIR_TOO_EARLY.error(date=record.repair_eligible_from.isoformat())
    if not obligations_met or not proof.strip():
        raise CreditError.REPAIR_OBLIGATIONS.error()
    if not pledge.strip():
        raise CreditError.REPAIR_PLEDGE.error()
    app = CreditRepair.objects.create(
        record=record,
        applicant=applicant[:200],
        on_behalf=on_behalf,
        pledge=pledge,
        proof=proof,
        obligations_met=obligations_met,
        applied_on=on,
    )
    audit_record(action="credit.repair_apply", actor=actor, target=app, after={"record": record.pk})
    return app


@transaction.atomic
def credit_repair_decide(
    *, application: CreditRepair, approve: bool, reasons: str, on: date, actor
) -> CreditRepair:
    """Decide with reasons (负责人 or 法制审核人员 of the finding body). Approval, in sync: publication
    stops (portal and exports), list entries based on the record end, the rating is recomputed."""
    if actor is None or not actor.has_role(Role.HEAD, Role.LEGAL_REVIEWER):
        raise CreditError.FORBIDDEN.error(detail="信用修复决定须由负责人或法制审核人员作出")
    app = CreditRepair.objects.select_for_update().select_related("record").get(pk=application.pk)
    if not _in_jurisdiction(actor, app.record.org):
        raise CreditError.FORBIDDEN.error(detail="非本单位认定的失信信息（谁认定、谁修复）")
    if app.state != RepairState.APPLIED:
        raise CreditError.REPAIR_DECIDED.error()
    if not reasons.strip():
        raise CreditError.FORBIDDEN.error(detail="决定须说明理由")
    app.state = RepairState.APPROVED if approve else RepairState.REJECTED
    app.decided_on, app.decided_by, app.reasons = on, str(actor), reasons
    app.save()
    audit_record(
        action="credit.repair_decide",
        actor=actor,
        target=app,
        reason=reasons[:300],
        after={"state": app.state},
    )
    if approve:
        rec = app.record
        why = f"信用修复：{reasons}"
        # the decision's record and its copies under related subjects (the vehicle named in the same
        # decision) are repaired together: one finding, one repair (36号令: publication and use stop in step)
        shared = CreditRecord.objects.select_for_update().filter(status=RecordStatus.ACTIVE)
        shared = shared.filter(disclosure_id=rec.disclosure_id) if rec.disclosure_id else shared.filter(
            category=rec.category, source_ref=rec.source_ref
        )
        repaired = [rec, *shared.exclude(pk=rec.pk)]
        for r in repaired:
            _set_status(r, RecordStatus.REPAIRED, on, actor, why)
        if rec.disclosure_id:
            from zhifa.disclosure.services import disclosure_record_stop_for_repair

            disclosure_record_stop_for_repair(record=rec.disclosure, on=on, actor=actor, reason=why)
        for ref in dict.fromkeys(r.subject_ref for r in repaired):
            _after_repair(ref, since=rec.occurred_on, on=on, actor=actor)
    return app


def _after_repair(subject_ref: str, *, since: date, on: date, actor) -> None:
    """After a repair, in step: list entries no longer supported by a serious active record end, and every
    rating of the subject from the record's year on is recomputed (not only last year's)."""
    serious_left = CreditRecord.objects.filter(
        subject_ref=subject_ref, effect=Effect.NEGATIVE, status=RecordStatus.ACTIVE, severity="serious"
    ).exists()
    if not serious_left:
        for entry in ListEntry.objects.filter(
            subject_ref=subject_ref,
            list_kind__in=[ListKind.BLACK, ListKind.WATCH],
            state=ListState.EFFECTIVE,
        ):
            _list_end(entry, on, actor, "信用修复后不再符合列入条件")
    for rating in Rating.objects.filter(subject_ref=subject_ref, year__gte=since.year):
        rating_recompute(rating=rating, actor=actor, reason="信用修复后重新计算")


# ------------------------------------------------------------------------------------------------
# 一户一档: merging a subject's split files
# ------------------------------------------------------------------------------------------------


@transaction.atomic
def credit_file_merge(*, from_ref: str, to_ref: str, actor, reason: str) -> dict:
    """Join a file kept under a name (``name:<名称>`` / ``uscc:<代码>`` / ``overload:…``) to the registered
    subject's file (``enterprise:<id>`` / ``person:<id>`` / ``vehicle:<id>``): its records, list entries
    and ratings move; a record the target already holds (same category and source) is kept once, the
    copy marked void. Head of the bureau decides (the file is the bureau's finding); audited."""
    from zhifa.registry.models import Enterprise, Person, Vehicle

    _require_head(actor, "合并信用档案")
    if not reason.strip():
        raise CreditError.MERGE.error(detail="请说明合并理由")
    kind, _, pk = to_ref.partition(":")
    model = {"enterprise": Enterprise, "person": Person, "vehicle": Vehicle}.get(kind)
    if model is None or not pk.isdigit() or not model.objects.filter(pk=int(pk)).exists():
        raise CreditError.MERGE.error(detail=f"目标“{to_ref}”不是已登记的监管对象（企业、自然人或车辆）")
    if from_ref == to_ref or from_ref.split(":", 1)[0] in ("enterprise", "person", "vehicle"):
        raise CreditError.MERGE.error(detail=f"来源“{from_ref}”应为按名称或代码建立的档案（name:、uscc:）")
    scope = jurisdiction_of(actor.org)
    records = list(CreditRecord.objects.select_for_update().filter(subject_ref=from_ref, org=scope))
    if not records:
        raise CreditError.MERGE.error(detail=f"本单位没有信用主体“{from_ref}”的记录")
    moved, duplicates = [], []
    for r in records:
        if CreditRecord.objects.filter(subject_ref=to_ref, category=r.category, source_ref=r.source_ref).exists():
            if r.status == RecordStatus.ACTIVE:
                _set_status(r, RecordStatus.VOID, timezone.localdate(), actor, f"与 {to_ref} 的同一记录重复，合并时作废")
            duplicates.append(r.pk)
            continue
        r.subject_ref = to_ref
        r.save(update_fields=["subject_ref"])
        moved.append(r.pk)
    entries = ListEntry.objects.filter(subject_ref=from_ref, org=scope).update(subject_ref=to_ref)
    years = set(Rating.objects.filter(subject_ref=from_ref, org=scope).values_list("year", flat=True))
    Rating.objects.filter(subject_ref=from_ref, org=scope).delete()  # recomputed under the target below
    for rating in Rating.objects.filter(subject_ref=to_ref, year__in=years):
        rating_recompute(rating=rating, actor=actor, reason=f"合并信用档案 {from_ref} 后重新计算")
    out = {"from": from_ref, "to": to_ref, "moved": moved, "duplicates": duplicates, "list_entries": entries}
    audit_record(action="credit.file_merge", actor=actor, target=scope, reason=reason[:300], after=out, detail=out)
    return out


def merge_candidates(org) -> list[dict]:
    """Files kept under a name or a code that one registered enterprise answers to (same 统一社会信用代码, or
    the same name and only one enterprise of that name): what ``zhifa credit merge --auto`` joins."""
    from zhifa.registry.models import Enterprise

    out = []
    refs = (
        CreditRecord.objects.filter(org=jurisdiction_of(org))
        .filter(Q(subject_ref__startswith="name:") | Q(subject_ref__startswith="uscc:"))
        .values_list("subject_ref", flat=True)
        .distinct()
    )
    for ref in refs:
        kind, _, value = ref.partition(":")
        ents = list(Enterprise.objects.filter(**({"name": value} if kind == "name" else {"uscc": value}))[:2])
        if len(ents) == 1:
            out.append({"from": ref, "to": f"enterprise:{ents[0].pk}", "name": ents[0].name})
    return out


# ------------------------------------------------------------------------------------------------
# 红黑名单 / 重点关注名单
# ------------------------------------------------------------------------------------------------


def _criteria(kind: str) -> dict:
    return {
        ListKind.BLACK: rules.OVERLOAD_BLACKLIST_CRITERIA,
        ListKind.RED: rules.RED_CRITERIA,
        ListKind.WATCH: rules.WATCH_CRITERIA,
    }[kind]


@transaction.atomic
def list_entry_propose(
    *, org, list_kind: str, subject_ref: str, subject_name: str, criterion: str, facts: str, on: date, actor
) -> ListEntry:
    """Step 1: notice to the subject (告知), opening the objection period."""
    _require_business(actor)
    if criterion not in _criteria(list_kind):
        raise CreditError.LIST_CRITERION.error(criterion=criterion)
    e = ListEntry.objects.create(
        org=jurisdiction_of(org),
        list_kind=list_kind,
        subject_ref=subject_ref,
        subject_name=subject_name[:200],
        criterion=criterion,
        facts=facts,
        noticed_on=on,
    )
    audit_record(
        action="credit.list_notice", actor=actor, target=e, after={"list": list_kind, "criterion": criterion}
    )
    return e


@transaction.atomic
def list_entry_object(*, entry: ListEntry, objection: str, actor) -> ListEntry:
    _require_business(actor)
    if entry.state != ListState.NOTICED:
        raise CreditError.LIST_STATE.error(state=entry.get_state_display(), action="提出异议")
    entry.state, entry.objection = ListState.OBJECTED, objection
    entry.save()
    audit_record(action="credit.list_objection", actor=actor, target=entry)
    return entry


@transaction.atomic
def list_entry_decide(*, entry: ListEntry, include: bool, on: date, actor, reasons: str = "") -> ListEntry:
    """Step 3: decision after the objection period; an included entry runs for ``LIST_YEARS``."""
    _require_head(actor, "列入或不列入名单")
    if entry.state not in (ListState.NOTICED, ListState.OBJECTED):
        raise CreditError.LIST_STATE.error(state=entry.get_state_display(), action="决定")
    due = add_workdays(entry.noticed_on, rules.OBJECTION_WORKDAYS).date
    if entry.state == ListState.NOTICED and on <= due:
        raise CreditError.OBJECTION_OPEN.error(date=due.isoformat())
    from zhifa.disclosure.rules import add_months

    entry.state = ListState.EFFECTIVE if include else ListState.REJECTED
    entry.decided_on = on
    entry.effective_to = add_months(on, 12 * rules.LIST_YEARS) if include else None
    entry.save()
    audit_record(
        action="credit.list_decide",
        actor=actor,
        target=entry,
        reason=reasons[:300],
        after={"state": entry.state},
    )
    return entry


def _list_end(entry: ListEntry, on: date, actor, reason: str) -> None:
    entry.state, entry.ended_on, entry.end_reason = ListState.ENDED, on, reason[:300]
    entry.save()
    audit_record(action="credit.list_end", actor=actor, target=entry, reason=reason[:300])


@transaction.atomic
def list_entry_end(*, entry: ListEntry, on: date, actor, reason: str) -> ListEntry:
    _require_head(actor, "移出名单")
    if entry.state != ListState.EFFECTIVE:
        raise CreditError.LIST_STATE.error(state=entry.get_state_display(), action="移出")
    _list_end(entry, on, actor, reason)
    return entry


# ------------------------------------------------------------------------------------------------
# ratings (质量信誉考核 / 诚信考核)
# ------------------------------------------------------------------------------------------------


def _compute(subject_ref: str, year: int) -> tuple[int, str, list[str], str]:
    from .selectors import driver_grade, enterprise_score

    if subject_ref.startswith("person:"):
        points, grade, expl = driver_grade(subject_ref=subject_ref, year=year)
        return points, grade, expl, "driver"
    score, grade, expl = enterprise_score(subject_ref=subject_ref, year=year)
    return score, grade, expl, rules.SCHEME


@transaction.atomic
def rating_run(*, org, year: int, actor) -> int:
    """The annual run: 初评 for every subject with a credit record in the year (idempotent per year)."""
    _require_business(actor)
    refs = (
        CreditRecord.objects.filter(org=jurisdiction_of(org), occurred_on__year=year)
        .values_list("subject_ref", "subject_name")
        .distinct()
    )
    n = 0
    for ref, name in refs:
        if ref.startswith("vehicle:"):
            continue  # vehicles are not rated; their records count for the owner and the driver
        score, grade, expl, scheme = _compute(ref, year)
        Rating.objects.update_or_create(
            subject_ref=ref,
            scheme=scheme,
            year=year,
            defaults={
                "org": jurisdiction_of(org),
                "subject_name": name,
                "public_name": public_subject_name(name, person=ref.startswith("person:")),
                "score": score,
                "grade": grade,
                "explanation": expl,
                "stage": RatingStage.INITIAL,
            },
        )
        n += 1
    audit_record(action="credit.rating_run", actor=actor, target=org, detail={"year": year, "subjects": n})
    return n


@transaction.atomic
def rating_finalise(*, org, year: int, on: date, actor, adjustments: dict | None = None) -> int:
    """Review step then publication: adjustments {rating_id: (grade, note)}; all 初评 become final."""
    _require_head(actor, "考核结果审定公布")
    for pk, (grade, note) in (adjustments or {}).items():
        Rating.objects.filter(pk=pk, org=jurisdiction_of(org)).update(grade=grade, review_note=note[:300])
    n = Rating.objects.filter(org=jurisdiction_of(org), year=year, stage=RatingStage.INITIAL).update(
        stage=RatingStage.FINAL, published_on=on
    )
    audit_record(
        action="credit.rating_finalise", actor=actor, target=org, detail={"year": year, "published": n}
    )
    return n


@transaction.atomic
def rating_recompute(*, rating: Rating, actor, reason: str) -> Rating:
    score, grade, expl, _ = _compute(rating.subject_ref, rating.year)
    before = {"score": rating.score, "grade": rating.grade}
    rating.score, rating.grade, rating.explanation = score, grade, [*expl, reason]
    rating.save()
    audit_record(
        action="credit.rating_recompute",
        actor=actor,
        target=rating,
        reason=reason,
        before=before,
        after={"score": score, "grade": grade},
    )
    return rating


# ------------------------------------------------------------------------------------------------
# 治超 一超四罚 -> credit (the seam zhifa.overload calls when it raises a SanctionLead)
# ------------------------------------------------------------------------------------------------

# SanctionLead.kind -> the 治超 blacklist situation it meets (enforcement-tech.md §1.5 items 1-3)
OVERLOAD_CRITERION = {"vehicle": "ZC-BL-1", "driver": "ZC-BL-2", "enterprise": "ZC-BL-3"}


def _overload_ref(sanction) -> str:
    subject = sanction.vehicle or sanction.person or sanction.enterprise
    return f"{subject._meta.model_name}:{subject.pk}" if subject is not None else f"overload:{sanction.subject_key}"


@transaction.atomic
def credit_record_from_overload(*, sanction, actor=None) -> CreditRecord:
    """A 一超四罚 measure — raised only from 处罚决定 (``zhifa.overload.services.sanctions_evaluate``) — counts
    for the subject's credit (serious), dated by the decision that crossed the threshold; a source unit's
    record lands in its enterprise's file. For a vehicle or driver with more than 3 over-limit violations in a
    year it opens the blacklist procedure (notice; the decision stays with a person after the objection
    period). Idempotent per measure; a later count updates the record's title (audited)."""
    ref = _overload_ref(sanction)
    title = f"{sanction.get_kind_display()}（{sanction.window_from}—{sanction.window_to} 共 {sanction.count} 次）"
    rec = credit_record_add(
        org=sanction.org,
        subject_ref=ref,
        subject_name=sanction.subject_name,
        category=Category.OVERLOAD,
        title=title,
        source="治超非现场执法",
        source_ref=f"overload.sanction:{sanction.pk}",
        occurred_on=sanction.window_to,
        effect=Effect.NEGATIVE,
        severity="serious",
        actor=actor,
    )
    if rec.title != title[:300] and rec.status == RecordStatus.ACTIVE:
        before = {"title": rec.title}
        rec.title = title[:300]
        rec.save(update_fields=["title"])
        audit_record(action="credit.record_update", actor=actor, target=rec, before=before, after={"title": rec.title})
    criterion = OVERLOAD_CRITERION.get(sanction.kind)
    if (
        criterion in ("ZC-BL-1", "ZC-BL-2")
        and not ListEntry.objects.filter(
            subject_ref=ref,
            list_kind=ListKind.BLACK,
            state__in=[ListState.NOTICED, ListState.OBJECTED, ListState.EFFECTIVE],
        ).exists()
    ):
        list_entry_propose(
            org=sanction.org,
            list_kind=ListKind.BLACK,
            subject_ref=ref,
            subject_name=sanction.subject_name,
            criterion=criterion,
            facts=rec.title,
            on=sanction.window_to,
            actor=actor,
        )
    return rec


@transaction.atomic
def credit_record_void_for_overload(*, sanction, on: date, reason: str, actor=None) -> int:
    """A 一超四罚 measure is no longer met (a decision it counted was revoked on 复议/诉讼): its credit record is
    void and the blacklist procedure it opened ends, unless another standing measure still supports it."""
    n = _void(CreditRecord.objects.filter(source_ref=f"overload.sanction:{sanction.pk}"), on, actor, reason)
    ref = _overload_ref(sanction)
    criterion = OVERLOAD_CRITERION.get(sanction.kind)
    still = CreditRecord.objects.filter(
        subject_ref=ref, category=Category.OVERLOAD, status=RecordStatus.ACTIVE
    ).exists()
    if criterion and not still:
        for e in ListEntry.objects.select_for_update().filter(
            subject_ref=ref,
            list_kind=ListKind.BLACK,
            criterion=criterion,
            state__in=[ListState.NOTICED, ListState.OBJECTED, ListState.EFFECTIVE],
        ):
            _list_end(e, on, actor, f"列入依据已不成立：{reason}")
    return n
