"""Credit files (信用档案): records per subject, repair applications, lists, ratings.

A subject is named by ``subject_ref`` ("enterprise:<id>", "person:<id>", "vehicle:<id>") so that one file
aggregates records from every source without a foreign key per registry table.
"""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Org


class Category(models.TextChoices):
    PERMIT = "permit", "行政许可"
    PENALTY = "penalty", "行政处罚"
    INSPECTION = "inspection", "检查结果"
    COMMITMENT = "commitment", "信用承诺"
    COMMENDATION = "commendation", "表彰奖励"
    COMPLAINT = "complaint", "投诉查实"
    OVERLOAD = "overload", "治超违法（一超四罚）"
    IMPORTED = "imported", "外部平台导入"


class Effect(models.TextChoices):
    POSITIVE = "positive", "守信"
    NEUTRAL = "neutral", "中性"
    NEGATIVE = "negative", "失信"


class RecordStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REPAIRED = "repaired", "已修复"
    EXPIRED = "expired", "期满"
    VOID = "void", "已撤销"


class CreditRecord(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="认定单位")
    subject_ref = models.CharField("信用主体", max_length=40, db_index=True)
    subject_name = models.CharField("主体名称", max_length=200, db_index=True)
    subject_code = models.CharField("统一社会信用代码/车牌", max_length=18, blank=True, db_index=True)
    category = models.CharField("类别", max_length=14, choices=Category.choices)
    title = models.CharField("事项", max_length=300)
    source = models.CharField("来源", max_length=100)
    source_ref = models.CharField("来源编号", max_length=80)
    occurred_on = models.DateField("认定日期")
    effect = models.CharField("影响", max_length=10, choices=Effect.choices)
    severity = models.CharField("失信程度", max_length=8, blank=True)
    points = models.PositiveSmallIntegerField("计分", default=0)
    # driver 诚信考核: the 计分项目 (credit.driver_points table key) the points were taken from, if any
    points_item = models.CharField("诚信考核计分项目", max_length=20, blank=True)
    disclosure = models.ForeignKey(
        "disclosure.DisclosureRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    repair_eligible_from = models.DateField("可申请修复日", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    status_on = models.DateField("状态变更日", null=True, blank=True)
    status_reason = models.CharField("状态变更原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = "信用记录"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "source_ref", "subject_ref"], name="credit_record_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}：{self.title}"

    @property
    def severity_label(self) -> str:
        from .rules import SEVERITY_LABELS

        return SEVERITY_LABELS.get(self.severity, self.severity)


class RepairState(models.TextChoices):
    APPLIED = "applied", "已申请"
    APPROVED = "approved", "准予修复"
    REJECTED = "rejected", "不予修复"


class CreditRepair(models.Model):
    """信用修复 application (36号令 第十条 conditions), decided by the body that made the finding."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="repairs")
    applicant = models.CharField("申请人", max_length=200)
    on_behalf = models.BooleanField("代为申请", default=False)
    pledge = models.TextField("信用承诺书")
    proof = models.TextField("履行义务证明")
    obligations_met = models.BooleanField("已纠正失信行为并履行全部义务", default=False)
    applied_on = models.DateField("申请日期")
    state = models.CharField("状态", max_length=10, choices=RepairState.choices, default=RepairState.APPLIED)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.CharField("决定人", max_length=150, blank=True)
    reasons = models.TextField("理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = "信用修复申请"

    def __str__(self) -> str:
        return f"信用修复申请：{self.applicant}"


class ListKind(models.TextChoices):
    RED = "red", "红名单"
    BLACK = "black", "黑名单（失信联合惩戒对象）"
    WATCH = "watch", "重点关注名单"


class ListState(models.TextChoices):
    NOTICED = "noticed", "已告知（异议期）"
    OBJECTED = "objected", "已提出异议"
    EFFECTIVE = "effective", "已列入"
    REJECTED = "rejected", "决定不列入"
    ENDED = "ended", "已移出"


class ListEntry(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="认定单位")
    list_kind = models.CharField("名单", max_length=6, choices=ListKind.choices)
    subject_ref = models.CharField("信用主体", max_length=40, db_index=True)
    subject_name = models.CharField("主体名称", max_length=200)
    criterion = models.CharField("列入情形", max_length=40)
    facts = models.TextField("事实")
    state = models.CharField("状态", max_length=10, choices=ListState.choices, default=ListState.NOTICED)
    noticed_on = models.DateField("告知日期")
    objection = models.TextField("异议", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    effective_to = models.DateField("有效期至", null=True, blank=True)
    ended_on = models.DateField("移出日期", null=True, blank=True)
    end_reason = models.CharField("移出原因", max_length=300, blank=True)

    class Meta:
        ordering = ["-noticed_on", "-id"]
        verbose_name = "名单成员"

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()}：{self.subject_name}"


class RatingStage(models.TextChoices):
    INITIAL = "initial", "初评"
    FINAL = "final", "终评（已公布）"


class Rating(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="考核单位")
    subject_ref = models.CharField("信用主体", max_length=40, db_index=True)
    subject_name = models.CharField("主体名称", max_length=200)
    # the 公示版 name (a driver's name through disclosure.masking); the only name public pages show
    public_name = models.CharField("公示名称", max_length=200, blank=True)
    scheme = models.CharField("考核办法", max_length=20)
    year = models.PositiveSmallIntegerField("考核年度")
    score = models.IntegerField("得分/计分")
    grade = models.CharField("等级", max_length=6)
    explanation = models.JSONField("计算过程", default=list)
    stage = models.CharField("阶段", max_length=8, choices=RatingStage.choices, default=RatingStage.INITIAL)
    review_note = models.CharField("复核意见", max_length=300, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        ordering = ["-year", "subject_name"]
        verbose_name = "信用评价"
        constraints = [
            models.UniqueConstraint(fields=["subject_ref", "scheme", "year"], name="credit_rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度 {self.subject_name}：{self.grade}"

    @property
    def scheme_label(self) -> str:
        from .rules import scheme_label

        return scheme_label(self.scheme)
