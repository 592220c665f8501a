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


@pytest.mark.django_db
def test_demo_credit_files_are_one_per_subject_and_overload_credit_follows_decisions(settings, tmp_path):
    """Issue 24: the demo's penalty records land in the registered enterprise's file (no ``name:`` file
    beside it), and its 一超四罚 credit records come from decided leads only."""
    from zhifa.credit.models import CreditRecord
    from zhifa.demo.cases import load_demo_cases
    from zhifa.demo.disclosure import load_demo_disclosure
    from zhifa.demo.loader import load_demo
    from zhifa.demo.overload import load_demo_overload
    from zhifa.overload.models import Lead, SanctionLead
    from zhifa.registry.models import Enterprise
    from zhifa.rules.services import load_starter_catalogue

    settings.DATA_DIR = tmp_path
    today = date(2026, 11, 20)
    load_demo(seed=7, scale=0.05, today=today, modules=())
    load_starter_catalogue()
    load_demo_cases(seed=7, today=today, scale=0.05)
    load_demo_overload(seed=7, today=today, scale=0.05)
    load_demo_disclosure(seed=7, today=today, scale=0.05)
    names = set(Enterprise.objects.values_list("name", flat=True))
    split = {
        r[len("name:") :]
        for r in CreditRecord.objects.filter(subject_ref__startswith="name:").values_list(
            "subject_ref", flat=True
        )
    }
    assert not split & names
    assert CreditRecord.objects.filter(subject_ref__startswith="enterprise:", category="penalty").exists()
    for s in SanctionLead.objects.filter(status="open"):
        assert all(Lead.objects.get(pk=i).decided_on for i in s.lead_ids if s.kind != "enterprise"), s
    assert (
        CreditRecord.objects.filter(category="overload").count()
        == SanctionLead.objects.filter(status="open").count()
    )
