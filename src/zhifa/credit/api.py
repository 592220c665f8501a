"""Internal credit API (/api/v1/credit/): measures and grades for other systems; 信用修复 (apply, decide,
list) with the same checks as the pages (36号令 第十条 conditions, 谁认定、谁修复, business roles only)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from zhifa.accounts.services import require_business
from zhifa.core.pagination import paginate

from . import selectors, services

router = Router(tags=["信用"])


@router.get("/measures", summary="信用主体当日适用的联合奖惩措施（业务角色；名单生效即在各辖区适用）")
def measures(request, subject_ref: str, on: date | None = None):
    require_business(request.auth)
    return selectors.credit_measures_for(subject_ref, on=on or timezone.localdate())


class RepairApplyIn(Schema):
    record_id: int = Field(..., description="失信信用记录编号")
    applicant: str = Field("", description="申请人（默认信用主体名称）")
    pledge: str = Field(..., description="信用承诺书（第十条第三项）")
    proof: str = Field(..., description="已纠正失信行为、履行义务的证明（第十条第二项）")
    obligations_met: bool = Field(False, description="已纠正失信行为并履行全部义务")


class RepairDecideIn(Schema):
    approve: bool
    reasons: str = Field(..., description="决定理由")


class RepairOut(Schema):
    id: int
    record_id: int
    subject_ref: str
    subject_name: str
    applicant: str
    applied_on: date
    state: str
    state_label: str
    decided_on: date | None
    decided_by: str
    reasons: str
    record_status: str


def _repair(app) -> dict:
    return {
        "id": app.pk,
        "record_id": app.record_id,
        "subject_ref": app.record.subject_ref,
        "subject_name": app.record.subject_name,
        "applicant": app.applicant,
        "applied_on": app.applied_on,
        "state": app.state,
        "state_label": app.get_state_display(),
        "decided_on": app.decided_on,
        "decided_by": app.decided_by,
        "reasons": app.reasons,
        "record_status": app.record.status,
    }


@router.get("/repairs", summary="信用修复申请（本辖区；业务角色）")
def repairs(request, state: str = "", page: int = 1, page_size: int = 50):
    require_business(request.auth)
    qs = selectors.repairs_visible(request.auth)
    if state:
        qs = qs.filter(state=state)
    return paginate(qs, page, page_size, _repair)


@router.post("/repairs", response={201: RepairOut}, summary="登记信用修复申请（《信用修复管理办法》第十条）")
def repair_apply(request, payload: RepairApplyIn):
    require_business(request.auth)
    rec = get_object_or_404(selectors.records_visible(request.auth), pk=payload.record_id)
    app = services.credit_repair_apply(
        record=rec,
        applicant=payload.applicant or rec.subject_name,
        pledge=payload.pledge,
        proof=payload.proof,
        obligations_met=payload.obligations_met,
        on=timezone.localdate(),
        actor=request.auth,
        on_behalf=True,
    )
    return 201, _repair(app)


@router.post("/repairs/{pk}/decide", response=RepairOut, summary="作出信用修复决定（负责人或法制审核人员）")
def repair_decide(request, pk: int, payload: RepairDecideIn):
    require_business(request.auth)
    app = get_object_or_404(selectors.repairs_visible(request.auth), pk=pk)
    app = services.credit_repair_decide(
        application=app,
        approve=payload.approve,
        reasons=payload.reasons,
        on=timezone.localdate(),
        actor=request.auth,
    )
    app.refresh_from_db()
    app.record.refresh_from_db()
    return _repair(app)
