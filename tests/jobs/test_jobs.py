"""The job seam in one process: submit, claim once, retry, fail with the reason, recover a dead worker's job,
schedule once per period, cancel. The broker is real (Huey's SQLite storage under the test's data dir);
real worker processes, kill -9 and Redis are in test_worker.py."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user
from zhifa.jobs import queue
from zhifa.jobs.models import Job
from zhifa.jobs.registry import Schedule, job, periodic, spec_for
from zhifa.jobs.services import (
    JobFailed,
    job_cancel,
    job_execute,
    job_retry,
    job_submit,
    jobs_recover,
    schedule_due,
)
from zhifa.notifications.models import Notification

CALLS: list[dict] = []
GIVEN_UP: list[dict] = []


@job("tests.echo", label="测试：回显")
def _echo(ctx, *, n: int = 3, fail_times: int = 0, refuse: bool = False) -> dict:
    CALLS.append({"n": n, "attempt": ctx.job.attempts})
    for i in range(n):
        ctx.progress(i + 1, n, f"第 {i + 1} 步", force=True)
    if refuse:
        raise JobFailed("参数不符合要求：月份格式应为 YYYY-MM")
    if ctx.job.attempts <= fail_times:
        raise RuntimeError("数据库连接中断")
    return {"summary": f"完成 {n} 步", "url": "/"}


@job("tests.cleanup", label="测试：失败清理", max_attempts=2, on_give_up=GIVEN_UP.append)
def _cleanup(ctx, *, path: str) -> None:
    raise RuntimeError("总是失败")


@periodic("tests.daily", label="测试：每日", every="daily")
def _daily(ctx) -> dict:
    return {"summary": "每日完成"}


@pytest.fixture(autouse=True)
def _broker(settings, tmp_path):
    """Queue mode (not inline) with the embedded broker in this test's data dir."""
    settings.JOBS_EAGER = False
    settings.DATA_DIR = tmp_path
    settings.JOBS_URL = ""
    CALLS.clear()
    GIVEN_UP.clear()
    yield
    queue.huey().flush()


def test_submit_queues_after_commit_and_runs_once(db, django_capture_on_commit_callbacks, officer_user):
    with django_capture_on_commit_callbacks(execute=True):
        j = job_submit("tests.echo", params={"n": 4}, actor=officer_user)
    assert j.status == Job.Status.QUEUED and j.label == "测试：回显" and j.org_id == officer_user.org_id
    assert queue.pending_count() == 1  # the wake-up is in the broker, after commit
    assert job_execute(j.pk) == Job.Status.DONE
    assert job_execute(j.pk) == "skipped"  # a second delivery of the message runs nothing
    j.refresh_from_db()
    assert (j.status, j.done, j.total, j.percent, j.attempts) == ("done", 4, 4, 100, 1)
    assert j.result == {"summary": "完成 4 步", "url": "/"} and j.message == "完成 4 步"
    assert len(CALLS) == 1


def test_nothing_is_queued_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job_submit("tests.echo")
    assert len(callbacks) == 1 and queue.pending_count() == 0


def test_crash_is_retried_then_succeeds(db):
    j = job_submit("tests.echo", params={"fail_times": 1})
    assert job_execute(j.pk) == Job.Status.QUEUED
    j.refresh_from_db()
    assert j.status == "queued" and j.error == "第 1 次尝试失败，将重试：执行出错：RuntimeError: 数据库连接中断"
    assert job_execute(j.pk) == Job.Status.DONE
    j.refresh_from_db()
    assert j.attempts == 2 and j.error == ""


def test_exhausted_attempts_fail_with_reason_and_tell_the_sysadmin(db, tree, django_capture_on_commit_callbacks):
    admin = make_user("sys_jobs", tree.bureau_a, {"sysadmin"})
    j = job_submit("tests.cleanup", params={"path": "/tmp/x.csv"})
    with django_capture_on_commit_callbacks(execute=True):
        assert job_execute(j.pk) == Job.Status.QUEUED
        assert job_execute(j.pk) == Job.Status.FAILED
    j.refresh_from_db()
    assert j.status == "failed" and j.error == "已尝试 2 次仍失败：执行出错：RuntimeError: 总是失败"
    assert GIVEN_UP == [{"path": "/tmp/x.csv"}]  # the clean-up ran once, after the last attempt
    n = Notification.objects.get(user=admin)
    assert n.title == f"后台任务失败：测试：失败清理（#{j.pk}）" and n.link == f"/jobs/{j.pk}/"


