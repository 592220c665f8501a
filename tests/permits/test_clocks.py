"""The clocks of 《中华人民共和国行政许可法》 with their articles' own numbers; working days (Art 82) on the
2026 statutory calendar (春节 2/15–2/23 off, 2/14 and 2/28 Saturdays worked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as D

import pytest

from zhifa.permits import rules


@dataclass
class P:
    start: D
    end: D
    kind: str = "hearing"

    def get_kind_display(self):
        return "听证"


pytestmark = pytest.mark.django_db


def test_art32_five_working_days_to_ask_for_corrections_then_deemed_accepted():
    # received Friday 2026-03-06: the 5 working days are 3/9–3/13
    assert rules.CORRECTION_DAYS == 5
    assert rules.correction_due(D(2026, 3, 6)).due == D(2026, 3, 13)
    assert not rules.deemed_accepted(D(2026, 3, 6), correction_on=None, today=D(2026, 3, 13))
    assert rules.deemed_accepted(D(2026, 3, 6), correction_on=None, today=D(2026, 3, 16))
    assert not rules.deemed_accepted(D(2026, 3, 6), correction_on=D(2026, 3, 10), today=D(2026, 3, 16))


def test_art42_twenty_working_days_plus_ten_with_extension():
    assert (rules.DECISION_DAYS, rules.EXTENSION_DAYS) == (20, 10)
    # accepted Monday 2026-03-02: 20 working days end 3/30, +10 end 4/14 (清明 4/4–4/6 off)
    assert rules.decision_due(D(2026, 3, 2), limit=20).due == D(2026, 3, 30)
    assert rules.decision_due(D(2026, 3, 2), limit=20, extension=10).due == D(2026, 4, 14)


def test_art42_decision_across_the_2026_spring_festival():
    # accepted Friday 2026-02-06: 2/9–2/13 (5), 2/14 worked (6), 2/15–2/23 off, 2/24–2/27 (10), 2/28 worked (11),
    # 3/2–3/6 (16), 3/9–3/12 (20)
    clock = rules.decision_due(D(2026, 2, 6), limit=20)
    assert clock.due == D(2026, 3, 12)
    assert any("春节" in line for line in clock.lines)


def test_art45_hearing_period_is_not_counted():
    # a hearing period 3/9–3/13 (five working days) moves the 20-day deadline of an acceptance on 3/2 by five
    # working days: 3/30 → 3/31, 4/1, 4/2, 4/3, (清明 4/4–4/6) 4/7
    plain = rules.decision_due(D(2026, 3, 2), limit=20).due
    paused = rules.decision_due(D(2026, 3, 2), limit=20, pauses=[P(D(2026, 3, 9), D(2026, 3, 13))])
    assert plain == D(2026, 3, 30)
    assert paused.due == D(2026, 4, 7)
    assert any("不计入" in line and "第四十五条" in line for line in paused.lines)
    # a weekend inside the period adds nothing; overlapping periods count each day once
    assert (
        rules.excluded_workdays([P(D(2026, 3, 13), D(2026, 3, 16)), P(D(2026, 3, 16), D(2026, 3, 16))]) == 2
    )


def test_art44_issue_in_ten_and_art47_hearing_five_and_twenty():
    assert rules.issue_due(D(2026, 3, 30)).due == D(2026, 4, 14)  # 4/4–4/6 清明
    assert rules.hearing_request_due(D(2026, 3, 2)).due == D(2026, 3, 9)
    assert rules.hearing_hold_due(D(2026, 3, 2)).due == D(2026, 3, 30)


def test_art50_renewal_thirty_days_before_expiry():
    assert rules.renewal_latest(D(2026, 6, 30)) == D(2026, 5, 31)


def test_overload_tiers_two_five_fifteen_working_days():
    tiers = next(r for r in rules.CATALOGUE if r["code"] == "cxys")["tiers"]
    assert [t[1] for t in tiers] == [2, 5, 15]
    # accepted Friday 2026-02-13: 2 working days are 2/14 (worked Saturday) and 2/24
    assert rules.decision_due(D(2026, 2, 13), limit=2).due == D(2026, 2, 24)
