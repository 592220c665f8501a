"""Submitting, running, recovering and scheduling jobs (the only writers of :class:`Job`)."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.core.procstatus import pid_alive
from zhifa.jobs.models import Job
from zhifa.jobs.registry import JobSpec, UnknownJob, periodic_specs, spec_for

log = logging.getLogger(__name__)

# a progress call writes at most this often (a tight loop must not hammer the database)
PROGRESS_INTERVAL = timedelta(seconds=1)


class JobCancelled(Exception):
    """Raised inside a job by ``ctx.progress`` once an administrator cancelled it."""


class JobFailed(Exception):
    """A job's own refusal: its message (Chinese) is the failure reason, and it is not retried."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class JobContext:
    """What a running job sees: its row, who started it, and ``progress``."""

    job: Job
    _last_write: object = field(default=None, repr=False)

    @property
    def params(self) -> dict:
        return self.job.params

    @property
    def actor(self):
        from django.contrib.auth import get_user_model

        if self.job.actor_id is None:
            return None
        return get_user_model().objects.select_related("org").filter(pk=self.job.actor_id).first()

    def progress(self, done: int, total: int | None = None, message: str = "", *, force: bool = False) -> None:
        """Record progress (and the heartbeat); raises :class:`JobCancelled` once the job was cancelled."""
        j = self.job
        j.done = max(0, int(done))
        if total is not None:
            j.total = max(0, int(total))
        if message:
            j.message = message[:300]
        now = timezone.now()
        if not force and self._last_write is not None and now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_write = now
        n = Job.objects.filter(pk=j.pk, status=Job.Status.RUNNING, worker=j.worker).update(
            done=j.done, total=j.total, message=j.message, heartbeat_at=now)
        if n == 0:
            raise JobCancelled()


def job_submit(kind: str, *, params: dict | None = None, actor=None, org_id: int | None = None,
               unique_key: str | None = None, scheduled: bool = False, run_now: bool = False) -> Job:
    """Create the job and wake a worker once the caller's transaction commits.

    With ``unique_key`` the job is created once: a second submission returns the first job.
    With ``run_now`` (``zhifa jobs run``) or under ZHIFA_JOBS_EAGER (tests) the job runs here and now, in
    the caller's process.
    """
    from zhifa.core import context

    spec = spec_for(kind)
    cur = context.current()
    fields = dict(
        kind=kind, label=spec.label, params=params or {}, max_attempts=spec.max_attempts, scheduled=scheduled,
        actor_id=getattr(actor, "pk", None), actor_name=actor.get_username() if actor is not None else "",
        org_id=org_id if org_id is not None else getattr(actor, "org_id", None),
        request_id=cur.request_id,
    )
    if unique_key:
        try:
            with transaction.atomic():
                job = Job.objects.create(unique_key=unique_key[:160], **fields)
        except IntegrityError:
            return Job.objects.get(unique_key=unique_key[:160])
    else:
        job = Job.objects.create(**fields)
    if run_now or settings.JOBS_EAGER:
        job_execute(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _wake(job.pk))
    return job


def _wake(job_id: int) -> None:
    from zhifa.jobs.queue import enqueue

    try:
        enqueue(job_id)
    except Exception:  # the broker is down: the job waits in the database for the recovery sweep
        log.warning("job %s queued in the database only: broker unreachable", job_id, exc_info=True)


def _claim(job_id: int, me: str) -> Job | None:
    now = timezone.now()
    with transaction.atomic():
        n = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, worker=me, started_at=now, heartbeat_at=now, finished_at=None,
            done=0, total=0, message="", error="")
        if n == 0:
            return None
        job = Job.objects.get(pk=job_id)
        job.attempts += 1
        Job.objects.filter(pk=job_id).update(attempts=job.attempts)
    return job


