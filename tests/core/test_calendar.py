"""The statutory working-day calendar (zhifa.core.calendar).

2026 facts are from 《国务院办公厅关于2026年部分节假日安排的通知》 (2025-11-04, Xinhua text as reposted
by gmw.cn), which match chinese_calendar 1.11.0's 2026 data:
  元旦 1/1-1/3 放假, 1/4(日) 上班; 春节 2/15-2/23 放假, 2/14(六)、2/28(六) 上班; 清明 4/4-4/6;
  劳动节 5/1-5/5, 5/9(六) 上班; 端午 6/19-6/21; 中秋 9/25-9/27; 国庆 10/1-10/7, 9/20(日)、10/10(六) 上班.

Tests without ``django_db`` run without a database: the entered-schedule lookup is replaced by "nothing
entered", so they exercise the library and the statutory (provisional) sources only.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lunardate import LunarDate

from zhifa.core import calendar as cal

D = date


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.fixture(autouse=True)
def _calendar_isolation(request, monkeypatch):
    """Fresh cache per test; no database unless the test asks for one."""
    cal.invalidate_cache()
    if request.node.get_closest_marker("django_db") is None:
        monkeypatch.setattr(cal, "_fetch_entered_year", lambda year: cal._EnteredYear(None, {}))
    yield
    cal.invalidate_cache()


# ---------------------------------------------------------------------------------------------------
# Sources and coverage
# ---------------------------------------------------------------------------------------------------


def test_library_coverage_and_year_status():
    assert cal.library_year_range() == (2004, 2026)
    assert cal.library_covers(2026) and not cal.library_covers(2027) and not cal.library_covers(2003)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))
    assert cal.year_status(2026) == "official-library"
    assert cal.year_status(2027) == "provisional"
    info = cal.day_info(D(2026, 3, 3))
    assert info == cal.DayInfo(D(2026, 3, 3), True, "工作日", False, "历年放假安排（内置数据）")
    assert cal.is_workday(D(2026, 3, 3))


NOTICE_2026_HOLIDAYS = {
    "元旦": (D(2026, 1, 1), D(2026, 1, 3)),
    "春节": (D(2026, 2, 15), D(2026, 2, 23)),
    "清明节": (D(2026, 4, 4), D(2026, 4, 6)),
    "劳动节": (D(2026, 5, 1), D(2026, 5, 5)),
    "端午节": (D(2026, 6, 19), D(2026, 6, 21)),
    "中秋节": (D(2026, 9, 25), D(2026, 9, 27)),
    "国庆节": (D(2026, 10, 1), D(2026, 10, 7)),
}
NOTICE_2026_WORKDAYS = {
    D(2026, 1, 4): "元旦",
    D(2026, 2, 14): "春节",
    D(2026, 2, 28): "春节",
    D(2026, 5, 9): "劳动节",
    D(2026, 9, 20): "国庆节",
    D(2026, 10, 10): "国庆节",
}


def _notice_2026_rows() -> list[dict]:
    rows = []
    for name, (first, last) in NOTICE_2026_HOLIDAYS.items():
        rows += [{"date": d.isoformat(), "type": "放假", "name": name} for d in _days(first, last)]
    rows += [
        {"date": d.isoformat(), "type": "上班", "name": name} for d, name in NOTICE_2026_WORKDAYS.items()
    ]
    return rows


def test_2026_library_data_matches_the_notice():
    for name, (first, last) in NOTICE_2026_HOLIDAYS.items():
        for d in _days(first, last):
            info = cal.day_info(d)
            assert (info.is_workday, info.name, info.festival, info.provisional) == (False, name, name, False)
        assert cal.is_workday(first - timedelta(days=1)) or first - timedelta(days=1) in NOTICE_2026_WORKDAYS
    for d, name in NOTICE_2026_WORKDAYS.items():
        info = cal.day_info(d)
        assert d.weekday() >= 5
        assert (info.is_workday, info.name, info.festival) == (True, "调休上班", name)
    listed = cal.holidays_in(2026)
    assert sum(not i.is_workday for i in listed) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert {i.date for i in listed if i.is_workday} == set(NOTICE_2026_WORKDAYS)


# ---------------------------------------------------------------------------------------------------
# 2026 Spring Festival and National Day
# ---------------------------------------------------------------------------------------------------


def test_workdays_around_2026_spring_festival():
    # 2/13 Fri; 2/14 Sat is a make-up working day; 2/15-2/23 holiday; 2/28 Sat make-up working day.
    assert cal.add_workdays(D(2026, 2, 13), 1).date == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 13), 2).date == D(2026, 2, 24)
    r = cal.add_workdays(D(2026, 2, 13), 7)
    assert r.date == D(2026, 3, 2)  # 2/14, 2/24, 2/25, 2/26, 2/27, 2/28(六), 3/2
    assert not r.provisional
    assert r.rule == "工作日计算（不含起算当日，民法典第二百零一条）"
    assert r.inputs == {"start": "2026-02-13", "n": 7, "kind": "workdays"}
    text = "\n".join(r.explanation)
    assert "跳过春节假期：2026年2月15日（周日）至2026年2月23日（周一），共9天" in text
    assert "2026年2月14日（周六）为春节调休上班日" in text
    assert "2026年2月28日（周六）为春节调休上班日" in text
    assert "历年放假安排（内置数据）" in text and "暂定" not in text
    # Started inside the holiday: the first working day is the day after it.
    assert cal.add_workdays(D(2026, 2, 16), 1).date == D(2026, 2, 24)


def test_seven_workdays_from_2026_09_29_over_national_day():
    r = cal.add_workdays(D(2026, 9, 29), 7)
    # 9/30, (10/1-10/7 holiday), 10/8, 10/9, 10/10(六 make-up), (10/11 Sun), 10/12, 10/13, 10/14
    assert r.date == D(2026, 10, 14)
    text = "\n".join(r.explanation)
    assert "跳过国庆节假期：2026年10月1日（周四）至2026年10月7日（周三），共7天" in text
    assert "2026年10月10日（周六）为国庆节调休上班日" in text
    assert "跳过普通周末1天" in text
    # 9/20 is a Sunday make-up working day: the first working day after Fri 9/18.
    assert cal.add_workdays(D(2026, 9, 18), 1).date == D(2026, 9, 20)


def test_add_days_landing_in_2026_national_day_rolls_over():
    r = cal.add_days(D(2026, 9, 25), 8)  # 10/3
    assert r.date == D(2026, 10, 8)
    assert r.rule.endswith("民法典第二百零三条）")
    assert r.inputs == {"start": "2026-09-25", "n": 8, "kind": "days", "roll_over": True}
    text = "\n".join(r.explanation)
    assert "第8日为2026年10月3日（周六）" in text
    assert "第二百零三条" in text and "国庆节" in text and "2026年10月8日（周四）" in text
    assert cal.add_days(D(2026, 9, 30), 1).date == D(2026, 10, 8)
    # Landing on a make-up working day (Sat 10/10): no roll-over.
    r = cal.add_days(D(2026, 10, 9), 1)
    assert r.date == D(2026, 10, 10) and "调休上班日，无需顺延" in "".join(r.explanation)


def test_add_days_without_roll_over():
    r = cal.add_days(D(2026, 9, 25), 8, roll_over=False)
    assert r.date == D(2026, 10, 3)
    assert "不顺延" in r.rule and not r.provisional
    assert r.inputs["roll_over"] is False
    # Into a provisional year: pure arithmetic, nothing provisional about it.
    r = cal.add_days(D(2026, 12, 31), 1, roll_over=False)
    assert r.date == D(2027, 1, 1) and not r.provisional


def test_weekends():
    sat, sun, mon = D(2026, 3, 7), D(2026, 3, 8), D(2026, 3, 9)
    assert cal.day_info(sat).name == "周末" and not cal.is_workday(sun)
    assert cal.add_days(D(2026, 3, 6), 1).date == mon  # Sat -> Mon (民法典第二百零三条)
    assert "法定休假日（周末）" in "".join(cal.add_days(D(2026, 3, 6), 2).explanation)
    assert cal.add_workdays(D(2026, 3, 6), 1).date == mon
    assert cal.add_workdays(sat, 1).date == mon
    assert cal.add_workdays(D(2026, 3, 2), 5).date == D(2026, 3, 9)
    assert "跳过普通周末2天" in "".join(cal.add_workdays(D(2026, 3, 2), 5).explanation)
    assert cal.add_days(D(2026, 3, 2), 3).date == D(2026, 3, 5)  # a weekday: no roll-over


# ---------------------------------------------------------------------------------------------------
# Across 2026-12-31 into 2027 (provisional)
# ---------------------------------------------------------------------------------------------------


def test_across_year_end_into_provisional_2027():
    r = cal.add_workdays(D(2026, 12, 30), 3)  # 12/31, (1/1 元旦, 1/2-1/3 weekend), 1/4, 1/5
    assert r.date == D(2027, 1, 5)
    assert r.provisional
    text = "\n".join(r.explanation)
    assert "暂定" in text and "2027年——《全国年节及纪念日放假办法》推算（暂定）" in text
    assert "2026年——历年放假安排（内置数据）" in text
    assert "未包含调休上班日" in text
    # Staying within 2026: not provisional.
    r = cal.add_workdays(D(2026, 12, 28), 3)
    assert r.date == D(2026, 12, 31) and not r.provisional and "暂定" not in "".join(r.explanation)
    # add_days landing on 2027-01-01 rolls over past the weekend, provisional.
    r = cal.add_days(D(2026, 12, 31), 1)
    assert r.date == D(2027, 1, 4) and r.provisional


def test_2027_provisional_holidays():
    new_year = cal.day_info(D(2027, 1, 1))
    assert (new_year.is_workday, new_year.name, new_year.provisional) == (False, "元旦", True)
    assert new_year.source == "《全国年节及纪念日放假办法》推算（暂定）"
    # 正月初一 2027 is Sat 2027-02-06, so 除夕 is Fri 2027-02-05 (computed, then checked in lunar terms).
    first_day = LunarDate(2027, 1, 1).to_solar_date()
    eve = first_day - timedelta(days=1)
    assert eve == D(2027, 2, 5)
    lunar_eve = LunarDate.from_solar_date(eve.year, eve.month, eve.day)
    assert (lunar_eve.month, lunar_eve.day in (29, 30)) == (12, True)
    spring = [d for d, fest in cal.statutory_holidays(2027) if fest == "春节"]
    assert spring == _days(D(2027, 2, 5), D(2027, 2, 8))  # 4 days: 除夕, 初一 to 初三
    for d in spring:
        info = cal.day_info(d)
        assert not info.is_workday and info.festival == "春节" and info.provisional
    # 初一 (Sat) and 初二 (Sun) fall on a weekend: 补假 on Tue 2/9 and Wed 2/10 (办法 Art 6).
    assert [cal.day_info(d).name for d in (D(2027, 2, 9), D(2027, 2, 10))] == ["春节（补假）"] * 2
    assert cal.is_workday(D(2027, 2, 4)) and cal.is_workday(D(2027, 2, 11))
    r = cal.add_workdays(D(2027, 2, 4), 1)
    assert r.date == D(2027, 2, 11) and r.provisional
    assert "跳过春节假期（暂定）：2027年2月5日（周五）至2027年2月10日（周三），共6天" in "".join(
        r.explanation
    )
    # The rest of 2027.
    assert cal.day_info(D(2027, 4, 5)).name == "清明节"
    assert [cal.day_info(d).name for d in _days(D(2027, 5, 1), D(2027, 5, 4))] == [
        "劳动节",
        "劳动节",
        "劳动节（补假）",
        "劳动节（补假）",
    ]
    assert cal.day_info(D(2027, 6, 9)).name == "端午节"  # lunar 5/5
    assert cal.day_info(D(2027, 9, 15)).name == "中秋节"  # lunar 8/15
    assert cal.add_days(D(2027, 9, 30), 1).date == D(2027, 10, 6)  # 10/1-3 + 补假 10/4, 10/5
    assert all(i.provisional for i in cal.holidays_in(2027))
    assert not any(i.is_workday for i in cal.holidays_in(2027))  # make-up working days are unknown


def test_spring_festival_eve_is_the_last_day_of_the_lunar_year():
    for year in range(2025, 2100):
        eve = next(d for d, fest in cal.statutory_holidays(year) if fest == "春节")
        lunar = LunarDate.from_solar_date(eve.year, eve.month, eve.day)
        assert lunar.month == 12 and lunar.day in (29, 30) and not lunar.is_leap_month
        nxt = eve + timedelta(days=1)
        assert LunarDate.from_solar_date(nxt.year, nxt.month, nxt.day) == LunarDate(year, 1, 1)
    # 2026: the twelfth month had 29 days; the notice calls 2/15 腊月二十八, so 除夕 is 2/16 (二十九).
    assert LunarDate.from_solar_date(2026, 2, 16) == LunarDate(2025, 12, 29)
    assert next(d for d, f in cal.statutory_holidays(2026) if f == "春节") == D(2026, 2, 16)


def test_statutory_days_are_rest_days_in_library_years():
    for year in (2025, 2026):  # the amended text applies
        for d, fest in cal.statutory_holidays(year):
            assert not chinese_calendar.is_workday(d), (d, fest)
    for year in range(2008, 2025):  # before 2025: the same days without 除夕 and 5/2
        for d, fest in _statutory_old(year):
            assert not chinese_calendar.is_workday(d), (d, fest)


def _statutory_old(year: int) -> list[tuple[date, str]]:
    first = LunarDate(year, 1, 1).to_solar_date()
    return [
        (D(year, 1, 1), "元旦"),
        *[(first + timedelta(days=i), "春节") for i in range(3)],
        (cal.qingming_day(year), "清明节"),
        (D(year, 5, 1), "劳动节"),
        (LunarDate(year, 5, 5).to_solar_date(), "端午节"),
        (LunarDate(year, 8, 15).to_solar_date(), "中秋节"),
        *[(D(year, 10, i), "国庆节") for i in (1, 2, 3)],
    ]


def test_bu_jia_goes_to_the_next_weekday_that_is_not_a_holiday():
    # The practice the rule follows, in library data: 元旦 2017 fell on a Sunday and the 2017 notice
    # gave "1月2日（星期一）补休".
    assert chinese_calendar.get_holiday_detail(D(2017, 1, 2)) == (True, "New Year's Day")
    # 2028: 元旦 on Saturday -> Monday 1/3 (Sunday 1/2 is an ordinary weekend day).
    assert cal.day_info(D(2028, 1, 2)).name == "周末"
    assert cal.day_info(D(2028, 1, 3)).name == "元旦（补假）"
    assert cal.is_workday(D(2028, 1, 4))
    # 2028: 端午 (lunar 5/5) on Sunday 5/28 -> Monday 5/29.
    assert LunarDate(2028, 5, 5).to_solar_date() == D(2028, 5, 28)
    assert cal.day_info(D(2028, 5, 29)).name == "端午节（补假）"
    assert cal.add_days(D(2028, 5, 26), 2).date == D(2028, 5, 30)


def test_two_festivals_on_one_day_get_a_make_up_day():
    # 2028: 中秋 (lunar 8/15) is Tue 10/3, also a 国庆 day; 10/1 is a Sunday.
    assert LunarDate(2028, 8, 15).to_solar_date() == D(2028, 10, 3)
    assert cal.day_info(D(2028, 10, 3)).name == "中秋节、国庆节"
    assert [cal.is_workday(d) for d in _days(D(2028, 9, 29), D(2028, 10, 6))] == [
        True,  # Fri 9/29
        False,  # Sat 9/30
        False,  # Sun 10/1 国庆
        False,  # 10/2 国庆
        False,  # 10/3 国庆 + 中秋
        False,  # 10/4 补假 for 10/1
        False,  # 10/5 补假 for the double day
        True,  # Fri 10/6
    ]


def test_out_of_range_years():
    with pytest.raises(cal.CalendarValueError):
        cal.day_info(D(2003, 6, 2))  # before the library and before the current text
    with pytest.raises(cal.CalendarValueError):
        cal.day_info(D(2100, 1, 4))
    with pytest.raises(ValueError):
        cal.qingming_day(1999)


# ---------------------------------------------------------------------------------------------------
# 清明 formula
# ---------------------------------------------------------------------------------------------------


def _sun_longitude(jd: float) -> float:
    """Apparent solar longitude in degrees (Meeus, Astronomical Algorithms ch. 25, low accuracy ~0.01°)."""
    t = (jd - 2451545.0) / 36525
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    m = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    c = (
        (1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(m)
        + (0.019993 - 0.000101 * t) * math.sin(2 * m)
        + 0.000289 * math.sin(3 * m)
    )
    omega = math.radians(125.04 - 1934.136 * t)
    return (l0 + c - 0.00569 - 0.00478 * math.sin(omega)) % 360


def _astronomical_qingming(year: int) -> datetime:
    """Beijing time when the sun reaches longitude 15° (清明), by bisection around April 4."""
    j2000 = datetime(2000, 1, 1, 12)

    def jd(dt: datetime) -> float:
        return 2451545.0 + (dt - j2000).total_seconds() / 86400

    lo, hi = jd(datetime(year, 4, 2)), jd(datetime(year, 4, 7))
    for _ in range(60):
        mid = (lo + hi) / 2
        if (_sun_longitude(mid) - 15 + 180) % 360 - 180 < 0:
            lo = mid
        else:
            hi = mid
    return j2000 + timedelta(days=lo - 2451545.0, hours=8)


def test_qingming_formula_matches_astronomy_2000_2099():
    checked = 0
    for year in range(2000, 2100):
        moment = _astronomical_qingming(year)
        minutes = moment.hour * 60 + moment.minute
        if min(minutes, 1440 - minutes) < 20:
            continue  # too close to midnight for the low-accuracy model to decide the day
        assert cal.qingming_day(year) == moment.date(), year
        checked += 1
    assert checked >= 95


def test_qingming_formula_matches_chinese_calendar():
    for year in range(2004, 2027):
        terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 30))
        assert (cal.qingming_day(year), "清明") in terms
    # 清明 became a holiday in 2008: the computed day is inside every 清明 holiday the library lists.
    for year in range(2008, 2027):
        on_holiday, name = chinese_calendar.get_holiday_detail(cal.qingming_day(year))
        assert on_holiday and name == chinese_calendar.Holiday.tomb_sweeping_day.value, year
    assert cal.qingming_day(2026) == D(2026, 4, 5)  # inside the notice's 4/4-4/6
    assert cal.qingming_day(2027) == D(2027, 4, 5)


# ---------------------------------------------------------------------------------------------------
# Edge cases of the counters
# ---------------------------------------------------------------------------------------------------


def test_zero_and_negative_periods():
    start = D(2026, 10, 3)  # a holiday
    r = cal.add_workdays(start, 0)
    assert r.date == start and not r.provisional and "到期日即起算日" in r.explanation[0]
    assert cal.add_days(start, 0).date == start
    with pytest.raises(ValueError, match="负数"):
        cal.add_workdays(start, -1)
    with pytest.raises(cal.CalendarValueError, match="负数"):
        cal.add_days(start, -3)
    with pytest.raises(TypeError):
        cal.add_days(datetime(2026, 10, 3, 9, 0), 1)
    with pytest.raises(TypeError):
        cal.add_workdays(start, True)


def test_results_are_immutable():
    r = cal.add_workdays(D(2026, 3, 2), 1)
    with pytest.raises(AttributeError):
        r.date = D(2026, 3, 4)  # type: ignore[misc]


_starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=_starts, n=st.integers(min_value=1, max_value=40))
def test_add_workdays_properties(start, n):
    r = cal.add_workdays(start, n)
    assert r.date > start
    assert cal.is_workday(r.date)
    between = _days(start + timedelta(days=1), r.date)
    assert sum(cal.is_workday(d) for d in between) == n
    assert r.provisional == any(cal.day_info(d).provisional for d in between)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=_starts, n=st.integers(min_value=1, max_value=90))
def test_add_days_properties(start, n):
    last = start + timedelta(days=n)
    assert cal.add_days(start, n, roll_over=False).date == last
    r = cal.add_days(start, n)
    assert r.date >= last and cal.is_workday(r.date)
    assert not any(cal.is_workday(d) for d in _days(last, r.date - timedelta(days=1)))


# ---------------------------------------------------------------------------------------------------
# CSV parsing
# ---------------------------------------------------------------------------------------------------


def test_parse_schedule_csv():
    text = "\ufeff日期,类型,名称\n2027-01-01,放假,元旦\n\n2026-12-26,上班,元旦\n"
    assert cal.parse_schedule_csv(text) == [
        {"date": "2027-01-01", "type": "放假", "name": "元旦", "line": 2},
        {"date": "2026-12-26", "type": "上班", "name": "元旦", "line": 4},
    ]
    english = "Date, Type ,name\n2027-10-01,放假,国庆节\n".encode()
    assert cal.parse_schedule_csv(english)[0]["name"] == "国庆节"
    assert (
        cal.parse_schedule_csv("日期,类型,名称\n2027-10-01,放假,国庆节\n".encode("gb18030"))[0]["name"]
        == "国庆节"
    )
    with pytest.raises(cal.ScheduleImportError) as exc:
        cal.parse_schedule_csv("day,kind\n2027-01-01,放假\n")
    assert exc.value.errors[0][0] == 1 and "表头" in exc.value.errors[0][1]
    with pytest.raises(cal.ScheduleImportError):
        cal.parse_schedule_csv("")


# ---------------------------------------------------------------------------------------------------
# Entered schedules (database)
# ---------------------------------------------------------------------------------------------------

DOC_2027 = "虚构的2027年放假安排（仅供测试）"


def _hypothetical_2027_rows() -> list[dict]:
    """A made-up 2027 schedule: it contains every statutory day, plus invented 调休 working days."""
    spans = {
        "元旦": (D(2027, 1, 1), D(2027, 1, 3)),
        "春节": (D(2027, 2, 5), D(2027, 2, 12)),
        "清明节": (D(2027, 4, 3), D(2027, 4, 5)),
        "劳动节": (D(2027, 5, 1), D(2027, 5, 5)),
        "端午节": (D(2027, 6, 9), D(2027, 6, 9)),
        "中秋节": (D(2027, 9, 15), D(2027, 9, 15)),
        "国庆节": (D(2027, 10, 1), D(2027, 10, 7)),
    }
    rows = [
        {"date": d.isoformat(), "type": "放假", "name": n} for n, (a, b) in spans.items() for d in _days(a, b)
    ]
    workdays = {
        D(2026, 12, 26): "元旦",  # a make-up working day in the previous December
        D(2027, 2, 20): "春节",
        D(2027, 4, 25): "劳动节",
        D(2027, 9, 26): "国庆节",
        D(2027, 10, 9): "国庆节",
    }
    return rows + [{"date": d.isoformat(), "type": "上班", "name": n} for d, n in workdays.items()]


def _import_2027(**kw):
    params = {"document": DOC_2027, "published_on": "2026-11-01", "entered_by": "法制科 张三"} | kw
    return cal.schedule_import_rows(2027, _hypothetical_2027_rows(), **params)


@pytest.mark.django_db
def test_entered_2027_schedule_overrides_the_provisional_calendar():
    from zhifa.core.models import HolidaySchedule

    before = cal.add_workdays(D(2027, 2, 4), 1)
    assert before.date == D(2027, 2, 11) and before.provisional

    schedule = _import_2027()
    assert isinstance(schedule, HolidaySchedule)
    assert (schedule.year, schedule.document, schedule.published_on) == (2027, DOC_2027, D(2026, 11, 1))
    assert schedule.entered_by == "法制科 张三" and schedule.days.count() == 28 + 5

    assert cal.year_status(2027) == "official-entered"
    source = f"录入的放假安排（{DOC_2027}）"
    assert cal.day_info(D(2027, 2, 20)) == cal.DayInfo(
        D(2027, 2, 20), True, "调休上班", False, source, "春节"
    )
    assert cal.day_info(D(2027, 2, 11)) == cal.DayInfo(D(2027, 2, 11), False, "春节", False, source, "春节")
    assert cal.day_info(D(2027, 3, 6)) == cal.DayInfo(D(2027, 3, 6), False, "周末", False, source)
    assert cal.day_info(D(2027, 3, 8)) == cal.DayInfo(D(2027, 3, 8), True, "工作日", False, source)
    # The entered row in December 2026 beats the library for that day; the rest of 2026 stays library.
    assert cal.day_info(D(2026, 12, 26)).is_workday and cal.day_info(D(2026, 12, 26)).source == source
    assert cal.day_info(D(2026, 12, 27)).source == "历年放假安排（内置数据）"
    assert cal.year_status(2026) == "official-library"

    after = cal.add_workdays(D(2027, 2, 4), 1)
    assert after.date == D(2027, 2, 15) and not after.provisional
    assert "暂定" not in "".join(after.explanation) and DOC_2027 in "".join(after.explanation)
    r = cal.add_workdays(D(2026, 12, 30), 3)
    assert r.date == D(2027, 1, 5) and not r.provisional  # 12/31, (1/1-1/3 entered), 1/4, 1/5
    assert cal.add_workdays(D(2027, 2, 19), 1).date == D(2027, 2, 20)
    listed = cal.holidays_in(2027)
    assert {i.date for i in listed if i.is_workday} == {
        D(2027, 2, 20),
        D(2027, 4, 25),
        D(2027, 9, 26),
        D(2027, 10, 9),
    }


@pytest.mark.django_db
def test_reimport_replaces_the_year():
    from zhifa.core.models import HolidayDay, HolidaySchedule

    _import_2027()
    rows = [r for r in _hypothetical_2027_rows() if r["date"] != "2027-02-20"]
    cal.schedule_import_rows(2027, rows, document="第二版", published_on=None, entered_by="李四")
    assert HolidaySchedule.objects.get().document == "第二版"
    assert not HolidayDay.objects.filter(date=D(2027, 2, 20)).exists()
    assert cal.day_info(D(2027, 2, 20)).name == "周末"
    assert cal.day_info(D(2027, 2, 20)).source == "录入的放假安排（第二版）"


@pytest.mark.django_db
def test_import_rejects_bad_rows_as_a_whole():
    from zhifa.core.models import HolidayDay, HolidaySchedule

    rows = [r for r in _hypothetical_2027_rows() if r["date"] != "2027-06-09"]  # drop 端午 (statutory)
    first_bad = len(rows) + 1
    national_day = next(i for i, r in enumerate(rows, start=1) if r["date"] == "2027-10-01")
    rows += [
        {"date": "2027-13-01", "type": "放假", "name": "坏日期"},
        {"date": "2026-10-31", "type": "上班", "name": "太早"},
        {"date": "2027-03-06", "type": "加班", "name": "未知类型"},
        {"date": "2027-10-01", "type": "放假", "name": "国庆节"},  # duplicate
        {"date": "2027-03-08", "type": "上班", "name": "周一"},  # a weekday
    ]
    with pytest.raises(cal.ScheduleImportError) as exc:
        cal.schedule_import_rows(2027, rows, document=" ", published_on="2026-02-30", entered_by="")
    errors = exc.value.errors
    assert isinstance(exc.value, ValueError) and exc.value.code == "calendar.schedule_invalid"
    general = [r for n, r in errors if n == 0]
    assert any("发文字号" in r for r in general) and any("发布日期" in r for r in general)
    by_row = {n: r for n, r in errors if n}
    assert "无法识别" in by_row[first_bad]
    assert "不在2027年放假安排的范围内" in by_row[first_bad + 1]
    assert "类型“加班”无法识别" in by_row[first_bad + 2]
    assert by_row[first_bad + 3] == f"日期2027-10-01与第{national_day}行重复"
    assert "本是工作日" in by_row[first_bad + 4]
    assert len(by_row) == 5
    assert "放假安排未导入" in exc.value.message
    assert not HolidaySchedule.objects.exists() and not HolidayDay.objects.exists()


@pytest.mark.django_db
def test_import_requires_every_statutory_holiday():
    rows = [r for r in _hypothetical_2027_rows() if r["date"] != "2027-02-05"]  # 除夕
    with pytest.raises(cal.ScheduleImportError) as exc:
        cal.schedule_import_rows(2027, rows, document="x", published_on=None, entered_by="")
    assert exc.value.errors == [(0, exc.value.errors[0][1])]
    assert "缺少法定节假日2027年2月5日（周五）（春节）" in exc.value.errors[0][1]
    rows = [r if r["date"] != "2027-10-02" else {**r, "type": "上班"} for r in _hypothetical_2027_rows()]
    with pytest.raises(cal.ScheduleImportError, match="是法定节假日，不能安排为上班日"):
        cal.schedule_import_rows(2027, rows, document="x", published_on=None, entered_by="")


@pytest.mark.django_db
def test_entered_2026_notice_agrees_with_the_library_and_clashes_are_refused():
    schedule = cal.schedule_import_rows(
        2026,
        _notice_2026_rows(),
        document="国务院办公厅关于2026年部分节假日安排的通知",
        published_on="2025-11-04",
        entered_by="管理员",
    )
    assert schedule.days.count() == 33 + 6 and cal.year_status(2026) == "official-entered"
    for d in _days(D(2026, 1, 1), D(2026, 12, 31)):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
    # Once the 2027 import holds 2026-12-26, a 2026 import listing that date too is refused.
    _import_2027()
    rows = _notice_2026_rows() + [{"date": "2026-12-26", "type": "上班", "name": "元旦"}]
    with pytest.raises(cal.ScheduleImportError) as exc:
        cal.schedule_import_rows(2026, rows, document="x", published_on=None, entered_by="")
    assert exc.value.errors == [(len(rows), "日期2026-12-26已录入在2027年放假安排中，请先修改该年度安排")]


@pytest.mark.django_db
def test_csv_import_reports_csv_line_numbers():
    lines = ["日期,类型,名称"] + [f"{r['date']},{r['type']},{r['name']}" for r in _hypothetical_2027_rows()]
    lines.insert(3, "2027/02/31,放假,春节")
    rows = cal.parse_schedule_csv("\n".join(lines))
    with pytest.raises(cal.ScheduleImportError) as exc:
        cal.schedule_import_rows(2027, rows, document="x", published_on=None, entered_by="")
    assert exc.value.errors == [(4, "日期“2027/02/31”无法识别，应为 YYYY-MM-DD")]
    del lines[3]
    schedule = cal.schedule_import_rows(
        2027, cal.parse_schedule_csv("\n".join(lines)), document="x", published_on=None, entered_by=""
    )
    assert schedule.days.count() == len(lines) - 1


@pytest.mark.django_db
def test_orm_changes_invalidate_the_cache():
    from zhifa.core.models import HolidayDay, HolidaySchedule

    assert cal.day_info(D(2027, 3, 6)).provisional  # cached as "nothing entered"
    schedule = HolidaySchedule.objects.create(year=2027, document="手工录入")
    assert cal.year_status(2027) == "official-entered"
    HolidayDay.objects.create(schedule=schedule, date=D(2027, 3, 6), is_workday=True, name="测试")
    assert cal.day_info(D(2027, 3, 6)).is_workday
    schedule.delete()
    assert cal.day_info(D(2027, 3, 6)).provisional


def test_only_the_system_administrator_enters_a_schedule_and_it_is_audited(officer_user, top_sysadmin):
    sysadmin = top_sysadmin
    from zhifa.console.calendar_services import calendar_schedule_import
    from zhifa.core.errors import DomainError
    from zhifa.core.models import AuditRecord

    def import_2027(actor):  # the role rule sits above core, in the console's service
        params = {"document": DOC_2027, "published_on": "2026-11-01", "entered_by": "法制科 张三"}
        return calendar_schedule_import(actor=actor, year=2027, rows=_hypothetical_2027_rows(), **params)

    with pytest.raises(DomainError) as exc:
        import_2027(officer_user)
    assert exc.value.status == 403 and "系统管理员" in exc.value.message
    assert cal.year_status(2027) == "provisional"

    import_2027(sysadmin)
    rec = AuditRecord.objects.get(action="calendar.schedule_import")
    assert rec.actor_id == sysadmin.pk and rec.detail["year"] == 2027
