"""Writes of 队伍与保障. Every write checks the actor (business roles, unit in scope), runs in a transaction and
appends to the audit chain. Reads are in :mod:`zhifa.people.selectors`."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Officer, Org, User
from zhifa.accounts.services import require_business
from zhifa.cases.enums import FINAL_STATES
from zhifa.cases.selectors import cases_visible
from zhifa.core.audit import audit_record
from zhifa.disclosure.masking import scrub

from . import papers
from .enums import ItemStatus, JointKind, QuestionKind, RiskStatus, SittingMode
from .errors import PeopleError
from .models import (
    Attendance,
    CaseStory,
    Course,
    Drill,
    Duty,
    EmergencyPlan,
    EquipmentItem,
    EquipmentKind,
    EquipmentLog,
    Exam,
    JointOperation,
    PartnerOutcome,
    PufaActivity,
    PufaItem,
    Question,
    RiskProgress,
    RiskTask,
    Sitting,
    StandbyResource,
)

MANAGERS = (Role.HEAD, Role.LEGAL_REVIEWER)
SUBMIT_GRACE = timedelta(seconds=60)  # network grace after the timer ends


def _managers(actor: User, what: str) -> None:
    require_business(actor)
    if not actor.has_role(*MANAGERS):
        raise PeopleError.ROLE.error(what=what, roles="执法部门负责人或法制审核人员")


def _scope(actor: User | None, org: Org, what: str) -> None:
    if actor is not None:
        require_business(actor)
        if actor.org is None or not org.is_within(_jurisdiction(actor.org)):
            raise PeopleError.NOT_FOUND.error(what=what)


def _jurisdiction(org: Org) -> Org:
    from zhifa.accounts.selectors import jurisdiction_of

    return jurisdiction_of(org)


def _hours(value, label: str = "学时") -> Decimal:
    try:
        h = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PeopleError.INVALID.error(
            detail=f"{label}“{value}”应为数字", fields={"hours": f"{label}应为数字"}
        ) from None
    if not Decimal("0") < h <= Decimal("200"):
        raise PeopleError.INVALID.error(
            detail=f"{label}应大于 0 且不超过 200，实为 {h}", fields={"hours": "超出范围"}
        )
    return h.quantize(Decimal("0.1"))


# --- training -----------------------------------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    org: Org,
    title: str,
    start_on: date,
    end_on: date,
    hours,
    actor: User | None,
    subject: str = "",
    provider: str = "",
    place: str = "",
    materials: str = "",
) -> Course:
    if actor is not None:
        _managers(actor, "登记培训课程")
    _scope(actor, org, "举办单位")
    if not title.strip():
        raise PeopleError.INVALID.error(detail="课程名称不能为空", fields={"title": "不能为空"})
    if end_on < start_on:
        raise PeopleError.INVALID.error(detail="结束日期不能早于开始日期", fields={"end_on": "早于开始日期"})
    course = Course(
        org=org,
        title=title.strip(),
        subject=subject,
        provider=provider,
        start_on=start_on,
        end_on=end_on,
        hours=_hours(hours),
        place=place,
        materials=materials,
    )
    course.full_clean()
    course.save()
    audit_record(
        action="people.course_create",
        actor=actor,
        target=course,
        after={"title": course.title, "hours": str(course.hours), "start_on": str(start_on)},
    )
    return course


@transaction.atomic
def attendance_record(
    *, course: Course, officer: Officer, actor: User | None, hours=None
) -> tuple[Attendance, bool]:
    """Sign one officer in (签到); the course's hours unless fewer are credited. Idempotent per officer."""
    if actor is not None:
        _managers(actor, "登记培训签到")
    _scope(actor, officer.org, "该执法人员")
    credited = course.hours if hours in (None, "") else _hours(hours)
    if credited > course.hours:
        raise PeopleError.INVALID.error(
            detail=f"计入学时 {credited} 超过课程学时 {course.hours}", fields={"hours": "超过课程学时"}
        )
    att, created = Attendance.objects.update_or_create(
        course=course, officer=officer, defaults={"hours": credited}
    )
    audit_record(
        action="people.attendance",
        actor=actor,
        target=att,
        after={"course": course.pk, "officer": officer.pk, "hours": str(credited)},
    )
    return att, created


