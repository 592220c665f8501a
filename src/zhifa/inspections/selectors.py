"""Reads of 双随机: scoped by the actor's jurisdiction (the county bureau and below) for business users;
the public portal reads only what has been published, masked (PIPL Art 28/51: no personal data of
natural persons; officers shown with a masked name and their 执法证号)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from zhifa.accounts.enums import OfficerStatus
from zhifa.accounts.models import Officer, Org, User
from zhifa.accounts.selectors import (
    certificate_problem,
    is_business_user,
    jurisdiction_of,
    officer_can_enforce,
)
from zhifa.core.identifiers import mask_name
from zhifa.inspections import rules
from zhifa.inspections.draw import (
    ALGORITHM,
    ALGORITHM_V2,
    FILE_FORMAT,
    FILE_FORMAT_V2,
    derive_seed,
    is_multi_party,
    quota,
)
from zhifa.inspections.lookups import POSTCHECKS_DUE
from zhifa.inspections.models import (
    Assignment,
    Conflict,
    Draw,
    DrawStatus,
    InspectionItem,
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    PublishedList,
    RecordStatus,
    ResultKind,
    SlotKind,
    TargetSource,
)
from zhifa.registry.enums import BusinessType, SubjectStatus
from zhifa.registry.models import Enterprise

LIVE_DRAW = (DrawStatus.DRAWN, DrawStatus.REVEALED)
_TOWN = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:镇|乡|街道))")


def target_code(enterprise_id: int) -> str:
    return f"E{enterprise_id}"


def inspector_code(officer_id: int) -> str:
    return f"O{officer_id}"


def code_pk(code: str) -> int:
    return int(code[1:])


def area_of(address: str) -> str:
    """The town (镇/乡/街道) in an address, after the county name; "" when none."""
    towns = _TOWN.findall(address or "")
    return towns[-1] if towns else ""


# --- scoping --------------------------------------------------------------------------------------


def _jurisdiction_q(actor: User, field: str) -> Q:
    if not is_business_user(actor) or actor.org_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": jurisdiction_of(actor.org).path})


def actor_bureau(actor: User) -> Org | None:
    return jurisdiction_of(actor.org) if actor.is_authenticated and actor.org_id else None


def items_visible(actor: User) -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(_jurisdiction_q(actor, "org"))


def plans_visible(actor: User) -> QuerySet[InspectionPlan]:
    return InspectionPlan.objects.filter(_jurisdiction_q(actor, "org")).select_related("org")


def tasks_visible(actor: User) -> QuerySet[InspectionTask]:
    return InspectionTask.objects.filter(_jurisdiction_q(actor, "plan__org")).select_related("plan", "item")


def assignments_visible(actor: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(_jurisdiction_q(actor, "task__plan__org"), draw__status__in=LIVE_DRAW)
        .select_related("task", "task__item", "enterprise", "draw")
        .prefetch_related("inspectors")
    )


def my_assignments(actor: User) -> QuerySet[Assignment]:
    officer = getattr(actor, "officer", None) if actor.is_authenticated else None
    if officer is None:
        return Assignment.objects.none()
    return assignments_visible(actor).filter(inspectors=officer).order_by("task__due_date", "position")


def records_visible(actor: User) -> QuerySet[InspectionRecord]:
    return InspectionRecord.objects.filter(
        _jurisdiction_q(actor, "assignment__task__plan__org")
    ).select_related("assignment", "assignment__task", "assignment__enterprise")


def conflicts_visible(actor: User) -> QuerySet[Conflict]:
    return Conflict.objects.filter(_jurisdiction_q(actor, "officer__org")).select_related(
        "officer", "enterprise"
    )


def published_lists(org: Org, kind: str) -> QuerySet[PublishedList]:
    return PublishedList.objects.filter(org=org, kind=kind).order_by("-version")


# --- 两库一单 -----------------------------------------------------------------------------------------


def target_directory(
    bureau: Org, *, on: date, business_types=(), area: str = "", grade: str = "", risk: str = ""
) -> list[dict]:
    """检查对象名录库: the active enterprises of the bureau's jurisdiction, with grade, risk and weight."""
    qs = Enterprise.objects.filter(org__path__startswith=bureau.path, status=SubjectStatus.ACTIVE).order_by(
        "pk"
    )
    if business_types:
        qs = qs.filter(business_type__in=list(business_types))
    if area:
        qs = qs.filter(address__contains=area)
    grade_of = rules.credit_grade_provider()
    labels = dict(BusinessType.choices)
    risk_of = rules.value("risk_by_business_type", on=on)
    weights: dict[tuple[str, str], int] = {}
    enterprises = list(qs.only("pk", "name", "uscc", "business_type", "address"))
    # a provider may offer a batch form (``grade_of.many``): one query for the county, not one per row
    many = getattr(grade_of, "many", None)
    grades = many(enterprises) if many else {e.pk: grade_of(e) for e in enterprises}
    rows = []
    for e in enterprises:
        g = grades[e.pk]
        r = risk_of.get(e.business_type, "低")
        if (g, r) not in weights:
            weights[g, r] = rules.target_weight(grade=g, risk=r, on=on)
        w = weights[g, r]
        if (grade and g != grade) or (risk and r != risk):
            continue
        rows.append(
            {
                "id": target_code(e.pk),
                "name": e.name,
                "uscc": e.uscc,
                "stratum": e.business_type,
                "business_type": labels.get(e.business_type, e.business_type),
                "area": area_of(e.address),
                "grade": g,
                "risk": r,
                "weight": w,
            }
        )
    return rows


