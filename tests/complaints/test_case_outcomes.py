"""Outcomes without a penalty flow back too (issue 18 item 3): a case raised from a complaint that ends in
不予行政处罚 or 撤销立案 tells the order (cases emits, complaints listens), and the reply draft says so
without the party's name."""
# ruff: noqa: F811  (the tests take the imported cases fixture ``kit`` as their argument)

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.conftest import catalogue_violation, kit, step  # noqa: F401  (the cases fixture "kit")
from zhifa.cases.services import case_source_accept
from zhifa.complaints.services import order_to_case

from .conftest import NAME, new_order

pytestmark = pytest.mark.django_db
D = date(2026, 3, 2)


def _case_from_complaint(kit):
    order = new_order(kit.tree)
    source = order_to_case(order=order, actor=kit.officer_user, on=D)
    case = case_source_accept(source=source, actor=kit.head, violation_code=catalogue_violation().code,
                              officer_ids=[kit.o1.pk, kit.o2.pk], on=D,
                              party={"party_kind": "org", "party_name": "郁南县某运输有限公司"})
    order.refresh_from_db()
    assert order.case_outcome == "registered"
    return order, case


def test_revoked_filing_flows_back(kit):
    order, case = _case_from_complaint(kit)
    step(kit, case, "revoke_filing", kit.head, on=D, reason="违法事实不能成立")
    order.refresh_from_db()
    assert order.case_outcome == "revoked" and "已撤销立案" in order.case_outcome_text
    assert "违法事实不能成立" in order.reply_draft and NAME not in order.reply_draft
    assert order.events.filter(action="case_outcome", public=True).count() == 2


def test_no_penalty_decision_flows_back(kit):
    order, case = _case_from_complaint(kit)
    case = step(kit, case, "record", on=D, kind="询问笔录", content="问：是否超载？答：是。", signature="signed")
    case = step(kit, case, "end_investigation", on=D, report="事实清楚，证据确凿。")
    case = step(kit, case, "decide_no_penalty", kit.head, on=D, ground="首次违法、危害后果轻微并及时改正",
                education_record="向当事人宣讲《道路运输条例》并签署承诺书")
    assert case.outcome == "no_penalty"
    order.refresh_from_db()
    assert order.case_outcome == "no_penalty" and "不予行政处罚决定" in order.case_outcome_text
    assert case.decision_no in order.reply_draft and "郁南县某运输有限公司" not in order.case_outcome_text
