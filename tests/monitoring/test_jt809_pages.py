"""The 809 pages (platforms with the month's figures, 查岗, 督办) and the indicators behind them, with the
refusals (三员, another county)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from zhifa.core.indicators import get
from zhifa.monitoring.jt809 import selectors
from zhifa.monitoring.models import (
    Jt809Platform,
    Jt809Session,
    MonthlyRun,
    SpotCheck,
    Supervision,
    ViolationLead,
)

TZ = timezone.get_fixed_timezone(8 * 60)


def at(day: int, h: int = 0, m: int = 0) -> datetime:
    return datetime(2026, 3, day, h, m, tzinfo=TZ)


@pytest.fixture
def history(officer_user):
    """March 2026: the link down 2 h on the 10th and 30 min from a crash on the 20th; 4 查岗 (3 in time, one
    late), 2 督办 (one closed in time, one overdue)."""
    pl = Jt809Platform.objects.create(org=officer_user.org, name="郁南甲客运监控平台", center_id=7301, user_id=1,
                                      password="pw", vehicles_expected=2)  # fmt: skip
    for a, b in (
        (at(1), at(10, 8)),
        (at(10, 10), at(20, 6)),
        (at(20, 6, 30), datetime(2026, 4, 1, tzinfo=TZ)),
    ):
        Jt809Session.objects.create(
            platform=pl, peer_ip="10.0.0.1", started_at=a, last_seen_at=b, ended_at=b, positions=100
        )
    for day, delay, status in ((3, 20, "on_time"), (4, 40, "on_time"), (5, 590, "on_time"), (6, 900, "late")):
        sc = SpotCheck.objects.create(org=officer_user.org, platform=pl, question="在岗吗", answer_seconds=600,
                                      status=status, sent_at=at(day, 9), answered_at=at(day, 9) + timedelta(seconds=delay),
                                      delay_s=delay)  # fmt: skip
        SpotCheck.objects.filter(pk=sc.pk).update(created_at=at(day, 9))
    run = MonthlyRun.objects.create(org=officer_user.org, month="2026-02", engine="duckdb", out_dir="")
    lead = ViolationLead.objects.create(run=run, org=officer_user.org, plate="粤W10001", plate_color="yellow", type="fatigue",
                                        start_at=at(2), end_at=at(2, 5), duration_s=18000, detail="连续驾驶超时")  # fmt: skip
    Supervision.objects.create(org=officer_user.org, platform=pl, lead=lead, plate="粤W10001", warn_time=at(2), deadline=at(8),
                               status="done", sent_at=at(7), closed_at=at(7, 12))  # fmt: skip
    Supervision.objects.create(org=officer_user.org, platform=pl, plate="粤W10002", warn_time=at(2), deadline=at(9),
                               status="overdue", sent_at=at(7), escalated="已提醒督办人")  # fmt: skip
    return pl


def test_month_figures(history):
    s = selectors.platform_stats(history, date(2026, 3, 1), date(2026, 3, 31))
    month = 31 * 86400
    assert s.period_s == month and s.disconnect_s == 2 * 3600 + 30 * 60 and s.disconnects == 2
    assert s.connectivity == round(100 * (month - 9000) / month, 2)
    assert (s.spotchecks, s.spotchecks_on_time, s.response_rate, s.avg_delay_s) == (4, 3, 75.0, 387.5)
    assert (s.supervisions, s.supervisions_on_time, s.supervision_rate) == (2, 1, 50.0)
    assert s.positions == 300 and s.positions_expected == 2 * (month - 9000) // 30


def test_indicators_registered_and_scoped(history, officer_user, officer_b):
    ind = get("monitoring.jt809_connectivity")
    v = ind.total(officer_user, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert v.value == round(100 * (31 * 86400 - 9000) / (31 * 86400), 2)
    (row,) = ind.values(officer_user, start=date(2026, 3, 1), end=date(2026, 3, 31), dimension="platform")
    assert row.label == "郁南甲客运监控平台"
    assert (
        get("monitoring.jt809_spotcheck_response")
        .total(officer_user, start=date(2026, 3, 1), end=date(2026, 3, 31))
        .value
        == 75.0
    )
    assert (
        get("monitoring.jt809_supervision_on_time")
        .total(officer_user, start=date(2026, 3, 1), end=date(2026, 3, 31))
        .value
        == 50.0
    )
    # another county sees no platform of this one
    assert (
        get("monitoring.jt809_connectivity")
        .total(officer_b, start=date(2026, 3, 1), end=date(2026, 3, 31))
        .value
        is None
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_pages_and_forms(client, officer_user, history):
    login(client, officer_user)
    html = client.get("/monitoring/jt809/?month=2026-03").content.decode()
    assert "郁南甲客运监控平台" in html and "2 小时 30 分" in html and "75.0%" in html and "50.0%" in html
    assert "已提醒督办人" in client.get("/monitoring/jt809/supervisions/").content.decode()
    r = client.post(
        "/monitoring/jt809/spotchecks/",
        {"platform": [history.pk], "question": "请报告值班人员", "answer_minutes": "5"},
        follow=True,
    )
    assert "已向 1 个平台发出查岗" in r.content.decode()
    assert (
        SpotCheck.objects.filter(question="请报告值班人员", answer_seconds=300, status="queued").count() == 1
    )
    r = client.post(
        "/monitoring/jt809/spotchecks/",
        {"platform": [history.pk], "question": "x", "answer_minutes": "999"},
        follow=True,
    )
    assert "应答时限应为" in r.content.decode()
    lead = ViolationLead.objects.get()
    deadline = (timezone.localtime() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        "/monitoring/jt809/supervisions/",
        {"platform": history.pk, "lead": lead.pk, "level": "0", "deadline": deadline},
        follow=True,
    )
    assert "已向 郁南甲客运监控平台 发出报警督办" in r.content.decode()
    r = client.post(
        "/monitoring/jt809/supervisions/",
        {"platform": history.pk, "level": "1", "deadline": "明天"},
        follow=True,
    )
    assert "督办截止时间“明天”无效" in r.content.decode()


def test_pages_refused_to_admins_and_empty_for_other_county(client, sysadmin, officer_b, history):
    login(client, sysadmin)
    assert client.get("/monitoring/jt809/").status_code == 403
    client.logout()
    login(client, officer_b)
    assert "郁南甲客运监控平台" not in client.get("/monitoring/jt809/spotchecks/").content.decode()
    client.post("/monitoring/jt809/spotchecks/", {"platform": [history.pk], "question": "越权"})
    assert not SpotCheck.objects.filter(question="越权").exists()
