"""执法办案 pages: case list, case page (steps, clocks, documents, evidence, timeline, next actions), the
field-step form (tablet layout), the deadline board, case sources, the case-file export and check.

Reads via ``cases.selectors`` (scoped: another unit's case is a 404), writes via the services and the
one transition service; a refusal shows the service's Chinese message and changes nothing."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.selectors import officers_visible
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.list_export import export_format, list_export
from zhifa.core.listing import list_page
from zhifa.core.money import MoneyError, parse_yuan

from . import list_exports, selectors, services
from .casefile import case_documents, case_file_entries, case_file_zip
from .enums import CaseState, CollectionGround, PartyKind, PenaltyType, Procedure, RecordSignature
from .models import CaseSource
from .pickers import subject_from_ref
from .workflow import MOVES, allowed_moves, benchmark_table, case_transition, current_surcharge, ledger
from .workflow.check import case_check_run


def _get_case(request, pk: int):
    try:
        return selectors.case_get(request.user, pk)
    except DomainError:
        raise Http404("案件不存在或无权查看") from None


@business_required
def case_list(request):
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    procedure = request.GET.get("procedure", "")
    qs = selectors.case_search(
        request.user,
        q=q,
        state=state if state in CaseState.values else "",
        procedure=procedure if procedure in Procedure.values else "",
    )
    return list_page(
        request,
        "cases/list.html",
        qs,
        context={
            "q": q,
            "state": state,
            "procedure": procedure,
            "state_choices": CaseState.choices,
            "procedure_choices": Procedure.choices,
            "page_title": "执法办案",
        },
        export=list_exports.CASES,
    )


def _evidence(case, user):
    try:
        from zhifa.evidence.selectors import evidence_for
    except ImportError:  # pragma: no cover
        return []
    return list(evidence_for("cases.case", case.pk, actor=user))


@business_required
def case_detail(request, pk: int):
    case = _get_case(request, pk)
    services.case_view_record(case=case, actor=request.user)
    today = timezone.localdate()
    clocks = list(case.clocks.all())
    for c in clocks:
        c.remaining = (c.due - today).days
    moves = allowed_moves(case, request.user)
    surcharge, surcharge_expl = (
        current_surcharge(case, today) if case.state in ("served", "executing") else (0, "")
    )
    account = ledger(case, today) if case.fine_fen and case.served_on else None
    officers = _assignable_officers(request.user, moves)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "clocks": clocks,
            "moves": moves,
            "steps": case.steps.all(),
            "officers_on_case": case.case_officers.select_related("officer"),
            "timeline": selectors.case_timeline(case),
            "documents": case_documents(case),
            "evidence": _evidence(case, request.user),
            "benchmarks": benchmark_table(case) if any(m.action == "propose" for m in moves) else [],
            **_basis_context(case),
            "today": today,
            "surcharge": surcharge,
            "surcharge_expl": surcharge_expl,
            "account": account,
            "payments": case.payments.all(),
            "checks": case.checks.all()[:3],
            "all_officers": officers,
            "page_title": case.number,
        },
    )


def _assignable_officers(user, moves) -> list:
    """The officers an 指派 form lists: the actor's visible active officers, only where the move is offered."""
    if not any(m.action == "assign_officers" for m in moves):
        return []
    return list(officers_visible(user).filter(status="active")[:200])


@business_required
def case_step_form(request, pk: int, action: str):
    """One step on its own page (a tablet-friendly form for field steps)."""
    case = _get_case(request, pk)
    move = MOVES.get(action)
    if move is None:
        raise Http404
    return render(
        request,
        "cases/step.html",
        {"case": case, "move": move, "today": timezone.localdate(), "page_title": move.label,
         "all_officers": _assignable_officers(request.user, [move]), **_basis_context(case)},
    )


def _money_fields(move, data: dict) -> str:
    """Money is typed in yuan ("2,000.50") and handed to the workflow in fen under the same key; returns
    the Chinese reason of the first amount that cannot be read, else ""."""
    for spec in move.fields if move else ():
        raw = str(data.get(spec.name) or "").strip()
        if spec.kind == "money" and raw:
            try:
                data[spec.name] = parse_yuan(raw, label=spec.label.split("（")[0])
            except MoneyError as e:
                return str(e)
    # 分别裁量: each violation's fine, typed in yuan as items-<order>-fine_yuan (see _basis_fields.html)
    for key in [k for k in data if re.fullmatch(r"items-\d+-fine_yuan", str(k))]:
        raw = str(data.pop(key) or "").strip()
        if raw:
            try:
                data[key.replace("_yuan", "_fen")] = parse_yuan(raw, label=f"违法行为{key.split('-')[1]}的罚款")
            except MoneyError as e:
                return str(e)
    return ""


