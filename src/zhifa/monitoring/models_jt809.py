"""JT/T 809 records (imported by monitoring/models.py; a sibling module, not inside jt809/, so that the
jt809 package may use the app's models without an import cycle): the enterprise and
provincial platforms allowed to log in, their link sessions, the 查岗 and 报警督办 sent to them, and the
alarms they report."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Org


class Jt809Platform(models.Model):
    """A lower platform (企业监控平台 or the provincial platform's sub-link) allowed to open a main link."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    name = models.CharField("平台名称", max_length=100)
    enterprise_name = models.CharField("运营企业", max_length=200, blank=True)
    center_id = models.PositiveIntegerField("平台接入码", unique=True)
    user_id = models.PositiveIntegerField("登录用户名")
    password = models.CharField("登录密码", max_length=8)
    allowed_ips = models.CharField("允许的IP地址（逗号分隔，空为不限）", max_length=500, blank=True)
    version = models.CharField(
        "协议版本", max_length=4, choices=[("2011", "2011版"), ("2019", "2019版")], default="2019"
    )
    m1 = models.PositiveBigIntegerField("加密参数M1", null=True, blank=True)
    ia1 = models.PositiveBigIntegerField("加密参数IA1", null=True, blank=True)
    ic1 = models.PositiveBigIntegerField("加密参数IC1", null=True, blank=True)
    vehicles_expected = models.PositiveIntegerField("接入车辆数", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "下级平台"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def ip_list(self) -> list[str]:
        return [x.strip() for x in self.allowed_ips.split(",") if x.strip()]


class Jt809Session(models.Model):
    """One main-link session from login to disconnect (or to the last frame seen before a crash)."""

    platform = models.ForeignKey(Jt809Platform, on_delete=models.CASCADE, related_name="sessions")
    peer_ip = models.CharField("对端IP", max_length=64)
    started_at = models.DateTimeField("登录时间")
    last_seen_at = models.DateTimeField("最后收到报文")
    ended_at = models.DateTimeField("断开时间", null=True, blank=True)
    end_reason = models.CharField("断开原因", max_length=100, blank=True)
    sub_link_ok = models.BooleanField("从链路已连通", default=False)
    positions = models.PositiveIntegerField("收到定位数", default=0)

    class Meta:
        verbose_name = "平台链路会话"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.platform} {self.started_at:%Y-%m-%d %H:%M}"


class Jt809LinkReport(models.Model):
    """A 0x1102 link report the peer sent (2019): its own count of disconnects and lost positions."""

    platform = models.ForeignKey(Jt809Platform, on_delete=models.CASCADE, related_name="link_reports")
    start = models.DateTimeField("开始")
    end = models.DateTimeField("结束")
    lost = models.PositiveIntegerField("丢失定位数")
    disconnects = models.PositiveIntegerField("断线次数")
    disconnect_s = models.PositiveIntegerField("断线时长（秒）")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "平台链路报告"

    def __str__(self) -> str:
        return f"{self.platform} {self.start:%Y-%m-%d}"


class SpotCheckStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送待应答"
    ON_TIME = "on_time", "按时应答"
    LATE = "late", "超时应答"
    UNANSWERED = "unanswered", "未应答"


class SpotCheck(models.Model):
    """平台查岗 (0x9301) and its answer (0x1301)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="发起单位")
    platform = models.ForeignKey(
        Jt809Platform, on_delete=models.PROTECT, related_name="spotchecks", verbose_name="下级平台"
    )
    object_type = models.PositiveSmallIntegerField("查岗对象", default=1)
    object_id = models.CharField("查岗对象ID", max_length=20, blank=True)
    question = models.CharField("查岗问题", max_length=500)
    answer_seconds = models.PositiveIntegerField("应答时限（秒）")
    scheduled = models.BooleanField("随机抽查", default=False)
    draw_ref = models.CharField("抽取依据", max_length=300, blank=True)
    send_after = models.DateTimeField("计划发送时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=SpotCheckStatus.choices, default=SpotCheckStatus.QUEUED
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    serial = models.PositiveBigIntegerField("报文序列号", null=True, blank=True)
    answered_at = models.DateTimeField("应答时间", null=True, blank=True)
    responder = models.CharField("应答人", max_length=40, blank=True)
    responder_tel = models.CharField("应答人电话", max_length=40, blank=True)
    answer = models.CharField("应答内容", max_length=1000, blank=True)
    delay_s = models.PositiveIntegerField("应答用时（秒）", null=True, blank=True)

    class Meta:
        verbose_name = "平台查岗"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.platform} 查岗 {self.created_at:%Y-%m-%d %H:%M}"


class SupervisionStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已下发待应答"
    IN_PROGRESS = "in_progress", "处理中"
    DONE = "done", "已处理完毕"
    REFUSED = "refused", "不做处理"
    LATER = "later", "将来处理"
    OVERDUE = "overdue", "逾期未办结"


class Supervision(models.Model):
    """报警督办 (0x9401) with its replies (0x1401; 2019 0x1411 / 0x1412)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="督办单位")
    platform = models.ForeignKey(
        Jt809Platform, on_delete=models.PROTECT, related_name="supervisions", verbose_name="下级平台"
    )
    lead = models.ForeignKey(
        "monitoring.ViolationLead", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alarm = models.ForeignKey(
        "monitoring.Jt809Alarm", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plate = models.CharField("车牌号", max_length=21)
    plate_color = models.CharField("车牌颜色", max_length=20, blank=True)
    warn_src = models.PositiveSmallIntegerField("报警来源", default=3)
    warn_type = models.PositiveIntegerField("报警类型", default=0)
    warn_time = models.DateTimeField("报警时间")
    level = models.PositiveSmallIntegerField("督办级别", choices=[(0, "紧急"), (1, "一般")], default=1)
    deadline = models.DateTimeField("督办截止时间")
    detail = models.CharField("督办事项", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=SupervisionStatus.choices, default=SupervisionStatus.QUEUED
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField("下发时间", null=True, blank=True)
    serial = models.PositiveBigIntegerField("报文序列号", null=True, blank=True)
    replied_at = models.DateTimeField("最近应答时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    escalated = models.CharField("逾期后处理", max_length=200, blank=True)

    class Meta:
        verbose_name = "报警督办"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.platform} 督办 {self.plate}"

    @property
    def on_time(self) -> bool:
        return self.closed_at is not None and self.closed_at <= self.deadline


class Jt809Alarm(models.Model):
    """An alarm a lower platform reported (0x1402)."""

    platform = models.ForeignKey(
        Jt809Platform, on_delete=models.CASCADE, related_name="alarms", verbose_name="下级平台"
    )
    plate = models.CharField("车牌号", max_length=21)
    plate_color = models.CharField("车牌颜色", max_length=20, blank=True)
    warn_type = models.PositiveIntegerField("报警类型")
    warn_time = models.DateTimeField("报警时间")
    content = models.CharField("报警内容", max_length=500, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "平台上报报警"
        ordering = ["-warn_time"]

    def __str__(self) -> str:
        return f"{self.platform} {self.plate} 报警"