# --- question bank and exams --------------------------------------------------------------------------


def _clean_question(kind: str, options: list[str], answer: list[int]) -> tuple[list[str], list[int]]:
    if kind not in QuestionKind.values:
        raise PeopleError.INVALID.error(detail=f"题型“{kind}”无效", fields={"kind": "无效"})
    if kind == QuestionKind.TRUE_FALSE:
        options = ["正确", "错误"]
    options = [o.strip() for o in options if o and o.strip()]
    if len(options) < 2:
        raise PeopleError.INVALID.error(detail="至少需要两个选项", fields={"options": "至少两个选项"})
    answer = sorted(set(answer))
    if not answer or any(not 0 <= a < len(options) for a in answer):
        raise PeopleError.INVALID.error(detail="正确答案须是已有选项", fields={"answer": "不在选项之中"})
    if kind != QuestionKind.MULTIPLE and len(answer) != 1:
        raise PeopleError.INVALID.error(
            detail="单选题和判断题只有一个正确答案", fields={"answer": "只能一个"}
        )
    if kind == QuestionKind.MULTIPLE and len(answer) < 2:
        raise PeopleError.INVALID.error(detail="多选题至少两个正确答案", fields={"answer": "至少两个"})
    return options, answer


@transaction.atomic
def question_add(
    *,
    kind: str,
    stem: str,
    options: list[str],
    answer: list[int],
    law: str,
    article: str = "",
    actor: User | None,
) -> Question:
    if actor is not None:
        _managers(actor, "维护题库")
    if not stem.strip():
        raise PeopleError.INVALID.error(detail="题干不能为空", fields={"stem": "不能为空"})
    if not law.strip():
        raise PeopleError.INVALID.error(detail="须注明所考法律法规", fields={"law": "不能为空"})
    options, answer = _clean_question(kind, options, answer)
    q = Question(
        kind=kind, stem=stem.strip(), options=options, answer=answer, law=law.strip(), article=article.strip()
    )
    q.full_clean()
    q.save()
    audit_record(action="people.question_add", actor=actor, target=q, after={"kind": kind, "law": q.law})
    return q


@transaction.atomic
def exam_create(
    *,
    org: Org,
    title: str,
    held_on: date,
    required: list[Officer],
    actor: User | None,
    minutes: int = 60,
    question_count: int = 20,
) -> Exam:
    if actor is not None:
        _managers(actor, "组织学法考试")
    _scope(actor, org, "组织单位")
    if not title.strip():
        raise PeopleError.INVALID.error(detail="考试名称不能为空", fields={"title": "不能为空"})
    if not 1 <= minutes <= 600 or not 1 <= question_count <= 200:
        raise PeopleError.INVALID.error(
            detail="限时应为 1–600 分钟，题量 1–200 题", fields={"minutes": "超出范围"}
        )
    exam = Exam(org=org, title=title.strip(), held_on=held_on, minutes=minutes, question_count=question_count)
    exam.full_clean()
    exam.save()
    exam.required.set(required)
    audit_record(
        action="people.exam_create",
        actor=actor,
        target=exam,
        after={"title": exam.title, "required": len(required), "questions": question_count},
    )
    return exam


def _bank() -> list[tuple[int, int, bool]]:
    return [
        (q.pk, len(q.options), q.kind != QuestionKind.TRUE_FALSE)
        for q in Question.objects.filter(active=True)
    ]


