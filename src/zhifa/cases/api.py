"""REST endpoints of 执法办案 under /api/v1/cases/. Every workflow step is its own endpoint
(``POST /api/v1/cases/{id}/{action}``), generated from the table of allowed moves, with its own body schema
in the OpenAPI document. Refusals use the one error envelope (``cases.*`` codes, Chinese messages)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field, create_model

from zhifa.accounts.services import require_business
from zhifa.core.api import RowId
from zhifa.core.errors import CommonError
from zhifa.core.money import yuan_plain
from zhifa.core.pagination import paginate

from . import selectors, services
from .casefile import case_file_zip
from .models import Case, CaseSource
from .pickers import subject_from_ref
from .workflow import MOVES, allowed_moves, case_transition, ledger
from .workflow.check import case_check_run

router = Router(tags=["执法办案"])


class CaseOut(Schema):
    id: int
    number: str
    procedure: str
    state: str
    state_label: str
    version: int
    party_kind: str
    party_name: str
    violation_name: str
    facts: str
    org: str
    registered_on: date | None
    limit_due: date | None
    proposed_fine_fen: int | None = Field(description="拟罚款（分，整数）")
    fine_fen: int | None = Field(description="罚款（分，整数）")
    # money (issue 14): amounts a person reads, in yuan with two decimals, beside the integer fen
    proposed_fine_yuan: str = Field("", description="拟罚款（元，两位小数，如 2,000.50）")
    fine_yuan: str = Field("", description="罚款（元，两位小数）")
    paid_fen: int = Field(0, description="已缴金额合计（分，含加处罚款）")
    paid_yuan: str = Field("", description="已缴金额合计（元）")
    surcharge_fen: int = Field(0, description="截至今日的加处罚款（分；《行政处罚法》第七十二条）")
    surcharge_yuan: str = Field("", description="截至今日的加处罚款（元）")
    balance_fen: int = Field(0, description="尚欠金额（分）：罚款余额 + 未缴加处罚款")
    balance_yuan: str = Field("", description="尚欠金额（元）")
    instalments: list[dict] = Field(
        default_factory=list, description="经批准的延期/分期缴纳计划：期次 no、缴纳期限 due、金额 amount_fen（分）"
    )
    decision_no: str
    decided_on: date | None
    served_on: date | None  # the day the decision counts as served (公告送达: publication + 30 days)
    service_started_on: date | None  # the day of the act of service (签收、留置、公告发布)
    payment_due: date | None
    hearing_right: bool
    review_required: bool
    discussion_required: bool
    next_actions: list[str]
    # --- issue 14: the basis from the 执法事项库 and the limitation facts ---
    violation_code: str = ""
    violated_article: str = ""
    penalty_article: str = ""
    violations: list[dict] = []
    serious_harm: bool = False
    act_ended_on: date | None = None


def _money(c: Case) -> dict:
    """The case's amounts in yuan for people, with the balance and surcharge on today (money, issue 14)."""
    out = {"proposed_fine_yuan": yuan_plain(c.proposed_fine_fen), "fine_yuan": yuan_plain(c.fine_fen)}
    paid = surcharge = balance = 0
    if c.fine_fen and c.served_on:
        led = ledger(c, timezone.localdate())
        paid, surcharge, balance = c.paid_fen, led.surcharge_fen, led.balance_fen
    out.update(paid_fen=paid, surcharge_fen=surcharge, balance_fen=balance)
    out.update(paid_yuan=yuan_plain(paid), surcharge_yuan=yuan_plain(surcharge), balance_yuan=yuan_plain(balance))
    return out


