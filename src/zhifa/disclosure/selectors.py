"""Disclosure reads. Public reads touch ONLY ``PublicRecord`` (the masked 公示版); internal reads are
scoped by the actor's jurisdiction."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhifa.accounts.selectors import is_business_user, scope_q

from .models import DisclosureKind, DisclosureRecord, DisclosureState, PublicRecord, public_summary

_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区|市|自治州|地区|盟|县|自治县|旗|区))+")
_PLATE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
MAX_PREFIX = "\U0010ffff"


def name_key(name: str) -> str:
    """The name without leading region words, so "通达物流" finds "郁南县通达物流有限公司"."""
    key = _REGION.sub("", name or "")
    return key if len(key) >= 2 else name


def _like_prefix(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _prefix(column: str, q: str, params: list) -> str:
    """A prefix condition that uses the column's index on both engines: LIKE with the pattern operator
    class on PostgreSQL; on SQLite, whose LIKE never uses an index, the same LIKE plus a range."""
    params.append(_like_prefix(q))
    if connection.vendor == "sqlite":
        params.extend((q, q + MAX_PREFIX))
        return f"({column} LIKE %s ESCAPE '\\' AND {column} >= %s AND {column} < %s)"
    return f"{column} LIKE %s ESCAPE '\\'"


_KIND_LABELS = dict(DisclosureKind.choices)


class PublicRow:
    """A row of the portal's search: the masked columns of ``PublicRecord``, read-only. Built straight
    from the SQL row (model instances cost a fifth of the request), with the attributes the public
    templates, the open API and the exports read."""

    __slots__ = ("record_id", "org_id", "kind", "name", "code", "plate", "doc_no", "decided_on",
                 "published_on", "publish_until", "title", "data")  # fmt: skip

    def __init__(self, row) -> None:
        for attr, value in zip(self.__slots__, row, strict=True):
            setattr(self, attr, value)
        for attr in ("decided_on", "published_on", "publish_until"):
            value = getattr(self, attr)
            if isinstance(value, str):  # SQLite hands dates back as text
                setattr(self, attr, date.fromisoformat(value))
        if isinstance(self.data, str | bytes):
            self.data = json.loads(self.data)

    @property
    def pk(self) -> int:
        return self.record_id

    @property
    def summary(self) -> str:
        return public_summary(self.data)

    def get_kind_display(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


_SELECT = (
    "SELECT "
    + ", ".join(PublicRecord._meta.get_field(a).column for a in PublicRow.__slots__)
    + f" FROM {PublicRecord._meta.db_table}"
)


#: Hits of a search key sorted in memory on PostgreSQL (see ``public_search``).
KEYED_HITS = 2000


def public_search(
    *,
    q: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    org_id: int | None = None,
    record_id: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PublicRow]:
    """Search the portal: 统一社会信用代码 and plate exactly, a decision number exactly, a name by prefix
    of the full name or of the name without its region words; newest first; rows ``offset`` to
    ``offset + limit``. Only published, masked rows exist in this table, and rows whose 公示截止期 has
    passed are never returned, even on a day the expiry run (``zhifa disclosure tick``) has not yet
    taken them down.

    The portal's one search, used by its pages, its open API and the exports. Written as one SQL
    statement rather than a QuerySet because it is the hottest read of the public site: building the
    query through the ORM cost more than running it (benchmarks/portal_search.py). Every condition uses
    an index, so a million rows stay fast."""
    adapt = connection.ops.adapt_datefield_value
    where = ["(publish_until IS NULL OR publish_until >= %s)"]
    params: list = [adapt(timezone.localdate())]
    q = (q or "").strip()
    by_prefix = False  # a name prefix: the one kind of key whose hits PostgreSQL cannot estimate
    if q:
        up = q.upper().replace(" ", "")
        if _USCC.match(up):
            where.append("code = %s")
            params.append(up)
        elif _PLATE.match(up):
            where.append("plate = %s")
            params.append(up)
        else:
            by_prefix = True
            alts = [_prefix("name", q, params), _prefix("name_key", q, params)]
            if any(ch in q for ch in "〔[（(") or q.endswith("号"):
                alts.append("doc_no = %s")
                params.append(q)
            where.append("(" + " OR ".join(alts) + ")")
    for cond, value in (
        ("kind = %s", kind or None),
        ("decided_on >= %s", adapt(date_from) if date_from else None),
        ("decided_on <= %s", adapt(date_to) if date_to else None),
        ("org_id = %s", org_id),
        ("record_id = %s", record_id),
    ):
        if value is not None:
            where.append(cond)
            params.append(value)
    order = "ORDER BY decided_on DESC, record_id DESC"
    page = ""
    if limit is not None or offset:
        page = " LIMIT %s OFFSET %s"
        paging = [-1 if limit is None and connection.vendor == "sqlite" else limit, max(0, offset)]
    else:
        paging = []
    with connection.cursor() as cur:
        if by_prefix and connection.vendor == "postgresql":
            # A name prefix finds few rows, so they are collected through its own index first (at most
            # KEYED_HITS of them, in a materialised CTE the planner cannot see through) and only then
            # sorted. Left to itself, PostgreSQL estimates some name prefixes (those that fall on a
            # histogram bound) at 1 % of the table and walks the whole date index backwards instead:
            # 0.85 s for a name with 20 records, two in a thousand name searches at 1M records. A prefix
            # with more hits than that (a short one such as "郁南县") falls back to the plain statement,
            # for which walking the date index is the right plan. An exact key (统一社会信用代码, plate)
            # is estimated from the column's statistics and takes the plain statement at once: the CTE
            # would double its cost in the database (0.48 against 0.22 ms of backend CPU at 1M records).
            cur.execute(
                f"WITH hits AS MATERIALIZED (SELECT record_id FROM {PublicRecord._meta.db_table} "
                f"WHERE {' AND '.join(where)} LIMIT {KEYED_HITS + 1}), n AS (SELECT count(*) AS c FROM hits) "
                f"SELECT n.c, p.* FROM n LEFT JOIN LATERAL ({_SELECT} WHERE record_id IN "
                f"(SELECT record_id FROM hits) {order}{page}) p ON true",
                params + paging,
            )
            rows = cur.fetchall()
            if rows[0][0] <= KEYED_HITS:
                return [PublicRow(row[1:]) for row in rows if row[1] is not None]
        cur.execute(f"{_SELECT} WHERE {' AND '.join(where)} {order}{page}", params + paging)
        return [PublicRow(row) for row in cur.fetchall()]


def public_get(pk: int) -> PublicRow | None:
    """One public record by its id, under the same conditions as the search (never an expired one)."""
    rows = public_search(record_id=pk, limit=1)
    return rows[0] if rows else None


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
