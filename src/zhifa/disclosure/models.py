"""双公示 records: what a decision becomes in public.

Two tables on purpose (masking by construction):

* ``DisclosureRecord`` is the internal record: the full data items (``payload``, never shown to the
  public), the deadlines, the lifecycle and the reasons.
* ``PublicRecord`` is the separately stored 公示版: written only by ``disclosure.masking`` through
  ``disclosure.services``; a row exists exactly while the record is on the portal. Every public page,
  the open API and every export read this table and nothing else.
"""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Org
from zhifa.rules.models import SeverityClass


class DisclosureKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    PERMIT = "permit", "行政许可"
    INSPECTION = "inspection", "检查结果"
    ENFORCEMENT = "enforcement", "执法公示"


class DisclosureState(models.TextChoices):
    PENDING = "pending", "待公示"
    HELD = "held", "暂缓公示（数据项缺失）"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "公示期满"
    REPAIRED = "repaired", "信用修复后终止公示"
    NOT_PUBLIC = "not_public", "依法不予公示"


# 失信程度 (轻微/一般/严重): one definition, with the rules catalogue that classifies each violation
Severity = SeverityClass


class SubjectKind(models.TextChoices):
    ORG = "org", "法人及非法人组织"
    PERSON = "person", "自然人"
    INDIVIDUAL_BUSINESS = "individual", "个体工商户"


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
        "状态", max_length=10, choices=DisclosureState.choices, default=DisclosureState.PENDING, db_index=True
    )
    published_on = models.DateField("公示日期", null=True, blank=True)
    payload = models.JSONField("数据项（内部）", default=dict)
    # the known personal data to scrub (party address, phone, ID number, third parties' names), SM4-encrypted
    pii_enc = models.TextField("待脱敏个人信息（加密）", blank=True)
    # the subject, for the credit file and internal search (never read by public pages)
    subject_kind = models.CharField("相对人类别", max_length=12, choices=SubjectKind.choices, blank=True)
    subject_name = models.CharField("相对人名称", max_length=200, blank=True, db_index=True)
    subject_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    subject_ref = models.CharField("监管对象", max_length=40, blank=True, db_index=True)
    plate = models.CharField("车牌号", max_length=10, blank=True, db_index=True)
    related_refs = models.JSONField("关联信用主体（车辆等）", default=list, blank=True)
    doc_no = models.CharField("决定书文号", max_length=80, blank=True)
    violation_code = models.CharField("违法行为代码", max_length=40, blank=True)
    # periods (信用修复管理办法 / 58号令), computed by disclosure.rules
    severity = models.CharField("失信程度", max_length=8, choices=Severity.choices, blank=True)
    severity_basis = models.CharField("失信程度依据", max_length=300, blank=True)
    publish_until = models.DateField("公示截止期", null=True, blank=True, db_index=True)
    repair_eligible_from = models.DateField("可申请信用修复日", null=True, blank=True)
    period_explanation = models.JSONField("公示期说明", default=list)
    hold_reason = models.CharField("暂缓/不予公示原因", max_length=500, blank=True)
    # change, withdrawal, expiry, repair
    changed_on = models.DateField("变更/撤销日期", null=True, blank=True)
    withdraw_due = models.DateField("撤回期限", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=300, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    expired_on = models.DateField("期满停止公示日", null=True, blank=True)
    repaired_on = models.DateField("信用修复日", null=True, blank=True)
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
        indexes = [models.Index(fields=["org", "state"], name="disclosure_org_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.source_repr}"

    @property
    def late(self) -> bool:
        return bool(self.published_on and self.published_on > self.publish_due)


class PublicRecord(models.Model):
    """The stored 公示版 of a record: masked data only; present exactly while published."""

    record = models.OneToOneField(
        DisclosureRecord, on_delete=models.CASCADE, primary_key=True, related_name="public"
    )
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="公示单位")
    kind = models.CharField("类别", max_length=12, choices=DisclosureKind.choices)
    name = models.CharField("行政相对人名称", max_length=200)
    # the name without its leading region words (广东省云浮市郁南县通达物流 -> 通达物流): a second prefix key
    name_key = models.CharField("名称检索键", max_length=200, blank=True)
    code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    plate = models.CharField("车牌号", max_length=10, blank=True)
    doc_no = models.CharField("决定书文号", max_length=80, blank=True)
    decided_on = models.DateField("决定日期")
    published_on = models.DateField("公示日期")
    publish_until = models.DateField("公示截止期", null=True, blank=True)
    title = models.CharField("摘要", max_length=300)
    data = models.JSONField("公示数据项", default=dict)

    class Meta:
        ordering = ["-decided_on", "-record_id"]
        verbose_name = "公示版记录"
        indexes = [
            models.Index(fields=["name"], name="public_name"),
            models.Index(fields=["name_key"], name="public_name_key"),
            # PostgreSQL under a non-C collation: LIKE 'x%' needs the pattern operator class (ignored elsewhere)
            models.Index(fields=["name"], name="public_name_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_key"], name="public_name_key_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["code"], name="public_code"),
            models.Index(fields=["plate"], name="public_plate"),
            models.Index(fields=["doc_no"], name="public_doc_no"),
            models.Index(fields=["decided_on", "record"], name="public_decided"),
            models.Index(fields=["kind", "decided_on", "record"], name="public_kind_decided"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def summary(self) -> str:
        return public_summary(self.data)


def public_summary(data: dict) -> str:
    """The one-line 事项 of a public record: its violation, permit content, result or title."""
    d = data
    return d.get("violation_type") or d.get("permit_content") or d.get("result") or d.get("title") or ""


class ExportBatch(models.Model):
    """A batch pushed to 信用中国 / the provincial platform: what was sent, when, its SM3 digest."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    target = models.CharField("推送平台", max_length=60)
    fmt = models.CharField("格式", max_length=8)
    kind = models.CharField("类别", max_length=12, blank=True)
    date_from = models.DateField("起", null=True, blank=True)
    date_to = models.DateField("止", null=True, blank=True)
    rows = models.PositiveIntegerField("条数", default=0)
    digest = models.CharField("SM3 摘要", max_length=64)
    record_ids = models.JSONField("记录编号", default=list)
    # what the platform holds after this batch: {record id: digest of the row sent}; the next batch sends
    # only the differences (new, changed, withdrawn)
    sent = models.JSONField("平台现有记录", default=dict, blank=True)
    created_by = models.CharField("导出人", max_length=150, blank=True)
    created_at = models.DateTimeField("导出时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "推送批次"

    def __str__(self) -> str:
        return f"推送批次 {self.pk}：{self.target}"
