"""The statutory working-day calendar that every legal deadline of the platform is counted on.

Counting rules (shared/domain/procedure.md §0):

* 《民法典》第二百零一条: a period counted in days does not include the day it starts on; counting
  begins the next day.
* 《民法典》第二百零三条: if the last day of a period is a statutory rest day (法定休假日), the day after
  the rest day(s) is the last day. Saturdays and Sundays are rest days unless the State Council made them
  make-up working days (调休上班); make-up working days are working days.
* 处罚法 Art 85, 强制法 Art 69, 复议法 Art 88 (2nd para): the short periods of those laws are counted in
  working days. Callers choose the counter: :func:`add_workdays` or :func:`add_days`.

Where a year's days come from, in priority order (see :func:`day_info`):

1. an administrator-entered :class:`~zhifa.core.models.HolidaySchedule` (the 国务院办公厅 notice for the
   year) -> official. A :class:`~zhifa.core.models.HolidayDay` row decides its date whatever the
   schedule's year (a notice may put a make-up working day in the previous December); in a year that
   has an entered schedule, any other weekday is a working day and any other Saturday/Sunday a rest day;
2. the ``chinese_calendar`` library (PyPI ``chinesecalendar``) -> official. It raises
   ``NotImplementedError`` for years outside its data (1.11.0: 2004-2026); :func:`library_covers` asks it;
3. otherwise a provisional (暂定) calendar computed from 《全国年节及纪念日放假办法》: statutory holidays,
   weekends, and 补假 for holidays falling on a weekend, but without make-up working days (unknown until
   the notice is published). Every day and every result touching such a year says so.

Entered schedules are cached per year and process (:data:`CACHE_TTL_SECONDS`); :func:`invalidate_cache`
clears the cache and runs automatically on model saves/deletes in this process and after
:func:`schedule_import_rows`.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from functools import lru_cache
from typing import Any

import chinese_calendar
from lunardate import LunarDate

from zhifa.core.errors import DomainError

__all__ = [
    "CACHE_TTL_SECONDS",
    "CalendarValueError",
    "DayInfo",
    "DeadlineResult",
    "ScheduleImportError",
    "SOURCE_LIBRARY",
    "SOURCE_STATUTE",
    "STATUTE_EFFECTIVE",
    "add_days",
    "add_workdays",
    "day_info",
    "holidays_in",
    "invalidate_cache",
    "is_workday",
    "library_covers",
    "library_year_range",
    "parse_schedule_csv",
    "qingming_day",
    "schedule_import_rows",
    "statutory_holidays",
    "year_status",
]

SOURCE_LIBRARY = "历年放假安排（内置数据）"  # the chinese_calendar library: a person reads no library names
SOURCE_STATUTE = "《全国年节及纪念日放假办法》推算（暂定）"
SOURCE_ENTERED = "录入的放假安排"

NAME_WORKDAY = "工作日"
NAME_WEEKEND = "周末"
NAME_MAKEUP_WORKDAY = "调休上班"

RULE_WORKDAYS = "工作日计算（不含起算当日，民法典第二百零一条）"
RULE_DAYS = "自然日计算（不含起算当日，民法典第二百零一条；届满日为休息日的顺延，民法典第二百零三条）"
RULE_DAYS_NO_ROLL = "自然日计算（不含起算当日，民法典第二百零一条；届满日不顺延）"

STATUS_ENTERED = "official-entered"
STATUS_LIBRARY = "official-library"
STATUS_PROVISIONAL = "provisional"

# 《全国年节及纪念日放假办法》 as amended by 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》
# (published 2024-11-12, in force 2025-01-01). Confirmed with the `search` tool against copies of the
# decision and the re-published text (国务院客户端/央视新闻 reposts, news of 2024-11-12; secondary
# sources, the gov.cn original itself was not in the corpus):
#   Art 2(1) 元旦 1 day (Jan 1); (2) 春节 4 days (农历除夕、正月初一至初三) -- amended, was 3 days;
#   (3) 清明节 1 day (农历清明当日, i.e. the solar-term day); (4) 劳动节 2 days (May 1, 2) -- amended,
#   was 1 day; (5) 端午节 1 day (农历端午当日, 5/5); (6) 中秋节 1 day (农历中秋当日, 8/15);
#   (7) 国庆节 3 days (Oct 1-3). Art 6: 全体公民放假的假日，如果适逢周六、周日，应当在工作日补假.
#   New Art 7: 调休 may be arranged (so make-up working days exist but only the yearly notice fixes them).
# Before 2025 the 2013 text applied (春节 正月初一至初三, 劳动节 May 1 only); those years are all in the
# library, so the provisional calendar only implements the current text and refuses earlier years.
STATUTE_EFFECTIVE = date(2025, 1, 1)
STATUTE_LABEL = "《全国年节及纪念日放假办法》（2024年11月修订，2025年1月1日起施行）"
_PROVISIONAL_LAST_YEAR = 2099  # 清明 formula below is for 2000-2099; lunardate stops before 2100

CACHE_TTL_SECONDS = 60.0

_WEEKDAYS = "一二三四五六日"

# chinese_calendar labels holidays with English enum values; its own Chinese names are short forms.
_LIBRARY_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "national_day": "国庆节",
    "mid_autumn_festival": "中秋节",
}


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------


class CalendarValueError(DomainError, ValueError):
    """A bad argument for a calendar function (negative period, date out of the supported range...)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"calendar.{code}", message, status=422)


