"""Disclosure reads. Public reads touch ONLY ``PublicRecord`` (the masked 公示版); internal reads are
scoped by the actor's jurisdiction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhifa.accounts.selectors import is_business_user, scope_q

from .models import DisclosureRecord, DisclosureState, PublicRecord

PUBLIC_FIELDS = (
    "record_id",
    "org_id",
    "kind",
    "name",
    "code",
    "plate",
    "doc_no",
    "decided_on",
    "published_on",
    "publish_until",
    "title",
    "data",
)


_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区|市|自治州|地区|盟|县|自治县|旗|区))+")
_PLATE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
MAX_PREFIX = "\U0010ffff"


def name_key(name: str) -> str:
    """The name without leading region words, so "通达物流" finds "郁南县通达物流有限公司"."""
    key = _REGION.sub("", name or "")
    return key if len(key) >= 2 else name


def _prefix(field: str, q: str) -> Q:
    cond = Q(**{f"{field}__startswith": q})
    if connection.vendor == "sqlite":  # SQLite's LIKE does not use an index; a range does
        cond &= Q(**{f"{field}__gte": q, f"{field}__lt": q + MAX_PREFIX})
    return cond


def public_search(
    *,
    q: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    org_id: int | None = None,
) -> QuerySet[PublicRecord]:
    """Search the portal: 统一社会信用代码 and plate exactly, a decision number exactly, a name by prefix
    of the full name or of the name without its region words; newest first. Every condition uses an
    index (a million rows stay fast). Only published, masked rows exist in this table."""
    qs = _current()
    q = (q or "").strip()
    if q:
        up = q.upper().replace(" ", "")
        if _USCC.match(up):
            qs = qs.filter(code=up)
        elif _PLATE.match(up):
            qs = qs.filter(plate=up)
        else:
            cond = _prefix("name", q) | _prefix("name_key", q)
            if any(ch in q for ch in "〔[（(") or q.endswith("号"):
                cond |= Q(doc_no=q)
            qs = qs.filter(cond)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    if org_id:
        qs = qs.filter(org_id=org_id)
    return qs.order_by("-decided_on", "-record_id")


def _current() -> QuerySet[PublicRecord]:
    """Rows whose 公示截止期 has not passed: the portal never shows an expired record, even on a day the
    expiry run (``zhifa disclosure tick``) has not yet taken it down."""
    today = timezone.localdate()
    return PublicRecord.objects.filter(Q(publish_until__isnull=True) | Q(publish_until__gte=today))


def public_get(pk: int) -> PublicRecord | None:
    return _current().filter(pk=pk).first()


def records_visible(actor) -> QuerySet[DisclosureRecord]:
    if not is_business_user(actor):
        return DisclosureRecord.objects.none()
    return DisclosureRecord.objects.filter(scope_q(actor, jurisdiction=True))


@dataclass
class OrgRate:
    org: str
    due: int
    on_time: int
    late: int
    overdue: int

    @property
    def rate(self) -> str:
        done = self.on_time + self.late + self.overdue
        return f"{100 * self.on_time / done:.1f}%" if done else "—"


def board(actor, *, on: date) -> dict:
    """The due/overdue/late board and the on-time rate per unit (the seeds' “上报比例”)."""
    qs = records_visible(actor)
    pending = qs.filter(state__in=[DisclosureState.PENDING, DisclosureState.HELD])
    rows = []
    for r in qs.values("org__name").annotate(
        due=Count(
            "id", filter=Q(state__in=[DisclosureState.PENDING, DisclosureState.HELD], publish_due__gte=on)
        ),
        overdue=Count(
            "id", filter=Q(state__in=[DisclosureState.PENDING, DisclosureState.HELD], publish_due__lt=on)
        ),
        published=Count("id", filter=Q(published_on__isnull=False)),
        on_time=Count(
            "id", filter=Q(published_on__isnull=False) & Q(published_on__lte=models_f("publish_due"))
        ),
    ):
        rows.append(
            OrgRate(r["org__name"], r["due"], r["on_time"], r["published"] - r["on_time"], r["overdue"])
        )
    return {
        "due": pending.filter(publish_due__gte=on).order_by("publish_due")[:100],
        "overdue": pending.filter(publish_due__lt=on).order_by("publish_due")[:100],
        "late": qs.filter(published_on__isnull=False, published_on__gt=models_f("publish_due")).order_by(
            "-published_on"
        )[:100],
        "withdraw": qs.filter(withdraw_due__isnull=False).order_by("-changed_on")[:50],
        "rates": rows,
    }


def models_f(name: str):
    from django.db.models import F

    return F(name)
