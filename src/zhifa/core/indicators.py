"""The indicator registry: a number a report or dashboard shows, registered by the app that owns the data
(design.md "a number a report or dashboard shows"): id, Chinese name, formula text, unit, period,
dimensions, how to compute its values, and the records behind each value (the drill-down).

An app registers its indicators at import of its ``indicators`` module (loaded in its AppConfig.ready);
pages, exports, the dashboard and the annual report ask :func:`indicators` / :func:`get` and never compute a
number of another app themselves. Every computation takes the actor, so a value only counts what the actor
may see.

A value can be *snapshotted* (:func:`snapshot`): its number with the ids of the records it counts and a
digest of both, so an issued report keeps what it said and can tell when the live value has moved since.
Most indicators are a count, a sum or a share of one model's rows: :func:`query_indicator` builds those from
the owning app's scoped selector, its date field and its dimensions, with the grouping done in the database.
An indicator's ``source`` says whether zhifa computes it ("computed") or reads it from a file sent by the
level above ("imported", e.g. the province's 两客一危 monthly KPIs).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = [
    "COMPUTED",
    "IMPORTED",
    "Dim",
    "Indicator",
    "Snapshot",
    "Value",
    "get",
    "indicators",
    "query_indicator",
    "register",
    "snapshot",
]

COMPUTED, IMPORTED = "computed", "imported"
SOURCE_LABELS = {COMPUTED: "系统计算", IMPORTED: "上级导入"}


@dataclass(frozen=True)
class Value:
    """One value of an indicator for one dimension key (``key`` "" = the whole period)."""

    key: str
    label: str
    value: float | int | None  # None: no denominator (shown as —)
    numerator: int | float | None = None
    denominator: int | None = None


@dataclass(frozen=True)
class Indicator:
    id: str  # "<app>.<name>", e.g. "complaints.close_rate"
    name: str  # Chinese, as the page and the report print it
    formula: str  # the formula in words (shown next to the value)
    unit: str  # "件", "%", "小时"
    period: str  # the natural period: "month", "year"
    dimensions: dict[str, str]  # code -> Chinese label ("org": "承办单位")
    # compute(actor, start, end, dimension) -> values; dimension "" = the total
    compute: Callable[..., list[Value]] = field(repr=False)
    # records(actor, start, end, dimension, key) -> the rows behind a value (a QuerySet or list)
    records: Callable[..., Any] = field(repr=False)
    owner: str = ""  # the app that registered it
    domain: str = ""  # Chinese heading the catalogue groups it under ("执法办案", "治超")
    source: str = COMPUTED  # COMPUTED or IMPORTED (read from the level above, with its source named)
    export: Any = None  # a core.list_export.ListExport: the drill-down's columns and its XLSX/CSV
    link: Callable[[Any], str] | None = field(default=None, repr=False)  # a record's own page

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def values(self, actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
        if dimension and dimension not in self.dimensions:
            raise ValueError(f"指标“{self.name}”没有维度 {dimension}")
        return self.compute(actor, start=start, end=end, dimension=dimension)

    def total(self, actor, *, start: date, end: date) -> Value:
        rows = self.compute(actor, start=start, end=end, dimension="")
        return rows[0] if rows else Value("", "合计", None)

    def rows_behind(self, actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        return self.records(actor, start=start, end=end, dimension=dimension, key=key)


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Register (or replace, on a reload) an indicator under its id."""
    _REGISTRY[indicator.id] = indicator
    return indicator


def indicators(owner: str = "") -> list[Indicator]:
    """Registered indicators in registration order, optionally those of one app."""
    return [i for i in _REGISTRY.values() if not owner or i.owner == owner]


def exists(indicator_id: str) -> bool:
    return indicator_id in _REGISTRY


def get(indicator_id: str) -> Indicator:
    try:
        return _REGISTRY[indicator_id]
    except KeyError:
        raise KeyError(f"未登记的指标 {indicator_id}") from None


# --- snapshots ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A value as issued: the number, its parts, the ids of the records behind it and a digest of them."""

    value: float | int | None
    numerator: float | int | None
    denominator: int | None
    record_ids: list
    digest: str

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "record_ids": self.record_ids,
            "digest": self.digest,
        }


def _plain(v):
    return float(v) if isinstance(v, Decimal) else v


def snapshot(ind: Indicator, actor, *, start: date, end: date) -> Snapshot:
    """The total of ``ind`` for the period with the records it counts, digested (SHA-256 over the indicator,
    the period, the value and the sorted record ids): a later edit that changes what is counted changes the
    digest even when the number happens to stay the same."""
    v = ind.total(actor, start=start, end=end)
    rows = ind.rows_behind(actor, start=start, end=end)
    ids = (
        sorted(rows.values_list("pk", flat=True))
        if hasattr(rows, "values_list")
        else sorted(getattr(r, "pk", r) for r in rows)
    )
    body = json.dumps([ind.id, start.isoformat(), end.isoformat(), _plain(v.value), ids], default=str)
    return Snapshot(
        _plain(v.value), _plain(v.numerator), v.denominator, ids, hashlib.sha256(body.encode()).hexdigest()
    )