class ScheduleImportError(DomainError, ValueError):
    """An entered schedule was rejected as a whole; ``errors`` lists ``(row_number, 中文原因)``.

    Row number 0 means the import as a whole (missing document, missing statutory holiday, no rows).
    """

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors, key=lambda e: e[0])
        lines = [f"第{n}行：{reason}" if n else reason for n, reason in self.errors]
        fields: dict[str, str] = {}
        for n, reason in self.errors:
            key = f"row_{n}" if n else "schedule"
            fields[key] = f"{fields[key]}；{reason}" if key in fields else reason
        super().__init__(
            "calendar.schedule_invalid",
            f"放假安排未导入，共{len(self.errors)}处错误：" + "；".join(lines),
            fields=fields,
            status=422,
        )


# --------------------------------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_workday: bool
    name: str  # "国庆节", "春节（补假）", "调休上班", "周末", "工作日"
    provisional: bool
    source: str  # "录入的放假安排（国办发明电〔2025〕7号）" / SOURCE_LIBRARY / "…推算（暂定）"
    festival: str = ""  # the holiday a holiday, 补假 or make-up working day belongs to ("" otherwise)


@dataclass(frozen=True)
class DeadlineResult:
    date: date
    rule: str
    explanation: list[str]
    provisional: bool
    inputs: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------------------


def _fmt(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（周{_WEEKDAYS[d.weekday()]}）"


def _fmt_span(first: date, last: date) -> str:
    return _fmt(first) if first == last else f"{_fmt(first)}至{_fmt(last)}"


def _check_date(d: Any, what: str = "日期") -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{what}必须是日期（datetime.date），不能是 {type(d).__name__}")
    return d


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"期间天数必须是整数，不能是 {type(n).__name__}")
    if n < 0:
        raise CalendarValueError("negative_period", f"期间天数不能为负数（收到 {n}）")
    return n


# --------------------------------------------------------------------------------------------------
# Source 3: the statute (provisional)
# --------------------------------------------------------------------------------------------------


