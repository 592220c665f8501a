"""The demo county's 队伍与保障 on the seeds' scale: a year of training, one exam with its three rates, equipment
for each 中队 with body-cam clips linked to their device, joint operations with partner outcomes apart, 7
plans with drills, ~20 risk tasks, and every indicator computable."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from zhifa.accounts.models import User
from zhifa.core import indicators
from zhifa.demo.loader import load_demo
from zhifa.evidence.enums import CustodyAction
from zhifa.evidence.models import CustodyEvent, EvidenceItem
from zhifa.people.models import Course, EmergencyPlan, Exam, JointOperation, PartnerOutcome, RiskTask

TODAY = date(2026, 6, 15)


@pytest.mark.django_db
def test_demo_people(django_capture_on_commit_callbacks, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    from zhifa.evidence import storage

    storage._cache.clear()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo(seed=2022, scale=0.3, today=TODAY, modules=("people",))
    storage._cache.clear()
    assert Course.objects.count() == 18
    assert EmergencyPlan.objects.count() == 7 and RiskTask.objects.count() >= 10
    assert JointOperation.objects.count() == 18 and PartnerOutcome.objects.count() == 18
    clips = EvidenceItem.objects.exclude(device_ref="")
    assert clips.count() == 3 and all(c.recorded_by_id for c in clips)
    assert CustodyEvent.objects.filter(action=CustodyAction.LINK_DEVICE).count() == 3
    head = User.objects.get(username="head")
    year = {"start": date(2026, 1, 1), "end": TODAY}
    exam = Exam.objects.get()
    rate = indicators.get("people.exam_participation").total(head, **year)
    assert rate.denominator == exam.required.count() and rate.numerator == rate.denominator - 1
    for ind in indicators.indicators("people"):
        assert ind.total(head, **year).value is not None, ind.id
    equipped = indicators.get("people.equipped_rate").total(head, **year).value
    assert 90 <= equipped < 100  # one squad is short of a body cam
