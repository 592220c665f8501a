"""治超 API: stations push record batches (idempotent on station + record id); leads, review, fine."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from zhifa.accounts.services import require_business
from zhifa.core.errors import CommonError
from zhifa.core.pagination import paginate

from . import rules, selectors, services

router = Router(tags=["治超"])
MAX_BATCH = 5000


class WeighingIn(BaseModel):
    """One WIM record; keys as the CSV header (record_id, station_code, passed_at, plate, …). Unknown keys
    are kept."""

    model_config = ConfigDict(extra="allow")


class BatchIn(Schema):
    records: list[WeighingIn] = Field(..., description=f"最多 {MAX_BATCH} 条")


class BatchOut(Schema):
    batch_id: int
    received: int
    stored: int
    already_present: int
    rejected: int
    leads_created: int
    errors: list[dict[str, Any]]


class OverloadLeadOut(Schema):
    id: int
    station_code: str
    record_id: str
    passed_at: datetime
    plate: str
    plate_color: str
    axle_count: int
    gross_kg: int
    limit_kg: int
    tolerance_kg: int
    excess_kg: int
    excess_pct: float
    rule: str
    reason: str
    status: str
    case_source_id: int | None
    fine: dict
    driver_id: int | None = None
    decided_on: date | None = None


class OverloadReviewIn(Schema):
    reason: str = ""


class ConfirmIn(Schema):
    reason: str = ""
    driver_idcard: str = Field("", description="驾驶人身份证号码（须已在监管对象中登记；按盲索引匹配）")
    driver_id: int | None = Field(None, description="或：驾驶人在监管对象中的编号")


class StationIn(Schema):
    code: str
    name: str
    kind: str = "roadside"
    route: str = ""
    chainage: str = ""
    direction: str = ""
    lanes: int = 2
    device_type: str = "quartz"
    device_no: str = ""
    accuracy_class: str
    cert_no: str = ""
    cert_valid_from: date | None = None
    cert_valid_to: date | None = None
    plate_code_set: str = "toll"
    source_enterprise_uscc: str = Field("", description="货运源头称重点所属货运源头单位的统一社会信用代码")


class StationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    route: str
    source_enterprise_id: int | None
    source_enterprise_name: str


def _lead(lead) -> dict:
    return {
        "id": lead.pk,
        "station_code": lead.station.code,
        "record_id": lead.record_id,
        "passed_at": lead.passed_at,
        "plate": lead.plate,
        "plate_color": lead.plate_color,
        "axle_count": lead.axle_count,
        "gross_kg": lead.gross_kg,
        "limit_kg": lead.limit_kg,
        "tolerance_kg": lead.tolerance_kg,
        "excess_kg": lead.excess_kg,
        "excess_pct": float(lead.excess_pct),
        "rule": lead.rule,
        "reason": lead.reason,
        "status": lead.status,
        "case_source_id": lead.case_source_id,
        "fine": lead.fine,
        "driver_id": lead.driver_id,
        "decided_on": lead.decided_on,
    }


def _station(s) -> dict:
    return {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "kind": s.kind,
        "route": s.route,
        "source_enterprise_id": s.source_enterprise_id,
        "source_enterprise_name": s.source_enterprise.name if s.source_enterprise_id else "",
    }


@router.post("/stations", response=StationOut, summary="登记或修改检测点（负责人或法制审核人员；源头称重点关联货运源头单位）")
def station_save(request, payload: StationIn):
    require_business(request.auth)
    data = payload.dict()
    s = services.station_save(code=data.pop("code"), org=request.auth.org, actor=request.auth, **data)
    return _station(s)


@router.post("/records", response=BatchOut, summary="检测点推送检测记录（按 检测点+流水号 幂等）")
def push_records(request, payload: BatchIn):
    if len(payload.records) > MAX_BATCH:
        raise CommonError.INVALID.error(detail=f"每批最多 {MAX_BATCH} 条", fields={"records": "过多"})
    actor = request.auth
    batch = services.ingest_records(
        records=[r.model_dump() for r in payload.records], actor=actor, org=actor.org
    )
    return {
        "batch_id": batch.pk,
        "received": batch.received,
        "stored": batch.stored,
        "already_present": batch.already_present,
        "rejected": batch.rejected,
        "leads_created": batch.leads_created,
        "errors": batch.errors,
    }


@router.get("/leads", summary="超限待审核/已审核记录")
def leads(request, status: str = "", q: str = "", page: int = 1, page_size: int = 50):
    require_business(request.auth)
    return paginate(selectors.leads_visible(request.auth, status=status, q=q), page, page_size, _lead)


@router.get("/leads/{pk}", response=OverloadLeadOut, summary="超限记录详情")
def lead(request, pk: int):
    return _lead(get_object_or_404(selectors.leads_visible(request.auth), pk=pk))


@router.post("/leads/{pk}/confirm", response=OverloadLeadOut, summary="审核确认，转为案源（行政处罚法第四十一条）")
def lead_confirm(request, pk: int, payload: ConfirmIn):
    obj = get_object_or_404(selectors.leads_visible(request.auth), pk=pk)
    driver = services.driver_resolve(actor=request.auth, driver_id=payload.driver_id, idcard=payload.driver_idcard)
    return _lead(services.lead_confirm(lead=obj, actor=request.auth, reason=payload.reason, driver=driver))


@router.post("/leads/{pk}/reject", response=OverloadLeadOut, summary="审核排除")
def lead_reject(request, pk: int, payload: OverloadReviewIn):
    obj = get_object_or_404(selectors.leads_visible(request.auth), pk=pk)
    return _lead(services.lead_reject(lead=obj, actor=request.auth, reason=payload.reason))


@router.get("/fine", summary="第四十三条拟罚款")
def fine(request, excess_kg: int, rounding: str = ""):
    require_business(request.auth)
    if excess_kg < 0:
        raise CommonError.INVALID.error(detail="超限质量不能为负数", fields={"excess_kg": "不能为负数"})
    return rules.fine_proposal(
        excess_kg, rounding=rounding if rounding in ("floor", "ceil") else None
    ).as_dict()