@transaction.atomic
def sitting_start(
    *, exam: Exam, officer: Officer, actor: User | None, now: datetime | None = None, seed: int | None = None
) -> Sitting:
    """Open (or resume) an officer's online paper: draw it from a fresh random seed that is recorded, and
    start the timer. Resuming returns the same paper and deadline."""
    now = now or timezone.now()
    if not exam.open:
        raise PeopleError.EXAM_CLOSED.error(title=exam.title)
    if not exam.required.filter(pk=officer.pk).exists():
        raise PeopleError.NOT_REQUIRED.error(name=officer.name, title=exam.title)
    sitting = Sitting.objects.select_for_update().filter(exam=exam, officer=officer).first()
    if sitting is not None:
        if sitting.submitted_at:
            raise PeopleError.SUBMITTED.error(
                at=timezone.localtime(sitting.submitted_at).strftime("%Y-%m-%d %H:%M")
            )
        return sitting
    seed = secrets.randbits(48) if seed is None else seed
    paper = papers.draw(seed, _bank(), exam.question_count)
    if not paper:
        raise PeopleError.INVALID.error(detail="题库中没有启用的试题", fields={"question_count": "题库为空"})
    sitting = Sitting.objects.create(
        exam=exam,
        officer=officer,
        mode=SittingMode.ONLINE,
        seed=seed,
        paper=paper,
        started_at=now,
        deadline_at=now + timedelta(minutes=exam.minutes),
    )
    audit_record(
        action="people.sitting_start",
        actor=actor,
        target=sitting,
        after={"seed": seed, "questions": [p["q"] for p in paper]},
    )
    return sitting


@transaction.atomic
def sitting_submit(
    *, sitting: Sitting, answers: dict[str, list[int]], actor: User | None, now: datetime | None = None
) -> Sitting:
    """交卷: score the answers. Answers arriving after the timer (plus a minute of network grace) are not
    counted: the paper is closed as submitted blank and marked 超时."""
    now = now or timezone.now()
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.submitted_at:
        raise PeopleError.SUBMITTED.error(
            at=timezone.localtime(sitting.submitted_at).strftime("%Y-%m-%d %H:%M")
        )
    late = sitting.deadline_at is not None and now > sitting.deadline_at + SUBMIT_GRACE
    counted = {} if late else {str(k): [int(i) for i in v] for k, v in answers.items()}
    keys = {q.pk: q.answer for q in Question.objects.filter(pk__in=[p["q"] for p in sitting.paper])}
    sitting.score, sitting.results = papers.score(sitting.paper, counted, keys)
    sitting.answers, sitting.submitted_at, sitting.late = counted, now, late
    sitting.save()
    audit_record(
        action="people.sitting_submit",
        actor=actor,
        target=sitting,
        after={"score": str(sitting.score), "late": late},
    )
    return sitting


@transaction.atomic
def sitting_paper_record(
    *, exam: Exam, officer: Officer, score, actor: User | None, on: datetime | None = None
) -> Sitting:
    """A paper exam's score (纸质考试录入)."""
    if actor is not None:
        _managers(actor, "录入纸质考试成绩")
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        raise PeopleError.INVALID.error(
            detail=f"成绩“{score}”应为数字", fields={"score": "应为数字"}
        ) from None
    if not Decimal(0) <= value <= Decimal(100):
        raise PeopleError.INVALID.error(
            detail=f"成绩应在 0–100 之间，实为 {value}", fields={"score": "超出范围"}
        )
    if not exam.required.filter(pk=officer.pk).exists():
        raise PeopleError.NOT_REQUIRED.error(name=officer.name, title=exam.title)
    at = on or timezone.now()
    sitting, _ = Sitting.objects.update_or_create(
        exam=exam,
        officer=officer,
        defaults={
            "mode": SittingMode.PAPER,
            "score": value.quantize(Decimal("0.1")),
            "submitted_at": at,
            "started_at": at,
        },
    )
    audit_record(action="people.sitting_paper", actor=actor, target=sitting, after={"score": str(value)})
    return sitting


# --- equipment ----------------------------------------------------------------------------------------

STANDARD_KINDS = [
    ("bodycam", "执法记录仪", "台", True),
    ("vehicle", "执法车辆", "辆", False),
    ("vest", "反光背心", "件", False),
    ("cone", "锥桶", "个", False),
    ("terminal", "移动执法终端", "台", False),
]


