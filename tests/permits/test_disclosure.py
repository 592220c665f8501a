"""A granted 超限运输许可 writes no licence in the register, so permits publishes its 双公示 行政许可 record
itself (``disclosure_record_emit``), due within the 7 working days of the disclosure rules; 备案 and refusals
are not published as 行政许可."""

from __future__ import annotations

from datetime import date as D

import pytest

from tests.permits.conftest import new_app
from zhifa.core.errors import DomainError
from zhifa.disclosure.models import DisclosureRecord
from zhifa.permits import services

pytestmark = pytest.mark.usefixtures("catalogue", "company")

TIER = "车货总高≤4.2米、总宽≤3米、总长≤20米且未超质量限值（2个工作日）"


def _overload_app(tree, officer_user):
    app = new_app(tree, code="cxys", received_on=D(2026, 3, 2), tier=TIER, content="运输一台变压器，G324线")
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    return app


def test_overload_permit_decision_produces_its_permit_record(
    tree, officer_user, django_capture_on_commit_callbacks
):
    app = _overload_app(tree, officer_user)
    with pytest.raises(DomainError, match="有效期至不能早于决定日期"):
        services.application_decide(
            app=app, actor=officer_user, on=D(2026, 3, 3), grant=True, valid_to=D(2026, 3, 2)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            app=app, actor=officer_user, on=D(2026, 3, 3), grant=True, valid_to=D(2026, 3, 10)
        )
    rec = DisclosureRecord.objects.get(source_type="permits.application", source_id=str(app.pk))
    assert rec.kind == "permit" and rec.state == "published"  # all required items present
    assert rec.publish_due == D(2026, 3, 12)  # 7 working days from 3/3
    p = rec.payload
    assert p["doc_no"] == app.decision_no == "郁交许〔2026〕1号" and p["doc_name"] == "准予行政许可决定书"
    assert (p["permit_category"], p["valid_from"], p["valid_to"]) == ("普通", "2026-03-03", "2026-03-10")
    assert p["subject_code"] == app.applicant_uscc and p["agency"] == "郁南县交通运输局"
    assert p["permit_content"] == "运输一台变压器，G324线"


def test_without_its_validity_the_record_is_held_not_guessed(
    tree, officer_user, django_capture_on_commit_callbacks
):
    app = _overload_app(tree, officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 3), grant=True)
    rec = DisclosureRecord.objects.get(source_type="permits.application", source_id=str(app.pk))
    assert rec.state == "held" and "有效期至" in rec.hold_reason


def test_filing_and_refusal_publish_no_permit_record(tree, officer_user, django_capture_on_commit_callbacks):
    filing = new_app(tree, code="wxba", received_on=D(2026, 3, 2))
    refused = _overload_app(tree, officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(app=filing, actor=officer_user, on=D(2026, 3, 2))
        services.application_decide(app=filing, actor=officer_user, on=D(2026, 3, 2), grant=True)
        services.application_decide(
            app=refused, actor=officer_user, on=D(2026, 3, 3), grant=False, reason="路线桥梁限载"
        )
    assert not DisclosureRecord.objects.filter(source_type="permits.application").exists()
