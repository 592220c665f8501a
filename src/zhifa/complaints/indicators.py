"""The indicators of 投诉举报 (seeds 001–004 count them): 受理量, 办结率, 按期办结率, 满意率, 回访率,
平均办理时长（小时, and in working hours）, 重复投诉率 — by 承办单位, 渠道, 类别, 月份, registered in ``core.indicators``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db.models import F, Q

from zhifa.core.calendar import working_hours_between, working_windows
from zhifa.core.indicators import Indicator, Value, register

from .enums import Category, Channel, Satisfaction, State

DIMENSIONS = {"org": "承办单位", "channel": "渠道", "category": "类别", "month": "月份"}
COUNTED = ~Q(state__in=[State.REFUSED])  # 不予受理 is not a received matter for the rates
CLOSED = Q(closed_on__isnull=False)
ON_TIME = CLOSED & (Q(due__isnull=True) | Q(closed_on__lte=F("due")))
REVISITED = Q(revisited_on__isnull=False)
SATISFIED = REVISITED & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])
MERGED = Q(merged_into__isnull=False)


def base(actor, start: date, end: date):
    from .selectors import orders_visible

    return orders_visible(actor).filter(received_on__gte=start, received_on__lte=end)


def _key(o: dict, dimension: str) -> tuple[str, str]:
    if dimension == "org":
        return str(o["org_id"]), o["org__name"]
    if dimension == "channel":
        return o["channel"], Channel(o["channel"]).label
    if dimension == "category":
        return o["category"], Category(o["category"]).label
    if dimension == "month":
        m = o["received_on"].strftime("%Y-%m")
        return m, m
    return "", "合计"


def _key_q(dimension: str, key: str) -> Q:
    if not dimension:
        return Q()
    if dimension == "month":
        y, m = (int(x) for x in key.split("-"))
        return Q(received_on__year=y, received_on__month=m)
    return Q(**{{"org": "org_id"}.get(dimension, dimension): key})


_FIELDS = ("pk", "org_id", "org__name", "channel", "category", "received_on")


def _ratio(num_q: Q, den_q: Q, *, percent: bool = True) -> Callable[..., list[Value]]:
    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        qs = base(actor, start, end)
        den_ids = set(qs.filter(den_q).values_list("pk", flat=True))
        num_ids = set(qs.filter(den_q & num_q).values_list("pk", flat=True)) if num_q is not None else den_ids
        groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for o in qs.filter(pk__in=den_ids).values(*_FIELDS):
            g = groups[_key(o, dimension)]
            g[1] += 1
            g[0] += o["pk"] in num_ids
        out = []
        for (key, label), (n, d) in sorted(groups.items()):
            value = (round(100 * n / d, 1) if d else None) if percent else n
            out.append(Value(key, label, value, n, d))
        return out or ([Value("", "合计", None if percent else 0, 0, 0)] if not dimension else [])

    return compute


def _hours(working: bool) -> Callable[..., list[Value]]:
    """Average hours from registration to 办结: natural hours, or (``working``) only the office hours of
    working days (``ZHIFA_WORKING_HOURS`` on the statutory calendar)."""

    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        qs = base(actor, start, end).filter(CLOSED, closed_at__isnull=False)
        windows, days = (working_windows(), {}) if working else (None, None)
        groups: dict[tuple[str, str], list[float]] = defaultdict(list)
        for o in qs.values(*_FIELDS, "received_at", "closed_at"):
            h = (working_hours_between(o["received_at"], o["closed_at"], windows, _workday=days) if working
                 else (o["closed_at"] - o["received_at"]).total_seconds() / 3600)
            groups[_key(o, dimension)].append(h)
        out = [Value(k, lbl, round(sum(h) / len(h), 1), round(sum(h), 1), len(h))
               for (k, lbl), h in sorted(groups.items())]
        return out or ([Value("", "合计", None, 0, 0)] if not dimension else [])

    return compute


def _records(num_q: Q | None, den_q: Q) -> Callable:
    def records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
        qs = base(actor, start, end).filter(den_q).filter(_key_q(dimension, key))
        return qs.filter(num_q) if num_q is not None else qs

    return records


def _indicator(ident: str, name: str, formula: str, unit: str, compute, records) -> Indicator:
    from .list_exports import ORDERS

    return register(Indicator(id=f"complaints.{ident}", name=name, formula=formula, unit=unit, period="month",
                              dimensions=DIMENSIONS, compute=compute, records=records, owner="complaints",
                              domain="投诉举报", export=ORDERS, link=lambda o: f"/complaints/{o.pk}/"))


RECEIVED = _indicator("received", "受理量", "期间收到的工单数（不含不予受理）", "件",
                      _ratio(None, COUNTED, percent=False), _records(None, COUNTED))
CLOSE_RATE = _indicator("close_rate", "办结率", "已办结工单数 ÷ 受理工单数 × 100%", "%",
                        _ratio(CLOSED, COUNTED), _records(CLOSED, COUNTED))
ON_TIME_RATE = _indicator("on_time_rate", "按期办结率", "在办结期限内办结的工单数 ÷ 已办结工单数 × 100%", "%",
                          _ratio(ON_TIME, CLOSED), _records(ON_TIME, CLOSED))
SATISFACTION_RATE = _indicator("satisfaction_rate", "满意率", "回访“满意”“基本满意”的工单数 ÷ 已回访工单数 × 100%",
                               "%", _ratio(SATISFIED, REVISITED), _records(SATISFIED, REVISITED))
REVISIT_RATE = _indicator("revisit_rate", "回访率", "已回访工单数 ÷ 已办结工单数 × 100%", "%",
                          _ratio(REVISITED, CLOSED), _records(REVISITED, CLOSED))
AVG_HOURS = _indicator("avg_hours", "平均办理时长（小时）", "已办结工单自登记至办结的小时数之和 ÷ 已办结工单数（自然小时）",
                       "小时", _hours(False), _records(None, CLOSED & Q(closed_at__isnull=False)))
AVG_WORK_HOURS = _indicator(
    "avg_work_hours", "平均办理时长（工作小时）",
    "已办结工单自登记至办结期间落在工作日办公时间内的小时数之和 ÷ 已办结工单数（工作日按法定节假日安排，"
    "办公时间按本部署设定，默认 8:30–12:00、14:00–17:30）",
    "小时", _hours(True), _records(None, CLOSED & Q(closed_at__isnull=False)))
REPEAT_RATE = _indicator("repeat_rate", "重复投诉率", "被并单的重复工单数 ÷ 受理工单数 × 100%", "%",
                         _ratio(MERGED, COUNTED), _records(MERGED, COUNTED))
