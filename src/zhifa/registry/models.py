"""Regulated subjects (监管对象): enterprises, natural persons, vehicles and licences.

Each row belongs to the unit that registered it (``org``); reads are scoped to the actor's
jurisdiction (see registry.selectors). Natural keys make imports idempotent: enterprise by USCC,
person by ID number (kept as a keyed blind index; the number itself is SM4-encrypted), vehicle by
plate + plate colour, licence by kind + number.

A natural key is unique **per registering unit**, not per installation (issue 16 item 12): each county
keeps its own record of an enterprise, person or vehicle it regulates. When county B registers an
identifier county A already holds, B gets its own record, exactly as for an identifier no one holds —
a refusal ("已由其他单位登记") told an officer that a person with that ID number exists elsewhere. It is
also what the work needs: an enterprise of county A whose vehicle is stopped in county B is a subject of
B's case too. A unit whose jurisdiction covers others (a city) updates the record it finds below it.
"""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Org, User
from zhifa.core.identifiers import PlateColor
from zhifa.registry.enums import (
    BusinessType,
    LicenceKind,
    LicenceStatus,
    PermitAction,
    PermitCategory,
    QualificationCategory,
    SubjectStatus,
    VehicleType,
)

PLATE_COLOR_CHOICES = [(c.value, c.label) for c in PlateColor]


class Enterprise(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管辖单位")
    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    business_type = models.CharField("经营类别", max_length=20, choices=BusinessType.choices)
    legal_rep = models.CharField("法定代表人", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    status = models.CharField("状态", max_length=10, choices=SubjectStatus.choices, default=SubjectStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "企业"
        constraints = [models.UniqueConstraint(fields=["org", "uscc"], name="enterprise_org_uscc_unique")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A natural person: practitioner, driver, party to a case. The ID number is personal information
    (PIPL Art 28/51): stored SM4-encrypted, shown masked, a full view is written to the audit log."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管辖单位")
    name = models.CharField("姓名", max_length=50, db_index=True)
    idcard_enc = models.CharField("身份证号（加密）", max_length=200)
    idcard_index = models.CharField(max_length=64, db_index=True)
    idcard_masked = models.CharField("身份证号", max_length=18)
    sex = models.CharField("性别", max_length=2)
    birth_date = models.DateField("出生日期")
    phone_enc = models.CharField("联系电话（加密）", max_length=200, blank=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    employer = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="employees", verbose_name="所在企业")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "自然人"
        constraints = [models.UniqueConstraint(fields=["org", "idcard_index"], name="person_org_idcard_unique")]

    def __str__(self) -> str:
        return self.name


class Vehicle(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="管辖单位")
    plate = models.CharField("车牌号", max_length=8, db_index=True)
    plate_color = models.CharField("车牌颜色", max_length=20, choices=PLATE_COLOR_CHOICES)
    vehicle_type = models.CharField("车辆类型", max_length=20, choices=VehicleType.choices)
    axle_count = models.PositiveSmallIntegerField("轴数", null=True, blank=True)
    gross_mass_kg = models.PositiveIntegerField("总质量（千克）", null=True, blank=True)
    vin = models.CharField("车辆识别代号", max_length=17, blank=True)
    transport_cert_no = models.CharField("道路运输证号", max_length=30, blank=True, db_index=True)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="vehicles", verbose_name="所属企业")
    status = models.CharField("状态", max_length=10, choices=SubjectStatus.choices, default=SubjectStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plate"]
        verbose_name = "车辆"
        constraints = [
            models.UniqueConstraint(fields=["org", "plate", "plate_color"], name="vehicle_org_plate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plate}（{PlateColor(self.plate_color).label}）"


class Licence(models.Model):
    """道路运输经营许可证 (enterprise), 道路运输证 (vehicle) or 从业资格证 (person)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="发证/管辖单位")
    kind = models.CharField("证照类型", max_length=20, choices=LicenceKind.choices)
    number = models.CharField("证号", max_length=40)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="licences", verbose_name="持证企业")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="licences", verbose_name="车辆")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="licences", verbose_name="持证人")
    category = models.CharField("从业资格类别", max_length=30, choices=QualificationCategory.choices, blank=True)
    scope = models.CharField("经营范围", max_length=200, blank=True)
    issuing_authority = models.CharField("发证机关", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    suspended_until = models.DateField("暂扣期限至", null=True, blank=True)  # set by a 暂扣, cleared by 发还
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_to"]
        verbose_name = "证照"
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "number"], name="licence_org_kind_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PermitDecision(models.Model):
    """One 行政许可决定 on a licence: 准予许可 creates it, 变更/延续 change it, 注销/撤销/吊销 end it.

    Written only by ``registry.services.permit_decide``, never edited afterwards (a correction is a new
    decision). Each decision that grants something (准予许可/变更/延续) is a 双公示 行政许可 record of its
    own; a later decision on the same licence withdraws the earlier record (see the service). The fields
    are the decision's own data items, kept as decided (the licence itself moves on).
    """

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="decisions", verbose_name="证照")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="登记单位")
    authority = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="许可机关")
    action = models.CharField("决定类型", max_length=10, choices=PermitAction.choices)
    doc_name = models.CharField("行政许可决定文书名称", max_length=60)
    doc_no = models.CharField("许可决定书文号", max_length=80)
    certificate_name = models.CharField("许可证书名称", max_length=60)
    certificate_no = models.CharField("许可证书编号", max_length=40)
    category = models.CharField("许可类别", max_length=2, choices=PermitCategory.choices)
    content = models.CharField("许可内容", max_length=500)
    decided_on = models.DateField("决定日期")
    valid_from = models.DateField("有效期自", null=True, blank=True)
    valid_to = models.DateField("有效期至", null=True, blank=True)
    reason = models.CharField("理由", max_length=500, blank=True)
    holder_fault = models.BooleanField("被许可人以欺骗、贿赂等不正当手段取得", default=False)
    # 恢复: the 行政复议决定书 or 行政判决书 that revoked the 吊销 decision (行政复议法 Art 64, 行政诉讼法 Art 70)
    appeal_doc_no = models.CharField("撤销原决定的复议决定书/判决书文号", max_length=80, blank=True)
    basis = models.CharField("法律依据", max_length=200)
    status_after = models.CharField("决定后证照状态", max_length=10, choices=LicenceStatus.choices)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所变更的决定"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "行政许可决定"
        constraints = [
            models.UniqueConstraint(fields=["authority", "doc_no"], name="permitdecision_doc_no_unique")
        ]

    def __str__(self) -> str:
        return f"{self.doc_no}（{self.get_action_display()} {self.certificate_name} {self.certificate_no}）"
