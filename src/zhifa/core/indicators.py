"""The indicator registry: a number a report or dashboard shows, registered by the app that owns the data
(design.md "a number a report or dashboard shows"): id, Chinese name, formula text, unit, period,
dimensions, how to compute its values, and the records behind each value (the drill-down).

An app registers its indicators at import of its ``indicators`` module (loaded in its AppConfig.ready);
pages, exports, the dashboard and the annual report ask :func:`indicators` / :func:`get` and never compute a
number of another app themselves. Every computation takes the actor, so a value only counts what the actor
may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["Indicator", "Value", "get", "indicators", "period_from_query", "register"]


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


def get(indicator_id: str) -> Indicator:
    try:
        return _REGISTRY[indicator_id]
    except KeyError:
        raise KeyError(f"未登记的指标 {indicator_id}") from None


def period_from_query(query, today: date) -> tuple[date, date]:
    """The period an indicators page asks for (``start``/``end`` as YYYY-MM-DD): by default the year so far;
    an end before the start is the start."""
    try:
        start = date.fromisoformat(query.get("start", ""))
    except ValueError:
        start = date(today.year, 1, 1)
    try:
        end = date.fromisoformat(query.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)
