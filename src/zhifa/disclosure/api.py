"""Internal API (/api/v1/disclosure/): the actor's records and the board."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from zhifa.accounts.services import require_business
from zhifa.core.pagination import page_window

from . import selectors, services

router = Router(tags=["双公示"])


class RecordOut(Schema):
    id: int
    kind: str
    state: str
    source_repr: str
    decided_on: date
    publish_due: date
    published_on: date | None
    publish_until: date | None
    severity: str
    hold_reason: str


def _actor(request):
    """The signed-in or token user; the 三员 (and accounts without a business role) are refused with 403."""
    actor = request.auth if getattr(request, "auth", None) else request.user
    require_business(actor)
    return actor


@router.get("/records", response=list[RecordOut], summary="本单位公示记录")
def records(request, state: str = "", page: int = 1, page_size: int = 50):
    qs = selectors.records_visible(_actor(request))
    if state:
        qs = qs.filter(state=state)
    page_size = min(max(1, page_size), 200)
    offset, _ = page_window(max(1, page), page_size)
    return list(qs.order_by("-decided_on", "-id")[offset : offset + page_size])


@router.post("/records/{record_id}/publish", response=RecordOut, summary="公示（数据项不全时拒绝并说明缺项）")
def publish(request, record_id: int):
    actor = _actor(request)
    rec = get_object_or_404(selectors.records_visible(actor), pk=record_id)
    return services.disclosure_record_publish(record=rec, on=timezone.localdate(), actor=actor)
