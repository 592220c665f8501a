"""The indicators of 法制工作 for the annual report (seeds 001, 003, 004 count them): documents given 合法性审核
and 公平竞争审查, 备案 on time, documents repealed, 重大行政决策, 评查 average score — registered in
``core.indicators`` (total for the period; the rows behind each value are the drill-down)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import F, Q

from zhifa.core.indicators import Indicator, Value, register

from .enums import DocStatus, FairConclusion


def _docs(actor):
    from .selectors import docs_visible

    return docs_visible(actor)


def _count(rows: Callable) -> Callable:
    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        n = rows(actor, start, end).count()
        return [Value("", "合计", n, n, None)]

    return compute


def _rate(num: Q, rows: Callable) -> Callable:
    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        qs = rows(actor, start, end)
        d = qs.count()
        n = qs.filter(num).count()
        return [Value("", "合计", round(100 * n / d, 1) if d else None, n, d)]

    return compute


def _records(rows: Callable, num: Q | None = None) -> Callable:
    def records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        qs = rows(actor, start, end)
        return qs.filter(num) if num is not None else qs

    return records


def legal_reviewed(actor, start, end):
    return _docs(actor).filter(legal_reviewed_on__gte=start, legal_reviewed_on__lte=end)


def fair_reviewed(actor, start, end):
    return (
        _docs(actor)
        .filter(fair_reviewed_on__gte=start, fair_reviewed_on__lte=end)
        .exclude(fair_conclusion=FairConclusion.NOT_APPLICABLE)
    )


def filing_due(actor, start, end):
    return _docs(actor).filter(filing_due__gte=start, filing_due__lte=end)


def repealed(actor, start, end):
    return _docs(actor).filter(status=DocStatus.REPEALED, ended_on__gte=start, ended_on__lte=end)


def decisions(actor, start, end):
    from .selectors import decisions_visible

    return decisions_visible(actor).filter(year__gte=start.year, year__lte=end.year)


def review_files(actor, start, end):
    from .models import ReviewFile
    from .selectors import campaigns_visible

    return ReviewFile.objects.filter(
        campaign__in=campaigns_visible(actor), scored_on__gte=start, scored_on__lte=end
    )


def _average(actor, *, start: date, end: date, dimension: str) -> list[Value]:
    scores = list(review_files(actor, start, end).values_list("score", flat=True))
    return [
        Value("", "合计", round(sum(scores) / len(scores), 1) if scores else None, sum(scores), len(scores))
    ]


ON_TIME = Q(filed_on__isnull=False, filed_on__lte=F("filing_due"))


def _indicator(ident: str, name: str, formula: str, unit: str, compute, records) -> Indicator:
    return register(
        Indicator(
            id=f"legal.{ident}",
            name=name,
            formula=formula,
            unit=unit,
            period="year",
            dimensions={},
            compute=compute,
            records=records,
            owner="legal",
        )
    )


LEGAL_REVIEWED = _indicator(
    "legal_reviewed",
    "合法性审核文件数",
    "期间内完成合法性审核的规范性文件数",
    "件",
    _count(legal_reviewed),
    _records(legal_reviewed),
)
FAIR_REVIEWED = _indicator(
    "fair_reviewed",
    "公平竞争审查文件数",
    "期间内作出公平竞争审查结论的规范性文件数",
    "件",
    _count(fair_reviewed),
    _records(fair_reviewed),
)
FILING_ON_TIME = _indicator(
    "filing_on_time",
    "按期备案率",
    "备案期限在期间内、在期限内报送备案的文件数 ÷ 备案期限在期间内的文件数 × 100%",
    "%",
    _rate(ON_TIME, filing_due),
    _records(filing_due, ON_TIME),
)
REPEALED = _indicator(
    "repealed",
    "废止文件数",
    "期间内废止的规范性文件数（含清理废止）",
    "件",
    _count(repealed),
    _records(repealed),
)
DECISIONS = _indicator(
    "decisions",
    "重大行政决策事项数",
    "期间所涉年度决策事项目录中的事项数",
    "项",
    _count(decisions),
    _records(decisions),
)
REVIEW_AVERAGE = _indicator(
    "review_average",
    "案卷评查平均分",
    "期间内评分的案卷得分之和 ÷ 评分案卷数（否决项计0分）",
    "分",
    _average,
    _records(review_files),
)
