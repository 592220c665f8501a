"""治超 tables: what people act on. Raw weighings live in Parquet (:mod:`zhifa.overload.store`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.accounts.models import Org
from zhifa.core.identifiers import PlateColor
from zhifa.registry.models import Enterprise, Person, Vehicle


class StationKind(models.TextChoices):
    ROADSIDE = "roadside", "非现场检测点"
    SOURCE = "source", "货运源头称重点"


class DeviceType(models.TextChoices):
    QUARTZ = "quartz", "石英式"
    BENDING_PLATE = "bending_plate", "弯板式"
    STRIP = "strip", "窄条式"
    PLATFORM = "platform", "整车式（平板）"


class AccuracyClass(models.TextChoices):
    C02 = "0.2", "0.2 级"
    C05 = "0.5", "0.5 级"
    C1 = "1", "1 级"
    C2 = "2", "2 级"
    C5 = "5", "5 级"
    C10 = "10", "10 级"


class PlateCodeSet(models.TextChoices):
    TOLL = "toll", "收费/非现场代码集（0 蓝 1 黄…）"
    JTT697 = "jtt697", "JT/T 697.7-2014（1 蓝 2 黄…）"


class Station(models.Model):
    """A detection point (检测点) and its weighing device."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管理单位")
    code = models.CharField("检测点编号", max_length=40, unique=True)
    name = models.CharField("检测点名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=StationKind.choices, default=StationKind.ROADSIDE)
    route = models.CharField("路线编号", max_length=20, blank=True)
    chainage = models.CharField("桩号", max_length=20, blank=True)
    direction = models.CharField("方向", max_length=40, blank=True)
    lanes = models.PositiveSmallIntegerField("车道数", default=2)
    device_type = models.CharField(
        "设备类型", max_length=20, choices=DeviceType.choices, default=DeviceType.QUARTZ
    )
    device_no = models.CharField("设备编号", max_length=60, blank=True)
    accuracy_class = models.CharField("准确度等级", max_length=4, choices=AccuracyClass.choices)
    cert_no = models.CharField("检定证书编号", max_length=60, blank=True)
    cert_valid_from = models.DateField("检定日期", null=True, blank=True)
    cert_valid_to = models.DateField("检定有效期至", null=True, blank=True)
    plate_code_set = models.CharField(
        "车牌颜色代码集", max_length=10, choices=PlateCodeSet.choices, default=PlateCodeSet.TOLL
    )
    source_enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="货运源头单位",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "检测点"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def cert_valid_on(self, day: date) -> bool:
        return bool(
            self.cert_valid_to
            and day <= self.cert_valid_to
            and (self.cert_valid_from is None or self.cert_valid_from <= day)
        )


class IngestBatch(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    channel = models.CharField("渠道", max_length=10)  # cli / api / demo
    filename = models.CharField("文件", max_length=300, blank=True)
    received = models.PositiveIntegerField("收到", default=0)
    stored = models.PositiveIntegerField("新存入", default=0)
    already_present = models.PositiveIntegerField("已存在（重复发送）", default=0)
    rejected = models.PositiveIntegerField("拒收", default=0)
    errors = models.JSONField("错误行", default=list, blank=True)
    leads_created = models.PositiveIntegerField("新增待审核", default=0)
    created_by = models.CharField("操作人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "数据接收批次"

    def __str__(self) -> str:
        return f"数据接收批次 #{self.pk}（{self.channel}）"


class LeadStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已排除"


class Lead(models.Model):
    """An ``overload`` verdict awaiting the officer's review (行政处罚法 Art 41)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管辖单位")
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="leads", verbose_name="检测点"
    )
    record_id = models.CharField("检测流水号", max_length=64)
    passed_at = models.DateTimeField("过车时间")
    plate = models.CharField("车牌号", max_length=16, db_index=True)
    plate_color = models.CharField("车牌颜色", max_length=20)
    axle_count = models.PositiveSmallIntegerField("轴数")
    vehicle_kind = models.CharField("车型", max_length=12)
    gross_kg = models.PositiveIntegerField("车货总质量（千克）")
    limit_kg = models.PositiveIntegerField("限值（千克）")
    tolerance_kg = models.PositiveIntegerField("允许误差（千克）")
    excess_kg = models.PositiveIntegerField("超限质量（千克）")
    excess_pct = models.DecimalField("超限率（%）", max_digits=7, decimal_places=2)
    rule = models.CharField("认定依据", max_length=500)
    reason = models.CharField("说明", max_length=500)
    record = models.JSONField("原始记录", default=dict)
    record_digest = models.CharField("记录摘要", max_length=64)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=LeadStatus.choices, default=LeadStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_reason = models.CharField("审核意见", max_length=500, blank=True)
    driver = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="驾驶人"
    )
    fine = models.JSONField("拟处罚（第四十三条）", default=dict, blank=True)
    evidence = models.JSONField("证据包", default=dict, blank=True)
    case_source_id = models.PositiveIntegerField("案源编号", null=True, blank=True)
    verify_code = models.CharField("查询验证码", max_length=12, blank=True)
    statement = models.TextField("当事人陈述申辩", blank=True)
    statement_at = models.DateTimeField("陈述时间", null=True, blank=True)
    case_closed_on = models.DateField("结案日期", null=True, blank=True)
    decision_no = models.CharField("处罚决定书文号", max_length=60, blank=True)
    source_station = models.ForeignKey(
        Station, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="装载源头"
    )
    source_record_id = models.CharField("源头称重记录", max_length=64, blank=True)
    # 一超四罚 counts decided violations only (a lead is not a decision and may end in 不予处罚): the date of
    # the 行政处罚决定 made on this lead (cases.penalty_decided, or the manual 登记结案 of a paper case);
    # cleared when a 复议决定 or 判决 revokes it (cases.decision_overturned), which is kept in overturned_on
    decided_on = models.DateField("处罚决定日期", null=True, blank=True, db_index=True)
    overturned_on = models.DateField("决定被撤销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-passed_at"]
        verbose_name = "超限待审核记录"
        constraints = [models.UniqueConstraint(fields=["station", "record_id"], name="overload_lead_unique")]

    def __str__(self) -> str:
        return f"{self.plate} {timezone.localtime(self.passed_at):%Y-%m-%d %H:%M} 超限 {self.excess_kg} 千克"

    def get_plate_color_label(self) -> str:
        try:
            return PlateColor(self.plate_color).label
        except ValueError:
            return self.plate_color


class SanctionKind(models.TextChoices):
    VEHICLE = "vehicle", "车辆：吊销车辆营运证"
    DRIVER = "driver", "驾驶人：责令停止从事营业性运输"
    ENTERPRISE = "enterprise", "运输企业：停业整顿/吊销经营许可证"
    SOURCE = "source", "货运源头单位：责令改正并处罚款"


class SanctionLead(models.Model):
    """一超四罚: a threshold crossed, raising a measure for the responsible unit (条例 Art 66)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管辖单位")
    kind = models.CharField("类别", max_length=12, choices=SanctionKind.choices)
    subject_key = models.CharField(
        "对象", max_length=100
    )  # plate:colour / person id / enterprise id / station
    subject_name = models.CharField("对象名称", max_length=200)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField("次数/违法车辆数")
    fleet_size = models.PositiveIntegerField("货运车辆总数", null=True, blank=True)
    window_from = models.DateField("统计起")
    window_to = models.DateField("统计止")
    measure = models.CharField("拟采取措施", max_length=200)
    article = models.CharField("依据", max_length=200)
    lead_ids = models.JSONField("证据（超限记录）", default=list)
    status = models.CharField(
        "状态",
        max_length=10,
        default="open",
        choices=[("open", "待处理"), ("handled", "已处理"), ("void", "已撤销（处罚决定被撤销后不再达到条件）")],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "一超四罚线索"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key"],
                condition=models.Q(status="open"),
                name="overload_sanction_open_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject_name}"


class Notice(models.Model):
    """抄告 to the vehicle's home road-transport authority (62号令 Art 44)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="抄告单位")
    lead = models.OneToOneField(Lead, on_delete=models.PROTECT, related_name="notice")
    home_authority = models.CharField("车籍地", max_length=100)
    items = models.JSONField("抄告事项", default=dict)
    due_on = models.DateField("抄告期限")
    due_rule = models.CharField("期限依据", max_length=300)
    status = models.CharField(
        "状态", max_length=10, default="draft", choices=[("draft", "待抄告"), ("sent", "已抄告")]
    )
    sent_at = models.DateTimeField("抄告时间", null=True, blank=True)
    sent_by = models.CharField("抄告人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = "超限抄告"

    def __str__(self) -> str:
        return f"抄告 {self.lead.plate}（{self.home_authority}）"