def qingming_day(year: int) -> date:
    """The day of the solar term 清明 (sun at ecliptic longitude 15°, Beijing time), 2000-2099.

    寿星通式 [Y*D+C]-L with Y = year % 100, D = 0.2422, C = 4.81 (21st century), L = Y // 4.
    tests/core/test_calendar.py checks it against an astronomical computation for 2000-2099 and
    against the 清明 holidays in chinese_calendar's data (2008-2026).
    """
    if not 2000 <= year <= 2099:
        raise CalendarValueError("out_of_range", f"清明日期推算仅支持2000年至2099年（收到 {year} 年）")
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def _lunar(year: int, month: int, day: int) -> date:
    return LunarDate(year, month, day).to_solar_date()


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """The statutory holidays of ``year`` as ``(date, festival)`` pairs, in date order (current text).

    Two festivals on the same date (中秋节 on Oct 1-3, e.g. 2028-10-03) appear twice.
    """
    if not STATUTE_EFFECTIVE.year <= year <= _PROVISIONAL_LAST_YEAR:
        raise CalendarValueError(
            "out_of_range",
            f"{year}年不在法定节假日推算范围内（{STATUTE_EFFECTIVE.year}年至{_PROVISIONAL_LAST_YEAR}年），"
            "且未录入该年放假安排",
        )
    new_year = _lunar(year, 1, 1)
    entries = [
        (date(year, 1, 1), "元旦"),
        # 除夕 is the day before 正月初一 (the 12th lunar month has 29 or 30 days, so never "腊月三十").
        (new_year - timedelta(days=1), "春节"),
        (new_year, "春节"),
        (new_year + timedelta(days=1), "春节"),
        (new_year + timedelta(days=2), "春节"),
        (qingming_day(year), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (_lunar(year, 5, 5), "端午节"),
        (_lunar(year, 8, 15), "中秋节"),
        (date(year, 10, 1), "国庆节"),
        (date(year, 10, 2), "国庆节"),
        (date(year, 10, 3), "国庆节"),
    ]
    return sorted(entries, key=lambda e: e[0])


@lru_cache(maxsize=128)
def _provisional_rest_days(year: int) -> dict[date, tuple[str, str]]:
    """Rest days of a provisional year other than ordinary weekends: date -> (name, festival).

    补假 (办法 Art 6): a holiday on a Saturday or Sunday is made up on the next Monday-Friday that is
    not already a holiday or 补假 day. Two festivals on one date: the text is silent; by analogy with
    Art 6 (and with the 2020 schedule, where 中秋 fell on Oct 1 and the block kept four statutory days,
    see chinese_calendar's 2020 data) the second one is made up the same way.
    """
    entries = statutory_holidays(year)
    days: dict[date, list[str]] = {}
    for d, fest in entries:
        days.setdefault(d, []).append(fest)
    taken = set(days)
    result: dict[date, tuple[str, str]] = {d: ("、".join(fests), fests[-1]) for d, fests in days.items()}
    seen: set[date] = set()
    for d, fest in entries:
        lost = d.weekday() >= 5 or d in seen
        seen.add(d)
        if not lost:
            continue
        m = d + timedelta(days=1)
        while m.weekday() >= 5 or m in taken:
            m += timedelta(days=1)
        taken.add(m)
        result[m] = (f"{fest}（补假）", fest)
    return result


def _provisional_info(d: date) -> DayInfo:
    rest = _provisional_rest_days(d.year).get(d)
    if rest:
        return DayInfo(d, False, rest[0], True, SOURCE_STATUTE, rest[1])
    if d.weekday() >= 5:
        return DayInfo(d, False, NAME_WEEKEND, True, SOURCE_STATUTE)
    return DayInfo(d, True, NAME_WORKDAY, True, SOURCE_STATUTE)


# --------------------------------------------------------------------------------------------------
# Source 2: the chinese_calendar library
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def library_covers(year: int) -> bool:
    """Whether chinese_calendar has data for ``year`` (it raises NotImplementedError otherwise)."""
    try:
        chinese_calendar.get_holiday_detail(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1)
def library_year_range() -> tuple[int, int] | None:
    """First and last year chinese_calendar covers (1.11.0: 2004-2026), found by asking it."""
    years = [y for y in range(1990, 2101) if library_covers(y)]
    return (years[0], years[-1]) if years else None


def _library_name(value: str) -> str:
    try:
        member = chinese_calendar.Holiday(value)
    except ValueError:
        return value
    return _LIBRARY_NAMES.get(member.name) or getattr(member, "chinese", "") or value


def _library_info(d: date) -> DayInfo:
    on_holiday, value = chinese_calendar.get_holiday_detail(d)
    if value is None:
        if on_holiday:
            return DayInfo(d, False, NAME_WEEKEND, False, SOURCE_LIBRARY)
        return DayInfo(d, True, NAME_WORKDAY, False, SOURCE_LIBRARY)
    fest = _library_name(value)
    if on_holiday:
        return DayInfo(d, False, fest, False, SOURCE_LIBRARY, fest)
    return DayInfo(d, True, NAME_MAKEUP_WORKDAY, False, SOURCE_LIBRARY, fest)


# --------------------------------------------------------------------------------------------------
# Source 1: entered schedules (database), cached per year
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _EnteredYear:
    document: str | None  # None: no schedule entered for this year
    rows: Mapping[date, tuple[bool, str, str]]  # date -> (is_workday, name, source)


_cache: dict[int, tuple[float, _EnteredYear]] = {}
_cache_lock = threading.Lock()
_cache_generation = 0  # bumped by invalidate_cache(), so a lookup racing an invalidation is not stored


def _entered_source(document: str) -> str:
    return f"{SOURCE_ENTERED}（{document}）" if document else SOURCE_ENTERED


def _fetch_entered_year(year: int) -> _EnteredYear:
    from zhifa.core.models import HolidayDay, HolidaySchedule

    schedule = HolidaySchedule.objects.filter(year=year).values("document").first()
    rows = {
        r["date"]: (r["is_workday"], r["name"], _entered_source(r["schedule__document"]))
        for r in HolidayDay.objects.filter(date__year=year).values(
            "date", "is_workday", "name", "schedule__document"
        )
    }
    return _EnteredYear(None if schedule is None else schedule["document"], rows)


def _entered_year(year: int) -> _EnteredYear:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(year)
        generation = _cache_generation
    if hit is not None and now - hit[0] < CACHE_TTL_SECONDS:
        return hit[1]
    value = _fetch_entered_year(year)
    with _cache_lock:
        if generation == _cache_generation:
            _cache[year] = (now, value)
    return value


def invalidate_cache() -> None:
    """Forget cached entered schedules; call after HolidaySchedule/HolidayDay changes.

    Saves and deletes through the ORM call it automatically (signals below); bulk operations and other
    processes do not, which is why entries also expire after :data:`CACHE_TTL_SECONDS`.
    """
    global _cache_generation
    with _cache_lock:
        _cache.clear()
        _cache_generation += 1


def _on_schedule_change(sender: Any = None, **kwargs: Any) -> None:
    invalidate_cache()


def _connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for sender in ("core.HolidaySchedule", "core.HolidayDay"):
        for signal, kind in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                _on_schedule_change, sender=sender, weak=False, dispatch_uid=f"zhifa.calendar.{sender}.{kind}"
            )