def _certified_field_ok(officer: Officer, on: date, cert_fields) -> str | None:
    """The number of a certificate valid on ``on`` (of one of ``cert_fields`` when given), or None."""
    for cert in officer.certificates.all():
        if not certificate_problem(cert, on) and (not cert_fields or cert.field in cert_fields):
            return cert.number
    return None


def inspector_directory(bureau: Org, *, on: date, cert_fields=()) -> list[tuple[Officer, str]]:
    """执法检查人员名录库: active officers of the bureau and its units holding a certificate valid on ``on``
    (《行政处罚法》第四十二条; checked by ``officer_can_enforce``), optionally of the item's 执法门类."""
    officers = (
        Officer.objects.filter(org__path__startswith=bureau.path, status=OfficerStatus.ACTIVE)
        .select_related("org")
        .prefetch_related("certificates")
        .order_by("pk")
    )
    out = []
    for o in officers:
        if not officer_can_enforce(o, on=on):
            continue
        number = _certified_field_ok(o, on, cert_fields)
        if number:
            out.append((o, number))
    return out


def inspector_row(officer: Officer, cert_number: str) -> dict:
    return {
        "id": inspector_code(officer.pk),
        "name": mask_name(officer.name),
        "cert": cert_number,
        "unit": officer.org.name,
    }


def items_list_content(bureau: Org) -> list[dict]:
    rows = []
    for i in InspectionItem.objects.filter(org=bureau, active=True).order_by("code"):
        rows.append(
            {
                "code": i.code,
                "name": i.name,
                "legal_basis": i.legal_basis,
                "inspecting_body": i.inspecting_body,
                "business_types": list(i.business_types),
                "method": i.method,
                "ratio_bp": i.ratio_bp,
                "frequency": i.frequency,
                "category": i.get_category_display(),
            }
        )
    return rows


def list_content(bureau: Org, kind: str, *, on: date) -> list[dict]:
    if kind == "items":
        return items_list_content(bureau)
    if kind == "targets":
        return [
            {k: r[k] for k in ("id", "name", "uscc", "business_type", "area", "grade", "risk")}
            for r in target_directory(bureau, on=on)
        ]
    return [inspector_row(o, n) for o, n in inspector_directory(bureau, on=on)]


# --- draw inputs ------------------------------------------------------------------------------------


def _already_drawn(task: InspectionTask) -> set[int]:
    return set(
        Assignment.objects.filter(task__plan=task.plan, task__item=task.item, draw__status__in=LIVE_DRAW)
        .exclude(task=task)
        .values_list("enterprise_id", flat=True)
    )


