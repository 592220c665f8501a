"""Work orders (工单) of 投诉举报 and their timeline. The complainant's personal data is stored SM4-encrypted
(``core.crypto.encrypt_field``) with a masked copy for every page but the handler's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.accounts.models import Org
from zhifa.registry.models import Enterprise, Person, Vehicle

from .enums import CaseOutcome, Category, Channel, Satisfaction, State, Track, Urgency


class WorkOrder(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    received_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="登记单位")
    number = models.CharField("工单号", max_length=30, unique=True)
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    external_no = models.CharField("外部工单号", max_length=60, blank=True)
    track = models.CharField("适用规则", max_length=10, choices=Track.choices)
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.RECEIVED)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("诉求内容")
    # the subject complained of: a register record, or free text
    enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject_text = models.CharField("被投诉对象", max_length=200, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    received_on = models.DateField("收到日期")
    received_at = models.DateTimeField("登记时间", default=timezone.now)
    # complainant (诉求人): encrypted at rest, masked copies for pages
    anonymous = models.BooleanField("匿名", default=False)
    name_enc = models.CharField("诉求人姓名（加密）", max_length=300, blank=True)
    name_masked = models.CharField("诉求人", max_length=60, blank=True)
    phone_enc = models.CharField("联系电话（加密）", max_length=300, blank=True)
    phone_masked = models.CharField("联系电话", max_length=30, blank=True)
    idcard_enc = models.CharField("身份证号（加密）", max_length=300, blank=True)
    idcard_masked = models.CharField("身份证号", max_length=30, blank=True)
    phone_index = models.CharField("电话盲索引", max_length=64, blank=True, db_index=True)
    source_index = models.CharField("提交来源盲索引", max_length=64, blank=True, db_index=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name="承办人")
    # clocks (each with its explanation: value, rule, article, inputs)
    ack_due = models.DateField("告知受理期限", null=True, blank=True)
    due = models.DateField("办结期限", null=True, blank=True)
    clock_explanation = models.JSONField("期限说明", default=list, blank=True)
    extended_days = models.PositiveIntegerField("已延期", default=0)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    refuse_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    reply_draft = models.TextField("答复草稿", blank=True)
    revisited_on = models.DateField("回访日期", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    redo_count = models.PositiveIntegerField("重办次数", default=0)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged",
                                    verbose_name="并入工单")
    review_round = models.CharField("复查/复核", max_length=10, blank=True)
    case_source = models.ForeignKey("cases.CaseSource", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="案源")
    case_outcome = models.CharField("案件结果", max_length=16, choices=CaseOutcome.choices, blank=True)
    case_outcome_text = models.CharField("可告知的处理结果", max_length=500, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "投诉举报工单"
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_no"], condition=~models.Q(external_no=""),
                                    name="workorder_channel_external_unique"),
        ]
        indexes = [models.Index(fields=["org", "state"]), models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:30]}"

    @property
    def subject_label(self) -> str:
        for obj in (self.enterprise, self.vehicle, self.person):
            if obj is not None:
                return str(obj) if not isinstance(obj, Person) else obj.name
        return self.subject_text


class OrderEvent(models.Model):
    """One line of a work order's timeline (全过程记录). ``public`` lines are what the status page shows."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    on = models.DateField("办理日期")
    action = models.CharField("动作", max_length=20)
    label = models.CharField("环节", max_length=40)
    state_to = models.CharField("状态", max_length=12, choices=State.choices)
    actor_name = models.CharField("办理人", max_length=150, blank=True)
    note = models.TextField("说明", blank=True)
    public_note = models.CharField("公开说明", max_length=500, blank=True)
    public = models.BooleanField("向诉求人公开", default=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "工单办理记录"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.label}"