_connect_signals()


# --------------------------------------------------------------------------------------------------
# Day lookups
# --------------------------------------------------------------------------------------------------


def day_info(d: date) -> DayInfo:
    """Whether ``d`` is a working day, why, and from which source (see the module docstring)."""
    d = _check_date(d)
    entered = _entered_year(d.year)
    row = entered.rows.get(d)
    if row is not None:
        workday, name, source = row
        if workday:
            return DayInfo(
                d, True, NAME_MAKEUP_WORKDAY, False, source, name if name != NAME_MAKEUP_WORKDAY else ""
            )
        return DayInfo(d, False, name or "放假", False, source, name)
    if entered.document is not None:
        source = _entered_source(entered.document)
        if d.weekday() >= 5:
            return DayInfo(d, False, NAME_WEEKEND, False, source)
        return DayInfo(d, True, NAME_WORKDAY, False, source)
    if library_covers(d.year):
        return _library_info(d)
    return _provisional_info(d)


def is_workday(d: date) -> bool:
    return day_info(d).is_workday


def year_status(year: int) -> str:
    """``official-entered`` | ``official-library`` | ``provisional`` for the days of ``year``."""
    if _entered_year(year).document is not None:
        return STATUS_ENTERED
    if library_covers(year):
        return STATUS_LIBRARY
    return STATUS_PROVISIONAL


def holidays_in(year: int) -> list[DayInfo]:
    """Every holiday, 补假 and make-up working day dated in ``year`` (ordinary weekends excluded)."""
    d = date(year, 1, 1)
    out = []
    while d.year == year:
        info = day_info(d)
        if info.name not in (NAME_WORKDAY, NAME_WEEKEND):
            out.append(info)
        d += timedelta(days=1)
    return out


# --------------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------------


