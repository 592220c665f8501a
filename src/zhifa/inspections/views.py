"""双随机抽查 pages (business roles) and the public pages under /public/inspections/ (no login).

Reads go through ``inspections.selectors`` (jurisdiction-scoped: another county's plan is a 404), writes
through ``inspections.services``; a refusal is shown as the service's Chinese message.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import CertField
from zhifa.accounts.selectors import officers_visible
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.identifiers import mask_name
from zhifa.core.listing import list_page
from zhifa.inspections import list_exports, rules, selectors, services
from zhifa.inspections.draw import ALGORITHM_V2
from zhifa.inspections.models import (
    ConflictKind,
    DrawStatus,
    InspectionTask,
    ItemCategory,
    ListKind,
    PublishedList,
    RecordStatus,
    ResultKind,
    TargetSource,
    TaskKind,
    TaskStatus,
)
from zhifa.registry.enums import BusinessType
from zhifa.registry.selectors import enterprises_visible

GRADES = list(rules.value("credit_weights").keys())
RISKS = list(rules.value("risk_weights").keys())


def _is_manager(user) -> bool:
    return user.has_role(*services.MANAGERS)


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _percent_to_bp(raw: str) -> int:
    try:
        return round(float(raw) * 100)
    except (TypeError, ValueError):
        return 0


def _fail(request, e: DomainError) -> None:
    messages.error(request, e.message)


def _ctx(request, **extra) -> dict:
    return {"is_manager": _is_manager(request.user), **extra}


# --- index, lists ------------------------------------------------------------------------------------


@business_required
def index(request):
    user = request.user
    today = timezone.localdate()
    year = int(request.GET.get("year") or today.year)
    return render(
        request,
        "inspections/index.html",
        _ctx(
            request,
            page_title="双随机抽查",
            year=year,
            stats=selectors.unit_stats(user, year=year, today=today),
            plans=selectors.plans_visible(user)[:20],
            mine=selectors.my_assignments(user).filter(record__isnull=True)[:20],
            pending=selectors.records_visible(user)
            .filter(status=RecordStatus.SUBMITTED)
            .order_by("publish_due")[:20],
            today=today,
            bureau=selectors.actor_bureau(user),
        ),
    )


@business_required
def item_list(request):
    return list_page(
        request,
        "inspections/item_list.html",
        selectors.items_visible(request.user),
        context=_ctx(request, page_title="随机抽查事项清单"),
        export=list_exports.ITEMS,
    )


@business_required
def item_new(request):
    ctx = _ctx(
        request,
        page_title="新增抽查事项",
        type_choices=BusinessType.choices,
        cert_choices=CertField.choices,
        category_choices=ItemCategory.choices,
        data=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        try:
            services.item_create(
                org=request.user.org,
                code=p.get("code", ""),
                name=p.get("name", ""),
                legal_basis=p.get("legal_basis", ""),
                inspecting_body=p.get("inspecting_body", ""),
                ratio_bp=_percent_to_bp(p.get("ratio", "")),
                business_types=p.getlist("business_types"),
                method=p.get("method", "现场检查"),
                frequency=int(p.get("frequency") or 1),
                category=p.get("category", ItemCategory.GENERAL),
                cert_fields=p.getlist("cert_fields"),
                checklist=p.get("checklist", "").splitlines(),
                actor=request.user,
            )
        except DomainError as e:
            ctx.update(error=e.message, field_errors=e.fields)
            return render(request, "inspections/item_form.html", ctx, status=422)
        messages.success(request, "抽查事项已加入清单")
        return redirect("inspections_items")
    return render(request, "inspections/item_form.html", ctx)


@business_required
def target_list(request):
    bureau = selectors.actor_bureau(request.user)
    g = request.GET
    rows = selectors.target_directory(
        bureau,
        on=timezone.localdate(),
        business_types=[g["business_type"]] if g.get("business_type") else (),
        area=g.get("area", "").strip(),
        grade=g.get("grade", ""),
        risk=g.get("risk", ""),
    )
    return list_page(
        request,
        "inspections/target_list.html",
        rows,
        context=_ctx(
            request,
            page_title="检查对象名录库",
            type_choices=BusinessType.choices,
            grades=GRADES,
            risks=RISKS,
            f=g,
        ),
        export=list_exports.TARGETS,
    )


@business_required
def inspector_list(request):
    bureau = selectors.actor_bureau(request.user)
    on = _date(request.GET.get("on", "")) or timezone.localdate()
    rows = [{"officer": o, "cert": n} for o, n in selectors.inspector_directory(bureau, on=on)]
    conflicts = selectors.conflicts_visible(request.user)
    return render(
        request,
        "inspections/inspector_list.html",
        _ctx(request, page_title="执法检查人员名录库", rows=rows, on=on, conflicts=conflicts),
    )


@business_required
def conflict_new(request):
    user = request.user
    officers = officers_visible(user) if _is_manager(user) else officers_visible(user).filter(user=user)
    ctx = _ctx(
        request,
        page_title="登记回避关系",
        officers=officers,
        kind_choices=ConflictKind.choices,
        enterprises=enterprises_visible(user).order_by("name")[:500],
        data=request.POST,
    )
    if request.method == "POST":
        p = request.POST
        officer = officers.filter(pk=p.get("officer") or 0).first()
        ent = enterprises_visible(user).filter(pk=p.get("enterprise") or 0).first()
        if officer is None or ent is None:
            ctx["error"] = "请选择执法人员和检查对象"
            return render(request, "inspections/conflict_form.html", ctx, status=422)
        try:
            services.conflict_declare(
                officer=officer,
                enterprise=ent,
                kind=p.get("kind", ConflictKind.OTHER),
                valid_from=_date(p.get("valid_from", "")) or timezone.localdate(),
                valid_to=_date(p.get("valid_to", "")),
                note=p.get("note", ""),
                actor=user,
            )
        except DomainError as e:
            ctx.update(error=e.message, field_errors=e.fields)
            return render(request, "inspections/conflict_form.html", ctx, status=422)
        messages.success(request, "回避关系已登记，抽取时将自动排除")
        return redirect("inspections_inspectors")
    return render(request, "inspections/conflict_form.html", ctx)


@business_required
@require_POST
def lists_publish(request):
    bureau = selectors.actor_bureau(request.user)
    try:
        done = []
        for kind, label in ListKind.choices:
            pl, created = services.list_publish(org=bureau, kind=kind, actor=request.user)
            done.append(f"{label}第{pl.version}版{'（新版本）' if created else '（无变化）'}")
        messages.success(request, "已公示：" + "；".join(done))
    except DomainError as e:
        _fail(request, e)
    return redirect("inspections_index")


# --- plans and tasks ---------------------------------------------------------------------------------------


@business_required
def plan_new(request):
    user = request.user
    items = selectors.items_visible(user).filter(active=True)
    ctx = _ctx(
        request, page_title="制定年度抽查计划", items=items, year=timezone.localdate().year, data=request.POST
    )
    if request.method == "POST":
        p = request.POST
        chosen = []
        for item in items:
            if str(item.pk) in p.getlist("items"):
                ratio = _percent_to_bp(p.get(f"ratio_{item.pk}", "")) or item.ratio_bp
                quarters = [int(q) for q in p.getlist(f"quarters_{item.pk}") if q.isdigit()] or [1, 2, 3, 4]
                chosen.append((item, ratio, quarters))
        try:
            plan = services.plan_create(
                org=user.org,
                year=int(p.get("year") or 0),
                title=p.get("title", ""),
                note=p.get("note", ""),
                items=chosen,
                actor=user,
            )
        except (DomainError, ValueError) as e:
            ctx["error"] = e.message if isinstance(e, DomainError) else "年度格式不正确"
            return render(request, "inspections/plan_form.html", ctx, status=422)
        messages.success(request, "年度抽查计划已制定")
        return redirect("inspections_plan", pk=plan.pk)
    return render(request, "inspections/plan_form.html", ctx)


@business_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(selectors.plans_visible(request.user), pk=pk)
    if request.method == "POST":
        p = request.POST
        item = plan.plan_items.filter(item_id=p.get("item") or 0).first()
        try:
            if item is None:
                raise services.InspectionError.INVALID.error(detail="请选择计划中的抽查事项")
            services.task_create(
                plan=plan,
                item=item.item,
                draw_date=_date(p.get("draw_date", "")) or timezone.localdate(),
                due_date=_date(p.get("due_date", "")),
                kind=p.get("kind", TaskKind.SINGLE),
                partners=p.get("partners", ""),
                ratio_bp=_percent_to_bp(p.get("ratio", "")) or None,
                inspectors_per_target=int(p.get("k") or 0) or None,
                area=p.get("area", ""),
                allow_repeat=p.get("allow_repeat") == "1",
                target_source=p.get("target_source") or TargetSource.DIRECTORY,
                actor=request.user,
            )
            messages.success(request, "抽查任务已创建")
        except DomainError as e:
            _fail(request, e)
        return redirect("inspections_plan", pk=plan.pk)
    return render(
        request,
        "inspections/plan_detail.html",
        _ctx(
            request,
            page_title=plan.title,
            plan=plan,
            plan_items=plan.plan_items.select_related("item"),
            tasks=plan.tasks.select_related("item"),
            kind_choices=TaskKind.choices,
            source_choices=TargetSource.choices,
            today=timezone.localdate(),
            min_k=rules.value("min_inspectors"),
        ),
    )


@business_required
def plan_stats(request, pk: int):
    plan = get_object_or_404(selectors.plans_visible(request.user), pk=pk)
    return render(
        request,
        "inspections/plan_stats.html",
        _ctx(
            request,
            page_title=f"{plan.title} · 抽取公平性统计",
            plan=plan,
            fairness=selectors.plan_fairness(plan),
        ),
    )


def _assignment_rows(d, public: bool = False):
    if d is None or not d.result:
        return []
    names = {t["id"]: t for t in d.inputs["targets"]}
    people = {o["id"]: o for o in d.inputs["inspectors"]}
    rows = []
    for a in d.result["assignments"]:
        t = names.get(a["target"], {})
        rows.append(
            {
                "target": t.get("name", a["target"]),
                "uscc": t.get("uscc", ""),
                "code": a["target"],
                "stratum": t.get("business_type", a["stratum"]),
                "inspectors": [f"{people[o]['name']}（{people[o]['cert']}）" for o in a["inspectors"]],
            }
        )
    return rows


def _slot_rows(d) -> list[dict]:
    """The declared contributors of a v2 draw with their state, for the task pages."""
    if d is None or d.algorithm != ALGORITHM_V2:
        return []
    return [
        {"slot": s, "record": s.record or {}, "at": (s.record or {}).get("at", "")[:16].replace("T", " ")}
        for s in d.slots.order_by("position")
    ]


def _derived_seed(d) -> str:
    """The seed of a revealed v2 draw (derived from the secret and the contributions), else ""."""
    if d is None or d.algorithm != ALGORITHM_V2 or not d.seed:
        return ""
    seed = selectors.derived_seed(d, d.seed)
    return seed.hex() if seed else ""


@business_required
def task_detail(request, pk: int):
    task = get_object_or_404(selectors.tasks_visible(request.user), pk=pk)
    d = task.current_draw()
    assignments = (
        task.assignments.filter(draw=d).select_related("enterprise", "record").prefetch_related("inspectors")
        if d
        else []
    )
    slots = _slot_rows(d)
    if d is not None and d.status == DrawStatus.COMMITTED and _is_manager(request.user):
        for row in slots:
            row["token"] = services.slot_token(row["slot"])
    return render(
        request,
        "inspections/task_detail.html",
        _ctx(
            request,
            page_title=task.title,
            task=task,
            draw=d,
            draws=task.draws.order_by("seq"),
            assignments=assignments,
            S=TaskStatus,
            slots=slots,
            mode=selectors.draw_mode(d) if d else "",
            derived_seed=_derived_seed(d),
            pending=[r for r in slots if not r["slot"].done],
            witness_roles=rules.value("witness_roles"),
            witness_url=request.build_absolute_uri("/inspections/witness/"),
            today=timezone.localdate(),
        ),
    )


def _commit(task, request):
    p = request.POST
    multi = p.get("mode", "multi") == "multi"
    roles = [r for r in p.getlist("witness_role") if r.strip()] if multi else []
    source = p.get("public_source", "").strip() if multi else ""
    if p.get("mode") == "multi" and not roles and not source:
        raise services.InspectionError.INVALID.error(
            detail="多方见证随机至少需要一名见证人或一个公开随机值；不设见证人请选择“单方随机”"
        )
    return services.draw_commit(
        task=task,
        actor=request.user,
        witnesses=roles,
        public_source=source,
        public_date=_date(p.get("public_date", "")) if source else None,
    )


_ACTIONS = {
    "commit": _commit,
    "draw": lambda task, request: services.draw_execute(task=task, actor=request.user),
    "reveal": lambda task, request: services.draw_reveal(task=task, actor=request.user),
    "redraw": lambda task, request: services.draw_redraw(
        task=task, reason=request.POST.get("reason", ""), actor=request.user
    ),
    "contribute": lambda task, request: services.contribution_enter(
        task=task,
        slot=request.POST.get("slot", ""),
        name=request.POST.get("name", ""),
        value=request.POST.get("value", ""),
        actor=request.user,
    ),
    "absent": lambda task, request: services.contribution_absent(
        task=task,
        slot=request.POST.get("slot", ""),
        reason=request.POST.get("reason", ""),
        actor=request.user,
    ),
    "public": lambda task, request: services.public_value_enter(
        task=task, value=request.POST.get("value", ""), actor=request.user
    ),
}
_DONE = {
    "commit": "承诺值已公布（抽取前）",
    "draw": "已完成抽取",
    "reveal": "已公开随机种子（多方见证抽取为单位密钥），任何人可复算验证",
    "redraw": "已作废原抽取并公布新的承诺值",
    "contribute": "已代见证人录入取值",
    "absent": "已记录见证人缺席及原因",
    "public": "公开随机值已录入",
}


@business_required
@require_POST
def task_action(request, pk: int, action: str):
    task = get_object_or_404(selectors.tasks_visible(request.user), pk=pk)
    if action not in _ACTIONS:
        raise Http404
    try:
        _ACTIONS[action](task, request)
        messages.success(request, _DONE[action])
    except DomainError as e:
        _fail(request, e)
    return redirect("inspections_task", pk=task.pk)


# --- the witness's phone page (no login: the one-time code shown at the draw is the credential) ----------


def witness_entry(request):
    """Type the code shown at the draw; a wrong code is told as such (the code space is 31^8)."""
    error = ""
    if request.method == "POST":
        code = services.normalize_token(request.POST.get("code", ""))
        if services.slot_for_token(code) is not None:
            return redirect("inspections_witness", code=code)
        error = "录入码无效、已使用或该次抽取已结束，请核对后重新输入"
    return render(
        request,
        "inspections/witness_entry.html",
        {"page_title": "见证人录入随机值", "error": error},
        status=422 if error else 200,
    )


def witness_page(request, code: str):
    slot = services.slot_for_token(code)
    if slot is None:
        return render(
            request,
            "inspections/witness_entry.html",
            {"page_title": "见证人录入随机值", "error": "录入码无效、已使用或该次抽取已结束"},
            status=404,
        )
    ctx = {
        "page_title": "见证人录入随机值",
        "slot": slot,
        "draw": slot.draw,
        "task": slot.draw.task,
        "data": {},
    }
    if request.method == "POST":
        try:
            done = services.witness_contribute(
                token=code, name=request.POST.get("name", ""), value=request.POST.get("value", "")
            )
        except DomainError as e:
            ctx.update(error=e.message, data=request.POST)
            return render(request, "inspections/witness_page.html", ctx, status=422)
        return render(request, "inspections/witness_done.html", {**ctx, "slot": done, "record": done.record})
    return render(request, "inspections/witness_page.html", ctx)


def _draw_json(d, filename: str) -> HttpResponse:
    body = json.dumps(selectors.draw_file(d), ensure_ascii=False, indent=1)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


@business_required
def task_draw_file(request, pk: int):
    task = get_object_or_404(selectors.tasks_visible(request.user), pk=pk)
    d = task.draws.filter(seq=request.GET.get("seq") or 0).first() or task.current_draw()
    if d is None:
        raise Http404
    return _draw_json(d, f"draw-{task.pk}-{d.seq}.json")


# --- field records ------------------------------------------------------------------------------------------


@business_required
def my_assignments(request):
    return list_page(
        request,
        "inspections/mine.html",
        selectors.my_assignments(request.user),
        context=_ctx(request, page_title="我的抽查任务"),
        export=list_exports.MY_TASKS,
    )


@business_required
def record_form(request, pk: int):
    user = request.user
    a = get_object_or_404(selectors.assignments_visible(user), pk=pk)
    rec = getattr(a, "record", None)
    if rec is not None and rec.status != RecordStatus.DRAFT:
        return redirect("inspections_record", pk=rec.pk)
    checklist_items = a.task.item.checklist or ["检查内容"]
    if request.method == "POST":
        p = request.POST
        checklist = [
            {"item": name, "ok": p.get(f"ok_{i}") == "1", "note": p.get(f"note_{i}", "")}
            for i, name in enumerate(checklist_items)
        ]
        try:
            rec = services.record_save(
                assignment=a,
                actor=user,
                inspected_on=_date(p.get("inspected_on", "")) or timezone.localdate(),
                location=p.get("location", ""),
                checklist=checklist,
                findings=p.get("findings", ""),
                result=p.get("result", ResultKind.NONE),
                rectify_due=_date(p.get("rectify_due", "")),
                transfer_to=p.get("transfer_to", ""),
                signer_name=p.get("signer_name", ""),
                signature=p.get("signature", ""),
                refused_to_sign=p.get("refused_to_sign") == "1",
                evidence_ids=rec.evidence_ids if rec else [],
                submit=False,
            )
            for f in request.FILES.getlist("files"):
                services.record_attach(
                    record=rec, stream=f, filename=f.name, content_type=f.content_type or "", actor=user
                )
            if p.get("submit") == "1":
                rec = services.record_save(
                    assignment=a,
                    actor=user,
                    inspected_on=rec.inspected_on,
                    location=rec.location,
                    checklist=rec.checklist,
                    findings=rec.findings,
                    result=rec.result,
                    rectify_due=rec.rectify_due,
                    transfer_to=rec.transfer_to,
                    signer_name=rec.signer_name,
                    signature=rec.signature,
                    refused_to_sign=rec.refused_to_sign,
                    evidence_ids=rec.evidence_ids,
                    submit=True,
                )
                messages.success(request, f"检查记录已提交，结果应于 {rec.publish_due:%Y年%m月%d日} 前公示")
                return redirect("inspections_record", pk=rec.pk)
            messages.success(request, "已保存草稿")
            return redirect("inspections_record_form", pk=a.pk)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("inspections_record_form", pk=a.pk)
    rows = []
    saved = {c["item"]: c for c in (rec.checklist if rec else [])}
    for i, name in enumerate(checklist_items):
        rows.append(
            {
                "i": i,
                "item": name,
                "ok": saved.get(name, {}).get("ok", True),
                "note": saved.get(name, {}).get("note", ""),
            }
        )
    return render(
        request,
        "inspections/record_form.html",
        _ctx(
            request,
            page_title=f"检查记录 · {a.enterprise.name}",
            a=a,
            rec=rec,
            rows=rows,
            result_choices=ResultKind.choices,
            today=timezone.localdate(),
        ),
    )


@business_required
def record_detail(request, pk: int):
    rec = get_object_or_404(selectors.records_visible(request.user), pk=pk)
    return render(
        request,
        "inspections/record_detail.html",
        _ctx(
            request,
            page_title=f"检查记录 · {rec.assignment.enterprise.name}",
            rec=rec,
            today=timezone.localdate(),
        ),
    )


@business_required
@require_POST
def record_action(request, pk: int, action: str):
    rec = get_object_or_404(selectors.records_visible(request.user), pk=pk)
    try:
        if action == "case":
            src = services.record_open_case(record=rec, actor=request.user)
            messages.success(request, f"已生成案源线索（编号 {src.pk}），待负责人决定是否立案")
        elif action == "publish":
            services.record_publish(record=rec, actor=request.user)
            messages.success(request, "检查结果已公示")
        else:
            raise Http404
    except DomainError as e:
        _fail(request, e)
    return redirect("inspections_record", pk=rec.pk)


# --- public portal (no login; masked) -----------------------------------------------------------------------


def public_index(request):
    bureaus = []
    for org in selectors.public_bureaus():
        latest = {
            k: PublishedList.objects.filter(org=org, kind=k).order_by("-version").first()
            for k in ListKind.values
        }
        bureaus.append({"org": org, "lists": [(k, label, latest[k]) for k, label in ListKind.choices]})
    return render(
        request,
        "inspections/public_index.html",
        {
            "page_title": "双随机、一公开",
            "bureaus": bureaus,
            "plans": selectors.public_plans()[:20],
            "tasks": selectors.with_draw_modes(selectors.public_tasks().order_by("-draw_date", "-id")[:30]),
            "results": selectors.public_results()[:10],
            "method_roles": rules.value("witness_roles"),
        },
    )


def public_method(request):
    """How a draw is made and checked, in Chinese, with the full specification served from here."""
    return render(
        request,
        "inspections/public_method.html",
        {
            "page_title": "双随机抽取方法与验证",
            "roles": rules.value("witness_roles"),
            "credit_weights": rules.value("credit_weights"),
            "risk_weights": rules.value("risk_weights"),
        },
    )


def public_algorithm(request):
    """ALGORITHM.md itself (the normative specification), as UTF-8 text."""
    text = (Path(__file__).with_name("ALGORITHM.md")).read_text(encoding="utf-8")
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


TESTVECTORS = ("zhifa-draw-v2-example.pre.json", "zhifa-draw-v2-example.json")


def public_testvector(request, name: str):
    """The worked example of ALGORITHM.md §8, as files to try a re-implementation on."""
    if name not in TESTVECTORS:
        raise Http404
    body = (Path(__file__).parent / "testvectors" / name).read_bytes()
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def public_list(request, org_id: int, kind: str):
    if kind not in ListKind.values:
        raise Http404
    versions = (
        PublishedList.objects.filter(org_id=org_id, kind=kind).select_related("org").order_by("-version")
    )
    if not versions:
        raise Http404
    v = request.GET.get("version", "")
    current = versions.filter(version=int(v)).first() if v.isdigit() else versions.first()
    if current is None:
        raise Http404
    return render(
        request,
        "inspections/public_list.html",
        {
            "page_title": f"{current.org.name} · {current.get_kind_display()}",
            "current": current,
            "versions": versions,
            "kind": kind,
        },
    )


def public_task(request, pk: int):
    task = get_object_or_404(selectors.public_tasks(), pk=pk)
    d = task.current_draw()
    return render(
        request,
        "inspections/public_task.html",
        {
            "page_title": task.title,
            "task": task,
            "draw": d,
            "draws": task.draws.order_by("seq"),
            "rows": _assignment_rows(d, public=True) if d and d.seed else [],
            "slots": _slot_rows(d),
            "mode": selectors.draw_mode(d) if d else "",
            "derived_seed": _derived_seed(d),
        },
    )


def public_draw_file(request, pk: int):
    task = get_object_or_404(selectors.public_tasks(), pk=pk)
    d = task.draws.filter(seq=request.GET.get("seq") or 0).first() or task.current_draw()
    if d is None:
        raise Http404
    return _draw_json(d, f"draw-{task.pk}-{d.seq}.json")


def public_results(request):
    return list_page(
        request,
        "inspections/public_results.html",
        selectors.public_results(),
        context={"page_title": "抽查结果公示"},
    )


def public_result_json(request):
    """Machine-readable published results (GSXT fields: 检查实施机关, 类型, 日期, 结果)."""
    items = [r.disclosure_payload() for r in selectors.public_results()[:500]]
    return JsonResponse({"count": len(items), "items": items}, json_dumps_params={"ensure_ascii": False})


def masked(name: str) -> str:
    return mask_name(name)


__all__ = ["InspectionTask"]
