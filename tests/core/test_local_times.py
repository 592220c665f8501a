"""Times a person reads in a label or a refusal are Beijing time, as on every page (the database keeps UTC):
a 23:30 UTC record is shown on the next day at 07:30."""

from __future__ import annotations

from datetime import UTC, datetime

from zhifa.evidence.models import CustodyEvent
from zhifa.monitoring.models import ViolationLead
from zhifa.overload.models import Lead

AT = datetime(2026, 10, 1, 23, 30, tzinfo=UTC)


def test_labels_show_beijing_time():
    assert "2026-10-02 07:30" in str(Lead(plate="粤W12345", passed_at=AT, excess_kg=1200))
    assert "2026-10-02 07:30" in str(ViolationLead(plate="粤W12345", type="speeding", start_at=AT))
    assert str(CustodyEvent(at=AT, actor_name="张三", action="ingest")).startswith("2026-10-02 07:30:00 张三")
