"""The demo county's 投诉举报: a year of orders, a realistic mix, some turned into cases and answered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings

from zhifa.complaints.models import WorkOrder
from zhifa.core import indicators
from zhifa.demo.loader import load_demo

TODAY = date(2026, 6, 15)


@pytest.mark.django_db
def test_demo_complaints(django_capture_on_commit_callbacks):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo(seed=2022, scale=0.3, today=TODAY, modules=("complaints",))
    qs = WorkOrder.objects.all()
    assert 80 <= qs.count() <= 100
    assert qs.filter(received_on__lt=TODAY - timedelta(days=300)).exists()
    assert set(qs.values_list("channel", flat=True)) >= {"12345", "12328", "portal"}
    assert qs.filter(case_source__isnull=False).exists()
    answered = qs.filter(case_outcome="not_registered", replied_on__isnull=False).first()
    assert answered is not None and "不予立案" in answered.reply_text
    from zhifa.accounts.models import User

    head = User.objects.get(username="head")
    rate = indicators.get("complaints.close_rate").total(head, start=TODAY - timedelta(days=365), end=TODAY)
    assert 70 <= rate.value <= 100
    on_time = indicators.get("complaints.on_time_rate").total(head, start=TODAY - timedelta(days=365), end=TODAY)
    assert 80 <= on_time.value < 100