def postcheck_usccs(bureau: Org, *, on: date) -> set[str]:
    """统一社会信用代码 of the 告知承诺 applicants under ``bureau`` whose 事后核查 is due on ``on`` and not done
    (permits provides the list through the ``permits.postchecks_due`` lookup)."""
    return {a.applicant_uscc for a in POSTCHECKS_DUE(bureau, on=on) if a.applicant_uscc}


def draw_inputs(task: InspectionTask) -> dict:
    """The three inputs of zhifa-draw-v1 for ``task``, recomputed from the database (see ALGORITHM.md §3).

    Targets: the directory filtered by the item's business types and the task's area, minus targets
    already drawn for the same item in the same plan (合并检查: not drawn again unless ``allow_repeat``).
    A task drawing from the 告知承诺事后核查名录 keeps only the enterprises (matched by 统一社会信用代码) whose
    post-check is due on the draw date; the targets recorded are exactly those drawn from (same shape).
    Inspectors: the directory on the draw date; each with the targets it must not inspect (回避):
    declared conflicts valid on that date and targets it inspected within the recusal period.
    """
    on = task.draw_date
    bureau = task.plan.org
    item = task.item
    targets = target_directory(bureau, on=on, business_types=item.business_types, area=task.area)
    if task.target_source == TargetSource.POSTCHECKS:
        due = postcheck_usccs(bureau, on=on)
        targets = [t for t in targets if t["uscc"] in due]
    if not task.allow_repeat:
        done = {target_code(pk) for pk in _already_drawn(task)}
        targets = [t for t in targets if t["id"] not in done]
    target_ids = {t["id"] for t in targets}
    inspectors = inspector_directory(bureau, on=on, cert_fields=item.cert_fields)
    officer_ids = [o.pk for o, _ in inspectors]
    excluded: dict[int, set[str]] = defaultdict(set)
    for oid, eid in (
        Conflict.objects.filter(officer_id__in=officer_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values_list("officer_id", "enterprise_id")
    ):
        excluded[oid].add(target_code(eid))
    since = on - timedelta(days=int(rules.value("recusal_recent_days", on=on)))
    recent = InspectionRecord.objects.filter(
        status__in=[RecordStatus.SUBMITTED, RecordStatus.PUBLISHED],
        inspected_on__gte=since,
        inspected_on__lte=on,
        assignment__inspectors__in=officer_ids,
    ).values_list("assignment__inspectors", "assignment__enterprise_id")
    for oid, eid in recent:
        excluded[oid].add(target_code(eid))
    inspector_rows = []
    for o, number in inspectors:
        row = inspector_row(o, number)
        row["excluded"] = sorted(excluded.get(o.pk, set()) & target_ids)
        inspector_rows.append(row)
    task_doc = {
        "bureau": bureau.name,
        "plan": task.plan.title,
        "task_id": task.pk,
        "task": task.title,
        "item": item.code,
        "item_name": item.name,
        "round": task.round_no,
        "kind": task.get_kind_display(),
        "partners": task.partners,
        "area": task.area,
        "allow_repeat": task.allow_repeat,
        "draw_date": on.isoformat(),
        "ratio_bp": task.ratio_bp,
        "inspectors_per_target": task.inspectors_per_target,
        "weights": {
            "credit": rules.value("credit_weights", on=on),
            "risk": rules.value("risk_weights", on=on),
        },
    }
    return {"task": task_doc, "targets": targets, "inspectors": inspector_rows}


def draw_file(draw: Draw) -> dict:
    """The published draw file: everything needed to replay, nothing secret (ALGORITHM.md §5, §7.4).

    zhifa-draw-file/1 for single-party draws (zhifa-draw-v1, unchanged), zhifa-draw-file/2 for
    multi-party ones (zhifa-draw-v2). Before the draw it is the pre-draw file: inputs, digests,
    commitment (and for v2 the declared witnesses and the values given so far); the secret, the seed and
    the result are added when the secret is revealed."""
    v2 = draw.algorithm == ALGORITHM_V2
    doc = {
        "format": FILE_FORMAT_V2 if v2 else FILE_FORMAT,
        "algorithm": draw.algorithm,
        "hash": "SM3",
        "bureau": draw.task.plan.org.name,
        "task": draw.task.title,
        "draw_seq": draw.seq,
        "status": draw.status,
        "committed_at": draw.committed_at.isoformat(),
        "revealed_at": draw.revealed_at.isoformat() if draw.revealed_at else None,
        "redraw_reason": draw.reason,
        "superseded_reason": draw.superseded_reason,
        "inputs": draw.inputs,
        "digests": draw.digests,
        "commitment": draw.commitment,
    }
    if v2:
        witnesses, public = draw_contributions(draw)
        doc["declared"] = draw.declared
        doc["witnesses"] = witnesses
        doc["public"] = public
        doc["secret"] = draw.seed or None
        seed = derived_seed(draw, draw.seed) if draw.seed else None
        doc["seed"] = seed.hex() if seed else None
    else:
        doc["seed"] = draw.seed or None
    if draw.seed and draw.result is not None:
        doc["assignments"] = draw.result["assignments"]
        doc["strata"] = draw.result["strata"]
        doc["result_digest"] = draw.result_digest
    return doc


def draw_contributions(draw: Draw) -> tuple[list[dict | None], dict | None]:
    """The frozen contribution records of a v2 draw in declared order: (witnesses, public)."""
    rows = sorted(draw.slots.all(), key=lambda r: r.position)  # a prefetch of the slots serves
    witnesses = [r.record for r in rows if r.kind == SlotKind.WITNESS]
    public = next((r.record for r in rows if r.kind == SlotKind.PUBLIC), None)
    return witnesses, public


def missing_contributions(draw: Draw) -> list[str]:
    """The declared contributors of a v2 draw that have not given their value (nor been recorded absent)."""
    witnesses, public = draw_contributions(draw)
    missing = [
        f"{s['slot']}（{s['role']}）"
        for s, w in zip(draw.declared["witnesses"], witnesses, strict=True)
        if w is None
    ]
    if draw.declared["public"] and public is None:
        missing.append(f"公开随机值（{draw.declared['public']['source']}）")
    return missing


def derived_seed(draw: Draw, secret_hex: str) -> bytes | None:
    """The seed of a v2 draw (ALGORITHM.md §7.3) from the bureau's secret and every contribution; None while a
    declared contributor is missing."""
    if missing_contributions(draw):
        return None
    witnesses, public = draw_contributions(draw)
    return derive_seed(secret_hex, draw.commitment, witnesses, public)


def with_draw_modes(tasks) -> list[dict]:
    """Each task with the 随机方式 of its current draw (the portal's task list): two queries, not two per task."""
    tasks = list(tasks)
    current: dict[int, Draw] = {}
    for d in (
        Draw.objects.filter(task__in=tasks)
        .exclude(status=DrawStatus.SUPERSEDED)
        .prefetch_related("slots")
        .order_by("task_id", "seq")
    ):
        current[d.task_id] = d  # the latest one, as InspectionTask.current_draw()
    return [{"task": t, "mode": draw_mode(current[t.pk]) if t.pk in current else ""} for t in tasks]


def draw_mode(draw: Draw) -> str:
    """多方见证随机 when a value other than the bureau's entered (or will enter) the seed, else 单方随机."""
    if draw.algorithm != ALGORITHM_V2:
        return "单方随机"
    witnesses, public = draw_contributions(draw)
    if draw.declared.get("public") or any(w is None for w in witnesses) or is_multi_party(witnesses, public):
        return "多方见证随机"
    return "单方随机（见证人均缺席）"


# --- fairness and statistics --------------------------------------------------------------------------


@dataclass
class FairnessRow:
    code: str
    label: str
    drawn: int
    expected: float

    @property
    def ratio(self) -> float:
        return self.drawn / self.expected if self.expected else 0.0


def plan_fairness(plan: InspectionPlan) -> dict:
    """How often each target and each inspector was drawn in the plan's live draws, against expectation.

    Expected count of a target per draw: its stratum quota x weight / stratum weight (capped at 1), the
    first-order inclusion probability; of an inspector: assignments x k / pool size.
    """
    targets: dict[str, FairnessRow] = {}
    inspectors: dict[str, FairnessRow] = {}
    draws = Draw.objects.filter(task__plan=plan, status__in=LIVE_DRAW).select_related("task")
    n_draws = 0
    for d in draws:
        n_draws += 1
        ratio = d.inputs["task"]["ratio_bp"]
        k = d.inputs["task"]["inspectors_per_target"]
        by_stratum = defaultdict(list)
        for t in d.inputs["targets"]:
            by_stratum[t["stratum"]].append(t)
        for rows in by_stratum.values():
            n = quota(len(rows), ratio)
            total = sum(t["weight"] for t in rows)
            for t in rows:
                r = targets.setdefault(t["id"], FairnessRow(t["id"], t["name"], 0, 0.0))
                r.expected += min(1.0, n * t["weight"] / total) if total else 0.0
        slots = len(d.result["assignments"]) * k if d.result else 0
        pool = d.inputs["inspectors"]
        for o in pool:
            r = inspectors.setdefault(o["id"], FairnessRow(o["id"], f"{o['name']}（{o['unit']}）", 0, 0.0))
            r.expected += slots / len(pool) if pool else 0.0
        for a in (d.result or {}).get("assignments", []):
            if a["target"] in targets:
                targets[a["target"]].drawn += 1
            for oid in a["inspectors"]:
                if oid in inspectors:
                    inspectors[oid].drawn += 1
    return {
        "draws": n_draws,
        "targets": sorted(targets.values(), key=lambda r: (-r.drawn, r.code)),
        "inspectors": sorted(inspectors.values(), key=lambda r: (-r.drawn, r.code)),
    }


def unit_stats(actor: User, *, year: int, today: date) -> dict:
    """The unit's 双随机 figures for a year (the 法治 report's 行政检查 count and publication rate)."""
    recs = records_visible(actor).filter(inspected_on__year=year).exclude(status=RecordStatus.DRAFT)
    tasks = tasks_visible(actor).filter(plan__year=year)
    by_result = Counter(recs.values_list("result", flat=True))
    published = recs.filter(status=RecordStatus.PUBLISHED)
    on_time = sum(
        1
        for r in published.values_list("published_at", "publish_due", named=True)
        if r.publish_due and r.published_at.date() <= r.publish_due
    )
    overdue = recs.filter(status=RecordStatus.SUBMITTED, publish_due__lt=today).count()
    return {
        "tasks": tasks.count(),
        "drawn_targets": assignments_visible(actor).filter(task__plan__year=year).count(),
        "inspections": recs.count(),
        "by_result": [(label, by_result.get(value, 0)) for value, label in ResultKind.choices],
        "published": published.count(),
        "published_on_time": on_time,
        "overdue": overdue,
        "cases": recs.filter(case_source_id__isnull=False).count(),
    }


# --- public portal --------------------------------------------------------------------------------------


def public_plans() -> QuerySet[InspectionPlan]:
    return InspectionPlan.objects.select_related("org").order_by("-year", "org__path")


def public_tasks() -> QuerySet[InspectionTask]:
    return InspectionTask.objects.exclude(status="draft").select_related("plan", "plan__org", "item")


def public_results() -> QuerySet[InspectionRecord]:
    return (
        InspectionRecord.objects.filter(status=RecordStatus.PUBLISHED)
        .select_related(
            "assignment__enterprise",
            "assignment__task",
            "assignment__task__plan__org",
            "assignment__task__item",
        )
        .order_by("-published_at", "-id")
    )


def public_bureaus() -> QuerySet[Org]:
    return Org.objects.filter(pk__in=PublishedList.objects.values("org_id")).order_by("path")


ALGORITHM_NAME = ALGORITHM
