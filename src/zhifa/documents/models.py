"""Issued enforcement documents (执法文书), their document-number sequences and numbering rules."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class NumberingRule(models.Model):
    """How one issuing authority numbers one type of document (文号规则), e.g. 罚 for decisions.

    Without a row, ``numbering.DEFAULT_TYPE_WORDS`` and ``ZHIFA_DOC_NUMBER_PATTERN`` apply."""

    issuer = models.ForeignKey(
        "accounts.Org", on_delete=models.PROTECT, related_name="numbering_rules", verbose_name="发文机关"
    )
    doc_type = models.CharField("文书类型", max_length=30)
    word = models.CharField("类别字", max_length=10)
    pattern = models.CharField(
        "文号格式",
        max_length=60,
        blank=True,
        help_text="可用 {org}（机关简称）{word}（类别字）{year}（年份）{seq}（序号）；空为默认",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文号规则"
        constraints = [models.UniqueConstraint(fields=["issuer", "doc_type"], name="numberingrule_unique")]

    def __str__(self) -> str:
        return f"{self.issuer_id}:{self.doc_type}={self.word}"


class NumberSequence(models.Model):
    """The last number used per authority, type and year. Incremented with ``UPDATE … SET last = last + 1``
    inside the transaction that records the document: the row lock serialises issuers and a rollback
    gives the number back (no gaps, no duplicates)."""

    issuer = models.ForeignKey("accounts.Org", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "文号序列"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "doc_type", "year"], name="numbersequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id}:{self.doc_type}:{self.year}={self.last}"


class IssuedDocument(models.Model):
    """One rendered version of a document. A correction is a new row of the same ``series`` with the
    next ``version``; rows and files are never overwritten."""

    series = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="更正前版本"
    )
    reason = models.CharField("更正原因", max_length=300, blank=True)
    org = models.ForeignKey(
        "accounts.Org", on_delete=models.PROTECT, related_name="issued_documents", verbose_name="承办单位"
    )
    issuer = models.ForeignKey(
        "accounts.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发文机关"
    )
    template = models.CharField("模板", max_length=60)
    title = models.CharField("文书名称", max_length=60)
    template_source = models.CharField("模板来源", max_length=10, default="builtin")
    template_digest = models.CharField("模板摘要", max_length=64)
    doc_type = models.CharField("文书类型", max_length=30)
    number = models.CharField("文号", max_length=60, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    doc_date = models.DateField("文书日期")
    target_type = models.CharField("关联对象类型", max_length=80)
    target_id = models.CharField("关联对象", max_length=80)
    file_path = models.CharField(max_length=300, editable=False)
    digest = models.CharField("文件摘要", max_length=64)
    digest_algorithm = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    context_digest = models.CharField(max_length=64)
    rendered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="生成人"
    )
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        ordering = ["-rendered_at", "-id"]
        verbose_name = "执法文书"
        indexes = [models.Index(fields=["target_type", "target_id"], name="issueddoc_target")]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="issueddoc_series_version"),
            # the number itself is unique: only versions after the first repeat it
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "year", "seq"],
                condition=Q(version=1, seq__isnull=False),
                name="issueddoc_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip() + (f"（第{self.version}版）" if self.version > 1 else "")