def _case(c: Case, actor=None) -> dict:
    return {
        **{f: getattr(c, f) for f in CaseOut.model_fields if hasattr(c, f) and f not in ("org",)},
        **_money(c),
        "org": str(c.org),
        "state_label": c.get_state_display(),
        "next_actions": [m.action for m in allowed_moves(c, actor)] if actor else [],
        "violations": [
            {
                "order": v.order,
                "code": v.code,
                "name": v.name,
                "version_from": v.version_from,
                "violated_article": v.violated_article,
                "penalty_article": v.penalty_article,
                "legal_min_fen": v.legal_min_fen,
                "legal_max_fen": v.legal_max_fen,
                "tier": v.tier,
                "benchmark_min_fen": v.benchmark_min_fen,
                "benchmark_max_fen": v.benchmark_max_fen,
                "proposed_fine_fen": v.proposed_fine_fen,
                "fine_fen": v.fine_fen,
            }
            for v in c.violations.all()
        ],
    }


class ClockOut(Schema):
    kind: str
    label: str
    start: date
    due: date
    day_type: str
    article: str
    status: str
    explanation: list[str]


class TimelineOut(Schema):
    at: datetime
    kind: str
    label: str
    actor: str
    documents: list[dict]


class CheckOut(Schema):
    passed: bool
    score: int
    max_score: int
    findings: list[dict]


@router.get("", summary="案件列表（按本单位范围）")
def case_list(request, q: str = "", state: str = "", procedure: str = "", page: int = 1, page_size: int = 50):
    require_business(request.auth)
    qs = selectors.case_search(request.auth, q=q, state=state, procedure=procedure)
    return paginate(
        qs,
        page,
        page_size,
        lambda c: {
            "id": c.id,
            "number": c.number,
            "party_name": c.party_name,
            "violation_name": c.violation_name,
            "state": c.state,
            "procedure": c.procedure,
            "fine_fen": c.fine_fen,
            "fine_yuan": yuan_plain(c.fine_fen),
        },
    )


class CaseIn(Schema):
    party_kind: str = Field(description="citizen 公民 / org 法人或者其他组织")
    party_name: str
    violation_name: str
    facts: str
    occurred_on: date
    discovered_on: date | None = None
    violation_code: str = ""
    violated_article: str = ""
    penalty_article: str = ""
    location: str = ""
    party_code: str = ""
    # --- issue 14: the violation from the 执法事项库, the limitation (处罚法 Art 36) ---
    violation_codes: list[str] = Field(default=[], description="其他违法行为编码（合并处罚）")
    basis_note: str = Field(default="", description="依据补充说明（只作补充，不代替执法事项库的依据）")
    serious_harm: bool = Field(
        default=False,
        description="涉及公民生命健康安全、金融安全且有危害后果：追责期限五年（《行政处罚法》第三十六条第一款）",
    )
    act_ended_on: date | None = Field(
        default=None, description="违法行为有连续或者继续状态的终了日，期限从此日起算（《行政处罚法》第三十六条第二款）"
    )


@router.post("", response={201: CaseOut}, summary="填写立案登记表（普通程序，待负责人批准立案）")
def case_create(request, payload: CaseIn):
    c = services.case_create(org=request.auth.org, actor=request.auth, **payload.dict())
    return 201, _case(c, request.auth)


class SummaryRecordIn(Schema):
    """What happened on the spot (处罚法 Arts 52, 68-70; 程序规定 Art 61): see ``workflow.summary``."""

    certificates_shown: bool = False  # 出示执法证件
    oral_notice: bool = False  # 口头告知事实、理由、依据和权利
    statement: str = ""  # made 陈述申辩 / waived 放弃
    statement_content: str = ""
    party_signature: str = ""  # signed / refused
    refusal_note: str = ""
    collected: bool = False  # 当场收缴 of the whole fine
    collection_ground: str = ""  # small / hard_later / remote
    receipt_no: str = ""  # 专用票据号码
    on_water: bool = False
    landed_on: date | None = None


class SummaryIn(Schema):
    party_kind: str
    party_name: str
    violation_name: str
    facts: str
    penalty_type: str = "fine"
    fine_fen: int | None = None
    officer_ids: list[RowId]
    violation_code: str = ""
    violated_article: str = ""
    penalty_article: str = ""
    location: str = ""
    on: date | None = None
    summary_record: SummaryRecordIn | None = None
    party_code: str = ""
    basis_note: str = ""


