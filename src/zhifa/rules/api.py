"""REST API of the rule library under /api/v1/rules/: violations, legal bases, procedure parameters,
discretion helpers, and new versions (法制审核人员)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema

from zhifa.accounts.selectors import is_business_user
from zhifa.core.pagination import paginate
from zhifa.rules import discretion, selectors, services
from zhifa.rules.errors import RulesError
from zhifa.rules.models import DataSource, LegalBasis, ViolationVersion
from zhifa.rules.params import all_params, procedure_param

router = Router(tags=["规则库"])


def _reader(request) -> Any:
    actor = request.auth
    if not is_business_user(actor):
        raise RulesError.FORBIDDEN.error(detail="规则库仅供执法人员、法制审核人员和执法部门负责人查阅")
    return actor


def _basis(b: LegalBasis) -> dict[str, Any]:
    return {
        "key": b.key,
        "law": b.law,
        "article": b.article,
        "paragraph": b.paragraph,
        "item": b.item,
        "label": b.label,
        "citation": str(b),
        "summary": b.summary,
        "version": b.version,
        "effective_from": b.effective_from,
        "effective_to": b.effective_to,
        "source": b.source,
        "confirmed": b.confirmed,
    }


def _version(v: ViolationVersion, *, full: bool = False) -> dict[str, Any]:
    out = {
        "code": v.code,
        "name": v.name,
        "category": v.category,
        "province": v.province,
        "effective_from": v.effective_from,
        "effective_to": v.effective_to,
        "penalty_kind": v.penalty_kind,
        "min_fen": v.min_fen,
        "max_fen": v.max_fen,
        "penalty_text": v.get_penalty_text(),
        "summary_allowed": v.summary_allowed,
        "severity": v.severity,
        "severity_source": v.severity_source,
        "confirmed": v.confirmed,
    }
    if full:
        out.update(
            violated=[_basis(b) for b in v.violated.all()],
            penalised=[_basis(b) for b in v.penalised.all()],
            penalty_detail=v.penalty_detail,
            other_sanctions=v.other_sanctions,
            party_kind=v.party_kind,
            tiers=v.tiers,
            tier_source=v.tier_source,
            exemptions=v.exemptions,
            note=v.note,
            reason=v.reason,
            source=v.source,
            created_by=v.created_by,
            version_id=v.pk,
        )
    return out


@router.get("/violations", summary="执法事项列表（按编码、名称、门类检索；返回指定日期施行的版本）")
def violations(
    request,
    q: str = "",
    category: str = "",
    on: date | None = None,
    province: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    qs = selectors.violations_current(_reader(request), on=on, province=province, q=q, category=category)
    return paginate(qs, page, page_size, _version)


@router.get(
    "/violations/{code}",
    summary="执法事项详情（指定日期、省份施行的版本，含条款、罚则、裁量阶次、免罚情形、版本历史）",
)
def violation(request, code: str, on: date | None = None, province: str | None = None):
    _reader(request)
    v = selectors.violation_get(code, on=on, province=province)
    out = _version(v, full=True)
    out["history"] = [
        _version(h) | {"version_id": h.pk, "reason": h.reason, "created_by": h.created_by}
        for h in selectors.violation_history(code)
    ]
    return out


class TierIn(Schema):
    tier: str
    conditions: str
    min_fen: int = 0
    max_fen: int = 0


class VersionIn(Schema):
    effective_from: date
    reason: str
    province: str = ""
    name: str | None = None
    min_fen: int | None = None
    max_fen: int | None = None
    summary_allowed: bool | None = None
    other_sanctions: list[str] | None = None
    tiers: list[TierIn] | None = None
    exemptions: list[dict] | None = None
    note: str | None = None
    severity: str | None = None  # minor 轻微 / general 一般 / serious 严重; "" = unclassified
    severity_source: str | None = None


@router.post(
    "/violations/{code}/versions",
    summary="发布执法事项新版本（法制审核人员；自生效日期起施行，不覆盖原版本）",
)
def violation_version_create(request, code: str, payload: VersionIn):
    data = payload.dict()
    changes = {
        k: v for k, v in data.items() if k not in ("effective_from", "reason", "province") and v is not None
    }
    version = services.violation_version_create(
        code=code,
        effective_from=payload.effective_from,
        reason=payload.reason,
        changes=changes,
        actor=request.auth,
        province=payload.province,
        source=DataSource.API,
    )
    return _version(version, full=True)


@router.get("/bases", summary="法律法规库（按法规名称、要旨检索）")
def bases(request, q: str = "", page: int = 1, page_size: int = 50):
    return paginate(selectors.legal_bases(_reader(request), q=q), page, page_size, _basis)


@router.get("/bases/{key}", summary="法律依据详情")
def basis(request, key: str):
    return _basis(selectors.legal_basis_get(_reader(request), key))


@router.get("/params", summary="程序参数列表（指定日期、省份施行的取值）")
def params(request, on: date | None = None, province: str | None = None):
    _reader(request)
    return [p.as_dict() for p in all_params(on=on, province=province)]


@router.get("/params/{name}", summary="程序参数（取值、单位、工作日/自然日、依据条款、说明）")
def param(request, name: str, on: date | None = None, province: str | None = None):
    _reader(request)
    return procedure_param(name, on=on, province=province).as_dict()


@router.get("/check/summary-procedure", summary="是否可适用简易程序（《行政处罚法》第五十一条）")
def check_summary(request, fine_fen: int, party_kind: str, warning: bool = False, on: date | None = None):
    _reader(request)
    d = discretion.summary_procedure_allowed(fine_fen=fine_fen, party_kind=party_kind, warning=warning, on=on)
    return {"allowed": d.ok, "reason": d.reason}


@router.get(
    "/check/overload-fine",
    summary="违法超限运输（总质量）罚款计算（《超限运输车辆行驶公路管理规定》第四十三条）",
)
def check_overload(request, excess_kg: int, on: date | None = None):
    _reader(request)
    r = discretion.overload_fine(excess_kg, on=on)
    return {
        "warning": r.amount == discretion.WARNING,
        "fine_fen": 0 if r.amount == discretion.WARNING else r.amount,
        "explanation": r.explanation,
    }


@router.get("/violations/{code}/tiers/{tier}", summary="裁量阶次的罚款范围及说明")
def tier_range(
    request,
    code: str,
    tier: str,
    on: date | None = None,
    province: str | None = None,
    illegal_income_fen: int | None = None,
):
    _reader(request)
    r = discretion.discretion_range(
        code, tier, on=on, province=province, illegal_income_fen=illegal_income_fen
    )
    return {"min_fen": r.min_fen, "max_fen": r.max_fen, "explanation": r.explanation}
