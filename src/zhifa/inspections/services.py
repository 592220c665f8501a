"""Writes of 双随机、一公开. Every service is keyword-only, atomic, checks role and jurisdiction, and
writes its audit record in the same transaction (全过程记录).

Workflow of a task (one explicit table, :data:`TASK_MOVES`)::

    draft --commit--> committed --draw--> drawn --reveal--> revealed --(all results published)--> completed
      ^                  |                  |                    |
      +---- redraw (reason; the draw is superseded, its seed revealed, a new commitment follows) ----+
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Officer, Org, User
from zhifa.accounts.selectors import jurisdiction_of, officer_can_enforce
from zhifa.core import events
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.core.crypto import decrypt_field, encrypt_field
from zhifa.core.errors import ErrorCode
from zhifa.core.identifiers import mask_name
from zhifa.inspections import draw as algo
from zhifa.inspections import rules, selectors
from zhifa.inspections.events import RECORD_SUBMITTED
from zhifa.inspections.models import (
    Assignment,
    Conflict,
    Draw,
    DrawSlot,
    DrawStatus,
    InspectionItem,
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    ItemCategory,
    ListKind,
    PlanItem,
    PublishedList,
    RecordStatus,
    ResultKind,
    SlotKind,
    TargetSource,
    TaskKind,
    TaskStatus,
)
from zhifa.registry.enums import BusinessType
from zhifa.registry.models import Enterprise
from zhifa.rules.params import procedure_param

MANAGERS = (Role.HEAD, Role.LEGAL_REVIEWER)  # lists, plans, draws, publication
SEED_PURPOSE = "inspections.draw_seed"


class InspectionError(ErrorCode):
    FORBIDDEN = "inspections.forbidden", "无权执行此操作：{detail}", 403
    INVALID = "inspections.invalid", "{detail}", 422
    BAD_STATE = "inspections.bad_state", "{detail}", 409
    INSUFFICIENT = (
        "inspections.insufficient_inspectors",
        "不能抽取：{detail}（每个检查对象至少随机匹配{k}名检查人员，《行政处罚法》第四十二条）",
        409,
    )
    CERT_INVALID = (
        "inspections.certificate_invalid",
        "不能抽取：{detail}；持有效执法证件方可从事执法检查（《行政处罚法》第四十二条），请重新抽取",
        409,
    )
    INPUTS_CHANGED = (
        "inspections.inputs_changed",
        "不能抽取：{detail}在公布承诺后发生变化，抽取结果将无法验证；请说明原因后重新抽取",
        409,
    )
    CONFLICT = "inspections.conflict", "{detail}（《行政处罚法》第四十三条 回避）", 409


# Allowed moves of a task (action -> (from states, to state)).
TASK_MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "commit": ((TaskStatus.DRAFT,), TaskStatus.COMMITTED),
    "draw": ((TaskStatus.COMMITTED,), TaskStatus.DRAWN),
    "reveal": ((TaskStatus.DRAWN,), TaskStatus.REVEALED),
    "redraw": ((TaskStatus.COMMITTED, TaskStatus.DRAWN, TaskStatus.REVEALED), TaskStatus.DRAFT),
    "complete": ((TaskStatus.REVEALED,), TaskStatus.COMPLETED),
}
_ACTION_LABELS = {
    "commit": "公布承诺",
    "draw": "抽取",
    "reveal": "公开种子",
    "redraw": "重新抽取",
    "complete": "完成",
}


def _move(task: InspectionTask, action: str) -> None:
    sources, target = TASK_MOVES[action]
    if task.status not in sources:
        raise InspectionError.BAD_STATE.error(
            detail=f"任务“{task.title}”当前状态为“{task.get_status_display()}”，不能{_ACTION_LABELS[action]}"
        )
    task.status = target


def _who(actor: User | None) -> str:
    return actor.get_username() if actor else "系统"


def _require_manager(actor: User | None, org: Org) -> None:
    """Head or legal reviewer of the bureau that owns ``org`` (or of a superior unit); None = installer."""
    if actor is None:
        return
    if not actor.is_authenticated or not actor.has_role(*MANAGERS):
        raise InspectionError.FORBIDDEN.error(detail="需要执法部门负责人或法制审核人员")
    if actor.org is None or not org.is_within(jurisdiction_of(actor.org)):
        raise InspectionError.FORBIDDEN.error(detail="不在本人所属单位的管辖范围内")


def _bureau(org: Org) -> Org:
    return jurisdiction_of(org)


# --- 两库一单 ------------------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    org: Org,
    code: str,
    name: str,
    legal_basis: str,
    inspecting_body: str,
    ratio_bp: int,
    business_types: list[str] | tuple = (),
    method: str = "现场检查",
    frequency: int = 1,
    category: str = ItemCategory.GENERAL,
    cert_fields: list[str] | tuple = (),
    checklist: list[str] | tuple = (),
    actor: User | None,
) -> InspectionItem:
    """Add a line to the 随机抽查事项清单 of ``org``'s bureau."""
    bureau = _bureau(org)
    _require_manager(actor, bureau)
    fields = {}
    if not code.strip():
        fields["code"] = "不能为空"
    if not name.strip():
        fields["name"] = "不能为空"
    if not legal_basis.strip():
        fields["legal_basis"] = "抽查事项必须载明法律依据"
    if not 1 <= int(ratio_bp) <= 10000:
        fields["ratio_bp"] = "抽查比例应在 0.01% 到 100% 之间"
    unknown = set(business_types) - set(BusinessType.values)
    if unknown:
        fields["business_types"] = f"未知经营类别：{'、'.join(sorted(unknown))}"
    if category not in ItemCategory.values:
        fields["category"] = "取值无效"
    if InspectionItem.objects.filter(org=bureau, code=code.strip()).exists():
        fields["code"] = "事项编号已存在"
    if fields:
        raise InspectionError.INVALID.error(
            detail="抽查事项信息有误：" + "；".join(f"{k}{v}" for k, v in fields.items()), fields=fields
        )
    item = InspectionItem(
        org=bureau,
        code=code.strip(),
        name=name.strip(),
        legal_basis=legal_basis.strip(),
        inspecting_body=inspecting_body.strip() or bureau.name,
        ratio_bp=int(ratio_bp),
        business_types=sorted(business_types),
        method=method,
        frequency=frequency,
        category=category,
        cert_fields=list(cert_fields),
        checklist=[c.strip() for c in checklist if c.strip()],
    )
    item.full_clean()
    item.save()
    audit_record(
        action="inspection_item.create",
        actor=actor,
        target=item,
        after={"code": item.code, "name": item.name, "ratio_bp": item.ratio_bp},
    )
    return item


