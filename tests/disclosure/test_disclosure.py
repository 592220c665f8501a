"""The 双公示 hook: after commit, idempotent, 7 working days to publish, 3 to withdraw."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from zhifa.disclosure.models import DisclosureRecord
from zhifa.disclosure.services import disclosure_record_emit, disclosure_record_withdraw

pytestmark = pytest.mark.django_db


class Src:
    """A stand-in decision (any model instance works; the case module passes Case)."""

    class _meta:  # noqa: N801
        label_lower = "tests.decision"

    def __init__(self, org, pk=1, fine=100):
        self.org, self.pk, self.fine_fen = org, pk, fine

    def __str__(self):
        return f"决定{self.pk}"


def test_emit_after_commit_and_idempotent(tree, head_user, django_capture_on_commit_callbacks):
    src = Src(tree.squad_a1)
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_record_emit(kind="penalty", source=src, decided_on=date(2026, 9, 30), actor=head_user)
        disclosure_record_emit(kind="penalty", source=src, decided_on=date(2026, 9, 30), actor=head_user)
    rec = DisclosureRecord.objects.get()
    assert rec.org == tree.bureau_a and rec.state == "pending"
    # 7 working days from Wed 2026-09-30 across the National Day holiday
    assert rec.publish_due > date(2026, 10, 8)


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
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_record_emit(kind="penalty", source=src, decided_on=date(2026, 3, 2), actor=head_user)
    rec = DisclosureRecord.objects.get()
    DisclosureRecord.objects.filter(pk=rec.pk).update(state="published")
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_record_withdraw(
            source=src, changed_on=date(2026, 4, 30), reason="复议撤销", actor=head_user
        )
    rec.refresh_from_db()
    assert rec.withdraw_due == date(2026, 5, 8)  # Apr 30 + 3 working days across the May Day holiday
    assert rec.state == "published"  # still to be taken down by the portal, by withdraw_due