def job_execute(job_id: int) -> str:
    """Claim job ``job_id`` and run it; returns its final status (or ``skipped`` when not claimable)."""
    from zhifa.core import context

    me = worker_name()
    job = _claim(job_id, me)
    if job is None:
        return "skipped"
    try:
        spec = spec_for(job.kind)
    except UnknownJob:
        _finish(job, Job.Status.FAILED, error=f"未知的任务类型：{job.kind}（可能是版本不一致，请升级后台任务进程）")
        return Job.Status.FAILED
    ctx = JobContext(job)
    rc = context.RequestContext(request_id=job.request_id or context.new_request_id(), ip="", user_agent=me,
                                channel="job")
    try:
        with context.bound(rc):
            result = spec.func(ctx, **job.params)
    except JobCancelled:
        _give_up(spec, job)
        return Job.Status.CANCELLED
    except JobFailed as e:
        _finish(job, Job.Status.FAILED, error=str(e))
        _give_up(spec, job)
        return Job.Status.FAILED
    except Exception as e:  # noqa: BLE001 - a job's crash is recorded, retried or failed, never lost
        log.exception("job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
        reason = f"执行出错：{type(e).__name__}: {e}"
        return _retry_or_fail(job, spec, reason)
    _finish(job, Job.Status.DONE, result=_jsonable(result))
    return Job.Status.DONE


def _jsonable(result) -> dict | None:
    if result is None:
        return None
    if isinstance(result, dict):
        return result
    return {"summary": str(result)}


def _finish(job: Job, status: str, *, result: dict | None = None, error: str = "") -> None:
    # the last progress the job reported (a progress call within a second of the previous is not written)
    update = dict(status=status, finished_at=timezone.now(), error=error[:500], done=job.done, total=job.total)
    if result is not None:
        update["result"] = result
    if status == Job.Status.DONE:
        update["message"] = (result or {}).get("summary", "")[:300] if result else ""
    n = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**update)
    if n and status == Job.Status.FAILED:
        _failed(job, error)


def _failed(job: Job, error: str) -> None:
    from zhifa.core import events
    from zhifa.jobs.events import JOB_FAILED

    events.emit(JOB_FAILED, job_id=job.pk, kind=job.kind, label=job.label, error=error[:500],
                scheduled=job.scheduled)


def _retry_or_fail(job: Job, spec: JobSpec, reason: str) -> str:
    if job.attempts < job.max_attempts:
        n = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.QUEUED, worker="", error=f"第 {job.attempts} 次尝试失败，将重试：{reason}"[:500])
        if n:
            transaction.on_commit(lambda: _wake(job.pk))
            if settings.JOBS_EAGER:
                return job_execute(job.pk)
        return Job.Status.QUEUED
    _finish(job, Job.Status.FAILED, error=f"已尝试 {job.attempts} 次仍失败：{reason}")
    _give_up(spec, job)
    return Job.Status.FAILED


def _give_up(spec: JobSpec, job: Job) -> None:
    if spec.on_give_up is None:
        return
    try:
        spec.on_give_up(job.params)
    except Exception:  # clean-up must not mask the failure being recorded
        log.exception("clean-up of job %s failed", job.pk)


# --- recovery and schedule (the worker's minute tick) -----------------------------------------------------

def jobs_recover(*, now=None) -> dict:
    """Requeue or fail jobs whose worker died; re-enqueue jobs the broker may have lost.

    A running job is dead when its heartbeat is older than ZHIFA_JOBS_LEASE_SECONDS, or at once when
    its worker was a process on this host that no longer exists.
    """
    now = now or timezone.now()
    host = socket.gethostname()
    lease = timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    requeued = failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        w_host, _, w_pid = job.worker.rpartition(":")
        dead = job.heartbeat_at is None or now - job.heartbeat_at > lease
        if not dead and w_host == host and w_pid.isdigit() and int(w_pid) != os.getpid():
            dead = not pid_alive(int(w_pid))
        if not dead:
            continue
        reason = f"执行进程 {job.worker} 意外中止（无心跳）"
        try:
            spec = spec_for(job.kind)
        except UnknownJob:
            spec = None
        if spec is not None and job.attempts < job.max_attempts:
            n = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(
                status=Job.Status.QUEUED, worker="", error=f"第 {job.attempts} 次尝试中断，将重试：{reason}")
            requeued += n
        else:
            error = f"已尝试 {job.attempts} 次仍未完成：{reason}"
            n = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(
                status=Job.Status.FAILED, finished_at=now, error=error)
            failed += n
            if n:
                _failed(job, error)
                if spec is not None:
                    _give_up(spec, job)
    # queued jobs older than a few seconds may have lost their message (broker down at submit, a
    # SQLite broker's message taken by a killed worker): enqueue again; the claim makes it harmless
    woken = 0
    for pk in Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=now - timedelta(seconds=5)) \
            .values_list("pk", flat=True)[:1000]:
        _wake(pk)
        woken += 1
    return {"requeued": requeued, "failed": failed, "woken": woken}


