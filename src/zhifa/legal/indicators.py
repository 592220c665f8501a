"""The indicators of 法制工作 for the annual report (seeds 001, 003, 004 count them): documents given 合法性审核
and 公平竞争审查, 备案 on time, documents repealed, 重大行政决策, 评查 average score — registered in
``core.indicators`` (total for the period; the rows behind each value are the drill-down)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import F, Q

from zhifa.core.indicators import Indicator, Value, register
from zhifa.core.list_export import ListExport

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


def _indicator(ident: str, name: str, formula: str, unit: str, compute, records, **more) -> Indicator:
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
            **more,
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


# --- 负责人出庭应诉率, 败诉率, 复议纠错率 (issue 20 follow-up) -----------------------------------------------
# Definitions are practice, not national law (legal-affairs.md §4 [U]): each reads its rule parameter
# (``legal_head_appearance_basis``, ``legal_loss_basis``, ``legal_correction_basis``; ZHIFA_RULE_<NAME>).


def _basis(name: str, end: date) -> str:
    from zhifa.rules.params import param_value

    return str(param_value(name, on=end))


def _appeals(actor, kind: str):
    from zhifa.accounts.selectors import scope_q
    from zhifa.cases.models import CaseAppeal

    return CaseAppeal.objects.filter(scope_q(actor, jurisdiction=True), kind=kind).select_related("case")


def _litigation():
    from zhifa.cases.enums import AppealKind

    return AppealKind.LITIGATION


def head_appearance_rows(actor, start, end, *, present: bool | None = None):
    """Per case (default; 规定 2020 Art 7: one appearance per instance suffices): the 诉讼 with a hearing in
    the period (``present``: one at which the 负责人 appeared); per hearing: the hearings held in the period."""
    when = {"held_on__gte": start, "held_on__lte": end}
    if present is not None:
        when["head_present"] = present
    if _basis("legal_head_appearance_basis", end) == "per_hearing":
        from .models import AppealHearing

        return AppealHearing.objects.filter(appeal__in=_appeals(actor, _litigation()), **when).select_related(
            "appeal__case"
        )
    return (
        _appeals(actor, _litigation())
        .filter(**{f"legal_hearings__{k}": v for k, v in when.items()})
        .distinct()
    )


def _head_rate(actor, *, start: date, end: date, dimension: str) -> list[Value]:
    d = head_appearance_rows(actor, start, end).count()
    n = head_appearance_rows(actor, start, end, present=True).count()
    return [Value("", "合计", round(100 * n / d, 1) if d else None, n, d)]


def _head_records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
    return head_appearance_rows(actor, start, end)


LOSS_OUTCOMES = {"strict": ["revoked", "illegal"], "with_changed": ["revoked", "illegal", "changed"]}
CORRECTED_OUTCOMES = ["revoked", "changed", "illegal"]  # 复议法 (2023) Arts 63, 64, 65


def concluded_litigation(actor, start, end):
    return (
        _appeals(actor, _litigation()).filter(outcome_on__gte=start, outcome_on__lte=end).exclude(outcome="")
    )


def decided_reconsideration(actor, start, end):
    from zhifa.cases.enums import AppealKind

    qs = _appeals(actor, AppealKind.RECONSIDERATION).filter(outcome_on__gte=start, outcome_on__lte=end)
    qs = qs.exclude(outcome="")
    if _basis("legal_correction_basis", end) == "exclude_withdrawn":
        qs = qs.exclude(outcome="withdrawn")
    return qs


def _outcome_rate(rows: Callable, outcomes: Callable) -> tuple[Callable, Callable]:
    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        qs = rows(actor, start, end)
        d = qs.count()
        n = qs.filter(outcome__in=outcomes(end)).count()
        return [Value("", "合计", round(100 * n / d, 1) if d else None, n, d)]

    def records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        return rows(actor, start, end)

    return compute, records


def _appeal_of(row):
    """The 复议/诉讼 record of a drill-down row (the record itself, or a hearing's)."""
    return getattr(row, "appeal", row)


def _head_cell(row) -> str:
    hearings = [row] if hasattr(row, "appeal") else list(row.legal_hearings.all())
    return "出庭" if any(h.head_present for h in hearings) else "未出庭"


APPEAL_ROWS = ListExport(
    title="复议应诉记录",
    columns=[
        ("案件", lambda r: _appeal_of(r).case.number),
        ("类型", lambda r: _appeal_of(r).get_kind_display()),
        ("复议机关/人民法院", lambda r: _appeal_of(r).organ),
        ("开庭日期", lambda r: getattr(r, "held_on", None)),
        ("负责人出庭", _head_cell),
        ("结果", lambda r: _appeal_of(r).get_outcome_display() or "未结"),
        ("结果日期", lambda r: _appeal_of(r).outcome_on),
    ],
)
APPEAL_LINKS = {"export": APPEAL_ROWS, "link": lambda r: f"/legal/appeals/{_appeal_of(r).pk}/"}

HEAD_APPEARANCE = _indicator(
    "head_appearance",
    "负责人出庭应诉率",
    "负责人出庭应诉的案件数 ÷ 期间内开庭的行政诉讼案件数 × 100%（口径见规则参数“负责人出庭应诉率统计口径”）",
    "%",
    _head_rate,
    _head_records,
    **APPEAL_LINKS,
)
LOSS_RATE = _indicator(
    "loss_rate",
    "行政诉讼败诉率",
    "判决撤销、确认违法（及按口径计入的变更）的案件数 ÷ 期间内审结的行政诉讼案件数 × 100%",
    "%",
    *_outcome_rate(concluded_litigation, lambda end: LOSS_OUTCOMES[_basis("legal_loss_basis", end)]),
    **APPEAL_LINKS,
)
CORRECTION_RATE = _indicator(
    "correction_rate",
    "行政复议纠错率",
    "复议决定撤销、变更、确认违法的案件数 ÷ 期间内作出复议决定的案件数 × 100%（是否计入撤回见规则参数）",
    "%",
    *_outcome_rate(decided_reconsideration, lambda end: CORRECTED_OUTCOMES),
    **APPEAL_LINKS,
)
