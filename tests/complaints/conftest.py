"""Fixtures of 投诉举报: a work order of each track in 郁南县交通运输局."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.complaints.services import Complainant, order_create

NAME, PHONE, IDCARD = "欧阳娜娜", "13812345678", "445322199003070023"


def new_order(tree, *, channel="letter", category="report", received_on=date(2026, 3, 2), actor=None, **kw):
    order, _ = order_create(
        actor=actor,
        org=kw.pop("org", tree.bureau_a),
        channel=channel,
        category=category,
        title=kw.pop("title", "货车超载"),
        content=kw.pop("content", "粤W12345号货车在S276线长期超载运输"),
        received_on=received_on,
        complainant=kw.pop("complainant", Complainant(NAME, PHONE, IDCARD)),
        **kw,
    )
    return order


@pytest.fixture
def order(tree):
    return new_order(tree)