def _basis_context(case) -> dict:
    """What the 处理意见 and decision forms show of the case's violations: each with its legal range and
    catalogue tiers (分别裁量), and the Art 33 exemptions the catalogue lists with their conditions."""
    from .enums import Tier
    from .workflow.basis import exemptions_of, legal_bounds, variants, violations_of

    rows = []
    for r in violations_of(case):
        b = legal_bounds(r.version) if r.version else None
        rows.append({"row": r, "penalty": b.text if b else "", "basis": r.penalty_article,
                     "variants": [(str(i), f"{v.get('when', '')}") for i, v in enumerate(variants(r.version))]
                     if r.version else []})
    return {"case_violations": rows, "exemptions": exemptions_of(case), "tier_choices": Tier.choices}


@require_POST
@business_required
def case_act(request, pk: int, action: str):
    case = _get_case(request, pk)
    multi = ("officer_ids", "exemption_conditions", "violation_codes")
    data = {k: (request.POST.getlist(k) if k in multi else v) for k, v in request.POST.items()}
    problem = _money_fields(MOVES.get(action), data)
    if problem:
        messages.error(request, f"输入有误：{problem}")
        return redirect("cases_detail", pk=case.pk)
    try:
        case_transition(
            case=case,
            action=action,
            actor=request.user,
            data=data,
            expected_version=request.POST.get("version") or case.version,
            on=date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None,
        )
        messages.success(request, f"“{MOVES[action].label}”已办理")
    except DomainError as e:
        messages.error(request, e.message)
    except (ValueError, KeyError):
        messages.error(request, "输入有误：日期格式应为 YYYY-MM-DD")
    return redirect("cases_detail", pk=case.pk)


@require_POST
@business_required
def case_check(request, pk: int):
    case = _get_case(request, pk)
    r = case_check_run(case=case, actor=request.user)
    (messages.success if r.passed else messages.warning)(
        request,
        f"案卷评查：{'合格' if r.passed else '不合格（存在否决项）'}，卷面得分 {r.score}/{r.max_score}",
    )
    return redirect("cases_detail", pk=case.pk)


@business_required
def case_file(request, pk: int):
    case = _get_case(request, pk)
    if request.GET.get("download"):
        services.case_view_record(case=case, actor=request.user, what="导出案卷")
        resp = HttpResponse(case_file_zip(case, actor=request.user), content_type="application/zip")
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''case-{case.pk}.zip"
        return resp
    return render(
        request, "cases/file.html", {"case": case, "entries": case_file_entries(case), "page_title": "案卷"}
    )


@business_required
def deadlines(request):
    board = selectors.deadline_board(request.user, today=timezone.localdate())
    if export_format(request):
        return list_export(request, list_exports.deadline_rows(board), list_exports.DEADLINES)
    return render(
        request, "cases/deadlines.html", {**board, "today": timezone.localdate(), "page_title": "期限看板"}
    )


_SUMMARY_RECORD_FIELDS = (
    "certificates_shown",
    "oral_notice",
    "statement",
    "statement_content",
    "party_signature",
    "refusal_note",
    "collected",
    "collection_ground",
    "receipt_no",
    "on_water",
    "landed_on",
)


def _summary_record_from(post) -> dict:
    """The on-the-spot record fields of the 当场处罚 form (validated by the service)."""
    return {k: post.get(k, "") for k in _SUMMARY_RECORD_FIELDS}


@business_required
def violation_pick(request):
    """执法事项库 search for the case form's picker (JSON): the actor's province, the version in force on the
    day of the act (``on``), by name, code or article text. Pinyin initials are not searched (no pinyin
    library is a dependency)."""
    from zhifa.rules.selectors import province_of, violations_current

    q = request.GET.get("q", "").strip()
    try:
        on = date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    if not q:
        return JsonResponse({"results": []})
    rows = violations_current(request.user, on=on, province=province_of(request.user) or None, q=q)[:20]
    out = []
    for v in rows.prefetch_related("violated", "penalised"):
        out.append(
            {
                "code": v.code,
                "name": v.name,
                "category": v.category,
                "version_id": v.pk,
                "effective_from": f"{v.effective_from:%Y-%m-%d}",
                "violated_article": "、".join(str(b) for b in v.violated.all()),
                "penalty_article": "、".join(str(b) for b in v.penalised.all()),
                "penalty": v.get_penalty_text(),
                "min_fen": v.min_fen,
                "max_fen": v.max_fen,
                "tiers": v.tiers,
                "exemptions": v.exemptions,
            }
        )
    return JsonResponse({"results": out, "on": f"{on:%Y-%m-%d}"})


