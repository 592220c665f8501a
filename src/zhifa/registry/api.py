from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict

from zhifa.accounts.services import require_business
from zhifa.core.errors import CommonError
from zhifa.core.identifiers import PlateColor
from zhifa.core.pagination import paginate
from zhifa.registry import selectors, services

router = Router(tags=["监管对象"])
MAX_EXPIRING_DAYS = 36500


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    business_type: str
    legal_rep: str
    address: str
    status: str


class VehicleOut(Schema):
    id: int
    plate: str
    plate_color: str
    plate_color_label: str
    vehicle_type: str
    axle_count: int | None
    gross_mass_kg: int | None
    transport_cert_no: str
    enterprise_id: int | None
    enterprise_name: str | None
    status: str


class PersonOut(Schema):
    id: int
    name: str
    idcard_masked: str
    sex: str
    birth_date: date
    phone_masked: str
    employer_id: int | None


class LicenceOut(Schema):
    id: int
    kind: str
    number: str
    category: str
    issuing_authority: str
    valid_from: date
    valid_to: date
    status: str
    enterprise_id: int | None
    vehicle_id: int | None
    person_id: int | None


def _vehicle(v) -> dict:
    return {**{f: getattr(v, f) for f in VehicleOut.model_fields if hasattr(v, f)},
            "plate_color_label": PlateColor(v.plate_color).label,
            "enterprise_name": v.enterprise.name if v.enterprise_id else None}


def _plain(schema):
    return lambda o: schema.from_orm(o).dict()


@router.get("/enterprises", summary="企业列表")
def enterprises(request, q: str = "", business_type: str = "", page: int = 1, page_size: int = 50):
    require_business(request.auth)  # 三员分立: refused (403), not shown an empty list
    qs = selectors.enterprise_search(request.auth, q=q, business_type=business_type)
    return paginate(qs, page, page_size, _plain(EnterpriseOut))


@router.get("/enterprises/{pk}", response=EnterpriseOut, summary="企业详情")
def enterprise(request, pk: int):
    return get_object_or_404(selectors.enterprises_visible(request.auth), pk=pk)


@router.get("/vehicles", summary="车辆列表（按车牌号、道路运输证号检索）")
def vehicles(request, q: str = "", vehicle_type: str = "", plate_color: str = "", page: int = 1,
             page_size: int = 50):
    require_business(request.auth)  # 三员分立: refused (403), not shown an empty list
    qs = selectors.vehicle_search(request.auth, q=q, vehicle_type=vehicle_type, plate_color=plate_color)
    return paginate(qs, page, page_size, _vehicle)


@router.get("/vehicles/{pk}", response=VehicleOut, summary="车辆详情")
def vehicle(request, pk: int):
    return _vehicle(get_object_or_404(selectors.vehicles_visible(request.auth), pk=pk))


@router.get("/persons", summary="自然人列表（身份证号码脱敏）")
def persons(request, q: str = "", page: int = 1, page_size: int = 50):
    require_business(request.auth)  # 三员分立: refused (403), not shown an empty list
    return paginate(selectors.person_search(request.auth, q=q), page, page_size, _plain(PersonOut))


@router.get("/persons/{pk}", response=PersonOut, summary="自然人详情（身份证号码脱敏）")
def person(request, pk: int):
    return get_object_or_404(selectors.persons_visible(request.auth), pk=pk)


class RevealOut(Schema):
    idcard: str


@router.post("/persons/{pk}/reveal-idcard", response=RevealOut, summary="查看完整身份证号码（记入审计）")
def person_reveal(request, pk: int):
    p = get_object_or_404(selectors.persons_visible(request.auth), pk=pk)
    return {"idcard": services.person_idcard_reveal(person=p, actor=request.auth)}


@router.get("/licences", summary="证照列表")
def licences(request, q: str = "", kind: str = "", expiring_within: int | None = None, page: int = 1,
             page_size: int = 50):
    require_business(request.auth)  # 三员分立: refused (403), not shown an empty list
    if expiring_within is not None and not 0 <= expiring_within <= MAX_EXPIRING_DAYS:
        # today + 10**8 days is past the calendar's year 9999 (OverflowError, a 500): issue 16 item 8
        raise CommonError.INVALID.error(detail=f"expiring_within 应在 0 到 {MAX_EXPIRING_DAYS} 天之间",
                                        fields={"expiring_within": "超出范围"})
    qs = selectors.licence_search(request.auth, q=q, kind=kind, expiring_within=expiring_within)
    return paginate(qs, page, page_size, _plain(LicenceOut))


class SaveOut(Schema):
    result: str
    message: str