@transaction.atomic
def list_publish(
    *, org: Org, kind: str, actor: User | None, on: date | None = None
) -> tuple[PublishedList, bool]:
    """Publish the current content of one of the 两库一单 (事前公示). A new version only when the content
    changed; returns ``(version, created)``."""
    bureau = _bureau(org)
    _require_manager(actor, bureau)
    if kind not in ListKind.values:
        raise InspectionError.INVALID.error(detail=f"未知名录“{kind}”")
    on = on or timezone.localdate()
    content = selectors.list_content(bureau, kind, on=on)
    dig = algo.digest(content)
    last = (
        PublishedList.objects.select_for_update().filter(org=bureau, kind=kind).order_by("-version").first()
    )
    if last and last.digest == dig:
        return last, False
    pl = PublishedList.objects.create(
        org=bureau,
        kind=kind,
        version=(last.version + 1) if last else 1,
        as_of=on,
        content=content,
        digest=dig,
        row_count=len(content),
        published_by=_who(actor),
    )
    audit_record(
        action="inspection_list.publish",
        actor=actor,
        target=pl,
        detail={"kind": kind, "version": pl.version, "digest": dig, "rows": len(content)},
    )
    return pl, True


@transaction.atomic
def conflict_declare(
    *,
    officer: Officer,
    enterprise: Enterprise,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    note: str = "",
    actor: User | None,
) -> Conflict:
    """Declare a 回避 relationship. The officer declares their own; managers may declare anyone's."""
    own = actor is not None and getattr(actor, "officer", None) is not None and actor.officer.pk == officer.pk
    if not own:
        _require_manager(actor, officer.org)
    if actor is not None and not enterprise.org.is_within(jurisdiction_of(officer.org)):
        raise InspectionError.INVALID.error(detail="检查对象不在该执法人员单位的管辖范围内")
    if valid_to and valid_to < valid_from:
        raise InspectionError.INVALID.error(
            detail="回避截止日期早于起始日期", fields={"valid_to": "早于起始日期"}
        )
    c = Conflict(
        officer=officer,
        enterprise=enterprise,
        kind=kind,
        note=note.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        declared_by=_who(actor),
    )
    c.full_clean()
    c.save()
    audit_record(
        action="inspection_conflict.declare",
        actor=actor,
        target=c,
        after={"officer": officer.pk, "enterprise": enterprise.pk, "kind": kind},
    )
    return c


# --- plans and tasks --------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    org: Org,
    year: int,
    title: str,
    items: list[tuple[InspectionItem, int, list[int]]],
    note: str = "",
    actor: User | None,
) -> InspectionPlan:
    """年度抽查计划: ``items`` are (item, ratio in 1/10000, quarters)."""
    bureau = _bureau(org)
    _require_manager(actor, bureau)
    if not title.strip():
        raise InspectionError.INVALID.error(detail="计划名称不能为空", fields={"title": "不能为空"})
    if not items:
        raise InspectionError.INVALID.error(detail="计划至少包含一个抽查事项", fields={"items": "不能为空"})
    plan = InspectionPlan.objects.create(
        org=bureau, year=year, title=title.strip(), note=note, created_by=_who(actor)
    )
    for item, ratio, quarters in items:
        if item.org_id != bureau.pk:
            raise InspectionError.INVALID.error(detail=f"事项 {item.code} 不属于{bureau.name}的抽查事项清单")
        if not 1 <= ratio <= 10000 or any(q not in (1, 2, 3, 4) for q in quarters):
            raise InspectionError.INVALID.error(detail=f"事项 {item.code} 的比例或季度有误")
        PlanItem.objects.create(plan=plan, item=item, ratio_bp=ratio, quarters=sorted(set(quarters)))
    audit_record(
        action="inspection_plan.create",
        actor=actor,
        target=plan,
        after={"year": year, "items": [i.code for i, _, _ in items]},
    )
    return plan