def _describe(days: Iterable[DayInfo]) -> list[str]:
    """Chinese lines: holiday blocks skipped, ordinary weekends skipped, make-up working days counted."""
    lines: list[str] = []
    weekends = 0
    run: list[DayInfo] = []

    def flush() -> None:
        if run:
            note = "（暂定）" if run[0].provisional else ""
            lines.append(
                f"跳过{run[0].festival}假期{note}：{_fmt_span(run[0].date, run[-1].date)}，共{len(run)}天。"
            )
            run.clear()

    for info in days:
        if not info.is_workday and info.name != NAME_WEEKEND:
            if run and (run[-1].festival != info.festival or (info.date - run[-1].date).days != 1):
                flush()
            run.append(info)
            continue
        flush()
        if not info.is_workday:
            weekends += 1
        elif info.name == NAME_MAKEUP_WORKDAY:
            lines.append(f"{_fmt(info.date)}为{info.festival}调休上班日，按工作日计算。")
    flush()
    if weekends:
        lines.append(f"跳过普通周末{weekends}天。")
    return lines


def _year_source(year: int) -> str:
    # The year's source, not one row's: a row of a neighbouring year's schedule may decide a single day.
    status = year_status(year)
    if status == STATUS_ENTERED:
        return _entered_source(_entered_year(year).document or "")
    return SOURCE_LIBRARY if status == STATUS_LIBRARY else SOURCE_STATUTE


def _provenance(days: Iterable[DayInfo]) -> tuple[bool, list[str]]:
    """(any day provisional?, Chinese lines naming each year's source and warning on provisional years)."""
    days = list(days)
    if not days:
        return False, []
    years = sorted({info.date.year for info in days})
    provisional_years = sorted({info.date.year for info in days if info.provisional})
    lines = ["日历依据：" + "；".join(f"{y}年——{_year_source(y)}" for y in years) + "。"]
    if provisional_years:
        named = "、".join(f"{y}年" for y in provisional_years)
        lines.append(
            f"注意：{named}的国务院办公厅放假安排尚未录入，内置的历年放假安排也未覆盖；"
            f"本结果按{STATUTE_LABEL}推算法定节假日及周末补假，未包含调休上班日，为暂定结果。"
            "放假安排公布并录入后，请重新计算。"
        )
    return bool(provisional_years), lines


def add_workdays(start: date, n: int) -> DeadlineResult:
    """The ``n``-th working day after ``start`` (``start`` itself not counted; 民法典第二百零一条).

    ``n == 0`` returns ``start`` unchanged; ``n < 0`` raises :class:`CalendarValueError`.
    """
    start = _check_date(start, "起算日")
    n = _check_n(n)
    inputs = {"start": start.isoformat(), "n": n, "kind": "workdays"}
    if n == 0:
        return DeadlineResult(
            start, RULE_WORKDAYS, [f"期间为0个工作日，到期日即起算日{_fmt(start)}。"], False, inputs
        )
    visited: list[DayInfo] = []
    d, count = start, 0
    while count < n:
        d += timedelta(days=1)
        info = day_info(d)
        visited.append(info)
        if info.is_workday:
            count += 1
    provisional, provenance = _provenance(visited)
    explanation = [
        f"起算日{_fmt(start)}当日不计入，自次日起算（民法典第二百零一条）；"
        "法定节假日和休息日不计入，调休上班日计入。",
        *_describe(visited),
        f"第{n}个工作日为{_fmt(d)}，即期间届满日。",
        *provenance,
    ]
    return DeadlineResult(d, RULE_WORKDAYS, explanation, provisional, inputs)


