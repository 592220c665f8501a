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


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    from zhifa.evidence import storage

    storage._cache.clear()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo(seed=2022, scale=0.3, today=TODAY, modules=("people",))
    storage._cache.clear()


def test_demo_people(demo):
    assert Course.objects.count() == 18
    assert EmergencyPlan.objects.count() == 7 and RiskTask.objects.count() >= 10
    assert JointOperation.objects.count() == 18 and PartnerOutcome.objects.count() == 18
    clips = EvidenceItem.objects.exclude(device_ref="")
    assert clips.count() == 3 and all(c.recorded_by_id for c in clips)
    assert CustodyEvent.objects.filter(action=CustodyAction.LINK_DEVICE).count() == 3
    # each plan's document, the first course's handout and a photo of each 普法 activity are in the store
    docs = EvidenceItem.objects.filter(target_type="people.emergencyplan")
    assert docs.count() == 7 and {d.target_id for d in docs} == {
        str(p.pk) for p in EmergencyPlan.objects.all()
    }
    assert all(d.content_type == "application/pdf" for d in docs)
    assert EvidenceItem.objects.filter(target_type="people.course").count() == 1
    assert (
        EvidenceItem.objects.filter(target_type="people.pufaactivity", content_type="image/png").count() == 3
    )
    head = User.objects.get(username="head")
    year = {"start": date(2026, 1, 1), "end": TODAY}
    exam = Exam.objects.get()
    rate = indicators.get("people.exam_participation").total(head, **year)
    assert rate.denominator == exam.required.count() and rate.numerator == rate.denominator - 1
    for ind in indicators.indicators("people"):
        assert ind.total(head, **year).value is not None, ind.id
    equipped = indicators.get("people.equipped_rate").total(head, **year).value
    assert 90 <= equipped < 100  # one squad is short of a body cam


# the column the records add up to, for the indicators that are a sum (the others count their records)
SUMMED = {
    "people.training_hours": "hours",
    "people.joint_staff": "staff",
    "people.joint_vehicles": "vehicles",
    "people.joint_checked": "checked",
    "people.joint_unloaded": "unloaded_kg",
    "people.joint_cases": "cases_opened",
}


def test_the_records_behind_each_people_value_add_up_to_it(demo):
    """The drill-down of /reports/indicators/<id>/ lists exactly what each value counts: for the total and
    for every unit and month, the records number (or their column sums to) the value's numerator."""
    head = User.objects.get(username="head")
    year = {"start": date(2026, 1, 1), "end": TODAY}
    checked = 0
    for ind in indicators.indicators("people"):
        for dim in ["", *ind.dimensions]:
            values = ind.values(head, dimension=dim, **year)
            assert values, (ind.id, dim)
            for v in values:
                rows = ind.rows_behind(head, dimension=dim, key=v.key, **year)
                field = SUMMED.get(ind.id)
                got = sum(getattr(r, field) for r in rows) if field else len(rows)
                # a count's value is its numerator; a share's and an average's numerator is shown beside it
                assert float(got) == float(v.numerator), (ind.id, dim, v.label)
                checked += 1
    assert checked > 40
    # the shares: the records are the numerator, not the denominator (what they once listed)
    risk = indicators.get("people.risk_on_time").total(head, **year)
    assert risk.numerator < risk.denominator
    cov = indicators.get("people.training_coverage").total(head, **year)
    assert len(indicators.get("people.training_coverage").rows_behind(head, **year)) == cov.numerator
