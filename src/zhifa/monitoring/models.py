"""What people act on in 两客一危 monitoring (the positions themselves live in Parquet, see store.py):
terminal bindings, coach night-run exemptions, monthly runs and the violation leads an officer reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.accounts.models import Org
from zhifa.registry.models import Vehicle


class Terminal(models.Model):
    """终端绑定: a JT/T 808 terminal (by its phone number / 终端手机号) bound to one registry vehicle."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="登记单位")
    terminal_no = models.CharField("终端手机号", max_length=20, unique=True)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="terminals", verbose_name="车辆"
    )
    auth_code = models.CharField("鉴权码", max_length=64)
    active = models.BooleanField("启用", default=True)
    registered_at = models.DateTimeField("终端注册时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "车载终端"
        ordering = ["terminal_no"]

    def __str__(self) -> str:
        return f"{self.terminal_no} → {self.vehicle}"


class ExemptionKind(models.TextChoices):
    # 《道路旅客运输企业安全管理规范》第三十八条（五）
    SHUTTLE = "shuttle", "定线通勤/机场/高铁接驳"
    SHORT = "short", "单程不超过100公里的短途驳载"
    RELAY = "relay", "接驳运输（换驾）"


class NightExemption(models.Model):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="+", verbose_name="车辆")
    kind = models.CharField("豁免情形", max_length=10, choices=ExemptionKind.choices)
    valid_from = models.DateField("起")
    valid_to = models.DateField("止")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "凌晨运行豁免"

    def __str__(self) -> str:
        return f"{self.vehicle} {self.get_kind_display()}"


# What the two computing engines are called on the pages (the run keeps the code).
ENGINE_LABELS = {"duckdb": "本机内嵌计算", "spark": "集群计算（Spark）"}


class MonthlyRun(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="统计单位")
    month = models.CharField("月份", max_length=7)
    engine = models.CharField("计算引擎", max_length=10)
    summary = models.JSONField("汇总", default=dict)
    enterprises = models.JSONField("企业指标", default=list)
    out_dir = models.CharField("输出目录", max_length=300)
    created_at = models.DateTimeField(auto_now=True)
    created_by = models.CharField("执行人", max_length=150, blank=True)

    class Meta:
        verbose_name = "月度统计"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="monitoring_run_org_month")]

    def __str__(self) -> str:
        return f"{self.org} {self.month}"

    @property
    def engine_label(self) -> str:
        return ENGINE_LABELS.get(self.engine, self.engine)


class LeadStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    NOTICE = "notice", "已通知企业整改"
    CASE = "case", "已转案源"
    DISMISSED = "dismissed", "不予处理"


class ViolationLead(models.Model):
    """A violation found in the positions: reviewed by an officer, then a notice to the enterprise or a case
    source (动态监控案源)."""

    run = models.ForeignKey(MonthlyRun, on_delete=models.PROTECT, related_name="leads")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管辖单位")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    plate = models.CharField("车牌号", max_length=10)
    plate_color = models.CharField("车牌颜色", max_length=20)
    enterprise_name = models.CharField("所属企业", max_length=200, blank=True)
    type = models.CharField("违规类型", max_length=20)
    start_at = models.DateTimeField("开始")
    end_at = models.DateTimeField("结束")
    duration_s = models.PositiveIntegerField("持续（秒）")
    max_speed_kmh = models.FloatField("最高速度", null=True, blank=True)
    detail = models.CharField("情况", max_length=300)
    status = models.CharField("状态", max_length=10, choices=LeadStatus.choices, default=LeadStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    case_source_id = models.IntegerField("案源", null=True, blank=True)

    class Meta:
        verbose_name = "违规线索"
        ordering = ["-start_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plate", "plate_color", "type", "start_at"], name="monitoring_lead_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.type_label} {timezone.localtime(self.start_at):%Y-%m-%d %H:%M}"

    @property
    def type_label(self) -> str:
        from .definitions import VIOLATION_TYPES

        return VIOLATION_TYPES.get(self.type, self.type)


class SpeedZone(models.Model):
    """路段限速: a road section (polygon or multipolygon, WGS-84 GeoJSON) with its road class and, where signs
    post one, its limit for every vehicle (``limit_kmh``) or per vehicle type (``limits``). Zones apply to
    the monthly runs of their unit's jurisdiction and of the units below it; outside every zone a vehicle
    type's limit holds (rules.py)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="设置单位")
    name = models.CharField("路段名称", max_length=100)
    road_class = models.CharField("道路等级", max_length=20)
    geometry = models.JSONField("范围（GeoJSON，WGS-84）")
    min_lon = models.FloatField("最小经度")
    min_lat = models.FloatField("最小纬度")
    max_lon = models.FloatField("最大经度")
    max_lat = models.FloatField("最大纬度")
    limit_kmh = models.FloatField("标志限速（km/h）", null=True, blank=True)
    limits = models.JSONField("分车型限速（km/h）", default=dict, blank=True)
    source = models.CharField("依据/来源", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期（含）", null=True, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "路段限速"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="monitoring_zone_org_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def road_class_label(self) -> str:
        from .rules import ROAD_CLASSES

        rc = ROAD_CLASSES.get(self.road_class)
        return rc.label if rc else self.road_class

    def spec(self):
        from .zones import ZoneSpec

        return ZoneSpec(
            self.name,
            self.road_class,
            self.geometry,
            self.limit_kmh,
            dict(self.limits or {}),
            self.valid_from,
            self.valid_to,
        )


# JT/T 809 platform link records (issue 23) live in their own module of this app.
from .models_jt809 import (  # noqa: E402, F401
    Jt809Alarm,
    Jt809LinkReport,
    Jt809Platform,
    Jt809Session,
    SpotCheck,
    SpotCheckStatus,
    Supervision,
    SupervisionStatus,
)