@transaction.atomic
def task_create(
    *,
    plan: InspectionPlan,
    item: InspectionItem,
    draw_date: date,
    due_date: date | None = None,
    kind: str = TaskKind.SINGLE,
    partners: str = "",
    ratio_bp: int | None = None,
    inspectors_per_target: int | None = None,
    area: str = "",
    allow_repeat: bool = False,
    target_source: str = TargetSource.DIRECTORY,
    title: str = "",
    actor: User | None,
) -> InspectionTask:
    """A round of a plan item. At least ``min_inspectors`` inspectors per target (《行政处罚法》第四十二条).
    ``target_source``: the whole 检查对象名录库 or the 告知承诺事后核查名录 (post-checks due on the draw date)."""
    _require_manager(actor, plan.org)
    pi = PlanItem.objects.filter(plan=plan, item=item).first()
    if pi is None:
        raise InspectionError.INVALID.error(detail=f"事项 {item.code} 不在计划“{plan.title}”中")
    minimum = rules.value("min_inspectors", on=draw_date)
    k = inspectors_per_target or minimum
    if k < minimum:
        raise InspectionError.INVALID.error(
            detail=f"每个检查对象至少匹配 {minimum} 名检查人员（{rules.rule('min_inspectors', on=draw_date).source}）",
            fields={"inspectors_per_target": f"不得少于 {minimum}"},
        )
    if kind not in TaskKind.values:
        raise InspectionError.INVALID.error(detail="任务类型无效")
    if target_source not in TargetSource.values:
        raise InspectionError.INVALID.error(
            detail="抽查对象范围无效", fields={"target_source": "应为检查对象名录库或告知承诺事后核查名录"}
        )
    if kind == TaskKind.JOINT and not partners.strip():
        raise InspectionError.INVALID.error(
            detail="部门联合抽查须写明联合抽查部门", fields={"partners": "不能为空"}
        )
    if due_date and due_date < draw_date:
        raise InspectionError.INVALID.error(
            detail="检查完成期限早于抽取日期", fields={"due_date": "早于抽取日期"}
        )
    round_no = InspectionTask.objects.filter(plan=plan, item=item).count() + 1
    task = InspectionTask(
        plan=plan,
        item=item,
        round_no=round_no,
        kind=kind,
        partners=partners.strip(),
        ratio_bp=ratio_bp or pi.ratio_bp,
        inspectors_per_target=k,
        area=area.strip(),
        allow_repeat=allow_repeat,
        target_source=target_source,
        draw_date=draw_date,
        due_date=due_date,
        title=title.strip() or f"{plan.year}年{item.name}第{round_no}轮抽查",
        created_by=_who(actor),
    )
    task.full_clean()
    task.save()
    audit_record(
        action="inspection_task.create",
        actor=actor,
        target=task,
        after={
            "item": item.code,
            "round": round_no,
            "ratio_bp": task.ratio_bp,
            "kind": kind,
            "target_source": target_source,
        },
    )
    return task


# --- the draw ----------------------------------------------------------------------------------------------


def _feasible(inputs: dict, k: int) -> None:
    try:
        algo.check_feasible(inputs)
    except algo.DrawError as e:
        raise InspectionError.INSUFFICIENT.error(detail=str(e), k=k) from None


