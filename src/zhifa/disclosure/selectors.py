"""Disclosure reads. Public reads touch ONLY ``PublicRecord`` (the masked 公示版); internal reads are
scoped by the actor's jurisdiction."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhifa.accounts.selectors import is_business_user, scope_q

from .models import DisclosureKind, DisclosureRecord, DisclosureState, PublicRecord, public_summary

_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|特别行政区|市|自治州|地区|盟|县|自治县|旗|区))+")
_PLATE = re.compile(r"^[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
# a name query searched inside names when no name starts with it: three letters/digits in a row, which
# both trigram indexes can look up (pg_trgm splits words at punctuation; three punctuation marks give it
# no trigram and would read the whole index)
_CONTAINS = re.compile(r"[^\W_]{3}")
MAX_PREFIX = "\U0010ffff"


def name_key(name: str) -> str:
    """The name without leading region words, so "通达物流" finds "郁南县通达物流有限公司"."""
    key = _REGION.sub("", name or "")
    return key if len(key) >= 2 else name


def _like_escape(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_prefix(q: str) -> str:
    return _like_escape(q) + "%"


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


_TABLE = PublicRecord._meta.db_table
_SELECT = (
    "SELECT "
    + ", ".join(PublicRecord._meta.get_field(a).column for a in PublicRow.__slots__)
    + f" FROM {_TABLE}"
)
_IDS = f"SELECT record_id FROM {_TABLE}"


#: Hits of a search key sorted in memory: a name prefix on PostgreSQL, a contains-search on both engines.
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
) -> PublicRows:
    """Search the portal: 统一社会信用代码 and plate exactly, a decision number exactly, a name by prefix
    of the full name or of the name without its region words; newest first; rows ``offset`` to
    ``offset + limit``. A name query (three characters or more) that no name starts with finds the
    names that contain it instead (``PublicRows.contains``, see ``_contains_search``); the mode depends
    on the query and filters only, so every page of a search is in the same mode. Only published,
    masked rows exist in this table, and rows whose 公示截止期 has passed are never returned, even on a
    day the expiry run (``zhifa disclosure tick``) has not yet taken them down.

    The portal's one search, used by its pages, its open API and the exports. Written as one SQL
    statement rather than a QuerySet because it is the hottest read of the public site: building the
    query through the ORM cost more than running it (benchmarks/portal_search.py). Every condition uses
    an index, so a million rows stay fast. The contains-search costs nothing when the prefix finds a
    row: it runs only after an empty page."""
    adapt = connection.ops.adapt_datefield_value
    # the conditions every search has (expiry and the filters), then the search key's own
    filters = ["(publish_until IS NULL OR publish_until >= %s)"]
    fparams: list = [adapt(timezone.localdate())]
    for cond, value in (
        ("kind = %s", kind or None),
        ("decided_on >= %s", adapt(date_from) if date_from else None),
        ("decided_on <= %s", adapt(date_to) if date_to else None),
        ("org_id = %s", org_id),
        ("record_id = %s", record_id),
    ):
        if value is not None:
            filters.append(cond)
            fparams.append(value)
    q = (q or "").strip()
    key, params = "", []
    by_prefix = False  # a name prefix: the one kind of key whose hits PostgreSQL cannot estimate
    if q:
        up = q.upper().replace(" ", "")
        if _USCC.match(up):
            key = "code = %s"
            params.append(up)
        elif _PLATE.match(up):
            key = "plate = %s"
            params.append(up)
        else:
            by_prefix = True
            alts = [_prefix("name", q, params), _prefix("name_key", q, params)]
            if any(ch in q for ch in "〔[（(") or q.endswith("号"):
                alts.append("doc_no = %s")
                params.append(q)
            key = "(" + " OR ".join(alts) + ")"
    where = [key, *filters] if key else filters
    params += fparams
    order = "ORDER BY decided_on DESC, record_id DESC"
    page = ""
    if limit is not None or offset:
        page = " LIMIT %s OFFSET %s"
        paging = [-1 if limit is None and connection.vendor == "sqlite" else limit, max(0, offset)]
    else:
        paging = []
    with connection.cursor() as cur:
        hits = None  # how many rows the key has (up to KEYED_HITS + 1), when known
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
            hits, rows = _hits_first(
                cur, f"{_IDS} WHERE {' AND '.join(where)}", params, [], [], order + page, paging
            )
        if hits is None or hits > KEYED_HITS:
            cur.execute(f"{_SELECT} WHERE {' AND '.join(where)} {order}{page}", params + paging)
            rows = [PublicRow(row) for row in cur.fetchall()]
        if rows or not by_prefix or not _CONTAINS.search(q):
            return PublicRows(rows)
        # The prefix found nothing on this page. Does it find anything at all (then this is a page past
        # its end)? Known from the count above on PostgreSQL and from an empty first page; else asked.
        if hits is None and (offset or limit == 0):
            cur.execute(f"SELECT 1 FROM {_TABLE} WHERE {' AND '.join(where)} LIMIT 1", params)
            hits = len(cur.fetchall())
        if hits:
            return PublicRows(rows)
        return _contains_search(cur, q, filters, fparams, order + page, paging)


#: The SQLite full-text table over ``PublicRecord.name`` (trigrams), kept by triggers: migration 0002.
NAME_FTS = f"{_TABLE}_name_fts"


class PublicRows(list):
    """The rows of ``public_search``; ``contains`` is true when the name matched nowhere at its start
    and the rows are those whose name contains the query instead."""

    contains = False


def _contains_search(cur, q: str, filters: list[str], fparams: list, tail: str, paging: list) -> PublicRows:
    """The fallback of a name search whose prefix matches no row at all: names containing ``q``, newest
    first, through a trigram index on each engine (never a scan of the table). PostgreSQL: ``LIKE
    '%q%'`` on the pg_trgm GIN index. SQLite: ``MATCH`` on the FTS5 trigram table; a build without
    FTS5 (the migration then creates no table) has no contains-search. As for a prefix, at most
    KEYED_HITS hits are collected and sorted; a query found in more names (a common word such as
    "运输有限") walks the date index instead, where matches come soon."""
    rows = PublicRows()
    rows.contains = True
    if connection.vendor == "postgresql":
        cond = ["name LIKE %s ESCAPE '\\'", *filters]
        params = ["%" + _like_escape(q) + "%", *fparams]
        # Only the trigram index may collect the hits: the planner, estimating a common word, would
        # otherwise read the table in order until it had KEYED_HITS of them, all of it for a rare one.
        # The settings are local to the transaction and restored when it was the caller's.
        with transaction.atomic(using=connection.alias):
            cur.execute(_BITMAP_ONLY, ["off", "off"])
            before = cur.fetchone()[:2]
            hits, found = _hits_first(cur, f"{_IDS} WHERE {' AND '.join(cond)}", params, [], [], tail, paging)
            cur.execute(_BITMAP_ONLY, before)
    else:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [NAME_FTS])
        if not cur.fetchall():
            rows.contains = False
            return rows
        match = '"' + q.replace('"', '""') + '"'  # one FTS5 string: its syntax characters are literal
        ids = f"SELECT rowid AS record_id FROM {NAME_FTS} WHERE {NAME_FTS} MATCH %s"
        hits, found = _hits_first(cur, ids, [match], filters, fparams, tail, paging)
        # the fallback below: instr() is literal and case-sensitive, as the trigram table
        cond, params = ["instr(name, %s) > 0", *filters], [q, *fparams]
    if hits > KEYED_HITS:
        cur.execute(f"{_SELECT} WHERE {' AND '.join(cond)} {tail}", params + paging)
        found = [PublicRow(row) for row in cur.fetchall()]
    rows.extend(found)
    return rows


_BITMAP_ONLY = (
    "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
    "set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)"
)


def _hits_first(
    cur, ids: str, id_params: list, where: list[str], params: list, tail: str, paging: list
) -> tuple[int, list[PublicRow]]:
    """Collect the record ids of ``ids`` (at most KEYED_HITS + 1 of them, in a CTE), then select and sort
    those rows that also meet ``where``. Returns how many ids were collected and the rows; the rows are
    meaningless when the ids were more than KEYED_HITS."""
    pg = connection.vendor == "postgresql"
    cond = " AND ".join(["record_id IN (SELECT record_id FROM hits)", *where])
    cur.execute(
        f"WITH hits AS {'MATERIALIZED ' if pg else ''}({ids} LIMIT {KEYED_HITS + 1}), "
        f"n AS (SELECT count(*) AS c FROM hits) SELECT n.c, p.* FROM n LEFT JOIN {'LATERAL ' if pg else ''}"
        f"({_SELECT} WHERE {cond} {tail}) p ON true",
        id_params + params + paging,
    )
    rows = cur.fetchall()
    return rows[0][0], [PublicRow(row[1:]) for row in rows if row[1] is not None]


def public_get(pk: int) -> PublicRow | None:
    """One public record by its id, under the same conditions as the search (never an expired one).

    The search is raw SQL: an id beyond a 64-bit integer cannot be bound (OverflowError on SQLite), and no
    row has one, so it is simply not found."""
    if not 0 < pk < 2**63:
        return None
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