@router.post("/summary", response={201: CaseOut}, summary="当场处罚（简易程序，《行政处罚法》第五十一条）")
def case_summary(request, payload: SummaryIn):
    c = services.case_summary_create(org=request.auth.org, actor=request.auth, **payload.dict())
    return 201, _case(c, request.auth)


@router.get("/deadlines", summary="期限看板：已超期和3日内到期")
def deadlines(request):
    require_business(request.auth)
    board = selectors.deadline_board(request.auth, today=timezone.localdate())

    def row(c):
        return {
            "case_id": c.case_id,
            "number": c.case.number,
            "kind": c.kind,
            "label": c.get_kind_display(),
            "due": c.due,
            "article": c.article,
        }

    return {"overdue": [row(c) for c in board["overdue"]], "soon": [row(c) for c in board["soon"]]}


class SourceIn(Schema):
    origin: str
    facts: str
    subject_name: str = ""
    violation_code: str = ""
    occurred_at: datetime | None = None
    location: str = ""
    evidence_ids: list[RowId] = []
    proposed: dict = {}
    external_ref: str = ""
    reporter_name: str = Field(default="", description="反映人姓名（加密保存，只返回部分内容）")
    reporter_phone: str = Field(default="", description="反映人电话（加密保存，只返回部分内容）")


@router.post("/sources", summary="登记案源（治超、两客一危、投诉等推送；按来源编号幂等）")
def source_create(request, payload: SourceIn):
    require_business(request.auth)
    if payload.evidence_ids:  # cite only evidence the caller may see: another unit's id is "not found"
        from zhifa.evidence.selectors import evidence_visible

        seen = set(evidence_visible(request.auth).filter(pk__in=payload.evidence_ids).values_list("pk", flat=True))
        if seen != set(payload.evidence_ids):
            raise CommonError.NOT_FOUND.error(what="证据材料")
    src, created = services.case_source_create(org=request.auth.org, actor=request.auth, **payload.dict())
    return {"id": src.id, "created": created, "status": src.status, "decision_due": src.decision_due}


@router.get("/sources", summary="案源列表")
def source_list(request, status: str = "", page: int = 1, page_size: int = 50):
    require_business(request.auth)
    qs = selectors.sources_visible(request.auth)
    if status:
        qs = qs.filter(status=status)
    return paginate(
        qs,
        page,
        page_size,
        lambda s: {
            "id": s.id,
            "origin": s.origin,
            "subject_name": s.subject_name,
            "facts": s.facts,
            "status": s.status,
            "decision_due": s.decision_due,
            "reporter_name": s.reporter_name_masked,
            "reporter_phone": s.reporter_phone_masked,
        },
    )


class AcceptIn(Schema):
    violation_name: str = ""
    officer_ids: list[RowId] = []
    violation_code: str = Field(default="", description="执法事项库编码（案源未载明时由负责人选择）")
    party_code: str = Field(default="", description="当事人证件号码（校验后登记；未填则取案源登记的当事人）")
    party_ref: str = Field(
        default="", description="监管对象库中的当事人，如 enterprise:12、person:5、vehicle:7（案源未载明当事人时）"
    )


@router.post("/sources/{pk}/accept", response={201: CaseOut}, summary="案源立案（负责人批准）")
def source_accept(request, pk: int, payload: AcceptIn):
    src = selectors.source_get(request.auth, pk)
    c = services.case_source_accept(
        source=src,
        actor=request.auth,
        violation_name=payload.violation_name,
        officer_ids=payload.officer_ids or None,
        violation_code=payload.violation_code,
        party={"party_code": payload.party_code} if payload.party_code else None,
        subject=subject_from_ref(request.auth, payload.party_ref),
    )
    return 201, _case(c, request.auth)


class CloseIn(Schema):
    reason: str


@router.post("/sources/{pk}/close", summary="案源不予立案（写明理由）")
def source_close(request, pk: int, payload: CloseIn):
    src = services.case_source_close(
        source=selectors.source_get(request.auth, pk), reason=payload.reason, actor=request.auth
    )
    return {"id": src.id, "status": src.status}