def add_days(start: date, n: int, roll_over: bool = True) -> DeadlineResult:
    """``n`` calendar days after ``start`` (``start`` not counted; 民法典第二百零一条).

    With ``roll_over`` a last day that is a rest day (holiday, 补假, or a weekend that is not a make-up
    working day) moves to the day after the rest days, i.e. the next working day (民法典第二百零三条).
    ``n == 0`` returns ``start`` unchanged; ``n < 0`` raises :class:`CalendarValueError`.
    """
    start = _check_date(start, "起算日")
    n = _check_n(n)
    inputs = {"start": start.isoformat(), "n": n, "kind": "days", "roll_over": bool(roll_over)}
    rule = RULE_DAYS if roll_over else RULE_DAYS_NO_ROLL
    if n == 0:
        return DeadlineResult(start, rule, [f"期间为0日，到期日即起算日{_fmt(start)}。"], False, inputs)
    last = start + timedelta(days=n)
    explanation = [
        f"起算日{_fmt(start)}当日不计入，自次日起算，第{n}日为{_fmt(last)}（民法典第二百零一条）。"
    ]
    if not roll_over:
        explanation.append("本期间按自然日计算，届满日不因节假日顺延。")
        return DeadlineResult(last, rule, explanation, False, inputs)
    info = day_info(last)
    considered = [info]
    if info.is_workday:
        kind = "调休上班日" if info.name == NAME_MAKEUP_WORKDAY else "工作日"
        explanation.append(f"{_fmt(last)}为{kind}，无需顺延。")
        result = last
    else:
        rest = [info]
        d = last + timedelta(days=1)
        nxt = day_info(d)
        while not nxt.is_workday:
            rest.append(nxt)
            d += timedelta(days=1)
            nxt = day_info(d)
        considered = [*rest, nxt]
        what = "周末" if info.name == NAME_WEEKEND else f"{info.festival or info.name}假期"
        explanation.append(
            f"期间最后一日{_fmt(last)}为法定休假日（{what}），依民法典第二百零三条，"
            f"以休假日结束的次日{_fmt(d)}为期间的最后一日。"
        )
        explanation.extend(_describe(rest))
        result = d
    provisional, provenance = _provenance(considered)
    explanation.extend(provenance)
    return DeadlineResult(result, rule, explanation, provisional, inputs)


# --------------------------------------------------------------------------------------------------
# Entering a year's schedule (the 国务院办公厅 notice)
# --------------------------------------------------------------------------------------------------

_TYPE_HOLIDAY = {"放假", "休", "休息", "假", "假日", "holiday", "off", "rest"}
_TYPE_WORKDAY = {"上班", "班", "调休上班", "补班", "workday", "work"}
_HEADERS = {"日期": "date", "date": "date", "类型": "type", "type": "type", "名称": "name", "name": "name"}
_NAME_MAX = 50  # HolidayDay.name max_length