def schedule_due(*, now=None) -> list[Job]:
    """Submit each periodic job whose current period has no run yet (once per period, whatever number of
    schedulers run: the period is the job's unique key). A worker down at the due hour catches up."""
    now = timezone.localtime(now or timezone.now())
    submitted = []
    for spec in periodic_specs():
        key = spec.schedule.period_key(now, settings.JOBS_DAILY_HOUR)
        if key is None:
            continue
        unique = f"{spec.name}@{key}"
        if Job.objects.filter(unique_key=unique).exists():
            continue
        submitted.append(job_submit(spec.name, unique_key=unique, scheduled=True))
    return submitted


def jobs_minute() -> None:
    """The worker's minute tick: recovery, then the schedule."""
    jobs_recover()
    schedule_due()


def jobs_prune(*, now=None) -> int:
    """Delete finished jobs older than ZHIFA_JOBS_KEEP_DAYS; returns how many."""
    from zhifa.jobs.files import export_file

    cutoff = (now or timezone.now()) - timedelta(days=settings.JOBS_KEEP_DAYS)
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED, Job.Status.CANCELLED],
                             finished_at__lt=cutoff)
    for pk in old.filter(kind="exports.list").values_list("pk", flat=True):
        path = export_file(pk)
        if path is not None:
            path.unlink(missing_ok=True)
    n, _ = old.delete()
    return n


def _register_handlers() -> None:
    from zhifa.jobs import queue

    queue.handle("run_job", job_execute)
    queue.handle("minute", jobs_minute)


_register_handlers()


def heartbeat(me: str | None = None) -> int:
    """Refresh the heartbeat of this worker's running jobs (called from the worker's heartbeat thread)."""
    return Job.objects.filter(status=Job.Status.RUNNING, worker=me or worker_name()).update(
        heartbeat_at=timezone.now())


# --- administrators' actions -----------------------------------------------------------------------------

def job_retry(*, job: Job, actor) -> Job:
    """Run a failed or cancelled job again as a new job with the same parameters."""
    from zhifa.core.audit import audit_record
    from zhifa.core.errors import DomainError

    if job.status not in (Job.Status.FAILED, Job.Status.CANCELLED):
        raise DomainError("job_not_finished", "只有失败或已取消的任务可以重新运行")
    with transaction.atomic():
        new = job_submit(job.kind, params=job.params, actor=actor, org_id=job.org_id)
        audit_record(action="job.retry", actor=actor, target=job, detail={"new_job": new.pk, "kind": job.kind})
    return new


def job_cancel(*, job: Job, actor) -> Job:
    """Cancel a queued or running job (a running job stops at its next progress call)."""
    from zhifa.core.audit import audit_record
    from zhifa.core.errors import DomainError

    was_queued = job.status == Job.Status.QUEUED
    with transaction.atomic():
        n = Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now(),
            error=f"由 {actor.get_username()} 取消")
        if n == 0:
            raise DomainError("job_finished", "任务已结束，无法取消")
        audit_record(action="job.cancel", actor=actor, target=job, detail={"kind": job.kind})
        job.refresh_from_db()
    if was_queued:  # a running job cleans up itself when it sees the cancellation
        try:
            spec = spec_for(job.kind)
        except UnknownJob:
            return job
        transaction.on_commit(lambda: _give_up(spec, job))
    return job