@router.get("/{pk}", response=CaseOut, summary="案件详情（含下一步可办理环节）")
def case_get(request, pk: int):
    c = selectors.case_get(request.auth, pk)
    services.case_view_record(case=c, actor=request.auth)
    return _case(c, request.auth)


@router.get("/{pk}/clocks", response=list[ClockOut], summary="案件法定期限（含计算说明）")
def case_clocks(request, pk: int):
    c = selectors.case_get(request.auth, pk)
    return [
        {
            "kind": k.kind,
            "label": k.get_kind_display(),
            "start": k.start,
            "due": k.due,
            "day_type": k.day_type,
            "article": k.article,
            "status": k.status,
            "explanation": k.explanation,
        }
        for k in c.clocks.all()
    ]


@router.get("/{pk}/timeline", response=list[TimelineOut], summary="案件时间轴（全过程记录）")
def case_timeline(request, pk: int):
    c = selectors.case_get(request.auth, pk)
    return [{k: v for k, v in t.items() if k in TimelineOut.model_fields} for t in selectors.case_timeline(c)]


@router.post("/{pk}/check", response=CheckOut, summary="案卷评查（否决项 + 卷面评分）")
def case_check(request, pk: int):
    r = case_check_run(case=selectors.case_get(request.auth, pk), actor=request.auth)
    return {"passed": r.passed, "score": r.score, "max_score": r.max_score, "findings": r.findings}


@router.get("/{pk}/file", summary="导出案卷（ZIP：卷内目录、文书、全过程记录、证据清单）")
def case_file(request, pk: int):
    c = selectors.case_get(request.auth, pk)
    services.case_view_record(case=c, actor=request.auth, what="导出案卷")
    resp = HttpResponse(case_file_zip(c, actor=request.auth), content_type="application/zip")
    resp["Content-Disposition"] = f"attachment; filename=case-{c.pk}.zip"
    return resp


_PY = {
    "text": str,
    "textarea": str,
    "date": date,
    "int": int,
    "money": int,
    "bool": bool,
    "choice": str,
    "officers": list[RowId],
    "list": list[str],
    "items": list[dict] | str,
}


def _make_step_endpoint(action: str) -> None:
    move = MOVES[action]
    fields = {
        "version": (int, Field(description="乐观锁：读取时的版本号；不一致返回 409 cases.conflict")),
        "on": (date | None, Field(default=None, description="办理日期，默认今天")),
    }
    for f in move.fields:
        typ = _PY.get(f.kind, str)
        desc = f.label + ("；可选值：" + "、".join(f"{v}={lbl}" for v, lbl in f.choices) if f.choices else "")
        if f.kind == "money":  # people type yuan on the page; machines send integer fen
            desc = f"{f.label.split('（')[0]}（分，整数；页面上以元填写）"
        fields[f.name] = (
            typ if f.required else typ | None,
            Field(default=... if f.required else None, description=desc),
        )
    schema = create_model(f"Step_{action}", **fields)

    def endpoint(request, pk: int, payload: schema):  # type: ignore[valid-type]
        c = selectors.case_get(request.auth, pk)
        body = {k: v for k, v in payload.model_dump().items() if v is not None and k not in ("version", "on")}
        c = case_transition(
            case=c,
            action=action,
            actor=request.auth,
            data=body,
            expected_version=payload.version,
            on=payload.on,
        )
        return _case(c, request.auth)

    endpoint.__name__ = f"step_{action}"
    endpoint.__annotations__ = {"pk": int, "payload": schema}
    roles = "、".join(
        {"officer": "执法人员", "head": "执法部门负责人", "legal_reviewer": "法制审核人员"}[r]
        for r in move.roles
    )
    router.post(
        f"/{{pk}}/{action}",
        response=CaseOut,
        summary=move.label,
        operation_id=f"cases_step_{action}",
        description=f"环节：{move.label}。办理角色：{roles}。允许的起始状态：{'、'.join(move.from_states)}。",
    )(endpoint)


for _action in MOVES:
    _make_step_endpoint(_action)

_ = (CaseSource, CommonError)
