"""双公示 records: what a decision becomes in public (the full portal is a later issue)."""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Org


class DisclosureKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    PERMIT = "permit", "行政许可"
    INSPECTION = "inspection", "检查结果"
    ENFORCEMENT = "enforcement", "执法公示"


class DisclosureState(models.TextChoices):
    PENDING = "pending", "待公示"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"


class DisclosureRecord(models.Model):
    """One item to publish. ``(kind, source_type, source_id, version)`` is unique, so emitting the same
    decision twice (a retried commit hook) creates nothing new."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="公示单位")
    kind = models.CharField("类别", max_length=12, choices=DisclosureKind.choices)
    source_type = models.CharField("来源类型", max_length=80)
    source_id = models.CharField("来源编号", max_length=40)
    source_repr = models.CharField("来源", max_length=300)
    version = models.PositiveIntegerField("版本", default=1)
    decided_on = models.DateField("决定日期")
    publish_due = models.DateField("公示期限", db_index=True)
    publish_explanation = models.JSONField(default=list)
    state = models.CharField(
        "状态", max_length=10, choices=DisclosureState.choices, default=DisclosureState.PENDING
    )
    published_on = models.DateField("公示日期", null=True, blank=True)
    payload = models.JSONField("公示内容", default=dict)
    changed_on = models.DateField("变更/撤销日期", null=True, blank=True)
    withdraw_due = models.DateField("撤回期限", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=300, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publish_due", "id"]
        verbose_name = "双公示记录"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id", "version"],
                name="disclosure_source_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.source_repr}"