@transaction.atomic
def draw_commit(
    *,
    task: InspectionTask,
    actor: User | None,
    reason: str = "",
    seed: bytes | None = None,
    at: datetime | None = None,
    witnesses: list[str] | tuple = (),
    public_source: str = "",
    public_date: date | None = None,
) -> Draw:
    """Fix the inputs and publish the commitment (ALGORITHM.md §1 step 2, §7.1). The bureau's secret comes
    from the OS CSPRNG; ``seed`` and ``at`` are for the demo and tests only (pages and the API never pass
    them). With ``witnesses`` (their roles, in order) or a public source named with its date, the draw is
    multi-party (zhifa-draw-v2): the slots are committed with the inputs and the seed is derived from the
    secret and the values contributed after this commitment; without them it is single-party (v1)."""
    _historical_only(actor, at)
    task = (
        InspectionTask.objects.select_for_update().select_related("plan", "plan__org", "item").get(pk=task.pk)
    )
    _require_manager(actor, task.plan.org)
    _move(task, "commit")
    now = at or timezone.now()
    declared = _declaration(witnesses, public_source, public_date, today=timezone.localdate(now))
    inputs = selectors.draw_inputs(task)
    if not inputs["targets"]:
        raise InspectionError.INVALID.error(detail="检查对象名录中没有符合本任务范围的对象")
    _feasible(inputs, task.inspectors_per_target)
    seed = seed if seed is not None else secrets.token_bytes(32)
    if len(seed) != 32:
        raise InspectionError.INVALID.error(detail="随机种子应为32字节")
    algorithm = algo.ALGORITHM_V2 if declared else algo.ALGORITHM
    digests = algo.input_digests(inputs, declared)
    commit = algo.commitment(seed.hex(), digests, algorithm)
    seq = (task.draws.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    d = Draw.objects.create(
        task=task,
        seq=seq,
        algorithm=algorithm,
        inputs=inputs,
        digests=digests,
        commitment=commit,
        seed_enc=encrypt_field(seed.hex(), purpose=SEED_PURPOSE),
        committed_at=now,
        committed_by=_who(actor),
        reason=reason,
        declared=declared,
    )
    if declared:
        _create_slots(d, declared)
    task.save(update_fields=["status"])
    audit_record(
        action="inspection_draw.commit",
        actor=actor,
        target=d,
        detail={
            "task": task.pk,
            "commitment": commit,
            "digests": digests,
            "algorithm": algorithm,
            "targets": len(inputs["targets"]),
            "inspectors": len(inputs["inspectors"]),
            "reason": reason,
            "declared": declared,
        },
    )
    return d


# --- multi-party draws (zhifa-draw-v2): witnesses and the public value -----------------------------------

TOKEN_PURPOSE = "inspections.witness_token"
TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on a phone
TOKEN_LENGTH = 8
MAX_WITNESSES = 6


def _declaration(witnesses, public_source: str, public_date: date | None, *, today: date) -> dict | None:
    roles = [r.strip() for r in witnesses if r and r.strip()]
    source = public_source.strip()
    fields = {}
    if len(roles) > MAX_WITNESSES:
        fields["witnesses"] = f"见证人最多 {MAX_WITNESSES} 名"
    if any(len(r) > 30 for r in roles):
        fields["witnesses"] = "见证人身份不超过30个字"
    if source and public_date is None:
        fields["public_date"] = "须写明公开随机值的日期"
    if len(source) > 100:
        fields["public_source"] = "来源不超过100个字"
    if source and public_date is not None and public_date < today:
        fields["public_date"] = "公开随机值须在承诺之后产生，日期不能早于今天"
    if fields:
        raise InspectionError.INVALID.error(
            detail="见证设置有误：" + "；".join(fields.values()), fields=fields
        )
    if not roles and not source:
        return None
    return algo.declaration(roles, {"source": source, "date": public_date.isoformat()} if source else None)


def _token_hash(token: str) -> str:
    return algo.sm3(token.encode("ascii")).hex()


def normalize_token(raw: str) -> str:
    """The code as typed on the phone page: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _create_slots(d: Draw, declared: dict) -> None:
    rows = []
    for i, w in enumerate(declared["witnesses"], 1):
        token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
        rows.append(
            DrawSlot(
                draw=d,
                position=i,
                slot=w["slot"],
                kind=SlotKind.WITNESS,
                role=w["role"],
                token_hash=_token_hash(token),
                token_enc=encrypt_field(token, purpose=TOKEN_PURPOSE),
            )
        )
    pub = declared["public"]
    if pub:
        rows.append(
            DrawSlot(
                draw=d,
                position=len(rows) + 1,
                slot="P",
                kind=SlotKind.PUBLIC,
                role=pub["source"],
                stated_date=date.fromisoformat(pub["date"]),
            )
        )
    DrawSlot.objects.bulk_create(rows)


def slot_token(slot: DrawSlot) -> str:
    """The one-time code of a witness slot, shown to the bureau on the task page (as ABCD-EFGH)."""
    if not slot.token_enc or slot.done:
        return ""
    t = decrypt_field(slot.token_enc, purpose=TOKEN_PURPOSE)
    return f"{t[:4]}-{t[4:]}"


def slot_for_token(raw: str) -> DrawSlot | None:
    """The open witness slot a code belongs to (current draw, still committed, value not yet given)."""
    token = normalize_token(raw)
    if len(token) != TOKEN_LENGTH:
        return None
    slot = (
        DrawSlot.objects.filter(token_hash=_token_hash(token), kind=SlotKind.WITNESS)
        .select_related("draw", "draw__task", "draw__task__plan__org")
        .first()
    )
    if slot is None or slot.done or slot.draw.status != DrawStatus.COMMITTED:
        return None
    return slot


def _stamp(at: datetime) -> str:
    return timezone.localtime(at).isoformat(timespec="seconds")


def _open_slot(task: InspectionTask, slot: str) -> tuple[Draw, DrawSlot]:
    d = task.current_draw()
    if d is None or d.status != DrawStatus.COMMITTED or d.algorithm != algo.ALGORITHM_V2:
        raise InspectionError.BAD_STATE.error(detail="只有已公布承诺、尚未抽取的多方见证抽取可以录入")
    row = DrawSlot.objects.select_for_update().filter(draw=d, slot=slot).first()
    if row is None:
        raise InspectionError.INVALID.error(detail=f"承诺时没有声明 {slot}")
    if row.done:
        raise InspectionError.BAD_STATE.error(
            detail=f"{row.slot}（{row.role}）已录入，不能更改（{timezone.localtime(row.entered_at):%Y-%m-%d %H:%M}）"
        )
    return d, row


def _value(raw: str, field: str = "value") -> str:
    try:
        return algo.normalize_value(raw)
    except algo.DrawError as e:
        raise InspectionError.INVALID.error(detail=f"取值无效：{e}", fields={field: str(e)}) from None


def _witness_name(raw: str) -> str:
    name = (raw or "").strip()
    if not name or len(name) > 30:
        raise InspectionError.INVALID.error(
            detail="请填写见证人姓名（不超过30个字）", fields={"name": "不能为空，不超过30个字"}
        )
    return name


def _lock_task(task: InspectionTask) -> InspectionTask:
    return InspectionTask.objects.select_for_update().select_related("plan", "plan__org").get(pk=task.pk)


def _save_contribution(d: Draw, row: DrawSlot, record: dict, *, name: str, actor, at: datetime, action: str):
    row.record = record
    row.name = name
    row.entered_by = _who(actor) if actor is not None else "见证人本人"
    row.entered_at = at
    row.save(update_fields=["record", "name", "entered_by", "entered_at"])
    audit_record(
        action=action,
        actor=actor,
        target=d,
        detail={"task": d.task_id, "slot": row.slot, "record": record, "entered_by": row.entered_by},
    )
    return row


@transaction.atomic
def witness_contribute(
    *, token: str, name: str, value: str, at: datetime | None = None, actor: User | None = None
) -> DrawSlot:
    """A witness gives a value on the phone page with the one-time code shown at the draw (no login: the
    code is the credential and is spent by the contribution)."""
    found = slot_for_token(token)
    if found is None:
        raise InspectionError.INVALID.error(
            detail="录入码无效、已使用或该次抽取已结束", fields={"token": "无效"}
        )
    task = _lock_task(found.draw.task)
    d, row = _open_slot(task, found.slot)
    if row.pk != found.pk:
        raise InspectionError.INVALID.error(
            detail="录入码无效、已使用或该次抽取已结束", fields={"token": "无效"}
        )
    return _witness_value(d, row, name=name, value=value, via="page", actor=None, at=at)


@transaction.atomic
def contribution_enter(
    *, task: InspectionTask, slot: str, name: str, value: str, actor: User | None, at: datetime | None = None
) -> DrawSlot:
    """The bureau types a witness's value on the witness's behalf (recorded as 工作人员代为录入)."""
    _historical_only(actor, at)
    task = _lock_task(task)
    _require_manager(actor, task.plan.org)
    d, row = _open_slot(task, slot)
    return _witness_value(d, row, name=name, value=value, via="officer", actor=actor, at=at)


def _witness_value(d: Draw, row: DrawSlot, *, name: str, value: str, via: str, actor, at) -> DrawSlot:
    if row.kind != SlotKind.WITNESS:
        raise InspectionError.INVALID.error(detail="公开随机值请在“公开随机值”一栏录入")
    full_name, value = _witness_name(name), _value(value)
    now = at or timezone.now()
    record = algo.witness_record(
        {"slot": row.slot, "role": row.role}, name=mask_name(full_name), value=value, via=via, at=_stamp(now)
    )
    return _save_contribution(
        d, row, record, name=full_name, actor=actor, at=now, action="inspection_draw.contribute"
    )


@transaction.atomic
def contribution_absent(
    *, task: InspectionTask, slot: str, reason: str, actor: User | None, at: datetime | None = None
) -> DrawSlot:
    """Record a declared witness as absent, with the reason. Only before any value has been given: once
    one is known the bureau could pick between "absent" and waiting, so a later absence needs a redraw."""
    _historical_only(actor, at)
    task = _lock_task(task)
    _require_manager(actor, task.plan.org)
    d, row = _open_slot(task, slot)
    if row.kind != SlotKind.WITNESS:
        raise InspectionError.INVALID.error(detail="公开随机值不能记为缺席；无法取得时请说明原因后重新抽取")
    if not (reason or "").strip():
        raise InspectionError.INVALID.error(detail="记录缺席须说明原因", fields={"reason": "不能为空"})
    if any(s.done and not s.absent for s in d.slots.all()):
        raise InspectionError.BAD_STATE.error(
            detail="已有见证人或公开随机值录入，不能再记录缺席；见证人无法到场时请说明原因后重新抽取"
        )
    now = at or timezone.now()
    record = algo.absent_record(
        {"slot": row.slot, "role": row.role}, reason=reason.strip()[:200], at=_stamp(now)
    )
    return _save_contribution(
        d, row, record, name="", actor=actor, at=now, action="inspection_draw.witness_absent"
    )


@transaction.atomic
def public_value_enter(
    *, task: InspectionTask, value: str, actor: User | None, at: datetime | None = None
) -> DrawSlot:
    """Enter the public value named at the commitment (its source and date are fixed there)."""
    _historical_only(actor, at)
    task = _lock_task(task)
    _require_manager(actor, task.plan.org)
    d, row = _open_slot(task, "P")
    now = at or timezone.now()
    if timezone.localdate(now) < row.stated_date:
        raise InspectionError.BAD_STATE.error(
            detail=f"公开随机值（{row.role}）的日期是 {row.stated_date:%Y年%m月%d日}，当日公布后才能录入"
        )
    value = _value(value)
    record = algo.public_record(d.declared["public"], value=value, at=_stamp(now))
    return _save_contribution(
        d, row, record, name="", actor=actor, at=now, action="inspection_draw.public_value"
    )


def draw_seed(d: Draw, secret_hex: str) -> bytes:
    """The seed of a draw: the secret (v1), or derived from it and every contribution (v2)."""
    if d.algorithm != algo.ALGORITHM_V2:
        return bytes.fromhex(secret_hex)
    seed = selectors.derived_seed(d, secret_hex)
    if seed is None:
        raise InspectionError.BAD_STATE.error(
            detail=f"不能抽取：{'、'.join(selectors.missing_contributions(d))}尚未录入；"
            "全部见证人录入（或在任何录入之前记为缺席）后才能抽取"
        )
    return seed


def _changed_inputs(old: dict, new: dict) -> str:
    labels = {"task": "任务参数", "targets": "检查对象名录", "inspectors": "执法检查人员名录"}
    return "、".join(labels[k] for k in ("task", "targets", "inspectors") if old[k] != new[k])


@transaction.atomic
def draw_execute(
    *, task: InspectionTask, actor: User | None, on: date | None = None, at: datetime | None = None
) -> Draw:
    """Draw (ALGORITHM.md §1 step 3). Refused, with nothing written, when an inspector of the committed
    pool may no longer enforce, when the inputs changed since the commitment, or when too few inspectors
    are qualified. ``on``/``at`` (installer only): the day certificates are checked and the draw time."""
    _historical_only(actor, at)
    task = (
        InspectionTask.objects.select_for_update().select_related("plan", "plan__org", "item").get(pk=task.pk)
    )
    _require_manager(actor, task.plan.org)
    d = task.current_draw()
    _move(task, "draw")
    seed = draw_seed(d, decrypt_field(d.seed_enc, purpose=SEED_PURPOSE))
    on = on or timezone.localdate()
    officers = {
        selectors.inspector_code(o.pk): o
        for o in Officer.objects.filter(
            pk__in=[selectors.code_pk(r["id"]) for r in d.inputs["inspectors"]]
        ).prefetch_related("certificates")
    }
    problems = []
    for row in d.inputs["inspectors"]:
        o = officers.get(row["id"])
        if o is None:
            problems.append(f"检查人员 {row['id']} 已不存在")
            continue
        elig = officer_can_enforce(o, on=on)
        if not elig:
            problems.append("；".join(elig.reasons))
    if problems:
        raise InspectionError.CERT_INVALID.error(detail="；".join(problems))
    fresh = algo.input_digests(selectors.draw_inputs(task), d.declared)
    if fresh != d.digests:
        raise InspectionError.INPUTS_CHANGED.error(detail=_changed_inputs(d.digests, fresh))
    try:
        result = algo.run(seed, d.inputs, d.algorithm)
    except algo.DrawError as e:
        raise InspectionError.INSUFFICIENT.error(detail=str(e), k=task.inspectors_per_target) from None
    ents = {
        e.pk: e
        for e in Enterprise.objects.filter(
            pk__in=[selectors.code_pk(a["target"]) for a in result.assignments]
        )
    }
    rows = [
        Assignment(
            draw=d,
            task=task,
            enterprise=ents[selectors.code_pk(a["target"])],
            stratum=a["stratum"],
            position=i,
        )
        for i, a in enumerate(result.assignments, 1)
    ]
    Assignment.objects.bulk_create(rows)
    saved = {a.enterprise_id: a for a in Assignment.objects.filter(draw=d)}
    through = Assignment.inspectors.through
    through.objects.bulk_create(
        [
            through(assignment_id=saved[selectors.code_pk(a["target"])].pk, officer_id=selectors.code_pk(oid))
            for a in result.assignments
            for oid in a["inspectors"]
        ]
    )
    d.result = result.as_dict()
    d.result_digest = algo.sm3(result.canonical()).hex()
    d.status = DrawStatus.DRAWN
    d.drawn_at = at or timezone.now()
    d.drawn_by = _who(actor)
    d.save(update_fields=["result", "result_digest", "status", "drawn_at", "drawn_by"])
    task.save(update_fields=["status"])
    audit_record(
        action="inspection_draw.execute",
        actor=actor,
        target=d,
        detail={"task": task.pk, "result_digest": d.result_digest, "assignments": len(rows)},
    )
    return d


@transaction.atomic
def draw_reveal(*, task: InspectionTask, actor: User | None, at: datetime | None = None) -> Draw:
    """Publish the seed (ALGORITHM.md §1 step 4): from now on anyone can replay the draw."""
    _historical_only(actor, at)
    task = InspectionTask.objects.select_for_update().select_related("plan", "plan__org").get(pk=task.pk)
    _require_manager(actor, task.plan.org)
    d = task.current_draw()
    _move(task, "reveal")
    d.seed = decrypt_field(d.seed_enc, purpose=SEED_PURPOSE)
    d.status = DrawStatus.REVEALED
    d.revealed_at = at or timezone.now()
    d.save(update_fields=["seed", "status", "revealed_at"])
    task.save(update_fields=["status"])
    audit_record(
        action="inspection_draw.reveal", actor=actor, target=d, detail={"task": task.pk, "seed": d.seed}
    )
    return d


@transaction.atomic
def draw_redraw(
    *,
    task: InspectionTask,
    reason: str,
    actor: User | None,
    seed: bytes | None = None,
    witnesses: list[str] | tuple | None = None,
    public_source: str | None = None,
    public_date: date | None = None,
) -> Draw:
    """Supersede the current draw (kept, its secret revealed, the reason logged) and commit a new one.
    Refused once any inspection of the draw has been recorded. The new commitment declares the same
    witnesses and public source as the old one unless others are given (a public value's date must still
    lie ahead: when it has passed, name a new one)."""
    task = (
        InspectionTask.objects.select_for_update().select_related("plan", "plan__org", "item").get(pk=task.pk)
    )
    _require_manager(actor, task.plan.org)
    if not reason.strip():
        raise InspectionError.INVALID.error(detail="重新抽取必须说明原因", fields={"reason": "不能为空"})
    d = task.current_draw()
    _move(task, "redraw")
    if InspectionRecord.objects.filter(assignment__draw=d).exists():
        raise InspectionError.BAD_STATE.error(detail="已有检查记录的抽取结果不得重新抽取")
    old = d.declared or {"witnesses": [], "public": None}
    if witnesses is None:
        witnesses = [w["role"] for w in old["witnesses"]]
    if public_source is None:
        public_source = (old["public"] or {}).get("source", "")
        public_date = date.fromisoformat(old["public"]["date"]) if old["public"] else None
    d.status = DrawStatus.SUPERSEDED
    d.superseded_at = timezone.now()
    d.superseded_reason = reason.strip()
    d.seed = decrypt_field(d.seed_enc, purpose=SEED_PURPOSE)
    d.save(update_fields=["status", "superseded_at", "superseded_reason", "seed"])
    task.save(update_fields=["status"])
    audit_record(
        action="inspection_draw.supersede",
        actor=actor,
        target=d,
        reason=reason.strip(),
        detail={"task": task.pk, "seed": d.seed},
    )
    return draw_commit(
        task=task,
        actor=actor,
        reason=reason.strip(),
        seed=seed,
        witnesses=witnesses,
        public_source=public_source,
        public_date=public_date,
    )


# --- inspection records --------------------------------------------------------------------------------------


def _historical_only(actor: User | None, at: datetime | None) -> None:
    if at is not None and actor is not None:
        raise InspectionError.FORBIDDEN.error(detail="只有系统载入历史记录时可以指定时间")


def _require_inspector(actor: User | None, assignment: Assignment) -> None:
    if actor is None:
        return
    officer = getattr(actor, "officer", None)
    if officer is None or not assignment.inspectors.filter(pk=officer.pk).exists():
        raise InspectionError.FORBIDDEN.error(detail="只有抽中的检查人员可以填写检查记录")


@transaction.atomic
def record_save(
    *,
    assignment: Assignment,
    inspected_on: date,
    actor: User | None,
    location: str = "",
    checklist: list[dict] | tuple = (),
    findings: str = "",
    result: str = ResultKind.NONE,
    rectify_due: date | None = None,
    transfer_to: str = "",
    signer_name: str = "",
    signature: str = "",
    refused_to_sign: bool = False,
    evidence_ids: list[int] | tuple = (),
    submit: bool = False,
    at: datetime | None = None,
) -> InspectionRecord:
    """Save (and with ``submit`` hand in) the field record of one assignment. Submission starts the
    publication clock: ``publish_due`` = the n-th working day after the inspection, n being the rules
    library's ``inspection_result_publication_period``.
    ``at`` (installer only, ``actor=None``: the demo or a migration of historical records) sets the
    submission time; people and machines always submit "now"."""
    _historical_only(actor, at)
    assignment = Assignment.objects.select_related("task", "task__plan__org", "draw", "enterprise").get(
        pk=assignment.pk
    )
    _require_inspector(actor, assignment)
    if assignment.draw.status not in (DrawStatus.DRAWN, DrawStatus.REVEALED):
        raise InspectionError.BAD_STATE.error(detail="该抽取结果已作废")
    rec = InspectionRecord.objects.select_for_update().filter(assignment=assignment).first()
    if rec and rec.status != RecordStatus.DRAFT:
        raise InspectionError.BAD_STATE.error(detail="检查记录已提交，不能修改")
    if inspected_on < assignment.task.draw_date:
        raise InspectionError.INVALID.error(
            detail="检查日期早于抽取日期", fields={"inspected_on": "早于抽取日期"}
        )
    if inspected_on > timezone.localdate(at or timezone.now()):
        raise InspectionError.INVALID.error(
            detail="检查日期不能晚于今天", fields={"inspected_on": "晚于今天"}
        )
    if result not in ResultKind.values:
        raise InspectionError.INVALID.error(detail="检查结果无效", fields={"result": "取值无效"})
    rec = rec or InspectionRecord(assignment=assignment)
    rec.inspected_on, rec.location, rec.findings, rec.result = (
        inspected_on,
        location.strip(),
        findings.strip(),
        result,
    )
    rec.checklist = [
        {"item": str(c.get("item", "")), "ok": bool(c.get("ok")), "note": str(c.get("note", ""))}
        for c in checklist
    ]
    rec.rectify_due, rec.transfer_to = rectify_due, transfer_to.strip()
    rec.signer_name, rec.signature, rec.refused_to_sign = signer_name.strip(), signature, refused_to_sign
    rec.evidence_ids = list(evidence_ids)
    if submit:
        fields = {}
        if result != ResultKind.NONE and not rec.findings:
            fields["findings"] = "发现问题时须写明检查情况"
        if result == ResultKind.RECTIFY and not rectify_due:
            fields["rectify_due"] = "责令整改须写明整改期限"
        if result == ResultKind.TRANSFER and not rec.transfer_to:
            fields["transfer_to"] = "移送须写明移送机关"
        if not refused_to_sign and not (
            rec.signer_name and rec.signature.startswith("data:image/png;base64,")
        ):
            fields["signature"] = "须由被检查对象签名，拒绝签名的应注明"
        if fields:
            raise InspectionError.INVALID.error(
                detail="检查记录不完整：" + "；".join(fields.values()), fields=fields
            )
        n = int(procedure_param("inspection_result_publication_period", on=inspected_on).value)
        rec.publish_due = add_workdays(inspected_on, n).date
        rec.status = RecordStatus.SUBMITTED
        rec.submitted_at = at or timezone.now()
        rec.submitted_by = _who(actor)
    rec.full_clean()
    rec.save()
    if submit:
        _emit_submitted(rec, actor)
    audit_record(
        action="inspection_record.submit" if submit else "inspection_record.save",
        actor=actor,
        target=rec,
        after={
            "result": result,
            "inspected_on": inspected_on.isoformat(),
            "publish_due": rec.publish_due.isoformat() if rec.publish_due else None,
        },
    )
    return rec


def _emit_submitted(rec: InspectionRecord, actor: User | None) -> None:
    """Tell the apps that follow a submitted record (permits: a 告知承诺 post-check done), in this transaction."""
    task = rec.assignment.task
    summary = f"双随机抽查（{task.title}）{rec.inspected_on:%Y-%m-%d}检查：{rec.get_result_display()}"
    events.emit(
        RECORD_SUBMITTED,
        record=rec,
        bureau=task.plan.org,
        uscc=rec.assignment.enterprise.uscc,
        drawn_on=task.draw_date,
        inspected_on=rec.inspected_on,
        passed=rec.result == ResultKind.NONE,
        summary=f"{summary}。{rec.findings}" if rec.findings else summary,
        from_postchecks=task.target_source == TargetSource.POSTCHECKS,
        actor=actor,
    )


@transaction.atomic
def record_open_case(*, record: InspectionRecord, actor: User | None):
    """A finding becomes a case source (案源) with one action; idempotent on the record."""
    from zhifa.cases.services import case_source_create

    record = (
        InspectionRecord.objects.select_for_update()
        .select_related("assignment__task__plan__org", "assignment__enterprise", "assignment__task__item")
        .get(pk=record.pk)
    )
    task = record.assignment.task
    if actor is not None:
        officer = getattr(actor, "officer", None)
        is_inspector = officer is not None and record.assignment.inspectors.filter(pk=officer.pk).exists()
        if not is_inspector:
            _require_manager(actor, task.plan.org)
    if record.status == RecordStatus.DRAFT:
        raise InspectionError.BAD_STATE.error(detail="检查记录提交后才能移交立案")
    if record.result == ResultKind.NONE or not record.findings:
        raise InspectionError.BAD_STATE.error(detail="未发现问题的检查记录不能生成案源")
    org = (
        actor.org if actor is not None and actor.org and actor.org.is_within(task.plan.org) else task.plan.org
    )
    source, _created = case_source_create(
        origin="random_inspection",
        org=org,
        subject=record.assignment.enterprise,
        facts=f"双随机抽查（{task.title}，事项 {task.item.code} {task.item.name}）发现：{record.findings}",
        occurred_at=timezone.make_aware(
            timezone.datetime.combine(record.inspected_on, timezone.datetime.min.time())
        ),
        location=record.location,
        evidence_ids=record.evidence_ids,
        external_ref=f"inspection-record-{record.pk}",
        actor=actor,
    )
    if record.case_source_id != source.pk:
        record.case_source_id = source.pk
        record.save(update_fields=["case_source_id"])
        audit_record(
            action="inspection_record.case_source",
            actor=actor,
            target=record,
            detail={"case_source": source.pk},
        )
    return source


@transaction.atomic
def record_publish(
    *, record: InspectionRecord, actor: User | None, at: datetime | None = None
) -> InspectionRecord:
    """Publish a submitted result (谁检查、谁录入、谁公开); the task completes when all are published.
    ``at``: installer only, as in :func:`record_save`."""
    _historical_only(actor, at)
    record = (
        InspectionRecord.objects.select_for_update()
        .select_related("assignment__task__plan__org")
        .get(pk=record.pk)
    )
    task = record.assignment.task
    _require_manager(actor, task.plan.org)
    if record.status != RecordStatus.SUBMITTED:
        raise InspectionError.BAD_STATE.error(
            detail=f"检查记录状态为“{record.get_status_display()}”，不能公示"
        )
    if task.status != TaskStatus.REVEALED:
        raise InspectionError.BAD_STATE.error(detail="抽取种子公开后才能公示检查结果")
    record.status = RecordStatus.PUBLISHED
    record.published_at = at or timezone.now()
    record.published_by = _who(actor)
    record.save(update_fields=["status", "published_at", "published_by"])
    late = record.publish_due is not None and timezone.localdate(record.published_at) > record.publish_due
    _emit_disclosure(record, actor)
    audit_record(
        action="inspection_record.publish",
        actor=actor,
        target=record,
        detail={"publish_due": record.publish_due.isoformat() if record.publish_due else None, "late": late},
    )
    d = task.current_draw()
    pending = d.assignments.exclude(record__status=RecordStatus.PUBLISHED).exists()
    if not pending:
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _move(task, "complete")
        task.save(update_fields=["status"])
        audit_record(action="inspection_task.complete", actor=actor, target=task)
    return record


def _emit_disclosure(record: InspectionRecord, actor: User | None) -> None:
    """Hand the published result to the disclosure layer (双公示 portal), after commit."""
    try:
        from zhifa.disclosure.services import disclosure_record_emit
    except ImportError:  # pragma: no cover - the disclosure app is optional for this module
        return
    disclosure_record_emit(kind="inspection", source=record, decided_on=record.inspected_on, actor=actor)


def record_attach(*, record: InspectionRecord, stream, filename: str, content_type: str, actor: User):
    """A photo or file of the inspection, through the evidence store (digest, custody log); only the
    drawn inspectors, only while the record is a draft."""
    from zhifa.evidence.services import evidence_ingest

    record = InspectionRecord.objects.select_related("assignment").get(pk=record.pk)
    _require_inspector(actor, record.assignment)
    if record.status != RecordStatus.DRAFT:
        raise InspectionError.BAD_STATE.error(detail="检查记录已提交，不能再添加照片或文件")
    item = evidence_ingest(
        stream,
        filename=filename,
        content_type=content_type,
        target_type="inspections.inspectionrecord",
        target_id=record.pk,
        step="双随机检查",
        org=actor.org,
        actor=actor,
    )
    with transaction.atomic():
        rec = InspectionRecord.objects.select_for_update().get(pk=record.pk)
        rec.evidence_ids = [*rec.evidence_ids, item.pk]
        rec.save(update_fields=["evidence_ids"])
        audit_record(action="inspection_record.attach", actor=actor, target=rec, detail={"evidence": item.pk})
    return item
