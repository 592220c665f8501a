"""行政许可 / 政务服务: the service catalogue (事项, versioned rule data), applications with their legal clocks,
periods excluded from the clock (Art 45), 告知承诺 and its post-check, 电子证照 and 好差评 with its 整改 ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Org
from zhifa.registry.enums import LicenceKind, PermitCategory
from zhifa.registry.models import Licence, PermitDecision

from .enums import AppKind, Channel, Grade, ItemKind, Level, PauseKind, PostCheck, State


class PermitItem(models.Model):
    """One version of a 事项 (the catalogue is rule data: a change is a new version from a date)."""

    code = models.CharField("事项编码", max_length=40, db_index=True)
    name = models.CharField("事项名称", max_length=100)
    kind = models.CharField("事项类型", max_length=16, choices=ItemKind.choices, default=ItemKind.PERMIT)
    version_from = models.DateField("本版本施行日期")
    legal_basis = models.TextField("设定依据")
    materials = models.TextField("申请材料（每行一项）")
    level = models.CharField("实施层级", max_length=16, choices=Level.choices)
    legal_days = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    legal_days_basis = models.CharField("时限依据", max_length=200)
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日，0 为即办）")
    extension_days = models.PositiveSmallIntegerField("可延长（工作日）", default=0)
    # 超限运输许可: the tier chosen on the application sets the limit, [[label, days], ...]
    tiers = models.JSONField("时限档次", default=list, blank=True)
    fee_fen = models.PositiveIntegerField("收费（分）", default=0)
    pledge_allowed = models.BooleanField("适用告知承诺制", default=False)
    pledge_waivable = models.TextField("告知承诺可免交的证明（每行一项）", blank=True)
    postcheck_days = models.PositiveSmallIntegerField("事后核查期限（日）", default=0)
    licence_kind = models.CharField("核发证照", max_length=20, choices=LicenceKind.choices, blank=True)
    licence_years = models.PositiveSmallIntegerField("证照有效期（年）", default=0)
    permit_category = models.CharField("许可类别", max_length=2, choices=PermitCategory.choices, blank=True)
    note = models.TextField("办理须知", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "许可事项"
        ordering = ["code", "-version_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version_from"], name="permit_item_version_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def material_list(self) -> list[str]:
        return [m.strip() for m in self.materials.splitlines() if m.strip()]

    def waivable_list(self) -> list[str]:
        return [m.strip() for m in self.pledge_waivable.splitlines() if m.strip()]

    @property
    def fee_yuan(self) -> str:
        return f"{self.fee_fen / 100:.2f}"


class Application(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="受理单位")
    item = models.ForeignKey(
        PermitItem, on_delete=models.PROTECT, related_name="applications", verbose_name="事项"
    )
    number = models.CharField("申请编号", max_length=30, unique=True)
    query_code = models.CharField("查询码", max_length=12)
    kind = models.CharField("申请类型", max_length=10, choices=AppKind.choices, default=AppKind.NEW)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    state = models.CharField("状态", max_length=14, choices=State.choices, default=State.SUBMITTED)
    applicant = models.CharField("申请人", max_length=200)
    applicant_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # the holder's key in the registry's import fields (holder_uscc / holder_plate + colour / holder_idcard)
    holder = models.JSONField("持证主体", default=dict, blank=True)
    content = models.TextField("申请事项内容", blank=True)
    tier = models.CharField("时限档次", max_length=80, blank=True)
    licence = models.ForeignKey(
        Licence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="证照"
    )
    received_on = models.DateField("收到申请日期")
    correction_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_items = models.TextField("需补正材料", blank=True)
    corrected_on = models.DateField("补正齐全日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    acceptance_no = models.CharField("受理/不予受理通知书编号", max_length=40, blank=True)
    not_accepted_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    decision_due = models.DateField(
        "决定期限", null=True, blank=True
    )  # kept by services (accept/pause/extend)
    promised_due = models.DateField("承诺办结日期", null=True, blank=True)
    extended_on = models.DateField("延长批准日期", null=True, blank=True)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    extension_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准延长的负责人",
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_reason = models.CharField("决定理由", max_length=500, blank=True)
    decision = models.ForeignKey(
        PermitDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="许可决定",
    )
    decision_no = models.CharField("决定书文号", max_length=80, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    # 告知承诺 (国办发〔2020〕42号): the signed pledge, waived proofs, the post-check
    pledge = models.BooleanField("告知承诺", default=False)
    pledge_text = models.TextField("承诺书内容", blank=True)
    waived_proofs = models.TextField("免交的证明", blank=True)
    postcheck_due = models.DateField("事后核查期限", null=True, blank=True)
    postcheck_on = models.DateField("核查日期", null=True, blank=True)
    postcheck = models.CharField("核查结果", max_length=16, choices=PostCheck.choices, blank=True, default="")
    postcheck_note = models.CharField("核查情况", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "许可申请"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}"


class Pause(models.Model):
    """A period excluded from the decision limit (行政许可法 Art 45), told to the applicant in writing."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("类型", max_length=16, choices=PauseKind.choices)
    start = models.DateField("起")
    end = models.DateField("止")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


class Step(models.Model):
    """The application's timeline (each step, its 文书 number and who did it)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    on = models.DateField("日期")
    label = models.CharField("环节", max_length=40)
    doc_name = models.CharField("文书", max_length=40, blank=True)
    doc_no = models.CharField("文书编号", max_length=60, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.label}"


class Certificate(models.Model):
    """电子证照: the signed PDF of a licence (GB/T 36902 catalogue items as confirmed; see certificates.py)."""

    cert_id = models.CharField("证照标识", max_length=64, unique=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="+", verbose_name="证照")
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    issued_on = models.DateField("签发日期")
    data = models.JSONField("照面信息", default=dict)
    pdf = models.BinaryField("PDF")
    digest = models.CharField("摘要（SM3）", max_length=64)
    public_key = models.CharField("签名公钥", max_length=130)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"电子证照 {self.cert_id}"


class Rating(models.Model):
    """好差评: one per completed application (一事一评)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    grade = models.PositiveSmallIntegerField("评价等级", choices=Grade.choices)
    channel = models.CharField("评价渠道", max_length=10, choices=Channel.choices)
    comment = models.CharField("评价内容", max_length=500, blank=True)
    named = models.BooleanField("实名评价", default=True)
    rated_on = models.DateField("评价日期")
    # 差评整改 (谁办理谁负责): owner, deadline, call-back, result
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="整改责任人",
    )
    fix_due = models.DateField("整改期限", null=True, blank=True)
    callback_on = models.DateField("回访日期", null=True, blank=True)
    callback_note = models.CharField("回访记录", max_length=500, blank=True)
    fixed_on = models.DateField("整改完成日期", null=True, blank=True)
    fix_result = models.CharField("整改结果", max_length=500, blank=True)

    class Meta:
        ordering = ["-rated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}（{self.rated_on:%Y-%m-%d}）"

    @property
    def is_bad(self) -> bool:
        return self.grade <= Grade.UNSATISFIED
