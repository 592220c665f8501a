"""The demo's 809 history: two platforms, a month of link sessions, drawn 查岗 and 督办, and the figures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhifa.demo.jt809 import load_demo_jt809
from zhifa.monitoring.jt809 import selectors
from zhifa.monitoring.models import Jt809Platform, SpotCheck, Supervision


def test_demo_month_of_history(officer_user):
    today = timezone.localdate()
    s = load_demo_jt809(seed=2022, today=today, scale=1.0)
    assert s.platforms == 2 and s.spotchecks >= 50 and s.supervisions == 8
    assert {p.version for p in Jt809Platform.objects.all()} == {"2011", "2019"}
    assert (
        SpotCheck.objects.filter(status="late").exists()
        and SpotCheck.objects.filter(status="on_time").exists()
    )
    assert Supervision.objects.filter(status="overdue", lead__isnull=True).count() == 1
    stats = selectors.stats_for(officer_user, today - timedelta(days=30), today)
    assert len(stats) == 2
    for st in stats:
        assert 90 < st.connectivity < 100 and st.disconnects >= 1 and st.response_rate is not None
    again = load_demo_jt809(seed=2022, today=today, scale=1.0)  # re-runnable: replaces its own history
    assert again.spotchecks == s.spotchecks and SpotCheck.objects.count() == s.spotchecks
