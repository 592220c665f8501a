from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict

from zhifa.core.identifiers import PlateColor
from zhifa.core.pagination import paginate
from zhifa.registry import selectors, services

router = Router(tags=["监管对象"])


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
    qs = selectors.enterprise_search(request.auth, q=q, business_type=business_type)
    return paginate(qs, page, page_size, _plain(EnterpriseOut))


@router.get("/enterprises/{pk}", response=EnterpriseOut, summary="企业详情")
def enterprise(request, pk: int):
    return get_object_or_404(selectors.enterprises_visible(request.auth), pk=pk)


@router.get("/vehicles", summary="车辆列表（按车牌号、道路运输证号检索）")
def vehicles(request, q: str = "", vehicle_type: str = "", plate_color: str = "", page: int = 1,
             page_size: int = 50):
    qs = selectors.vehicle_search(request.auth, q=q, vehicle_type=vehicle_type, plate_color=plate_color)
    return paginate(qs, page, page_size, _vehicle)


@router.get("/vehicles/{pk}", response=VehicleOut, summary="车辆详情")
def vehicle(request, pk: int):
    return _vehicle(get_object_or_404(selectors.vehicles_visible(request.auth), pk=pk))


@router.get("/persons", summary="自然人列表（身份证号码脱敏）")
def persons(request, q: str = "", page: int = 1, page_size: int = 50):
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
