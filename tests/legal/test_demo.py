"""The demo county's 法制工作: documents over the years (in force, repealed, lapsed, drafts, one challenged),
two 重大行政决策, the 权责清单 with one delegated item, one 评查 campaign drawn verifiably from closed cases."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from zhifa.demo.loader import load_demo
from zhifa.legal import selectors, services
from zhifa.legal.models import DocChallenge, NormativeDoc, PowerItem, ReviewCampaign

TODAY = date(2026, 12, 7)


@pytest.mark.django_db
def test_demo_legal(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo(seed=2022, scale=0.05, today=TODAY, modules=("cases", "legal"))
    assert NormativeDoc.objects.count() == 28
    in_force = selectors.public_documents(on=TODAY)
    assert 10 <= in_force.count() <= 25
    assert NormativeDoc.objects.filter(status="repealed").count() == 3
    assert NormativeDoc.objects.filter(status__in=["consulting", "legal_review"]).count() == 2
    assert DocChallenge.objects.count() == 1
    assert PowerItem.objects.filter(delegated_to__contains="镇").count() == 1
    c = ReviewCampaign.objects.get()
    assert c.files.exists() and services.campaign_verify(c)
    assert c.files.filter(score__isnull=False).exists() and c.files.filter(score__isnull=True).exists()
    from zhifa.cases.models import CaseAppeal
    from zhifa.legal.models import AppealHearing, CounselContract

    litigation = CaseAppeal.objects.filter(kind="litigation")
    assert AppealHearing.objects.count() == litigation.count()
    assert {h.appeal_id for h in AppealHearing.objects.all()} == set(litigation.values_list("pk", flat=True))
    assert CounselContract.objects.get().opinions.filter(matter_kind="decision").count() == 2
