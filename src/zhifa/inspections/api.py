"""双随机 REST API (/api/v1/inspections/): the whole flow; public draw files need no authentication."""

from __future__ import annotations

from datetime import date

import pydantic
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from zhifa.accounts.services import require_business
from zhifa.core.pagination import page_window, paginate
from zhifa.inspections import selectors, services
from zhifa.inspections.models import ResultKind, TargetSource, TaskKind

router = Router(tags=["双随机抽查"])


class ItemIn(Schema):
    code: str
    name: str
    legal_basis: str
    inspecting_body: str = ""
    ratio_bp: int
    business_types: list[str] = []
    method: str = "现场检查"
    frequency: int = 1
    category: str = "general"
    cert_fields: list[str] = []
    checklist: list[str] = []


class PlanItemIn(Schema):
    item_id: int
    ratio_bp: int | None = None
    quarters: list[int] = [1, 2, 3, 4]


class PlanIn(Schema):
    year: int
    title: str
    note: str = ""
    items: list[PlanItemIn]


class TaskIn(Schema):
    item_id: int
    draw_date: date
    due_date: date | None = None
    kind: str = TaskKind.SINGLE
    partners: str = ""
    ratio_bp: int | None = None
    inspectors_per_target: int | None = None
    area: str = ""
    allow_repeat: bool = False
    target_source: str = TargetSource.DIRECTORY  # or "postchecks": the 告知承诺事后核查名录


class RedrawIn(Schema):
    reason: str


class CommitIn(Schema):
    witnesses: list[str] = []
    public_source: str = ""
    public_date: date | None = None


class ContributionIn(Schema):
    slot: str
    name: str
    value: str


class AbsenceIn(Schema):
    slot: str
    reason: str


class PublicValueIn(Schema):
    value: str


class ChecklistIn(Schema):
    item: str
    ok: bool
    note: str = ""


class InspectionRecordIn(Schema):
    inspected_on: date
    location: str = ""
    checklist: list[ChecklistIn] = []
    findings: str = ""
    result: str = ResultKind.NONE
    rectify_due: date | None = None
    transfer_to: str = ""
    signer_name: str = ""
    signature: str = ""
    refused_to_sign: bool = False
    submit: bool = False


def _item(i) -> dict:
    return {
        "id": i.pk,
        "code": i.code,
        "name": i.name,
        "legal_basis": i.legal_basis,
        "inspecting_body": i.inspecting_body,
        "business_types": i.business_types,
        "method": i.method,
        "ratio_bp": i.ratio_bp,
        "frequency": i.frequency,
        "category": i.category,
        "checklist": i.checklist,
    }


def _task(t) -> dict:
    d = t.current_draw()
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "title": t.title,
        "item": t.item.code,
        "round": t.round_no,
        "kind": t.kind,
        "partners": t.partners,
        "target_source": t.target_source,
        "ratio_bp": t.ratio_bp,
        "inspectors_per_target": t.inspectors_per_target,
        "draw_date": t.draw_date.isoformat(),
        "due_date": t.due_date.isoformat() if t.due_date else None,
        "status": t.status,
        "algorithm": d.algorithm if d else None,
        "mode": selectors.draw_mode(d) if d else None,
        "commitment": d.commitment if d else None,
        "seed": (d.seed or None) if d else None,
        "result_digest": (d.result_digest or None) if d else None,
        "contributors": [
            {"slot": s.slot, "kind": s.kind, "role": s.role, "record": s.record}
            for s in d.slots.order_by("position")
        ]
        if d
        else [],
    }


def _assignment(a) -> dict:
    rec = getattr(a, "record", None)
    return {
        "id": a.pk,
        "task_id": a.task_id,
        "task": a.task.title,
        "enterprise_id": a.enterprise_id,
        "enterprise": a.enterprise.name,
        "inspectors": [o.name for o in a.inspectors.all()],
        "record_id": rec.pk if rec else None,
        "record_status": rec.status if rec else None,
    }


def _record(r) -> dict:
    return {
        "id": r.pk,
        "assignment_id": r.assignment_id,
        "status": r.status,
        "result": r.result,
        "inspected_on": r.inspected_on.isoformat(),
        "findings": r.findings,
        "publish_due": r.publish_due.isoformat() if r.publish_due else None,
        "published_at": r.published_at.isoformat() if r.published_at else None,
        "case_source_id": r.case_source_id,
    }


