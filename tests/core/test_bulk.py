"""core.bulk.bulk_insert stores exactly what the ORM's bulk_create stores (dates, aware datetimes, decimals,
JSON, enum members, foreign keys, auto_now_add), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhifa.complaints.models import OrderEvent, WorkOrder
from zhifa.core.bulk import bulk_insert

pytestmark = pytest.mark.django_db


def _order(tree, n: int) -> WorkOrder:
    from zhifa.complaints.enums import Category, Channel, State, Track

    return WorkOrder(org=tree.bureau_a, received_org=tree.bureau_a, number=f"TS2026{n:06d}", tracking_code=f"T{n}",
                     channel=Channel.H12345, external_no=f"E{n}", track=Track.H12345, category=Category.REPORT,
                     state=State.RECEIVED, title="标题", content="内容", received_on=date(2026, 3, 2),
                     received_at=datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
                     lat=Decimal("23.123456"), lng=Decimal("111.5"), clock_explanation=["第一行", "第二行"],
                     anonymous=True, due=date(2026, 3, 16))


def test_bulk_insert_matches_bulk_create(tree):
    WorkOrder.objects.bulk_create([_order(tree, 1)])
    assert bulk_insert(WorkOrder, [_order(tree, 2), _order(tree, 3)], batch_size=1) == 2
    rows = {r.pop("external_no"): r for r in WorkOrder.objects.values()}
    for r in rows.values():
        for k in ("id", "number", "tracking_code"):
            r.pop(k)
    assert rows["E1"] == rows["E2"] == rows["E3"]
    assert rows["E2"]["received_at"] == datetime(2026, 3, 2, 15, 30, tzinfo=ZoneInfo("UTC"))
    assert rows["E2"]["lat"] == Decimal("23.123456") and rows["E2"]["clock_explanation"] == ["第一行", "第二行"]
    pk = WorkOrder.objects.get(external_no="E2").pk
    bulk_insert(OrderEvent, [OrderEvent(order_id=pk, on=date(2026, 3, 2), action="receive", label="登记",
                                        state_to="received")])
    ev = OrderEvent.objects.get(order_id=pk)
    assert ev.at is not None and ev.order.external_no == "E2"
