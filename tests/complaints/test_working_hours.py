"""平均办理时长 in working hours (issue 18 item 6, optional): only the office hours of working days count —
a weekend and the 2026 National Day holiday (1–7 October, 10 October a make-up working day) add nothing,
the lunch break neither; the windows are a setting; the indicator page shows both averages."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zhifa.complaints.indicators import AVG_HOURS, AVG_WORK_HOURS
from zhifa.complaints.models import WorkOrder
from zhifa.core.calendar import working_hours_between, working_windows

from .conftest import new_order

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_weekend_and_lunch_break_do_not_count(db):
    assert working_hours_between(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 10, 0)) == 3.0  # Fri 16:00 → Mon 10:00
    assert working_hours_between(at(2026, 3, 9, 11, 0), at(2026, 3, 9, 15, 0)) == 2.0  # 12:00–14:00 is lunch
    assert working_hours_between(at(2026, 3, 7, 9, 0), at(2026, 3, 8, 17, 0)) == 0.0  # a whole weekend
    assert working_hours_between(at(2026, 3, 9, 15, 0), at(2026, 3, 9, 11, 0)) == 0.0


def test_national_day_holiday_and_make_up_day(db):
    # Wed 30 Sep 15:00 → Sat 10 Oct 09:00: 2.5 (30 Sep) + 0 (1–7 Oct) + 7 (8 Oct) + 7 (9 Oct) + 0.5 (10 Oct, 调休上班)
    assert working_hours_between(at(2026, 9, 30, 15, 0), at(2026, 10, 10, 9, 0)) == 17.0


def test_windows_are_a_setting(db, monkeypatch):
    monkeypatch.setenv("ZHIFA_WORKING_HOURS", "09:00-17:00")
    assert working_windows() == [(datetime(1, 1, 1, 9).time(), datetime(1, 1, 1, 17).time())]
    assert working_hours_between(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 10, 0)) == 2.0
    for bad in ("9-17", "14:00-12:00", "08:30-12:00,11:00-17:30"):
        with pytest.raises(ValueError, match="ZHIFA_WORKING_HOURS"):
            working_windows(bad)


def test_indicator_shows_natural_and_working_hours(client, tree, officer_user):
    spans = [(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 10, 0)), (at(2026, 9, 30, 15, 0), at(2026, 10, 10, 9, 0))]
    for i, (received, closed) in enumerate(spans):
        o = new_order(tree, title=f"第{i}件", received_on=received.date())
        WorkOrder.objects.filter(pk=o.pk).update(state="closed", received_at=received, closed_at=closed,
                                                 closed_on=closed.date())
    kw = {"start": date(2026, 1, 1), "end": date(2026, 12, 31), "dimension": ""}
    (natural,) = AVG_HOURS.compute(officer_user, **kw)
    (working,) = AVG_WORK_HOURS.compute(officer_user, **kw)
    assert natural.value == round((66 + 234) / 2, 1) and working.value == 10.0  # (3 + 17) / 2
    client.force_login(officer_user)
    page = client.get("/complaints/indicators/", {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()
    assert "平均办理时长（小时）" in page and "平均办理时长（工作小时）" in page