@router.get("/items", summary="随机抽查事项清单")
def items(request, page: int = 1, page_size: int = 50):
    require_business(request.auth)
    return paginate(selectors.items_visible(request.auth), page, page_size, _item)


@router.post("/items", summary="新增抽查事项")
def item_create(request, payload: ItemIn):
    return _item(services.item_create(org=request.auth.org, actor=request.auth, **payload.dict()))


@router.get("/targets", summary="检查对象名录库（实时）")
def targets(
    request,
    business_type: str = "",
    area: str = "",
    grade: str = "",
    risk: str = "",
    page: int = 1,
    page_size: int = 50,
):
    require_business(request.auth)
    rows = selectors.target_directory(
        selectors.actor_bureau(request.auth),
        on=timezone.localdate(),
        business_types=[business_type] if business_type else (),
        area=area,
        grade=grade,
        risk=risk,
    )
    start, _ = page_window(page, page_size)
    return {
        "count": len(rows),
        "page": page,
        "page_size": page_size,
        "items": rows[start : start + page_size],
    }


@router.get("/inspectors", summary="执法检查人员名录库（指定日期持有效执法证）")
def inspectors(request, on: date | None = None):
    require_business(request.auth)
    rows = selectors.inspector_directory(selectors.actor_bureau(request.auth), on=on or timezone.localdate())
    return {"count": len(rows), "items": [selectors.inspector_row(o, n) for o, n in rows]}


@router.post("/lists/{kind}/publish", summary="公示两库一单的新版本（items/targets/inspectors）")
def list_publish(request, kind: str):
    pl, created = services.list_publish(org=request.auth.org, kind=kind, actor=request.auth)
    return {
        "kind": kind,
        "version": pl.version,
        "digest": pl.digest,
        "rows": pl.row_count,
        "created": created,
    }


@router.get("/plans", summary="年度抽查计划")
def plans(request, page: int = 1, page_size: int = 50):
    require_business(request.auth)
    return paginate(
        selectors.plans_visible(request.auth),
        page,
        page_size,
        lambda p: {"id": p.pk, "year": p.year, "title": p.title, "org": p.org.name},
    )


@router.post("/plans", summary="制定年度抽查计划")
def plan_create(request, payload: PlanIn):
    items = []
    for pi in payload.items:
        item = get_object_or_404(selectors.items_visible(request.auth), pk=pi.item_id)
        items.append((item, pi.ratio_bp or item.ratio_bp, pi.quarters))
    plan = services.plan_create(
        org=request.auth.org,
        year=payload.year,
        title=payload.title,
        note=payload.note,
        items=items,
        actor=request.auth,
    )
    return {"id": plan.pk, "title": plan.title}


@router.post("/plans/{pk}/tasks", summary="新建抽查任务（一轮）")
def task_create(request, pk: int, payload: TaskIn):
    plan = get_object_or_404(selectors.plans_visible(request.auth), pk=pk)
    item = get_object_or_404(selectors.items_visible(request.auth), pk=payload.item_id)
    data = payload.dict()
    data.pop("item_id")
    return _task(services.task_create(plan=plan, item=item, actor=request.auth, **data))


@router.get("/plans/{pk}/fairness", summary="抽取公平性统计")
def plan_fairness(request, pk: int):
    plan = get_object_or_404(selectors.plans_visible(request.auth), pk=pk)
    f = selectors.plan_fairness(plan)
    rows = lambda rs: [{"id": r.code, "label": r.label, "drawn": r.drawn, "expected": r.expected} for r in rs]  # noqa: E731
    return {"draws": f["draws"], "targets": rows(f["targets"]), "inspectors": rows(f["inspectors"])}


@router.get("/tasks/{pk}", summary="抽查任务（含承诺值、种子）")
def task(request, pk: int):
    return _task(get_object_or_404(selectors.tasks_visible(request.auth), pk=pk))


def _action(name: str, fn, label: str):
    def view(request, pk: int):
        t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
        fn(task=t, actor=request.auth)
        t.refresh_from_db()
        return _task(t)

    view.__name__ = f"task_{name}"
    router.post(f"/tasks/{{pk}}/{name}", summary=label, operation_id=f"inspections_task_{name}")(view)


