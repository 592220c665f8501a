"""Each clock of a work order with its source's numbers (信访工作条例 Arts 22–23, 34–36; the 12345 and 12328
defaults, configurable), counted on the statutory calendar — including across the 2026 National Day."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.complaints import rules
from zhifa.complaints.services import order_transition
from zhifa.core.errors import DomainError

from .conftest import new_order

pytestmark = pytest.mark.django_db


def test_xinfang_tells_acceptance_within_15_days_rolled_over_the_national_day(tree):
    # 2026-09-20 + 15 calendar days = 10-05, a rest day of the National Day (10-01..10-07): the last day is
    # the next working day, 10-08 (民法典第二百零三条)
    o = new_order(tree, channel="letter", received_on=date(2026, 9, 20))
    assert o.ack_due == date(2026, 10, 8)
    assert o.due is None  # the 60 days run from 受理
    text = "".join(o.clock_explanation)
    assert "15日（自然日）" in text and "《信访工作条例》" in text and "第二十二条" in text


def test_xinfang_60_days_from_acceptance_plus_30_on_approval(tree, officer_user, head_user):
    o = new_order(tree, channel="visit", received_on=date(2026, 3, 2))
    o = order_transition(order=o, action="accept", actor=officer_user, on=date(2026, 3, 3))
    # 03-03 + 60 = 05-02, inside the 劳动节 holiday (05-01..05-05) -> 05-06
    assert o.due == date(2026, 5, 6)
    assert "第三十四条" in "".join(o.clock_explanation)
    o = order_transition(order=o, action="extend", actor=head_user, on=date(2026, 4, 20),
                         data={"days": 30, "reason": "涉及多部门，需联合核查"})
    # 03-03 + 90 = 06-01 (a Monday)
    assert o.due == date(2026, 6, 1) and o.extended_days == 30
    with pytest.raises(DomainError) as e:  # 30 days at most (Art 34)
        order_transition(order=o, action="extend", actor=head_user, data={"days": 1, "reason": "再延"})
    assert "30" in e.value.message and "第三十四条" in e.value.message


def test_extension_needs_the_head(tree, officer_user):
    o = new_order(tree, channel="letter")
    o = order_transition(order=o, action="accept", actor=officer_user)
    with pytest.raises(DomainError) as e:
        order_transition(order=o, action="extend", actor=officer_user, data={"days": 10, "reason": "复杂"})
    assert e.value.code == "complaints.role" and "负责人" in e.value.message


def test_12345_complaint_15_working_days_across_the_2026_national_day(tree):
    # received Mon 2026-09-28: 09-29, 09-30, (10-01..10-07 holiday), 10-08, 10-09, 10-10 (调休上班),
    # 10-12..10-16, 10-19..10-23 -> the 15th working day is 10-23
    o = new_order(tree, channel="12345", category="complaint", received_on=date(2026, 9, 28), external_no="A1")
    assert o.ack_due is None and o.due == date(2026, 10, 23)
    text = "".join(o.clock_explanation)
    assert "国办发〔2020〕53号" in text and "未核实" in text and "15个工作日" in text


@pytest.mark.parametrize("category,days,due", [("consult", 2, date(2026, 3, 4)), ("help", 10, date(2026, 3, 16)),
                                               ("suggest", 10, date(2026, 3, 16)), ("report", 15, date(2026, 3, 23))])
def test_12345_limits_by_category(tree, category, days, due):
    o = new_order(tree, channel="12345", category=category, received_on=date(2026, 3, 2), external_no=category)
    assert o.due == due
    assert f"{days}个工作日" in o.clock_explanation[0]


def test_12345_limits_follow_the_province(tree, monkeypatch):
    monkeypatch.setenv("ZHIFA_RULES_PROVINCE", "44")
    c = rules.handle_clock("h12345", "complaint", date(2026, 3, 2))
    assert c.due == date(2026, 3, 23) and c.param.confidence == "secondary"
    assert "广东省12345政务服务便民热线管理办法" in c.param.article


def test_12328_is_configurable_and_marked_unconfirmed(tree, monkeypatch):
    c = rules.handle_clock("h12328", "complaint", date(2026, 3, 2))
    assert c.due == date(2026, 3, 23) and c.param.confidence == "unconfirmed"
    assert "交运发〔2021〕89号" in c.param.article
    monkeypatch.setenv("ZHIFA_RULE_COMPLAINT_12328_COMPLAINT_PERIOD", "5")
    o = new_order(tree, channel="12328", category="complaint", received_on=date(2026, 3, 2), external_no="B1")
    assert o.due == date(2026, 3, 9)
    assert "本部署另行设定" in o.clock_explanation[0]


def test_review_and_recheck_periods():
    # Art 35: request within 30 days of the reply; opinion within 30 days of the request. Art 36: the same.
    assert rules.review_request_clock("review", date(2026, 4, 1)).due == date(2026, 5, 6)  # 05-01 holiday
    assert rules.review_clock("review", date(2026, 4, 10)).due == date(2026, 5, 11)  # 05-10 Sunday
    assert rules.review_request_clock("recheck", date(2026, 6, 1)).due == date(2026, 7, 1)
    assert rules.review_clock("recheck", date(2026, 6, 2)).due == date(2026, 7, 2)
    assert "第三十六条" in rules.review_clock("recheck", date(2026, 6, 2)).param.article


def test_objection_within_5_working_days():
    # 信访工作条例 Art 23: a transferred matter outside the remit, objected to within 5 working days
    assert rules.objection_clock(date(2026, 9, 29)).due == date(2026, 10, 12)  # 09-30, 10-08, 10-09, 10-10 调休, 10-12