def kinds_ensure() -> None:
    """The kinds the quota table names (idempotent)."""
    for code, name, measure, records in STANDARD_KINDS:
        EquipmentKind.objects.get_or_create(
            code=code, defaults={"name": name, "measure": measure, "records": records}
        )


@transaction.atomic
def item_add(
    *,
    kind: EquipmentKind,
    serial: str,
    org: Org,
    actor: User | None,
    holder: Officer | None = None,
    acquired_on: date | None = None,
) -> EquipmentItem:
    if actor is not None:
        _managers(actor, "登记装备")
    _scope(actor, org, "配备单位")
    serial = serial.strip()
    if not serial:
        raise PeopleError.INVALID.error(detail="装备编号不能为空", fields={"serial": "不能为空"})
    if EquipmentItem.objects.filter(serial=serial).exists():
        raise PeopleError.INVALID.error(detail=f"装备编号 {serial} 已登记", fields={"serial": "重复"})
    item = EquipmentItem(kind=kind, serial=serial, org=org, holder=holder, acquired_on=acquired_on)
    item.full_clean()
    item.save()
    audit_record(action="people.item_add", actor=actor, target=item, after={"kind": kind.code, "org": org.pk})
    return item


def _log(
    item: EquipmentItem, action: str, *, at: datetime, officer: Officer | None, note: str = ""
) -> EquipmentLog:
    return EquipmentLog.objects.create(item=item, action=action, at=at, officer=officer, note=note[:200])


@transaction.atomic
def item_check_out(
    *, item: EquipmentItem, officer: Officer, actor: User | None, at: datetime | None = None
) -> EquipmentItem:
    """领用 at the start of a shift: the officer holds the item until it is checked in."""
    _scope(actor, item.org, "该装备")
    if item.status != ItemStatus.IN_SERVICE and item.status != ItemStatus.SPARE:
        raise PeopleError.ITEM_STATE.error(serial=item.serial, state=item.get_status_display(), what="领用")
    item.holder, item.status = officer, ItemStatus.IN_SERVICE
    item.save(update_fields=["holder", "status"])
    _log(item, EquipmentLog.CHECK_OUT, at=at or timezone.now(), officer=officer)
    audit_record(action="people.item_out", actor=actor, target=item, after={"holder": officer.pk})
    return item


@transaction.atomic
def item_check_in(
    *, item: EquipmentItem, actor: User | None, at: datetime | None = None, note: str = ""
) -> EquipmentItem:
    """归还 at the end of the shift."""
    _scope(actor, item.org, "该装备")
    holder = item.holder
    item.holder = None
    item.save(update_fields=["holder"])
    _log(item, EquipmentLog.CHECK_IN, at=at or timezone.now(), officer=holder, note=note)
    audit_record(
        action="people.item_in", actor=actor, target=item, before={"holder": holder.pk if holder else None}
    )
    return item


@transaction.atomic
def item_maintain(*, item: EquipmentItem, on: date, note: str, actor: User | None) -> EquipmentItem:
    _scope(actor, item.org, "该装备")
    if not note.strip():
        raise PeopleError.INVALID.error(detail="维护内容不能为空", fields={"note": "不能为空"})
    item.last_maintained_on = on
    item.save(update_fields=["last_maintained_on"])
    _log(
        item,
        EquipmentLog.MAINTAIN,
        at=timezone.make_aware(datetime.combine(on, datetime.min.time())),
        officer=None,
        note=note,
    )
    audit_record(action="people.item_maintain", actor=actor, target=item, after={"on": str(on)})
    return item


