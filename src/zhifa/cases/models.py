"""Case sources (案源/线索) and, later in this app, cases."""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Org
from zhifa.registry.models import Enterprise, Person, Vehicle


class SourceOrigin(models.TextChoices):
    INSPECTION = "inspection", "检查发现"
    RANDOM_INSPECTION = "random_inspection", "双随机抽查"
    COMPLAINT = "complaint", "投诉举报"
    TRANSFER = "transfer", "移送"
    ASSIGNMENT = "assignment", "上级交办"
    OVERLOAD = "overload", "非现场治超"
    MONITORING = "monitoring", "动态监控"
    DISCOVERY = "discovery", "执法人员发现"
    OTHER = "other", "其他"


class SourceStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已立案"
    CLOSED = "closed", "不予立案"


class CaseSource(models.Model):
    """A lead that may become a case. Feeders (inspections, complaints, 治超, 两客一危) create these
    through ``cases.services.case_source_create``; ``(origin, external_ref)`` makes that idempotent."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    origin = models.CharField("来源", max_length=20, choices=SourceOrigin.choices)
    external_ref = models.CharField("来源编号", max_length=100, blank=True,
                                    help_text="来源系统中的唯一编号，如治超检测记录号、投诉工单号")
    status = models.CharField("状态", max_length=10, choices=SourceStatus.choices, default=SourceStatus.PENDING)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject_name = models.CharField("当事人/对象", max_length=200, blank=True)
    violation_code = models.CharField("涉嫌违法行为代码", max_length=40, blank=True)
    facts = models.TextField("线索内容")
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    evidence_ids = models.JSONField("证据", default=list, blank=True)
    proposed = models.JSONField("建议处理（如拟罚款及计算依据）", default=dict, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    decision_due = models.DateField("处理期限", null=True, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.CharField("处理人", max_length=150, blank=True)
    close_reason = models.CharField("不予立案理由", max_length=500, blank=True)
    created_by = models.CharField("登记人", max_length=150, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "案源线索"
        constraints = [
            models.UniqueConstraint(fields=["origin", "external_ref"], condition=~models.Q(external_ref=""),
                                    name="casesource_origin_ref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_origin_display()}：{self.subject_name or self.facts[:20]}"
