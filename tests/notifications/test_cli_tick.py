"""``zhifa notifications tick``: the daily reminders, idempotent when run again the same day."""

from __future__ import annotations

import pytest

from tests.cases.conftest import kit, to_state  # noqa: F401  (the case fixtures)
from tests.notifications.test_notify import K_TEST  # noqa: F401  (declares the test kind)
from zhifa.cases.models import CaseClock
from zhifa.cli import main
from zhifa.notifications.models import Notification


def test_tick_reminds_once_per_clock_and_day(kit, capsys, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        c = to_state(kit, "notified", fine_fen=100000)
    clock = CaseClock.objects.get(case=c, kind="statement")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert main(["notifications", "tick", "--on", f"{clock.due:%Y-%m-%d}"]) == 0
    out = capsys.readouterr().out
    assert "法定期限提醒（两个工作日内届满）：" in out and "共发送提醒" in out
    assert Notification.objects.filter(kind="case.deadline", user=kit.officer_user).count() == 1
    with pytest.raises(SystemExit) as exc:  # a bad date is a usage error, in Chinese
        main(["notifications", "tick", "--on", "2026-02-30"])
    assert exc.value.code == 2 and "格式应为" in capsys.readouterr().err
