"""The reports' own tables: the annual 法治政府建设年度报告 with its frozen snapshots, the monthly 通报, and the
indicator values read from the level above (provincial files). Everything else the reports read belongs to
the apps below."""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Org

# The five parts the rules require (厅字〔2019〕28号 督察工作规定, as restated by the provincial 工作指引;
# procedure.md §5): headings as the seeds write them.
PARTS = [
    (1, "一、上一年度推进法治政府建设的主要举措和成效"),
    (2, "二、党政主要负责人履行推进法治建设第一责任人职责情况"),
    (3, "三、存在的不足和原因"),
    (4, "四、下一年度推进法治政府建设的主要安排"),
    (5, "五、其他需要报告的情况"),
]


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已签发"


class AnnualReport(models.Model):
    """法治政府建设年度报告 of ``org`` for ``year``: five sections the bureau writes, each number in the text a
    reference ``【指标:<id>】`` to a registered indicator; issuing freezes the values as snapshots."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="报告单位")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    sections = models.JSONField("正文", default=list)  # [{"part": 1, "body": "..."}] in PARTS order
    state = models.CharField("状态", max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    approved_by = models.CharField("签发人", max_length=150, blank=True)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    submitted_on = models.DateField("报送日期（党委政府和上级部门）", null=True, blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    publish_url = models.CharField("公开网址", max_length=300, blank=True)
    created_by = models.CharField("起草人", max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "法治政府建设年度报告"
        ordering = ["-year", "org_id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="reports_annual_org_year")]

    def __str__(self) -> str:
        return self.title


class Snapshot(models.Model):
    """A value as the issued report printed it: the number, the ids of the records it counted, their digest."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="snapshots")
    indicator_id = models.CharField("指标", max_length=80)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=20)
    value = models.JSONField("数值", null=True)
    numerator = models.JSONField("分子", null=True)
    denominator = models.BigIntegerField("分母", null=True)
    record_ids = models.JSONField("计入的记录", default=list)
    digest = models.CharField("摘要", max_length=64)
    source = models.CharField("来源", max_length=10)
    taken_at = models.DateTimeField("取值时间", auto_now_add=True)

    class Meta:
        verbose_name = "指标快照"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator_id"], name="reports_snapshot_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.value}{self.unit}"


class BulletinState(models.TextChoices):
    GENERATING = "generating", "生成中"
    DRAFT = "draft", "待印发"
    ISSUED = "issued", "已印发"
    PUBLISHED = "published", "已公开"
    FAILED = "failed", "生成失败"


class Bulletin(models.Model):
    """月度通报 of ``org`` (a bureau or a 中队) for ``month``: the chosen indicators with month-on-month change,
    the units' ranking and the named problems, frozen in ``content`` when generated; the DOCX is written
    from a replaceable template by a background job and kept (archived) under the data directory."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="通报单位")
    month = models.CharField("月份", max_length=7)
    seq = models.PositiveIntegerField("年度序号")
    number = models.CharField("通报编号", max_length=60)
    indicator_ids = models.JSONField("通报指标", default=list)
    content = models.JSONField("内容", default=dict)
    state = models.CharField(
        "状态", max_length=12, choices=BulletinState.choices, default=BulletinState.GENERATING
    )
    file = models.CharField("文件", max_length=300, blank=True)
    digest = models.CharField("文件摘要", max_length=64, blank=True)
    job_id = models.IntegerField("生成任务", null=True, blank=True)
    created_by = models.CharField("生成人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.CharField("印发人", max_length=150, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = "月度通报"
        ordering = ["-month", "org_id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "month"], name="reports_bulletin_org_month"),
            models.UniqueConstraint(fields=["number"], name="reports_bulletin_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.org}{self.month}月度通报"


class ProvincialValue(models.Model):
    """An indicator value read from a file of the level above (省平台 两客一危 monthly KPIs, 12345 statistics):
    kept apart from what zhifa computes, with the file and the platform it came from."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    indicator_id = models.CharField("指标", max_length=80)
    month = models.CharField("月份", max_length=7)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    source = models.CharField("数据来源", max_length=100)
    filename = models.CharField("文件", max_length=200, blank=True)
    imported_by = models.CharField("导入人", max_length=150, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "上级平台指标"
        ordering = ["-month", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "indicator_id", "month"], name="provincial_once")
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.indicator_id}"