# --- indicators over one model's rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Dim:
    """A dimension: its Chinese label, the field grouped by, and how a key reads — another field
    (``"org__name"``), a dict of choices, or nothing (the key itself). ``field`` "month" groups by the month
    of the indicator's date field."""

    label: str
    field: str
    names: str | dict | None = None


def _month_q(date_field: str, key: str):
    from django.db.models import Q

    try:
        y, m = (int(x) for x in key.split("-"))
    except ValueError:
        return Q(pk__in=[])
    return Q(**{f"{date_field}__year": y, f"{date_field}__month": m})


def query_indicator(
    *,
    owner: str,
    ident: str,
    name: str,
    formula: str,
    unit: str,
    visible: Callable[[Any], Any],
    date_field: str,
    where=None,
    share_of=None,
    sum_field: str = "",
    scale: int = 1,
    decimals: int = 2,
    dims: dict[str, Dim] | None = None,
    domain: str = "",
    period: str = "month",
    export=None,
    link: Callable[[Any], str] | None = None,
) -> Indicator:
    """Register a count, sum or share over ``visible(actor)`` (the owning app's scoped selector), the rows
    whose ``date_field`` falls in the period.

    - count: the rows matching ``where`` (a Q; None = all);
    - sum: ``sum_field`` of those rows divided by ``scale`` (fen → 万元: 1,000,000; kg → 吨: 1,000);
    - share (``share_of`` a Q, the denominator): rows matching ``share_of`` and ``where`` ÷ rows matching
      ``share_of`` × 100, one decimal.

    The records behind a value are the rows counted (for a share, the numerator's)."""
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import TruncMonth

    dims = dims or {}
    where_q = where if where is not None else Q()

    def base(actor, start: date, end: date):
        if date_field.endswith("__date"):
            # a timestamp: compare with the local midnights bounding the period (an indexable range, not a
            # date cast of every row)
            from datetime import datetime, time, timedelta

            from django.utils import timezone

            field_name = date_field.removesuffix("__date")
            lo = timezone.make_aware(datetime.combine(start, time.min))
            hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
            qs = visible(actor).filter(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi})
        else:
            qs = visible(actor).filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end})
        return qs.filter(share_of) if share_of is not None else qs.filter(where_q)

    def _value(n, d):
        if share_of is not None:
            return round(100 * n / d, 1) if d else None
        if sum_field:
            return round((n or 0) / scale, decimals) if scale != 1 else (n or 0)
        return n

    def compute(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
        qs = base(actor, start, end).order_by()
        if share_of is not None:
            agg = {"n": Count("pk", filter=where_q), "d": Count("pk")}
        elif sum_field:
            agg = {"n": Sum(sum_field), "d": Count("pk")}
        else:
            agg = {"n": Count("pk"), "d": Count("pk")}
        if not dimension:
            r = qs.aggregate(**agg)
            return [Value("", "合计", _value(r["n"], r["d"]), _plain(r["n"]) or 0, r["d"])]
        dim = dims[dimension]
        if dim.field == "month":
            grouped = qs.annotate(k=TruncMonth(date_field.removesuffix("__date"))).values("k")
        else:
            grouped = qs.annotate(k=F(dim.field)).values("k")
            if isinstance(dim.names, str):
                grouped = grouped.annotate(lbl=F(dim.names)).values("k", "lbl")
        out = []
        for r in grouped.annotate(**agg).order_by("k"):
            k = r["k"]
            if dim.field == "month":
                key = label = k.strftime("%Y-%m") if k else ""
            else:
                key = "" if k is None else str(k)
                label = (
                    r.get("lbl")
                    if isinstance(dim.names, str)
                    else dim.names.get(k, key)
                    if isinstance(dim.names, dict)
                    else key
                ) or "（未填）"
            out.append(Value(key, str(label), _value(r["n"], r["d"]), _plain(r["n"]) or 0, r["d"]))
        return out

    def records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        qs = base(actor, start, end)
        if share_of is not None:
            qs = qs.filter(where_q)
        if sum_field:
            qs = qs.filter(**{f"{sum_field}__isnull": False})
        if dimension in dims:
            dim = dims[dimension]
            if dim.field == "month":
                qs = qs.filter(_month_q(date_field, key))
            elif key == "":
                qs = qs.filter(**{f"{dim.field}__isnull": True})
            else:
                qs = qs.filter(**{dim.field: key})
        return qs

    return register(
        Indicator(
            id=f"{owner}.{ident}",
            name=name,
            formula=formula,
            unit=unit,
            period=period,
            dimensions={code: d.label for code, d in dims.items()},
            compute=compute,
            records=records,
            owner=owner,
            domain=domain,
            export=export,
            link=link,
        )
    )