@business_required
def party_pick(request):
    """当事人 search in the register for the case form's picker (JSON), scoped to the actor's jurisdiction:
    enterprises by name or 统一社会信用代码, persons by name or full ID number, vehicles by plate (their
    operator). Person ID numbers are shown masked."""
    from zhifa.registry.selectors import enterprise_search, person_search, vehicle_search

    q = request.GET.get("q", "").strip()
    out: list[dict] = []
    if q:
        for e in enterprise_search(request.user, q=q)[:10]:
            out.append({"ref": f"enterprise:{e.pk}", "party_kind": "org", "name": e.name, "code": e.uscc,
                        "address": e.address, "label": f"{e.name}（{e.uscc}）"})
        for p in person_search(request.user, q=q)[:10]:
            out.append({"ref": f"person:{p.pk}", "party_kind": "citizen", "name": p.name,
                        "code": p.idcard_masked, "address": "", "label": f"{p.name}（{p.idcard_masked}）"})
        for v in vehicle_search(request.user, q=q).filter(enterprise__isnull=False)[:10]:
            e = v.enterprise
            out.append({"ref": f"vehicle:{v.pk}", "party_kind": "org", "name": e.name, "code": e.uscc,
                        "address": e.address, "label": f"{v.plate} · {e.name}（{e.uscc}）"})
    return JsonResponse({"results": out})


def _party_subjects(user, ref: str) -> dict:
    """The register record a picked party names ("enterprise:12", "person:5", "vehicle:7"), within the
    actor's jurisdiction, as the case's subjects (a vehicle brings its operator); another unit's id is
    not found."""
    if not (ref or "").partition(":")[2].isdigit():
        return {}
    row = subject_from_ref(user, ref)
    kind = ref.partition(":")[0]
    if kind == "vehicle":
        return {"vehicle": row, **({"enterprise": row.enterprise} if row.enterprise_id else {})}
    return {kind: row}


@business_required
def case_new(request):
    summary = request.GET.get("procedure") == "summary" or request.POST.get("procedure") == "summary"
    ctx = {
        "summary": summary,
        "party_choices": PartyKind.choices,
        "penalty_choices": PenaltyType.choices,
        "signature_choices": RecordSignature.choices,
        "collection_grounds": CollectionGround.choices,
        "officers": officers_visible(request.user).filter(status="active")[:200],
        "page_title": "新建案件",
        "today": timezone.localdate(),
        "form": request.POST,
    }
    if request.method == "POST":
        p = request.POST
        try:
            common = dict(
                org=request.user.org,
                party_kind=p.get("party_kind", ""),
                party_name=p.get("party_name", ""),
                violation_name=p.get("violation_name", ""),
                facts=p.get("facts", ""),
                violation_code=p.get("violation_code", ""),
                violated_article=p.get("violated_article", ""),
                penalty_article=p.get("penalty_article", ""),
                location=p.get("location", ""),
                party_code=p.get("party_code", ""),
                party_address=p.get("party_address", ""),
                basis_note=p.get("basis_note", ""),
                subjects=_party_subjects(request.user, p.get("party_ref", "")),
                actor=request.user,
            )
            if summary:
                fine = parse_yuan(p["fine_fen"], label="罚款") if p.get("fine_fen", "").strip() else None
                case = services.case_summary_create(
                    **common,
                    penalty_type=p.get("penalty_type", "fine"),
                    fine_fen=fine,
                    officer_ids=[int(i) for i in p.getlist("officer_ids")],
                    summary_record=_summary_record_from(p),
                )
            else:
                case = services.case_create(
                    **common,
                    occurred_on=date.fromisoformat(p.get("occurred_on", "")),
                    discovered_on=date.fromisoformat(p["discovered_on"]) if p.get("discovered_on") else None,
                    # 处罚法 Art 36: the 5-year period and a continuing act's end
                    serious_harm=p.get("serious_harm") in ("1", "true", "on"),
                    act_ended_on=date.fromisoformat(p["act_ended_on"]) if p.get("act_ended_on") else None,
                    violation_codes=[c for c in p.get("violation_codes", "").replace("，", ",").split(",") if c],
                )
            return redirect("cases_detail", pk=case.pk)
        except DomainError as e:
            ctx["error"] = e.message
            ctx["field_errors"] = e.fields
        except MoneyError as e:
            ctx["error"] = f"输入有误：{e}"
        except ValueError:
            ctx["error"] = "输入有误：请检查日期和金额"
    return render(request, "cases/new.html", ctx)


_ = CaseSource
