"""The daily reminder of the permit clocks (registered with ``notifications.daily``): each deadline is announced
when it falls within the two-working-day window, once, to who acts (the last handler, else the heads)."""

from __future__ import annotations

from datetime import date as D

import pytest

from tests.permits.conftest import new_app
from zhifa.notifications.daily import run_daily
from zhifa.notifications.kinds import kind_label
from zhifa.notifications.models import Notification
from zhifa.permits import services

pytestmark = pytest.mark.usefixtures("catalogue", "company")


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    def run(on: D) -> list[tuple[str, str, str]]:
        with django_capture_on_commit_callbacks(execute=True):
            counts = dict(run_daily(on=on))
        assert "行政许可办理期限提醒" in counts
        return sorted(Notification.objects.values_list("user__username", "kind", "title"))

    return run


def test_art32_correction_notice_due_goes_to_the_heads_of_a_portal_application(tree, head_user, tick):
    app = new_app(tree, received_on=D(2026, 3, 2))  # portal: no staff has handled it; 5 working days end 3/9
    assert tick(D(2026, 3, 4)) == []  # the window of 3/4 ends on 3/6
    expected = [("head_a", "permit.deadline", f"许可申请 {app.number} 补正告知期限即将届满（2026-03-09）")]
    assert tick(D(2026, 3, 5)) == expected
    assert tick(D(2026, 3, 6)) == expected  # once per deadline
    assert kind_label("permit.deadline") == "行政许可办理期限提醒"


def test_decision_and_certificate_due_go_to_the_handler(tree, officer_user, head_user, tick):
    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))  # Art 42: due 3/30
    assert tick(D(2026, 3, 25)) == []
    assert tick(D(2026, 3, 26)) == [
        ("officer_a", "permit.deadline", f"许可申请 {app.number} 许可决定期限即将届满（2026-03-30）")
    ]
    Notification.objects.all().delete()
    services.application_decide(
        app=app, actor=officer_user, on=D(2026, 3, 10), grant=True, today=D(2026, 3, 10)
    )
    # Art 44: ten working days from 3/10 → 3/24; after it passes the reminder says so
    assert tick(D(2026, 3, 19)) == []
    assert tick(D(2026, 3, 25)) == [
        ("officer_a", "permit.deadline", f"许可申请 {app.number} 发证期限已超期（2026-03-24）")
    ]
    services.application_issue(app=app, actor=officer_user, on=D(2026, 3, 25), with_certificate=False)
    Notification.objects.all().delete()
    assert tick(D(2026, 3, 26)) == []  # issued: nothing more to announce


def test_postcheck_and_bad_rating_rectification_due(tree, officer_user, tick):
    app = new_app(tree, received_on=D(2026, 3, 2), pledge=True, pledge_text="本企业承诺车辆技术条件符合要求")
    services.application_accept(
        app=app, actor=officer_user, on=D(2026, 3, 2)
    )  # post-check due 3/2 + 60 = 5/1
    services.application_decide(
        app=app, actor=officer_user, on=D(2026, 3, 3), grant=True, today=D(2026, 3, 3)
    )
    services.application_issue(app=app, actor=officer_user, on=D(2026, 3, 4), with_certificate=False)
    services.rating_submit(app=app, grade=1, channel="portal", on=D(2026, 4, 1))  # 非常不满意: due 4/9 (清明)
    assert tick(D(2026, 4, 3)) == []  # the window of 4/3 ends on 4/8 (4/4–4/6 清明)
    assert tick(D(2026, 4, 7)) == [
        ("officer_a", "permit.rating_fix", f"许可申请 {app.number} 差评整改期限即将届满（2026-04-09）")
    ]
    rating = app.rating
    services.rating_record(
        rating=rating, actor=officer_user, on=D(2026, 4, 9), entry="fix", text="已当面致歉并整改"
    )
    Notification.objects.all().delete()
    assert tick(D(2026, 4, 27)) == []  # the window of 4/27 ends on 4/29
    assert tick(D(2026, 4, 29)) == [
        ("officer_a", "permit.postcheck", f"许可申请 {app.number} 告知承诺事后核查期限即将届满（2026-05-01）")
    ]
    services.postcheck_record(app=app, actor=officer_user, on=D(2026, 4, 30), truthful=True)
    Notification.objects.all().delete()
    assert tick(D(2026, 4, 30)) == []
