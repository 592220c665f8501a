"""Done-when: a decision made in a case appears on the portal, masked, within its deadline; revoked on
appeal, it comes down; the subject's credit file reflects it."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.cases.conftest import kit, step, to_state  # noqa: F401 - fixtures and helpers
from zhifa.credit.models import CreditRecord
from zhifa.disclosure.models import DisclosureRecord, PublicRecord

pytestmark = pytest.mark.django_db


def test_case_decision_to_portal_and_back(kit, client, django_capture_on_commit_callbacks):  # noqa: F811
    c = to_state(kit, "notified", fine_fen=100000)
    c = step(kit, c, "statement", content="放弃")
    with django_capture_on_commit_callbacks(execute=True):
        c = step(kit, c, "decide", kit.head)
    rec = DisclosureRecord.objects.get(source_type="cases.case", source_id=str(c.pk))
    assert rec.state == "published", rec.hold_reason
    # published at once, on the day the hook runs (the case is decided "in the past" in this test)
    assert rec.published_on == max(timezone.localdate(), rec.decided_on)
    assert rec.severity == "general" and rec.publish_until is not None
    pub = PublicRecord.objects.get(record=rec)
    assert pub.doc_no == c.decision_no and pub.data["penalty_content"] == "罚款人民币1,000.00元"
    assert pub.data["fine_wan"] == "0.100000"
    body = client.get("/public/records/", {"q": c.decision_no}).content.decode()
    assert "郁南县某运输有限公司" in body
    cr = CreditRecord.objects.get(disclosure=rec)
    assert cr.effect == "negative" and cr.subject_ref == "name:郁南县某运输有限公司"

    c = step(kit, c, "serve", on=date(2026, 3, 3), method="direct", proof="回证")
    c = step(kit, c, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")
    with django_capture_on_commit_callbacks(execute=True):
        step(kit, c, "appeal_result", on=date(2026, 4, 27), outcome="revoked")
    rec.refresh_from_db()
    assert rec.state == "withdrawn" and rec.withdraw_due == date(2026, 4, 30)
    assert not PublicRecord.objects.filter(record=rec).exists()
    cr.refresh_from_db()
    assert cr.status == "void"  # the revoked decision no longer counts for credit


def test_citizen_case_masks_name_and_address(kit, client, django_capture_on_commit_callbacks):  # noqa: F811
    from tests.cases.conftest import new_case  # noqa: F401

    c = to_state(kit, "notified", fine_fen=20000, party_kind="citizen")
    type(c).objects.filter(pk=c.pk).update(
        party_name="欧阳娜娜",
        party_address="郁南县都城镇建设路18号",
        facts="欧阳娜娜（住郁南县都城镇建设路18号，电话13912345678）驾驶车辆未携带道路运输证",
    )
    c.refresh_from_db()
    c = step(kit, c, "statement", content="放弃")
    with django_capture_on_commit_callbacks(execute=True):
        c = step(kit, c, "decide", kit.head)
    pub = PublicRecord.objects.get(record__source_id=str(c.pk))
    blob = repr(pub.data) + pub.name + pub.title
    assert pub.name == "欧阳**"
    for secret in ("欧阳娜娜", "建设路18号", "13912345678"):
        assert secret not in blob
