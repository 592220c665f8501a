"""Legal periods and rates printed on documents, as versioned rule data with their sources.

Documents state these in words (``十五日``), so they are text here; the legal clocks themselves are
computed by ``zhifa.cases`` with ``core.calendar``. Each entry applies from ``since`` until a later entry
with the same key replaces it. The service puts them in every rendering context as ``law.<key>``; a caller
may override one (e.g. a longer reminder period chosen by the bureau).

Sources (checked against the 2021 text of 行政处罚法, 行政强制法 2011, 行政复议法 as revised 2023-09-01
effective 2024-01-01, 行政诉讼法 2017):
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LegalTerm:
    key: str
    text: str
    article: str
    since: date


TERMS: tuple[LegalTerm, ...] = (
    LegalTerm(
        "hearing_request_period",
        "五日",
        "《中华人民共和国行政处罚法》第六十四条第（一）项",
        date(2021, 7, 15),
    ),
    LegalTerm(
        "hearing_notice_days", "七日", "《中华人民共和国行政处罚法》第六十四条第（二）项", date(2021, 7, 15)
    ),
    LegalTerm("payment_period", "十五日", "《中华人民共和国行政处罚法》第六十七条第三款", date(2021, 7, 15)),
    LegalTerm(
        "surcharge_rate",
        "百分之三",
        "《中华人民共和国行政处罚法》第七十二条第一款第（一）项",
        date(2021, 7, 15),
    ),
    LegalTerm("service_period", "七日", "《中华人民共和国行政处罚法》第六十一条第一款", date(2021, 7, 15)),
    LegalTerm("review_period", "六十日", "《中华人民共和国行政复议法》第二十条第一款", date(2024, 1, 1)),
    LegalTerm(
        "litigation_period", "六个月", "《中华人民共和国行政诉讼法》第四十六条第一款", date(2015, 5, 1)
    ),
    LegalTerm("reminder_period", "十日", "《中华人民共和国行政强制法》第五十四条", date(2012, 1, 1)),
)


def terms_on(on: date) -> dict[str, str]:
    """``{key: text}`` in force on ``on`` (latest ``since`` not after ``on``)."""
    out: dict[str, tuple[date, str]] = {}
    for t in TERMS:
        if t.since <= on and (t.key not in out or out[t.key][0] < t.since):
            out[t.key] = (t.since, t.text)
    return {k: v[1] for k, v in out.items()}


def articles() -> dict[str, str]:
    return {t.key: t.article for t in TERMS}
