"""投诉举报 API (token or session): the city's 12345 / 12328 platform pushes work orders (idempotent on its
order number), moves them (the same table of moves as the pages), and takes back replies and results in
its own shape. Every read is scoped to the caller's jurisdiction; the complainant is masked."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.http import Http404
from ninja import Router, Schema
from pydantic import Field

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.services import require_business

from . import selectors, services
from .importers import export_rows

try:  # django-ninja >= 1.5; older releases take a (status, body) tuple
    from ninja import Status
except ImportError:  # pragma: no cover

    def Status(code, body):  # noqa: N802
        return code, body


router = Router(tags=["投诉举报"])


class ComplaintOrderIn(Schema):
    channel: str = Field("12345", description="渠道：12345、12328、letter、visit、portal、walk_in、phone、transfer")
    external_no: str = Field("", description="平台工单编号（重复推送按此去重）")
    category: str = Field("complaint", description="complaint 投诉、report 举报、consult 咨询、suggest 建议、help 求助、praise 表扬")
    title: str = ""
    content: str
    received_on: date
    name: str = Field("", description="诉求人姓名（加密保存）")
    phone: str = Field("", description="联系电话（加密保存）")
    subject_text: str = ""
    place: str = ""
    lat: float | None = None
    lng: float | None = None
    occurred_at: datetime | None = None
    urgency: str = "normal"


class ComplaintOrderOut(Schema):
    id: int
    number: str
    external_no: str
    channel: str
    category: str
    state: str
    state_label: str
    title: str
    received_on: date
    due: date | None
    complainant: str
    reply_text: str
    replied_on: date | None
    closed_on: date | None
    satisfaction: str
    case_outcome_text: str
    created: bool = False


class ComplaintActionIn(Schema):
    action: str = Field(..., description="accept、refuse、dispatch、handle、extend、reply、revisit、redo、close、archive、merge")
    on: date | None = None
    data: dict = Field(default_factory=dict, description="理由 reason、答复 reply_text、满意度 satisfaction、单位 org_id、延期 days 等")


def _out(o, created: bool = False) -> dict:
    return {"id": o.pk, "number": o.number, "external_no": o.external_no, "channel": o.channel,
            "category": o.category, "state": o.state, "state_label": o.get_state_display(), "title": o.title,
            "received_on": o.received_on, "due": o.due,
            "complainant": "匿名" if o.anonymous else o.name_masked, "reply_text": o.reply_text,
            "replied_on": o.replied_on, "closed_on": o.closed_on, "satisfaction": o.satisfaction,
            "case_outcome_text": o.case_outcome_text, "created": created}


def _find(request, ref: str):
    o = selectors.orders_visible(request.user).filter(Q(number=ref) | Q(external_no=ref)).first()
    if o is None:
        raise Http404
    return o


@router.post("/orders", response={200: ComplaintOrderOut, 201: ComplaintOrderOut}, url_name="complaints_api_order_create",
             summary="接收工单（按平台工单编号去重）")
def order_create(request, payload: ComplaintOrderIn):
    require_business(request.user)
    o, created = services.order_create(
        actor=request.user, org=jurisdiction_of(request.user.org), channel=payload.channel,
        external_no=payload.external_no, category=payload.category, title=payload.title, content=payload.content,
        received_on=payload.received_on, complainant=services.Complainant(payload.name, payload.phone),
        anonymous=not (payload.name or payload.phone), subject_text=payload.subject_text, place=payload.place,
        lat=payload.lat, lng=payload.lng, occurred_at=payload.occurred_at, urgency=payload.urgency)
    return Status(201 if created else 200, _out(o, created))


@router.get("/orders/{ref}", response=ComplaintOrderOut, url_name="complaints_api_order_get", summary="查询工单（工单号或平台工单编号）")
def order_get(request, ref: str):
    return _out(_find(request, ref))


@router.post("/orders/{ref}/actions", response=ComplaintOrderOut, url_name="complaints_api_order_act",
             summary="办理工单（受理、转办、答复、回访、办结等）")
def order_act(request, ref: str, payload: ComplaintActionIn):
    o = services.order_transition(order=_find(request, ref), action=payload.action, actor=request.user,
                                  data=payload.data, on=payload.on)
    return _out(o)


@router.get("/replies", response=list[dict], url_name="complaints_api_replies",
            summary="导出答复与办理结果（平台格式：导入所用各列，另加办理状态、办理单位、办理结果、答复时间、办结时间、满意度）")
def replies(request, since: date | None = None, until: date | None = None, channel: str = "12345"):
    qs = selectors.orders_for_platform(selectors.orders_visible(request.user), date_from=since, date_to=until,
                                       channel=channel, by="replied")
    header, rows = export_rows(qs[:5000])
    return [dict(zip(header, row, strict=True)) for row in rows]
