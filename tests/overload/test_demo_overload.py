"""The demo county's 治超 month: stations of seed 001, weighings through the real ingest, a reviewed queue."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.overload.models import Lead, Station


@pytest.mark.django_db
def test_demo_overload_month(settings):
    from zhifa.demo.loader import load_demo
    from zhifa.demo.overload import load_demo_overload
    from zhifa.overload import store

    today = date(2026, 11, 20)
    load_demo(seed=7, scale=0.05, today=today, modules=())
    s = load_demo_overload(seed=7, today=today, scale=0.05)
    names = set(Station.objects.values_list("name", flat=True))
    assert any("南江口" in n for n in names) and any("平台" in n for n in names)
    assert s.records > 1000 and len(store.partitions()) >= 60
    assert s.leads == Lead.objects.count() > 0
    assert s.confirmed + s.rejected > 0 or not Lead.objects.filter(status="pending").exists()
    # deterministic for a seed: a second load of the same month adds nothing
    again = load_demo_overload(seed=7, today=today, scale=0.05)
    assert again.records == 0 and again.leads == s.leads
