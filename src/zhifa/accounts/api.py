from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zhifa.accounts import selectors, services
from zhifa.accounts.models import Officer
from zhifa.core.errors import CommonError
from zhifa.core.pagination import paginate

router = Router(tags=["机构与人员"])


class MeOut(Schema):
    username: str
    display_name: str
    org: str | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="当前账户")
def me(request):
    u = request.auth
    return {"username": u.username, "display_name": u.display_name, "org": str(u.org) if u.org else None,
            "roles": sorted(u.role_codes())}


class CertificateOut(Schema):
    number: str
    issuing_authority: str
    field: str
    valid_from: date
    valid_to: date
    review_status: str
    withdrawn_on: date | None


class OfficerOut(Schema):
    id: int
    name: str
    org: str
    idcard_masked: str
    position: str
    status: str
    can_enforce: bool
    reasons: list[str]
    certificates: list[CertificateOut]


def _officer_out(o: Officer, on: date) -> dict:
    e = selectors.officer_can_enforce(o, on=on)
    return {"id": o.pk, "name": o.name, "org": str(o.org), "idcard_masked": o.idcard_masked,
            "position": o.position, "status": o.status, "can_enforce": e.ok, "reasons": e.reasons,
            "certificates": list(o.certificates.all())}


def _business(request):
    if not selectors.is_business_user(request.auth):
        raise CommonError.FORBIDDEN.error(detail="仅业务角色可查看执法人员")


@router.get("/officers", summary="执法人员列表（本单位及下级）")
def officers(request, q: str = "", page: int = 1, page_size: int = 50, on: date | None = None):
    _business(request)
    on = on or date.today()
    qs = selectors.officers_visible(request.auth).prefetch_related("certificates")
    if q:
        qs = qs.filter(name__contains=q)
    return paginate(qs, page, page_size, lambda o: OfficerOut(**_officer_out(o, on)).dict())


@router.get("/officers/{officer_id}", response=OfficerOut, summary="执法人员详情与执法资格")
def officer_detail(request, officer_id: int, on: date | None = None):
    _business(request)
    o = get_object_or_404(selectors.officers_visible(request.auth), pk=officer_id)
    return _officer_out(o, on or date.today())


class OfficerIn(Schema):
    org_id: int
    name: str
    idcard: str
    position: str = ""


@router.post("/officers", response={201: OfficerOut}, summary="新增执法人员")
def officer_create(request, payload: OfficerIn):
    _business(request)
    org = selectors.orgs_visible(request.auth).filter(pk=payload.org_id).first()
    if org is None:
        raise CommonError.NOT_FOUND.error(what="单位")
    o = services.officer_create(org=org, name=payload.name, idcard=payload.idcard, position=payload.position,
                                actor=request.auth)
    return 201, _officer_out(o, date.today())


class CertificateIn(Schema):
    number: str
    issuing_authority: str
    field: str
    valid_from: date
    valid_to: date


@router.post("/officers/{officer_id}/certificates", response={201: CertificateOut}, summary="登记执法证")
def certificate_add(request, officer_id: int, payload: CertificateIn):
    _business(request)
    o = get_object_or_404(selectors.officers_visible(request.auth), pk=officer_id)
    cert = services.certificate_add(officer=o, actor=request.auth, **payload.dict())
    return 201, cert