class SubjectIn(BaseModel):
    """Field names as in the import templates (e.g. plate, plate_color, vehicle_type, enterprise_uscc)."""

    model_config = ConfigDict(extra="allow")


def _save_route(kind: str, label: str):
    def save(request, payload: SubjectIn):
        data = {k: v for k, v in payload.model_dump().items()
                if v is None or isinstance(v, str | int | float) and not isinstance(v, bool)}
        result = services.subject_save(kind=kind, data=data, actor=request.auth)
        return {"result": result, "message": services.RESULT_LABEL[result]}

    save.__name__ = f"save_{kind}"
    router.put(f"/{kind}", response=SaveOut, summary=f"按自然键新增或更新{label}",
               description="返回 created（新增）/ updated（更新）/ unchanged（未变化）；校验失败返回 422 及字段错误。",
               operation_id=f"registry_save_{kind}")(save)


for _kind, _label in (("enterprises", "企业（统一社会信用代码）"), ("persons", "自然人（身份证号码）"),
                      ("vehicles", "车辆（车牌号+颜色）"), ("licences", "证照（类型+证号）")):
    _save_route(_kind, _label)


class PermitDecisionOut(Schema):
    id: int
    licence_id: int
    action: str
    action_label: str
    doc_name: str
    doc_no: str
    certificate_name: str
    certificate_no: str
    category: str
    category_label: str
    content: str
    decided_on: date
    valid_from: date | None
    valid_to: date | None
    authority: str
    authority_uscc: str
    reason: str
    basis: str
    status_after: str
    appeal_doc_no: str


def _decision(d) -> dict:
    return {
        **{f: getattr(d, f) for f in PermitDecisionOut.model_fields if hasattr(d, f) and f != "authority"},
        "action_label": d.get_action_display(),
        "category_label": d.get_category_display(),
        "authority": d.authority.name,
        "authority_uscc": d.authority.uscc,
    }


class PermitDecisionIn(BaseModel):
    """``action``: grant 准予许可 / change 准予变更 / renewal 准予延续 / cancel 注销 / annul 撤销 / revoke 吊销 /
    suspend 暂扣 / return 发还 / restore 恢复.
    Other fields as strings: doc_no, doc_name, permit_category (01–06), content, decided_on, valid_from,
    valid_to, reason, holder_fault, suspend_until (暂扣), early (期满前发还), appeal_doc_no (恢复: the 复议决定书/判决书
    that revoked the 吊销, required); for grant the licence fields kind, number, holder_uscc / holder_plate +
    holder_plate_color / holder_idcard + category."""

    model_config = ConfigDict(extra="allow")
    action: str
    licence_id: int | None = None
    authority_id: int | None = None


@router.post(
    "/permit-decisions",
    response={201: PermitDecisionOut},
    summary="记录行政许可决定（准予许可、变更、延续、注销、撤销、暂扣、发还、吊销、恢复）",
    description="准予许可创建证照；变更、延续、注销、撤销、暂扣、发还、吊销、恢复作用于 licence_id 指定的证照。准予许可、变更、"
    "延续决定自动生成双公示行政许可记录（7个工作日内公示），其后的变更、注销、撤销、吊销决定撤回原决定的公示记录"
    "（3个工作日内）；暂扣（须填 suspend_until）与发还不撤回许可公示。吊销决定经复议、诉讼撤销的作出恢复决定"
    "（须填 appeal_doc_no），原许可公示记录重新公示，吊销的信用记录作废。决定记入信用档案。"
    "校验失败返回 422，不允许的决定返回 409，均附中文说明。",
)
def permit_decision_create(request, payload: PermitDecisionIn):
    actor = request.auth
    licence = None
    if payload.licence_id is not None:
        licence = get_object_or_404(selectors.licences_visible(actor), pk=payload.licence_id)
    authority = None
    if payload.authority_id is not None:
        authority = next(
            (a for a in services.permit_authorities(actor.org) if a.pk == payload.authority_id), None
        ) if actor.org_id else None
        if authority is None:
            raise services.RegistryError.INVALID.error(
                detail="许可机关应为本单位或其上级交通运输主管部门", fields={"authority_id": "无效"}
            )
    data = {k: ("" if v is None else str(v)) for k, v in payload.model_dump().items()
            if k not in ("action", "licence_id", "authority_id")}
    d = services.permit_decide(action=payload.action, data=data, actor=actor, licence=licence, authority=authority)
    return 201, _decision(d)


@router.get("/licences/{pk}/decisions", response=list[PermitDecisionOut], summary="证照的行政许可决定（新到旧）")
def licence_decisions(request, pk: int):
    lic = get_object_or_404(selectors.licences_visible(request.auth), pk=pk)
    return [_decision(d) for d in selectors.permit_decisions(request.auth, licence=lic)]
