"""The demo county's year of disclosure and credit data, consistent with its cases and permits."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.credit.models import Rating
from zhifa.disclosure.models import DisclosureRecord, PublicRecord


@pytest.mark.django_db
def test_demo_disclosure_year():
    from zhifa.demo.cases import load_demo_cases
    from zhifa.demo.disclosure import load_demo_disclosure
    from zhifa.demo.loader import load_demo
    from zhifa.rules.services import load_starter_catalogue

    today = date(2026, 11, 20)
    load_demo(seed=7, scale=0.05, today=today, modules=())
    load_starter_catalogue()
    load_demo_cases(seed=7, today=today, scale=0.05)
    msg = load_demo_disclosure(seed=7, today=today, scale=0.05)
    assert "公示记录" in msg
    kinds = set(DisclosureRecord.objects.values_list("kind", flat=True))
    assert {"permit", "enforcement"} <= kinds
    assert PublicRecord.objects.exists()
    assert Rating.objects.exists() or not DisclosureRecord.objects.filter(kind="penalty").exists()
    # every published record has its masked public version, and only those
    assert PublicRecord.objects.count() == DisclosureRecord.objects.filter(state="published").count()