def _parse_date_value(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _window(year: int) -> tuple[date, date]:
    # A notice covers its year; make-up working days (or a New Year block) may reach into the
    # previous December, and a block may end in the next January.
    return date(year - 1, 12, 1), date(year + 1, 1, 31)


def parse_schedule_csv(text: str | bytes) -> list[dict]:
    """Rows of a CSV with header ``日期,类型,名称`` (or ``date,type,name``), for :func:`schedule_import_rows`.

    Each dict has ``date``, ``type``, ``name`` and ``line`` (the CSV line number, header = 1, used in
    error messages). Blank lines are skipped. Bytes are decoded as UTF-8 (BOM allowed) or GB18030.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = text.decode("gb18030")
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header: list[str | None] | None = None
    rows: list[dict] = []
    for line_no, record in enumerate(reader, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [_HEADERS.get(cell.strip().lower()) for cell in record]
            if not {"date", "type"} <= set(header):
                raise ScheduleImportError([(line_no, "表头应为“日期,类型,名称”（或 date,type,name）")])
            continue
        row: dict[str, Any] = {"date": "", "type": "", "name": "", "line": line_no}
        for key, cell in zip(header, record, strict=False):
            if key:
                row[key] = cell.strip()
        rows.append(row)
    if header is None:
        raise ScheduleImportError([(0, "文件为空，缺少表头“日期,类型,名称”")])
    return rows


def _row_number(row: Any, index: int) -> int:
    line = row.get("line") if isinstance(row, Mapping) else None
    return line if isinstance(line, int) and line > 0 else index


def _validate_rows(
    year: int, rows: list[Mapping[str, Any]]
) -> tuple[list[tuple[date, bool, str]], dict[date, int], list[tuple[int, str]]]:
    """Parse and check every row: (parsed rows, date -> row number, errors)."""
    errors: list[tuple[int, str]] = []
    parsed: list[tuple[date, bool, str]] = []
    numbers: dict[date, int] = {}
    first, last = _window(year)
    for index, row in enumerate(rows, start=1):
        number = _row_number(row, index)
        if not isinstance(row, Mapping):
            errors.append((number, "数据格式错误，应包含日期、类型、名称"))
            continue
        row_errors: list[str] = []
        raw_date = row.get("date", row.get("日期"))
        d = _parse_date_value(raw_date)
        if d is None:
            row_errors.append(f"日期“{raw_date or ''}”无法识别，应为 YYYY-MM-DD")
        elif not first <= d <= last:
            row_errors.append(
                f"日期{d.isoformat()}不在{year}年放假安排的范围内（{first.isoformat()}至{last.isoformat()}）"
            )
        raw_type = str(row.get("type", row.get("类型")) or "").strip()
        workday: bool | None = None
        if raw_type.lower() in _TYPE_HOLIDAY:
            workday = False
        elif raw_type.lower() in _TYPE_WORKDAY:
            workday = True
        else:
            row_errors.append(f"类型“{raw_type}”无法识别，应为“放假”或“上班”")
        name = str(row.get("name", row.get("名称")) or "").strip()
        if len(name) > _NAME_MAX:
            row_errors.append(f"名称过长（最多{_NAME_MAX}字）")
        if d is not None and d in numbers:
            row_errors.append(f"日期{d.isoformat()}与第{numbers[d]}行重复")
        if d is not None and workday and not row_errors:
            if d in _statutory_dates(d.year):
                row_errors.append(f"{_fmt(d)}是法定节假日，不能安排为上班日")
            elif d.weekday() < 5:
                row_errors.append(f"{_fmt(d)}本是工作日，无需录入为调休上班日，请核对日期")
        if d is not None and d not in numbers:
            numbers[d] = number
        if row_errors:
            errors.extend((number, reason) for reason in row_errors)
        elif d is not None and workday is not None:
            parsed.append((d, workday, name or (NAME_MAKEUP_WORKDAY if workday else "放假")))
    return parsed, numbers, errors


def _statutory_dates(year: int) -> dict[date, str]:
    if not STATUTE_EFFECTIVE.year <= year <= _PROVISIONAL_LAST_YEAR:
        return {}
    return {d: fest for d, fest in statutory_holidays(year)}


def schedule_import_rows(
    year: int,
    rows: list[Mapping[str, Any]],
    *,
    document: str,
    published_on: date | str | None,
    entered_by: str,
    actor: Any = None,
):
    """Replace ``year``'s entered schedule with ``rows`` (``{"date", "type": 放假|上班, "name"}``).

    Everything is validated first and the import is rejected as a whole, with every problem listed, by
    :class:`ScheduleImportError`: unreadable date, date outside the year +/- 1 month, unknown type,
    duplicate date, a make-up working day on a weekday or on a statutory holiday, a date already entered
    for another year, and (years from 2025) a statutory holiday of the year missing from the rows.
    Returns the new :class:`~zhifa.core.models.HolidaySchedule`.

    Who may enter schedules is decided above this module: the pages and the API call
    :func:`zhifa.console.calendar_services.calendar_schedule_import`, which lets only the 系统管理员 of the top
    unit of the org tree through (the calendar counts every unit's legal deadlines); the command line, the
    installer, passes ``actor`` None. The import is audited with ``actor``.
    """
    from django.db import IntegrityError, transaction

    from zhifa.core.models import HolidayDay, HolidaySchedule

    errors: list[tuple[int, str]] = []
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2099:
        raise ScheduleImportError([(0, f"年度“{year}”无效，应为2000年至2099年之间的整数")])
    document = (document or "").strip()
    if not document:
        errors.append((0, "请填写发文字号或来源（如“国办发明电〔2025〕7号”）"))
    elif len(document) > 200:
        errors.append((0, "发文字号/来源过长（最多200字）"))
    published = None
    if published_on not in (None, ""):
        published = _parse_date_value(published_on)
        if published is None:
            errors.append((0, f"发布日期“{published_on}”无法识别，应为 YYYY-MM-DD"))
    rows = list(rows or [])
    if not rows:
        errors.append((0, "没有任何放假/上班数据行"))
    parsed, numbers, row_errors = _validate_rows(year, rows)
    errors.extend(row_errors)
    if not row_errors and rows:
        holidays = {d for d, workday, _ in parsed if not workday}
        for d, fest in sorted(_statutory_dates(year).items()):
            if d not in holidays:
                errors.append(
                    (
                        0,
                        f"缺少法定节假日{_fmt(d)}（{fest}）：依{STATUTE_LABEL}该日全体公民放假，请核对放假安排",
                    )
                )
    if errors:
        raise ScheduleImportError(errors)

    with transaction.atomic():
        clashes = (
            HolidayDay.objects.filter(date__in=[d for d, _, _ in parsed])
            .exclude(schedule__year=year)
            .values_list("date", "schedule__year")
        )
        clash_errors = [
            (numbers.get(d, 0), f"日期{d.isoformat()}已录入在{other}年放假安排中，请先修改该年度安排")
            for d, other in clashes
        ]
        if clash_errors:
            raise ScheduleImportError(clash_errors)
        HolidaySchedule.objects.filter(year=year).delete()
        schedule = HolidaySchedule.objects.create(
            year=year, document=document, published_on=published, entered_by=(entered_by or "")[:150]
        )
        try:
            with transaction.atomic():
                HolidayDay.objects.bulk_create(
                    [
                        HolidayDay(schedule=schedule, date=d, is_workday=w, name=name)
                        for d, w, name in sorted(parsed)
                    ]
                )
        except IntegrityError as exc:  # another import claimed one of the dates meanwhile
            raise ScheduleImportError([(0, "其他年度的放假安排同时录入了相同日期，请刷新后重试")]) from exc
        from zhifa.core.audit import audit_record

        audit_record(action="calendar.schedule_import", actor=actor, target=schedule,
                     detail={"year": year, "days": len(parsed), "document": document})
        invalidate_cache()
        transaction.on_commit(invalidate_cache)
    return schedule


# --- working hours -----------------------------------------------------------------------------------

DEFAULT_WORKING_HOURS = "08:30-12:00,14:00-17:30"


def working_windows(spec: str | None = None) -> list[tuple[dtime, dtime]]:
    """Office hours of a working day, from ``spec`` or ``ZHIFA_WORKING_HOURS`` ("08:30-12:00,14:00-17:30",
    the default): ordered, non-overlapping ``HH:MM-HH:MM`` windows. A malformed value is refused by name."""
    import os

    raw = (spec if spec is not None else os.environ.get("ZHIFA_WORKING_HOURS", "")).strip() or DEFAULT_WORKING_HOURS
    out: list[tuple[dtime, dtime]] = []
    try:
        for part in raw.split(","):
            a, b = (dtime.fromisoformat(x.strip()) for x in part.split("-"))
            if not a < b or (out and a < out[-1][1]):
                raise ValueError(part)
            out.append((a, b))
    except ValueError:
        raise ValueError(f"ZHIFA_WORKING_HOURS 的值“{raw}”应为按时间先后、互不重叠的 HH:MM-HH:MM，以逗号分隔，"
                         f"如 {DEFAULT_WORKING_HOURS}") from None
    return out


def working_hours_between(start: datetime, end: datetime, windows: list[tuple[dtime, dtime]] | None = None,
                          *, _workday: dict[date, bool] | None = None) -> float:
    """Hours between two aware datetimes that fall in office hours (``windows``, local time) of working days
    (this calendar: weekends, statutory holidays and 调休 make-up days counted as the State Council set them).
    ``_workday`` lets a caller share the day lookups of many intervals."""
    from django.utils import timezone

    if end <= start:
        return 0.0
    windows = windows if windows is not None else working_windows()
    s, e = timezone.localtime(start), timezone.localtime(end)
    tz = s.tzinfo
    memo = _workday if _workday is not None else {}
    seconds = 0.0
    d = s.date()
    while d <= e.date():
        if d not in memo:
            memo[d] = is_workday(d)
        if memo[d]:
            for a, b in windows:
                lo = max(s, datetime.combine(d, a, tzinfo=tz))
                hi = min(e, datetime.combine(d, b, tzinfo=tz))
                if hi > lo:
                    seconds += (hi - lo).total_seconds()
        d += timedelta(days=1)
    return seconds / 3600