@transaction.atomic
def item_dispose(*, item: EquipmentItem, on: date, reason: str, actor: User | None) -> EquipmentItem:
    """报废处置: the item leaves the count of 配备率 from that day."""
    if actor is not None:
        _managers(actor, "装备报废处置")
    _scope(actor, item.org, "该装备")
    if not reason.strip():
        raise PeopleError.INVALID.error(detail="处置原因不能为空", fields={"reason": "不能为空"})
    if item.status == ItemStatus.DISPOSED:
        raise PeopleError.ITEM_STATE.error(
            serial=item.serial, state=item.get_status_display(), what="再次处置"
        )
    item.status, item.disposed_on, item.disposal_reason, item.holder = (
        ItemStatus.DISPOSED,
        on,
        reason.strip(),
        None,
    )
    item.save(update_fields=["status", "disposed_on", "disposal_reason", "holder"])
    audit_record(action="people.item_dispose", actor=actor, target=item, reason=reason[:300])
    return item


def wearer_at(item: EquipmentItem, at: datetime) -> Officer | None:
    """Who had the device at ``at``: the last check-out before it not yet checked in, else the holder."""
    last = (
        item.logs.filter(at__lte=at, action__in=[EquipmentLog.CHECK_OUT, EquipmentLog.CHECK_IN])
        .order_by("-at", "-pk")
        .first()
    )
    if last is not None:
        return last.officer if last.action == EquipmentLog.CHECK_OUT else None
    return item.holder


@transaction.atomic
def bodycam_link(*, evidence, serial: str, actor: User, recorded_at: datetime | None = None):
    """Link an evidence file to the recording device (执法记录仪) that made it and the officer who wore it at
    the time (the device's check-out log), through the evidence app's own ``evidence_link_device``."""
    from zhifa.evidence.services import evidence_link_device

    item = EquipmentItem.objects.select_related("kind").filter(serial=serial.strip()).first()
    if item is None or not item.org.is_within(_jurisdiction(evidence.org)):
        raise PeopleError.NOT_FOUND.error(what=f"装备 {serial}")
    if not item.kind.records:
        raise PeopleError.NOT_RECORDER.error(serial=item.serial, kind=item.kind.name)
    wearer = wearer_at(item, recorded_at or evidence.uploaded_at)
    return evidence_link_device(item=evidence, device_ref=item.serial, officer=wearer, actor=actor)


# --- joint operations ---------------------------------------------------------------------------------


@transaction.atomic
def joint_create(
    *,
    org: Org,
    on: date,
    kind: str,
    lead_agency: str,
    site: str,
    actor: User | None,
    partner_outcomes: list[dict] | None = None,
    **fields,
) -> JointOperation:
    """Record a 联合执法. ``partner_outcomes`` = [{"agency", "cases", "fines_fen", "points"}]: what the police or
    another agency did, stored apart and never added to the bureau's figures."""
    _scope(actor, org, "本局参与单位")
    if kind not in JointKind.values:
        raise PeopleError.INVALID.error(detail=f"类型“{kind}”无效", fields={"kind": "无效"})
    if kind == JointKind.SPECIAL and not (fields.get("campaign") or "").strip():
        raise PeopleError.INVALID.error(detail="专项行动须填写行动名称", fields={"campaign": "不能为空"})
    if not lead_agency.strip() or not site.strip():
        raise PeopleError.INVALID.error(
            detail="牵头单位和路段/地点不能为空",
            fields={"lead_agency" if not lead_agency.strip() else "site": "不能为空"},
        )
    op = JointOperation(
        org=org,
        on=on,
        kind=kind,
        lead_agency=lead_agency.strip(),
        site=site.strip(),
        created_by=actor,
        **fields,
    )
    op.full_clean()
    op.save()
    for p in partner_outcomes or []:
        if not (p.get("agency") or "").strip():
            continue
        PartnerOutcome.objects.create(
            operation=op,
            agency=p["agency"].strip(),
            cases=int(p.get("cases") or 0),
            fines_fen=int(p.get("fines_fen") or 0),
            points=int(p.get("points") or 0),
        )
    audit_record(
        action="people.joint_create",
        actor=actor,
        target=op,
        after={"on": str(on), "kind": kind, "staff": op.staff, "checked": op.checked},
    )
    return op


