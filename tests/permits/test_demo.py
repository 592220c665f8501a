"""The demo county's 政务服务 window: a year of applications walked through the services, 超限运输 in tiers,
告知承诺 with post-checks (one false → 撤销), one deemed acceptance, one extension, one hearing, ratings with
one 差评 rectified, the newest licences with a valid 电子证照."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings

from zhifa.core import indicators
from zhifa.demo.loader import load_demo
from zhifa.permits import certificates
from zhifa.permits.models import Application, Certificate, Rating

TODAY = date(2026, 6, 15)


@pytest.mark.django_db
def test_demo_window(django_capture_on_commit_callbacks):
    from zhifa.accounts.models import User

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with django_capture_on_commit_callbacks(execute=True):
            load_demo(seed=2022, scale=0.2, today=TODAY, modules=("window",))
    qs = Application.objects.all()
    assert 25 <= qs.count() <= 35
    assert qs.filter(item__code="cxys").exclude(tier="").exists()
    assert qs.filter(deemed_accepted=True).count() == 1
    assert (
        qs.filter(extended_on__isnull=False).count() == 1 and qs.filter(pauses__kind="hearing").count() == 1
    )
    assert qs.filter(postcheck="pledge_false", state="annulled").count() == 1
    bad = Rating.objects.filter(grade__lte=2)
    assert bad.count() == 1 and bad.get().fixed_on and bad.get().callback_on
    certs = Certificate.objects.all()
    assert 1 <= certs.count() <= 6 and all(certificates.verify_bytes(bytes(c.pdf)).ok for c in certs)
    head = User.objects.get(username="head")
    period = {"start": TODAY - timedelta(days=365), "end": TODAY}
    assert indicators.get("permits.on_time_rate").total(head, **period).value == 100.0
    good = indicators.get("permits.good_rate").total(head, **period)
    assert 90 <= good.value < 100
    assert indicators.get("permits.fix_rate").total(head, **period).value == 100.0
