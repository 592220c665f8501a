"""The 双公示 lifecycle: after commit, idempotent, 7 working days to publish, 3 to withdraw, periods by
severity class (36号令 from 2026-04-01, 58号令 before), expiry, held records, scoping."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from zhifa.core.errors import DomainError
from zhifa.disclosure import selectors
from zhifa.disclosure.models import DisclosureRecord, PublicRecord
from zhifa.disclosure.services import (
    disclosure_expire_due,
    disclosure_record_emit,
    disclosure_record_publish,
    disclosure_record_withdraw,
)

from .helpers import Src, emit, items

pytestmark = pytest.mark.django_db


def test_emit_after_commit_and_idempotent(tree, head_user, django_capture_on_commit_callbacks):
    src = Src(tree.squad_a1)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            disclosure_record_emit(
                kind="penalty",
                source=src,
                decided_on=date(2026, 9, 30),
                actor=head_user,
                items=items(),
                on=date(2026, 10, 9),
            )
    rec = DisclosureRecord.objects.get()
    assert rec.org == tree.bureau_a and rec.state == "published"
    # 7 working days from Wed 2026-09-30 across the National Day holiday
    assert rec.publish_due > date(2026, 10, 8)
    assert PublicRecord.objects.count() == 1


def test_rolled_back_decision_emits_nothing(tree, head_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                disclosure_record_emit(
                    kind="penalty", source=Src(tree.squad_a1), decided_on=date(2026, 3, 2), actor=head_user
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert not DisclosureRecord.objects.exists()


def test_withdraw_within_three_working_days(tree, head_user, django_capture_on_commit_callbacks):
    src = Src(tree.squad_a1)
    emit(tree.squad_a1, head_user, decided_on=date(2026, 3, 2))
    assert PublicRecord.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_record_withdraw(
            source=src, changed_on=date(2026, 4, 30), reason="复议撤销", actor=head_user
        )
    rec = DisclosureRecord.objects.get()
    assert rec.withdraw_due == date(2026, 5, 8)  # Apr 30 + 3 working days across the May Day holiday
    assert rec.state == "withdrawn" and not PublicRecord.objects.exists()


def test_missing_item_is_held_and_never_half_published(tree, head_user):
    rec = emit(tree.squad_a1, head_user, doc_no="", facts="")
    assert rec.state == "held" and "行政处罚决定书文号" in rec.hold_reason and "违法事实" in rec.hold_reason
    assert not PublicRecord.objects.exists()
    with pytest.raises(DomainError) as e:
        disclosure_record_publish(record=rec, on=date(2026, 4, 13), actor=head_user)
    assert "缺少" in e.value.message


def test_late_publication_is_marked(tree, head_user):
    # decided Fri 2026-04-10; 7 working days -> Tue 2026-04-21
    rec = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10), on=date(2026, 4, 21))
    assert rec.publish_due == date(2026, 4, 21) and not rec.late
    late = emit(tree.squad_a1, head_user, pk=2, decided_on=date(2026, 4, 10), on=date(2026, 4, 22))
    assert late.late


@pytest.mark.parametrize(
    ("severity", "decided", "until", "eligible"),
    [
        # 36号令: 一般 3 months–1 year; 严重 1–3 years, from the decision date
        ("general", date(2026, 4, 1), date(2027, 4, 1), date(2026, 7, 1)),
        ("serious", date(2026, 4, 1), date(2029, 4, 1), date(2027, 4, 1)),
        # 58号令 (before 2026-04-01): same bands; 轻微 falls under 一般 there
        ("minor", date(2026, 3, 31), date(2027, 3, 31), date(2026, 6, 30)),
    ],
)
def test_publication_period_by_severity(tree, head_user, severity, decided, until, eligible):
    rec = emit(tree.squad_a1, head_user, decided_on=decided, severity=severity)
    assert (rec.publish_until, rec.repair_eligible_from) == (until, eligible)
    assert rec.public.publish_until == until


def test_minor_not_published_from_2026_04_01(tree, head_user):
    rec = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 1), severity="minor")
    assert rec.state == "not_public" and "原则上不予公示" in rec.hold_reason
    assert not PublicRecord.objects.exists()


def test_expiry_at_the_end_of_the_period(tree, head_user):
    rec = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 1))
    assert disclosure_expire_due(on=date(2027, 4, 1)) == 0  # the last day is still published
    assert disclosure_expire_due(on=date(2027, 4, 2)) == 1
    rec.refresh_from_db()
    assert rec.state == "expired" and rec.expired_on == date(2027, 4, 2)
    assert not PublicRecord.objects.exists()
    from zhifa.core.models import AuditRecord

    assert AuditRecord.objects.filter(action="disclosure.expired").exists()


def test_confidential_case_is_not_published(tree, head_user):
    rec = emit(tree.squad_a1, head_user)
    from zhifa.disclosure.services import _emit_now

    other = _emit_now(
        kind="penalty",
        source=Src(tree.squad_a1, pk=9),
        decided_on=date(2026, 4, 10),
        actor=head_user,
        items=items(),
        confidential="涉及商业秘密（政府信息公开条例第十五条）",
    )
    assert rec.state == "published" and other.state == "not_public"


def test_internal_records_scoped(tree, head_user, officer_b, auditadmin, client):
    emit(tree.squad_a1, head_user)
    assert selectors.records_visible(head_user).count() == 1
    assert selectors.records_visible(officer_b).count() == 0
    assert selectors.records_visible(auditadmin).count() == 0
    rec = DisclosureRecord.objects.get()
    client.force_login(officer_b)
    assert client.get(f"/disclosure/records/{rec.pk}/").status_code == 404
    client.force_login(head_user)
    assert client.get(f"/disclosure/records/{rec.pk}/").status_code == 200
    assert client.get("/disclosure/").status_code == 200


def test_board_rates(tree, head_user):
    emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10), on=date(2026, 4, 13))
    emit(tree.squad_a1, head_user, pk=2, decided_on=date(2026, 4, 10), on=date(2026, 4, 30))
    b = selectors.board(head_user, on=date(2026, 5, 6))
    (row,) = b["rates"]
    assert (row.on_time, row.late, row.rate) == (1, 1, "50.0%")


def test_inspection_result_emitted_by_the_inspections_module(tree, head_user):
    """The inspections module passes its InspectionRecord (no ``org``: the plan's unit decides)."""
    from types import SimpleNamespace

    from zhifa.credit.models import CreditRecord
    from zhifa.disclosure.services import _emit_now

    class Rec:
        class _meta:  # noqa: N801
            label_lower = "inspections.inspectionrecord"

        pk = 5
        assignment = SimpleNamespace(
            task=SimpleNamespace(plan=SimpleNamespace(org=tree.brigade_a)), enterprise=SimpleNamespace(pk=12)
        )

        def disclosure_payload(self):
            return {
                "inspecting_body": "郁南县交通运输局",
                "type": "双随机抽查",
                "task": "t",
                "item": "Y01 经营资质",
                "subject_name": "郁南县通达物流有限公司",
                "subject_uscc": "",
                "inspected_on": "2026-06-01",
                "result": "责令整改",
            }

        def __str__(self):
            return "抽查记录5"

    rec = _emit_now(
        kind="inspection", source=Rec(), decided_on=date(2026, 6, 1), actor=None, on=date(2026, 6, 2)
    )
    assert rec.org == tree.bureau_a and rec.state == "published"
    assert rec.publish_due == date(2026, 6, 30)  # 20 working days (Dragon Boat Festival 2026-06-19 off)
    cr = CreditRecord.objects.get(subject_ref="enterprise:12")
    assert cr.category == "inspection" and cr.effect == "negative"
