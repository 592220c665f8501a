"""REST API of 两客一危 monitoring under /api/v1/monitoring/."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from zhifa.accounts.services import require_business
from zhifa.core.errors import CommonError
from zhifa.core.pagination import paginate

from . import selectors, services

router = Router(tags=["两客一危动态监控"])


class PositionIn(Schema):
    plate: str
    plate_color: str
    ts: str | int
    lon: float | None = None
    lat: float | None = None
    speed_kmh: float | None = None
    heading: int | None = None
    altitude_m: int | None = None
    alarm: int | None = None
    status: int | None = None
    mileage_km: float | None = None


class RowErrorOut(Schema):
    row: int
    plate: str
    reason: str


class IngestOut(Schema):
    received: int
    stored: int
    duplicates: int
    rejected: int
    errors: list[RowErrorOut]


class RunIn(Schema):
    month: str
    engine: str = "duckdb"


class RunOut(Schema):
    id: int
    month: str
    engine: str
    org: str
    summary: dict
    enterprises: list


class MonitoringLeadOut(Schema):
    id: int
    plate: str
    plate_color: str
    enterprise_name: str
    type: str
    type_label: str
    start_at: datetime
    end_at: datetime
    duration_s: int
    max_speed_kmh: float | None
    detail: str
    status: str
    case_source_id: int | None


class MonitoringReviewIn(Schema):
    decision: str
    note: str = ""


class TerminalIn(Schema):
    terminal_no: str
    vehicle_id: int
    auth_code: str = ""


class TerminalOut(Schema):
    terminal_no: str
    vehicle_id: int
    auth_code: str


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "month": run.month,
        "engine": run.engine,
        "org": str(run.org),
        "summary": run.summary,
        "enterprises": run.enterprises,
    }


def _lead_out(lead) -> dict:
    return {f: getattr(lead, f) for f in MonitoringLeadOut.model_fields}


@router.post("/positions", response=IngestOut, summary="批量上传定位数据")
def positions(request: HttpRequest, rows: list[PositionIn]):
    """Rows whose vehicle is not registered in the caller's jurisdiction are refused one by one (listed in
    ``errors`` with their row number from 1); the other rows are stored."""
    require_business(request.user)
    res = services.positions_ingest(rows=[r.dict() for r in rows], actor=request.user)
    return {
        "received": res.received,
        "stored": res.stored,
        "duplicates": res.duplicates,
        "rejected": res.rejected,
        "errors": res.row_errors,
    }


@router.post("/runs", response=RunOut, summary="计算月度指标与违规（可重复执行）")
def run_create(request: HttpRequest, data: RunIn):
    require_business(request.user)
    if request.user.org_id is None:
        raise CommonError.FORBIDDEN.error(detail="账户未关联单位")
    return _run_out(
        services.monthly_run(org=request.user.org, month=data.month, engine=data.engine, actor=request.user)
    )


@router.get("/runs", response=list[RunOut], summary="月度统计列表")
def run_list(request: HttpRequest):
    require_business(request.user)  # 三员分立: refused (403), not shown an empty list
    return [_run_out(r) for r in selectors.runs_visible(request.user)[:60]]


@router.get("/runs/{month}", response=RunOut, summary="某月统计")
def run_detail(request: HttpRequest, month: str):
    require_business(request.user)
    return _run_out(selectors.run_get(request.user, month))


@router.get("/leads", summary="违规线索")
def lead_list(
    request: HttpRequest, status: str = "", type: str = "", q: str = "", page: int = 1, page_size: int = 50
):
    require_business(request.user)  # 三员分立: refused (403), not shown an empty list
    qs = selectors.leads_visible(request.user, status=status, type=type, q=q)
    return paginate(qs, page, page_size, _lead_out)


@router.post("/leads/{lead_id}/review", response=MonitoringLeadOut, summary="审核违规线索：通知整改、转案源或不予处理")
def lead_review(request: HttpRequest, lead_id: int, data: MonitoringReviewIn):
    require_business(request.user)
    lead = selectors.lead_get(request.user, lead_id)
    return _lead_out(
        services.lead_review(lead=lead, decision=data.decision, note=data.note, actor=request.user)
    )


@router.post("/terminals", response=TerminalOut, summary="绑定车载终端")
def terminal_bind(request: HttpRequest, data: TerminalIn):
    require_business(request.user)
    vehicle = selectors.vehicle_get(request.user, data.vehicle_id)
    t = services.terminal_bind(
        terminal_no=data.terminal_no, vehicle=vehicle, auth_code=data.auth_code, actor=request.user
    )
    return {"terminal_no": t.terminal_no, "vehicle_id": t.vehicle_id, "auth_code": t.auth_code}
