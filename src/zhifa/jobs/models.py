"""One row per job run: the database is the queue of record, Huey only carries the wake-up.

A job is claimed by a single atomic UPDATE (``queued`` → ``running``), so a message delivered twice, a
recovery sweep that re-enqueues, or two workers cannot run it twice. A worker that dies mid-job leaves a
``running`` row whose heartbeat stops; the recovery sweep (at worker start and every minute) queues it
again while attempts remain, else marks it failed with the reason.
"""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    kind = models.CharField("任务类型", max_length=80, db_index=True)
    label = models.CharField("任务名称", max_length=120)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    max_attempts = models.PositiveSmallIntegerField("最多尝试次数", default=3)
    done = models.PositiveIntegerField("已完成量", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    # a periodic run's period ("disclosure.tick@2026-12-07") or a caller's idempotency key: one job per key
    unique_key = models.CharField("唯一键", max_length=160, null=True, blank=True, unique=True)
    scheduled = models.BooleanField("定时任务", default=False)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField("提交人", max_length=150, blank=True)
    org_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField("执行进程", max_length=120, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "后台任务"
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat")]

    def __str__(self) -> str:
        return f"后台任务 #{self.pk} {self.label}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def duration_text(self) -> str:
        """How long the last attempt ran, in Chinese ("—" before it ended)."""
        if not (self.started_at and self.finished_at):
            return "—"
        seconds = max(0, int((self.finished_at - self.started_at).total_seconds()))
        if seconds < 60:
            return f"{seconds} 秒"
        minutes, seconds = divmod(seconds, 60)
        if minutes < 60:
            return f"{minutes} 分 {seconds} 秒"
        return f"{minutes // 60} 小时 {minutes % 60} 分"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)