# --- emergencies --------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    org: Org,
    name: str,
    version: str,
    approved_on: date,
    review_due: date,
    actor: User | None,
    document_ref: str = "",
) -> EmergencyPlan:
    if actor is not None:
        _managers(actor, "登记应急预案")
    _scope(actor, org, "制定单位")
    if not name.strip() or not version.strip():
        raise PeopleError.INVALID.error(detail="预案名称和版本不能为空", fields={"name": "不能为空"})
    if review_due < approved_on:
        raise PeopleError.INVALID.error(
            detail="修订期限不能早于批准日期", fields={"review_due": "早于批准日期"}
        )
    plan = EmergencyPlan(
        org=org,
        name=name.strip(),
        version=version.strip(),
        approved_on=approved_on,
        review_due=review_due,
        document_ref=document_ref,
    )
    plan.full_clean()
    plan.save()
    audit_record(action="people.plan_save", actor=actor, target=plan, after={"version": plan.version})
    return plan


@transaction.atomic
def drill_add(
    *, plan: EmergencyPlan, on: date, participants: int, findings: str, actor: User | None
) -> Drill:
    _scope(actor, plan.org, "该预案")
    drill = Drill.objects.create(plan=plan, on=on, participants=participants, findings=findings)
    audit_record(action="people.drill_add", actor=actor, target=drill, after={"on": str(on)})
    return drill


@transaction.atomic
def standby_add(
    *,
    org: Org,
    kind: str,
    name: str,
    count: int,
    actor: User | None,
    contact: str = "",
    phone: str = "",
    location: str = "",
) -> StandbyResource:
    _scope(actor, org, "单位")
    res = StandbyResource(
        org=org, kind=kind, name=name.strip(), count=count, contact=contact, phone=phone, location=location
    )
    res.full_clean()
    res.save()
    audit_record(action="people.standby_add", actor=actor, target=res, after={"kind": kind, "count": count})
    return res


@transaction.atomic
def duty_add(
    *, org: Org, on: date, officer: Officer, actor: User | None, leader: bool = False, phone: str = ""
) -> Duty:
    _scope(actor, org, "单位")
    duty = Duty.objects.create(org=org, on=on, officer=officer, leader=leader, phone=phone)
    audit_record(action="people.duty_add", actor=actor, target=duty, after={"on": str(on)})
    return duty


# --- risk ledger --------------------------------------------------------------------------------------


@transaction.atomic
def risk_create(
    *,
    org: Org,
    title: str,
    deadline: date,
    actor: User | None,
    responsibility: str = "",
    tasks: str = "",
    location: str = "",
    lat=None,
    lng=None,
) -> RiskTask:
    _scope(actor, org, "牵头单位")
    if not title.strip():
        raise PeopleError.INVALID.error(detail="风险任务名称不能为空", fields={"title": "不能为空"})
    task = RiskTask(
        org=org,
        title=title.strip(),
        deadline=deadline,
        responsibility=responsibility,
        tasks=tasks,
        location=location,
        lat=lat,
        lng=lng,
    )
    task.full_clean()
    task.save()
    audit_record(action="people.risk_create", actor=actor, target=task, after={"deadline": str(deadline)})
    return task


@transaction.atomic
def risk_progress(*, task: RiskTask, on: date, note: str, actor: User | None, status: str = "") -> RiskTask:
    """A progress note (进展); ``status`` 已完成 closes the task on ``on``."""
    _scope(actor, task.org, "该风险任务")
    if not note.strip():
        raise PeopleError.INVALID.error(detail="进展内容不能为空", fields={"note": "不能为空"})
    if status and status not in RiskStatus.values:
        raise PeopleError.INVALID.error(detail=f"状态“{status}”无效", fields={"status": "无效"})
    name = (actor.display_name or actor.get_username()) if actor else ""
    RiskProgress.objects.create(task=task, on=on, note=note.strip()[:500], actor_name=name)
    before = task.status
    if status:
        task.status = status
        task.closed_on = on if status == RiskStatus.DONE else None
    elif task.status == RiskStatus.OPEN:
        task.status = RiskStatus.IN_PROGRESS
    task.save(update_fields=["status", "closed_on"])
    audit_record(
        action="people.risk_progress",
        actor=actor,
        target=task,
        before={"status": before},
        after={"status": task.status},
    )
    return task


