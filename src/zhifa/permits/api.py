"""行政许可 API (token or session), read-only: the catalogue in force, an application's state and clocks, and
the 告知承诺 post-checks due — the list a 双随机 client or the province's platform draws from. Every read is
scoped to the caller's jurisdiction."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.services import require_business

from . import selectors

router = Router(tags=["行政许可"])


class PermitItemOut(Schema):
    code: str
    name: str
    kind_label: str
    level_label: str
    legal_basis: str
    legal_days: int
    promised_days: int
    tiers: list
    fee_fen: int
    pledge_allowed: bool
    version_from: date
    materials: list[str]


class PermitApplicationOut(Schema):
    number: str
    item: str
    state_label: str
    received_on: date
    accepted_on: date | None
    deemed_accepted: bool
    decision_due: date | None
    decided_on: date | None
    decision_no: str
    issued_on: date | None
    pledge: bool
    postcheck_due: date | None


def _app_out(a) -> dict:
    return {
        "number": a.number,
        "item": a.item.name,
        "state_label": a.get_state_display(),
        "received_on": a.received_on,
        "accepted_on": a.accepted_on,
        "deemed_accepted": a.deemed_accepted,
        "decision_due": a.decision_due,
        "decided_on": a.decided_on,
        "decision_no": a.decision_no,
        "issued_on": a.issued_on,
        "pledge": a.pledge,
        "postcheck_due": a.postcheck_due,
    }


@router.get("/items", response=list[PermitItemOut], url_name="permits_api_items", summary="现行许可事项目录")
def items(request):
    require_business(request.user)
    return [
        {
            "code": i.code,
            "name": i.name,
            "kind_label": i.get_kind_display(),
            "level_label": i.get_level_display(),
            "legal_basis": i.legal_basis,
            "legal_days": i.legal_days,
            "promised_days": i.promised_days,
            "tiers": i.tiers,
            "fee_fen": i.fee_fen,
            "pledge_allowed": i.pledge_allowed,
            "version_from": i.version_from,
            "materials": i.material_list(),
        }
        for i in selectors.items_current(timezone.localdate())
    ]


@router.get(
    "/applications/{number}",
    response=PermitApplicationOut,
    url_name="permits_api_application",
    summary="查询许可申请（申请编号）",
)
def application(request, number: str):
    require_business(request.user)
    a = selectors.applications_visible(request.user).filter(number=number).first()
    if a is None:
        raise Http404
    return _app_out(a)


@router.get(
    "/postchecks-due",
    response=list[PermitApplicationOut],
    url_name="permits_api_postchecks",
    summary="到期待核查的告知承诺（双随机抽取名单）",
)
def postchecks_due(request, on: date | None = None):
    require_business(request.user)
    org = jurisdiction_of(request.user.org)
    return [_app_out(a) for a in selectors.postchecks_due(org, on=on or timezone.localdate())]
