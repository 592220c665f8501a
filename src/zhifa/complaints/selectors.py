"""Reads of 投诉举报, scoped by the actor's jurisdiction (another county's order is a 404)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, scope_q

from . import rules
from .enums import OPEN_STATES, State
from .models import OrderEvent, WorkOrder


def orders_visible(actor: User) -> QuerySet[WorkOrder]:
    if not is_business_user(actor):
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(scope_q(actor, jurisdiction=True)).select_related("org")


def order_search(actor: User, *, q: str = "", state: str = "", channel: str = "", category: str = "",
                 org: str = "", month: str = "", overdue: bool = False, today: date | None = None
                 ) -> QuerySet[WorkOrder]:
    qs = orders_visible(actor)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(external_no__icontains=q) | Q(title__icontains=q)
                       | Q(subject_text__icontains=q) | Q(place__icontains=q))
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    if category:
        qs = qs.filter(category=category)
    if org.isdigit():
        qs = qs.filter(org_id=int(org))
    if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        qs = qs.filter(received_on__year=int(month[:4]), received_on__month=int(month[5:]))
    if overdue:
        qs = qs.filter(state__in=OPEN_STATES, due__lt=today or date.today())
    return qs


def orders_for_platform(qs: QuerySet[WorkOrder], *, date_from: date | None = None, date_to: date | None = None,
                        channel: str = "12345", by: str = "received") -> QuerySet[WorkOrder]:
    """Orders to send back to a city platform (``qs`` already scoped): of ``channel`` ("" = all), received —
    or with ``by="replied"``, answered — within the dates (both ends included), in that order."""
    field = "replied_on" if by == "replied" else "received_on"
    if channel:
        qs = qs.filter(channel=channel)
    if by == "replied":
        qs = qs.filter(replied_on__isnull=False)
    if date_from:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__lte": date_to})
    return qs.select_related("org", "enterprise", "vehicle", "person").order_by(field, "pk")


def order_get(actor: User, pk: int) -> WorkOrder:
    o = orders_visible(actor).select_related("handler", "case_source", "merged_into", "received_org").filter(
        pk=pk).first()
    if o is None:
        raise Http404("工单不存在或无权查看")
    return o


def timeline(order: WorkOrder) -> QuerySet[OrderEvent]:
    return order.events.all()


def todos(actor: User) -> dict[str, QuerySet[WorkOrder]]:
    """The 工作台's complaint groups: a head's unit orders waiting for 受理 (or 办结 after 回访); every business
    user's own orders (as handler) still to handle."""
    qs = orders_visible(actor).only("id", "number", "title", "category", "state", "due", "ack_due", "org_id",
                                    "handler_id").order_by("due", "pk")
    out: dict[str, QuerySet[WorkOrder]] = {}
    if actor.has_role("head"):
        out["complaints_new"] = qs.filter(state=State.RECEIVED)
    out["complaints_mine"] = qs.filter(handler=actor, state__in=[State.ACCEPTED, State.DISPATCHED, State.HANDLING,
                                                                 State.REPLIED, State.REVISITED])
    return out


def _distance_m(lat1, lng1, lat2, lng2) -> float:
    """Haversine distance in metres."""
    r = 6371000.0
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def near_duplicates(*, category: str, lat, lng, on: date, place: str = "", exclude_pk: int | None = None,
                    org=None, limit: int = 5) -> list[tuple[WorkOrder, int]]:
    """Open orders of the same category within the configured metres and days of a point (or, without a
    point, at the same place text): offered for 并单 (FixMyStreet shows nearby reports before a new one)."""
    metres, days = rules.duplicate_window()
    qs = WorkOrder.objects.filter(category=category, received_on__gte=on - timedelta(days=days),
                                  received_on__lte=on, merged_into__isnull=True).exclude(
        state__in=[State.REFUSED, State.MERGED, State.ARCHIVED])
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    found: list[tuple[WorkOrder, int]] = []
    if lat not in (None, "") and lng not in (None, ""):
        dlat = metres / 111000.0
        dlng = metres / (111000.0 * max(math.cos(math.radians(float(lat))), 0.01))
        box = qs.filter(lat__gte=float(lat) - dlat, lat__lte=float(lat) + dlat,
                        lng__gte=float(lng) - dlng, lng__lte=float(lng) + dlng)
        for o in box[:200]:
            d = _distance_m(lat, lng, o.lat, o.lng)
            if d <= metres:
                found.append((o, round(d)))
        found.sort(key=lambda x: x[1])
    elif place.strip():
        found = [(o, -1) for o in qs.filter(place=place.strip())[:limit]]
    return found[:limit]


def public_order(number: str, code: str) -> WorkOrder | None:
    """The order a complainant tracks with its number and 查询码 (both needed: numbers are sequential)."""
    number, code = number.strip().upper()[:30], code.strip().upper()[:16]
    if not number or not code:
        return None
    return WorkOrder.objects.filter(number=number, tracking_code=code).first()


def public_stages(order: WorkOrder) -> list[OrderEvent]:
    return list(order.events.filter(public=True).only("on", "label", "public_note"))
