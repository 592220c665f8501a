"""全过程记录: evidence files attached to a step of a case (or an inspection, a 治超 lead …) and their
custody log (保管链).

《行政处罚法》第四十七条 requires the whole enforcement process to be recorded in writing or audio-video
and archived. An :class:`EvidenceItem` is never deleted through the application: at most it is marked
作废 with a reason. A :class:`CustodyEvent` is appended for every access (upload, view, download,
playback, ranged read, verification, 作废, refused deletion) and is never changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.accounts.models import Org
from zhifa.evidence.enums import CustodyAction, EvidenceKind


class EvidenceItem(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="所属单位")
    target_type = models.CharField("所属对象类型", max_length=80, help_text="如 cases.case、inspections.task")
    target_id = models.CharField("所属对象编号", max_length=64)
    step = models.CharField("办案环节", max_length=60, blank=True, help_text="如 调查取证、送达、执行")
    kind = models.CharField("类别", max_length=10, choices=EvidenceKind.choices)
    filename = models.CharField("文件名", max_length=255)
    content_type = models.CharField("媒体类型", max_length=150)
    size = models.PositiveBigIntegerField("大小（字节）")
    digest = models.CharField("摘要", max_length=64, db_index=True)
    digest_algorithm = models.CharField("摘要算法", max_length=10)
    backend = models.CharField("存储类型", max_length=10)
    storage_key = models.CharField("存储键", max_length=300, unique=True)
    description = models.CharField("说明", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_by_name = models.CharField("上传人姓名", max_length=150, blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作废人",
    )
    void_reason = models.CharField("作废理由", max_length=500, blank=True)
    # 全过程记录 "which device recorded it": the recording device's serial (执法记录仪编号; the equipment
    # register of the people app resolves it through the lookup evidence.device_label) and the officer
    # who wore it. Set by evidence_link_device, with a custody event.
    device_ref = models.CharField("录制设备编号", max_length=64, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录制人员",
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "证据材料"
        indexes = [models.Index(fields=["target_type", "target_id"], name="evidence_target_idx")]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_kind_display()}）"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def delete(self, *args, **kwargs):  # noqa: DJ012 - a guard, not behaviour
        from zhifa.evidence.errors import EvidenceError

        raise EvidenceError.NO_DELETE.error()


class CustodyEvent(models.Model):
    item = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="custody", verbose_name="证据"
    )
    action = models.CharField("行为", max_length=20, choices=CustodyAction.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    ip = models.CharField("IP 地址", max_length=64, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    channel = models.CharField("渠道", max_length=10, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "证据保管记录"

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("证据保管记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: DJ012
        raise ValueError("证据保管记录只能追加，不能删除")