def test_a_refusal_is_not_retried(db):
    j = job_submit("tests.echo", params={"refuse": True})
    assert job_execute(j.pk) == Job.Status.FAILED
    j.refresh_from_db()
    assert j.attempts == 1 and j.error == "参数不符合要求：月份格式应为 YYYY-MM"


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_recovery_requeues_a_dead_workers_job_and_fails_it_when_attempts_are_spent(db):
    j = job_submit("tests.echo")
    dead = f"{socket.gethostname()}:{_dead_pid()}"
    now = timezone.now()
    Job.objects.filter(pk=j.pk).update(status="running", worker=dead, attempts=1, heartbeat_at=now)
    other = job_submit("tests.echo")  # a live worker elsewhere, heartbeat fresh: left alone
    Job.objects.filter(pk=other.pk).update(status="running", worker="other-host:1", attempts=1, heartbeat_at=now)
    r = jobs_recover()
    j.refresh_from_db()
    assert (r["requeued"], r["failed"]) == (1, 0)
    assert j.status == "queued" and j.error.startswith("第 1 次尝试中断，将重试：执行进程") and "意外中止" in j.error
    assert Job.objects.get(pk=other.pk).status == "running"
    # the other host's worker stops beating: after the lease it is dead too; its last attempt fails the job
    Job.objects.filter(pk=other.pk).update(attempts=3, heartbeat_at=now - timedelta(seconds=61))
    r = jobs_recover()
    other.refresh_from_db()
    assert r["failed"] == 1 and other.status == "failed"
    assert other.error == "已尝试 3 次仍未完成：执行进程 other-host:1 意外中止（无心跳）"


def test_schedule_runs_each_period_once(db, settings):
    settings.JOBS_DAILY_HOUR = 2
    tz = timezone.get_current_timezone()
    early = datetime(2026, 12, 7, 1, 30, tzinfo=tz)
    assert [j.kind for j in schedule_due(now=early) if j.kind == "tests.daily"] == []
    late = datetime(2026, 12, 7, 9, 0, tzinfo=tz)  # a worker down at 02:00 catches up later that day
    first = [j for j in schedule_due(now=late) if j.kind == "tests.daily"]
    assert len(first) == 1 and first[0].unique_key == "tests.daily@2026-12-07" and first[0].scheduled
    assert [j for j in schedule_due(now=late + timedelta(hours=3)) if j.kind == "tests.daily"] == []
    assert len([j for j in schedule_due(now=late + timedelta(days=1)) if j.kind == "tests.daily"]) == 1


@pytest.mark.parametrize(("every", "now", "key"), [
    ("daily", datetime(2026, 10, 1, 2, 0), "2026-10-01"),
    ("daily", datetime(2026, 10, 1, 1, 59), None),
    ("weekly", datetime(2026, 12, 9, 0, 5), "2026-12-07/W"),   # a Wednesday: the week of Monday 7th
    ("weekly", datetime(2026, 12, 7, 1, 0), None),             # Monday before the hour
    ("hourly", datetime(2026, 12, 7, 13, 59), "2026-12-07T13"),
    (15, datetime(2026, 12, 7, 13, 44), "2026-12-07/15m54"),
])
def test_period_keys(every, now, key):
    assert Schedule(every).period_key(now, daily_hour=2) == key


def test_cancel_stops_a_running_job_at_its_next_progress(db, officer_user):
    j = job_submit("tests.echo", params={"n": 2}, actor=officer_user)
    job_cancel(job=j, actor=officer_user)
    j.refresh_from_db()
    assert j.status == "cancelled" and j.error == "由 officer_a 取消"
    assert job_execute(j.pk) == "skipped"  # a cancelled job is never claimed
    with pytest.raises(Exception, match="任务已结束"):
        job_cancel(job=j, actor=officer_user)


def test_retry_makes_a_new_job_with_the_same_parameters(db, tree):
    admin = make_user("sys_retry", tree.bureau_a, {"sysadmin"})
    j = job_submit("tests.echo", params={"refuse": True})
    job_execute(j.pk)
    j.refresh_from_db()
    new = job_retry(job=j, actor=admin)
    assert new.pk != j.pk and new.params == {"refuse": True} and new.status == "queued"


def test_unknown_kind_is_refused_at_submit():
    with pytest.raises(LookupError):
        spec_for("nothing.here")


def test_jobs_list_prints_the_submission_time_in_beijing_time(db, capsys):
    """`zhifa jobs list` shows the time a person reads on the 后台任务 page (Asia/Shanghai), not UTC."""
    from zhifa.cli import main

    j = job_submit("tests.echo")
    Job.objects.filter(pk=j.pk).update(created_at=datetime(2026, 12, 7, 18, 0, 44, tzinfo=UTC))
    assert main(["jobs", "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(f"#{j.pk}\t"))
    assert "\t2026-12-08 02:00:44\t" in line