@router.post(
    "/tasks/{pk}/commit",
    summary="固定输入并公布承诺值（可声明见证人与公开随机值：多方见证随机）",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": CommitIn.model_json_schema()}},
        }
    },
)
def task_commit(request, pk: int):
    """The body (``CommitIn``) is optional: without one the draw is single-party (zhifa-draw-v1)."""
    t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
    p = CommitIn()
    if request.content_type == "application/json" and request.body.strip():
        try:
            p = CommitIn.model_validate_json(request.body)
        except pydantic.ValidationError as e:
            raise services.InspectionError.INVALID.error(
                detail=f"请求内容有误：{e.errors()[0]['msg']}"
            ) from None
    services.draw_commit(
        task=t,
        actor=request.auth,
        witnesses=p.witnesses,
        public_source=p.public_source,
        public_date=p.public_date,
    )
    t.refresh_from_db()
    return _task(t)


@router.post("/tasks/{pk}/contributions", summary="代见证人录入取值（记为工作人员代为录入）")
def task_contribute(request, pk: int, payload: ContributionIn):
    t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
    services.contribution_enter(task=t, actor=request.auth, **payload.dict())
    return _task(t)


@router.post("/tasks/{pk}/absences", summary="记录见证人缺席（仅在任何取值录入之前）")
def task_absent(request, pk: int, payload: AbsenceIn):
    t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
    services.contribution_absent(task=t, actor=request.auth, **payload.dict())
    return _task(t)


@router.post("/tasks/{pk}/public-value", summary="录入承诺时指定的公开随机值")
def task_public_value(request, pk: int, payload: PublicValueIn):
    t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
    services.public_value_enter(task=t, actor=request.auth, value=payload.value)
    return _task(t)


_action("draw", services.draw_execute, "执行抽取（输入变化、证件失效或人员不足时拒绝）")
_action("reveal", services.draw_reveal, "公开随机种子")


@router.post("/tasks/{pk}/redraw", summary="重新抽取（须说明原因，原抽取作废并公开）")
def task_redraw(request, pk: int, payload: RedrawIn):
    t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
    services.draw_redraw(task=t, reason=payload.reason, actor=request.auth)
    t.refresh_from_db()
    return _task(t)


@router.get("/tasks/{pk}/assignments", summary="抽取结果（对象与检查人员）")
def task_assignments(request, pk: int):
    t = get_object_or_404(selectors.tasks_visible(request.auth), pk=pk)
    return [_assignment(a) for a in selectors.assignments_visible(request.auth).filter(task=t)]


@router.get("/assignments/mine", summary="我的抽查任务")
def mine(request):
    require_business(request.auth)
    return [_assignment(a) for a in selectors.my_assignments(request.auth)]


@router.post("/assignments/{pk}/record", summary="保存或提交检查记录")
def record_save(request, pk: int, payload: InspectionRecordIn):
    a = get_object_or_404(selectors.assignments_visible(request.auth), pk=pk)
    data = payload.dict()
    data["checklist"] = [dict(c) for c in data["checklist"]]
    return _record(services.record_save(assignment=a, actor=request.auth, **data))


@router.post("/records/{pk}/case-source", summary="发现问题移交立案（生成案源线索）")
def record_case(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.auth), pk=pk)
    src = services.record_open_case(record=rec, actor=request.auth)
    return {"case_source_id": src.pk}


@router.post("/records/{pk}/publish", summary="公示检查结果")
def record_publish(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.auth), pk=pk)
    return _record(services.record_publish(record=rec, actor=request.auth))


@router.get(
    "/public/tasks/{pk}/draw-file",
    auth=None,
    summary="公开的抽取文件（无需登录；抽取前为抽取前文件，见算法规范全文第5节、第7.4节）",
)
def public_draw_file(request, pk: int, seq: int | None = None):
    t = get_object_or_404(selectors.public_tasks(), pk=pk)
    d = t.draws.filter(seq=seq).first() if seq else t.current_draw()
    if d is None:
        from django.http import Http404

        raise Http404
    return selectors.draw_file(d)


@router.get("/public/results", auth=None, summary="公示的检查结果（无需登录）")
def public_results(request, page: int = 1, page_size: int = 50):
    return paginate(selectors.public_results(), page, page_size, lambda r: r.disclosure_payload())