# --- 普法 ---------------------------------------------------------------------------------------------


@transaction.atomic
def pufa_item_add(
    *, org: Org, year: int, kind: str, content: str, actor: User | None, owner: str = ""
) -> PufaItem:
    """A line of the 普法责任清单 or of the year's 普法要点 (谁执法谁普法, 中办/国办 2017 意见)."""
    _scope(actor, org, "单位")
    if kind not in dict(PufaItem.KINDS):
        raise PeopleError.INVALID.error(detail=f"类别“{kind}”无效", fields={"kind": "无效"})
    if not content.strip():
        raise PeopleError.INVALID.error(detail="内容不能为空", fields={"content": "不能为空"})
    item = PufaItem(org=org, year=year, kind=kind, content=content.strip(), owner=owner.strip())
    item.full_clean()
    item.save()
    audit_record(action="people.pufa_item", actor=actor, target=item, after={"year": year, "kind": kind})
    return item


@transaction.atomic
def pufa_activity_add(
    *, org: Org, on: date, place: str, form: str, audience: str, count: int, actor: User | None
) -> PufaActivity:
    _scope(actor, org, "单位")
    if not place.strip() or not form.strip() or not audience.strip():
        raise PeopleError.INVALID.error(detail="地点、形式和对象不能为空", fields={"form": "不能为空"})
    act = PufaActivity(
        org=org, on=on, place=place.strip(), form=form.strip(), audience=audience.strip(), count=count
    )
    act.full_clean()
    act.save()
    audit_record(
        action="people.pufa_activity", actor=actor, target=act, after={"on": str(on), "count": count}
    )
    return act


@transaction.atomic
def case_story_create(*, case, lesson: str, actor: User, on: date | None = None) -> CaseStory:
    """以案释法 from a closed case: the facts without personal data — the party's name, ID or credit code and
    address, and every ID-, phone- or account-shaped number go through the disclosure layer's ``scrub``."""
    require_business(actor)
    if not cases_visible(actor).filter(pk=case.pk).exists():
        raise PeopleError.NOT_FOUND.error(what="该案件")
    if case.state not in FINAL_STATES:
        raise PeopleError.INVALID.error(
            detail=f"案件 {case.number} 尚未结案，不能用于以案释法", fields={"case": "未结案"}
        )
    if not lesson.strip():
        raise PeopleError.INVALID.error(detail="释法说理不能为空", fields={"lesson": "不能为空"})
    text = scrub(case.facts, secrets=[case.party_code, case.party_address], names=[case.party_name])
    story = CaseStory(
        org=case.org,
        case=case,
        title=f"{case.violation_name}案",
        text=text,
        lesson=lesson.strip(),
        created_on=on or timezone.localdate(),
    )
    story.full_clean()
    story.save()
    audit_record(action="people.case_story", actor=actor, target=story, after={"case": case.pk})
    return story


@transaction.atomic
def case_story_publish(*, story: CaseStory, publish: bool, actor: User) -> CaseStory:
    """Put a 以案释法 on the public portal (/public/pufa/cases/) or take it off: the head's decision (the
    text is already without personal data; publishing shows it to everyone)."""
    require_business(actor)
    if not actor.has_role(Role.HEAD):
        raise PeopleError.ROLE.error(what="以案释法门户公开", roles="执法部门负责人")
    _scope(actor, story.org, "该以案释法")
    before = story.published_on
    story.published_on = timezone.localdate() if publish else None
    story.save(update_fields=["published_on"])
    audit_record(
        action="people.case_story_publish" if publish else "people.case_story_withdraw",
        actor=actor,
        target=story,
        before={"published_on": str(before or "")},
        after={"published_on": str(story.published_on or "")},
    )
    return story
