"""Shared kernel tables: the working-day calendar schedules and the audit chain."""

from __future__ import annotations

from django.db import models


class HolidaySchedule(models.Model):
    """A year's official holiday schedule (放假安排) as entered by an administrator.

    The State Council (国务院办公厅) publishes next year's schedule each November or December; until a
    year is covered here or by the holiday library, the calendar marks its results provisional (暂定).
    """

    year = models.PositiveIntegerField("年度", unique=True)
    document = models.CharField("发文字号/来源", max_length=200, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    entered_by = models.CharField("录入人", max_length=150, blank=True)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "年度放假安排"

    def __str__(self) -> str:
        return f"{self.year}年放假安排"


class HolidayDay(models.Model):
    """One day of an entered schedule: a holiday (放假) or a make-up working day (调休上班)."""

    schedule = models.ForeignKey(HolidaySchedule, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False)
    name = models.CharField("节日名称", max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = "放假/调休日"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'}（{self.name}）"


class AuditRecord(models.Model):
    """One entry of the append-only, hash-linked audit log (等保 8.1.4.3, 密评 8.4 g).

    No foreign keys: an audit row must outlive the user, org or object it names, so identities are
    stored as ids plus name snapshots. ``hash`` = HMAC(key, prev_hash || canonical(row)).
    """

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    actor_roles = models.CharField("角色", max_length=200, blank=True)
    org_id = models.BigIntegerField("单位ID", null=True, blank=True)
    org_name = models.CharField("单位", max_length=200, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=80, blank=True, db_index=True)
    target_id = models.CharField("对象ID", max_length=80, blank=True)
    target_repr = models.CharField("对象", max_length=300, blank=True)
    before_digest = models.CharField("变更前摘要", max_length=64, blank=True)
    after_digest = models.CharField("变更后摘要", max_length=64, blank=True)
    detail = models.JSONField("详情（已脱敏）", default=dict, blank=True)
    request_id = models.CharField("请求ID", max_length=64, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    success = models.BooleanField("成功", default=True)
    reason = models.CharField("原因", max_length=300, blank=True)
    algorithm = models.CharField("算法", max_length=20)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计记录"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """Singleton row holding the chain's tip; locked while appending so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"审计链头 #{self.seq}"


class ImportJob(models.Model):
    """One run of a bulk import (CSV/XLSX), with progress the page polls and the rejected rows."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导入类型", max_length=30)
    filename = models.CharField("文件名", max_length=255)
    file_digest = models.CharField("文件摘要", max_length=64, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    failed = models.PositiveIntegerField("错误行", default=0)
    errors = models.JSONField("错误明细（行号、原因）", default=list, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField("导入人", max_length=150, blank=True)
    org_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "导入任务"

    def __str__(self) -> str:
        return f"导入任务 #{self.pk} {self.kind} {self.filename}"

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else (100 if self.status == "done" else 0)
