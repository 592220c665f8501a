"""The indicators of 行政许可 / 政务服务 (seeds 000–004 count them): 申请量, 受理量, 办结量, 按期办结率,
提前办结率, 即办件率, 平均办理工作日, 告知承诺占比, 事后核查完成率, 好评率, 差评整改率, 差评回访率 — by 事项 and
月份 (of receipt), registered in ``core.indicators``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import F, Q

from zhifa.core.calendar import is_workday
from zhifa.core.indicators import Indicator, Value, register

from .enums import BAD_GRADES, State

DIMENSIONS = {"item": "事项", "month": "月份"}
ALL = Q()
ACCEPTED = Q(accepted_on__isnull=False)
DECIDED = Q(decided_on__isnull=False)
ON_TIME = DECIDED & (Q(decision_due__isnull=True) | Q(decided_on__lte=F("decision_due")))
EARLY = DECIDED & Q(promised_due__isnull=False) & Q(decided_on__lte=F("promised_due"))
SAME_DAY = DECIDED & Q(decided_on=F("received_on"))
PLEDGE = ACCEPTED & Q(pledge=True)
CHECK_DUE = Q(
    pledge=True, postcheck_due__isnull=False, state__in=[State.GRANTED, State.ISSUED, State.ANNULLED]
)
CHECKED = CHECK_DUE & ~Q(postcheck="")
RATED = Q(rating__isnull=False)
GOOD = RATED & ~Q(rating__grade__in=[int(g) for g in BAD_GRADES])
BAD = RATED & Q(rating__grade__in=[int(g) for g in BAD_GRADES])
FIXED = BAD & Q(rating__fixed_on__isnull=False)
CALLED = BAD & Q(rating__callback_on__isnull=False)


def base(actor, start: date, end: date):
    from .selectors import applications_visible

    return applications_visible(actor).filter(received_on__gte=start, received_on__lte=end)


def _key(a: dict, dimension: str) -> tuple[str, str]:
    if dimension == "item":
        return a["item__code"], a["item__name"]
    if dimension == "month":
        m = a["received_on"].strftime("%Y-%m")
        return m, m
    return "", "合计"


def _key_q(dimension: str, key: str) -> Q:
    if dimension == "item":
        return Q(item__code=key)
    if dimension == "month":
        y, m = (int(x) for x in key.split("-"))
        return Q(received_on__year=y, received_on__month=m)
    return Q()


_FIELDS = ("pk", "item__code", "item__name", "received_on", "decided_on")


def _ratio(num_q: Q | None, den_q: Q, *, percent: bool = True) -> Callable[..., list[Value]]:
    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        qs = base(actor, start, end).filter(den_q)
        num_ids = set(qs.filter(num_q).values_list("pk", flat=True)) if num_q is not None else None
        groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for a in qs.values(*_FIELDS).distinct():
            g = groups[_key(a, dimension)]
            g[1] += 1
            g[0] += 1 if num_ids is None or a["pk"] in num_ids else 0
        out = [
            Value(k, lbl, (round(100 * n / d, 1) if d else None) if percent else n, n, d)
            for (k, lbl), (n, d) in sorted(groups.items())
        ]
        return out or ([Value("", "合计", None if percent else 0, 0, 0)] if not dimension else [])

    return compute


def _workdays_between(a: date, b: date) -> int:
    n, d = 0, a
    while d < b:
        d += timedelta(days=1)
        n += is_workday(d)
    return n


def _avg_days(actor, *, start: date, end: date, dimension: str) -> list[Value]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for a in base(actor, start, end).filter(DECIDED).values(*_FIELDS):
        groups[_key(a, dimension)].append(_workdays_between(a["received_on"], a["decided_on"]))
    out = [Value(k, lbl, round(sum(v) / len(v), 1), sum(v), len(v)) for (k, lbl), v in sorted(groups.items())]
    return out or ([Value("", "合计", None, 0, 0)] if not dimension else [])


def _records(num_q: Q | None, den_q: Q) -> Callable:
    def records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        qs = base(actor, start, end).filter(den_q).filter(_key_q(dimension, key))
        return qs.filter(num_q) if num_q is not None else qs

    return records


def _indicator(
    ident: str, name: str, formula: str, unit: str, num_q: Q | None, den_q: Q, *, compute=None
) -> Indicator:
    return register(
        Indicator(
            id=f"permits.{ident}",
            name=name,
            formula=formula,
            unit=unit,
            period="month",
            dimensions=DIMENSIONS,
            compute=compute or _ratio(num_q, den_q, percent=unit == "%"),
            records=_records(num_q, den_q),
            owner="permits",
        )
    )


_indicator("applications", "申请量", "期间收到的申请数（窗口与网上）", "件", None, ALL)
_indicator("accepted", "受理量", "期间收到并已受理（含视为受理）的申请数", "件", None, ACCEPTED)
_indicator("decided", "办结量", "期间收到并已作出决定的申请数", "件", None, DECIDED)
_indicator(
    "on_time_rate",
    "按期办结率",
    "在法定期限（含经批准的延长、扣除不计入的期间）内作出决定的件数 ÷ 办结件数 × 100%",
    "%",
    ON_TIME,
    DECIDED,
)
_indicator(
    "early_rate",
    "提前办结率",
    "在承诺时限内办结的件数 ÷ 办结件数 × 100%（承诺时限短于法定时限）",
    "%",
    EARLY,
    DECIDED,
)
_indicator("same_day_rate", "即办件率", "收件当日办结的件数 ÷ 办结件数 × 100%", "%", SAME_DAY, DECIDED)
_indicator(
    "avg_days",
    "平均办理工作日",
    "办结件自收到申请至作出决定的工作日数之和 ÷ 办结件数",
    "工作日",
    None,
    DECIDED,
    compute=_avg_days,
)
_indicator(
    "pledge_share", "告知承诺占比", "以告知承诺方式受理的件数 ÷ 受理件数 × 100%", "%", PLEDGE, ACCEPTED
)
_indicator(
    "postcheck_rate",
    "事后核查完成率",
    "已完成事后核查的告知承诺件数 ÷ 应核查件数 × 100%",
    "%",
    CHECKED,
    CHECK_DUE,
)
_indicator("good_rate", "好评率", "“非常满意”“满意”“基本满意”的评价数 ÷ 评价数 × 100%", "%", GOOD, RATED)
_indicator("fix_rate", "差评整改率", "已整改的差评数 ÷ 差评数 × 100%", "%", FIXED, BAD)
_indicator(
    "callback_rate", "差评回访率", "已回访的差评数 ÷ 差评数 × 100%（实名差评应100%回访）", "%", CALLED, BAD
)
