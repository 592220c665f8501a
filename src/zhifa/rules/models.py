"""The rule library (三库): legal bases (法律法规库), the violation catalogue (执法事项库) with discretion
tiers (裁量基准) and 免罚 conditions, and procedure parameters (程序参数).

Versioning: a violation's content lives in :class:`ViolationVersion` rows. An edit never changes a row;
it adds a version effective from a date. The version in force on a date is the one with the latest
``effective_from`` not after it (per province, falling back to the national version). Money in fen.
"""

from __future__ import annotations

from django.db import models


class DataSource(models.TextChoices):
    FILE = "file", "数据文件载入"
    UI = "ui", "页面修订"
    API = "api", "接口修订"


class LegalBasis(models.Model):
    """One article (paragraph, item) of a law, regulation or rule: a 法律法规库 entry."""

    key = models.CharField("编号", max_length=40, unique=True, help_text="如 RTR2023-63-1")
    law = models.CharField("法律法规名称", max_length=100, help_text="全称，带书名号")
    article = models.PositiveSmallIntegerField("条", help_text="0 表示条款序号未核实")
    paragraph = models.PositiveSmallIntegerField("款", null=True, blank=True)
    item = models.PositiveSmallIntegerField("项", null=True, blank=True)
    summary = models.TextField("条文要旨（转述）")
    version = models.CharField("版本/修订", max_length=120, blank=True)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("来源说明", max_length=400, blank=True)
    confirmed = models.BooleanField("已核对原文", default=False)
    province = models.CharField("省份代码", max_length=2, blank=True, help_text="空为全国")

    class Meta:
        ordering = ["law", "article", "paragraph", "item"]
        verbose_name = "法律依据"

    def __str__(self) -> str:
        return f"{self.law}{self.label}"

    @property
    def label(self) -> str:
        return article_label(self.article, self.paragraph, self.item)


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numerals for article numbers (1–999): 63 -> 六十三, 105 -> 一百零五."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return CN_DIGITS[hundreds] + "百"
    if rest < 10:
        return CN_DIGITS[hundreds] + "百零" + CN_DIGITS[rest]
    tail = cn_number(rest)
    return CN_DIGITS[hundreds] + "百" + ("一" + tail if rest < 20 else tail)


def article_label(article: int, paragraph: int | None, item: int | None) -> str:
    if not article:
        return "（条款序号未核实）"
    text = f"第{cn_number(article)}条"
    if paragraph:
        text += f"第{cn_number(paragraph)}款"
    if item:
        text += f"第（{cn_number(item)}）项"
    return text


class PenaltyKind(models.TextChoices):
    WARNING = "warning", "警告"
    FIXED = "fixed", "定额罚款"
    RANGE = "range", "幅度罚款"
    UP_TO = "up_to", "限额以下罚款"
    MULTIPLE = "multiple", "违法所得倍数罚款"
    PER_UNIT = "per_unit", "按计量单位累计罚款"
    NONE = "none", "无罚款（责令改正、停业整顿等）"


class Tier(models.TextChoices):
    """裁量阶次 (处罚法 Art 32–34; 国办发〔2022〕27号)."""

    NO_PENALTY = "no_penalty", "不予处罚"
    MITIGATED = "mitigated", "减轻处罚"
    LIGHTER = "lighter", "从轻处罚"
    GENERAL = "general", "一般处罚"
    HEAVIER = "heavier", "从重处罚"


class ExemptionKind(models.TextChoices):
    MINOR = "minor", "轻微不罚"
    FIRST = "first", "首违不罚"
    NO_FAULT = "no_fault", "无主观过错不罚"


class SeverityClass(models.TextChoices):
    """失信程度 of a violation: 《信用修复管理办法》（国家发展改革委令2025年第36号）第二章 classes failures of
    trust as 轻微 / 一般 / 严重 and leaves the per-violation classification to the sector regulator. The
    class decides the 双公示 publication period (disclosure.rules.period_for)."""

    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"


class PartyKind(models.TextChoices):
    ANY = "any", "公民、法人或其他组织"
    PERSON = "person", "公民"
    ORGANISATION = "organisation", "法人或其他组织"


class Violation(models.Model):
    """The stable identity of a catalogue entry (执法事项); its content is in the versions."""

    code = models.CharField("事项编码", max_length=40, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "执法事项"

    def __str__(self) -> str:
        return self.code


class ViolationVersion(models.Model):
    """One version of a violation, in force from ``effective_from`` (for ``province``, "" = national)
    until the next version of the same code and province. Rows are never updated after creation."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="versions")
    province = models.CharField("省份代码", max_length=2, blank=True, help_text="空为全国")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField(
        "失效日期", null=True, blank=True, help_text="仅用于整体废止；修订以新版本表示"
    )
    name = models.CharField("违法行为", max_length=200)
    category = models.CharField("门类", max_length=40)
    party_kind = models.CharField("适用对象", max_length=20, choices=PartyKind.choices, default=PartyKind.ANY)
    violated = models.ManyToManyField(
        LegalBasis, related_name="violated_by", blank=True, verbose_name="违反条款"
    )
    penalised = models.ManyToManyField(LegalBasis, related_name="penalised_by", verbose_name="处罚条款")
    penalty_kind = models.CharField("法定罚款种类", max_length=20, choices=PenaltyKind.choices)
    min_fen = models.BigIntegerField("法定最低罚款（分）", default=0)
    max_fen = models.BigIntegerField("法定最高罚款（分）", default=0)
    penalty_detail = models.JSONField("罚则细节（倍数罚、情节严重等分支）", default=dict, blank=True)
    other_sanctions = models.JSONField("其他处理（责令改正、停业整顿、吊销等）", default=list, blank=True)
    summary_allowed = models.BooleanField("原则上可适用简易程序", default=False)
    tiers = models.JSONField("裁量阶次", default=list, blank=True)
    tier_source = models.CharField("裁量阶次来源", max_length=200, blank=True)
    exemptions = models.JSONField("免罚情形", default=list, blank=True)
    severity = models.CharField(
        "失信程度分类",
        max_length=8,
        choices=SeverityClass.choices,
        blank=True,
        help_text="空为未分类：公示期按处罚种类判定",
    )
    severity_source = models.CharField("失信程度分类依据", max_length=300, blank=True)
    note = models.TextField("备注", blank=True)
    confirmed = models.BooleanField("条文已核对", default=False)
    reason = models.CharField("修订理由", max_length=500, blank=True)
    source = models.CharField("来源", max_length=10, choices=DataSource.choices, default=DataSource.FILE)
    source_file = models.CharField("数据文件", max_length=200, blank=True)
    digest = models.CharField("内容摘要", max_length=64)
    created_by = models.CharField("创建人", max_length=150, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["violation__code", "province", "-effective_from"]
        verbose_name = "执法事项版本"
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "province", "effective_from"], name="violationversion_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["province", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.violation.code} {self.name}（{self.effective_from:%Y-%m-%d} 起）"

    @property
    def code(self) -> str:
        return self.violation.code

    def get_penalty_text(self) -> str:
        return penalty_text(self.penalty_kind, self.min_fen, self.max_fen, self.penalty_detail)


def yuan(fen: int) -> str:
    """Fen as a yuan amount for people: 300000 -> 3000元, 12345 -> 123.45元."""
    if fen % 100 == 0:
        return f"{fen // 100}元"
    return f"{fen / 100:.2f}元"


def penalty_text(kind: str, min_fen: int, max_fen: int, detail: dict | None = None) -> str:
    detail = detail or {}
    if kind == PenaltyKind.NONE:
        text = "无罚款"
    elif kind == PenaltyKind.WARNING:
        text = "警告"
    elif kind == PenaltyKind.FIXED:
        text = f"罚款{yuan(min_fen)}"
    elif kind == PenaltyKind.UP_TO:
        text = f"{yuan(max_fen)}以下罚款"
    elif kind == PenaltyKind.PER_UNIT:
        text = (
            f"超过{detail.get('warning_max_kg', 0)}千克以内警告；每超{detail.get('unit_kg', 0)}千克罚款"
            f"{detail.get('unit_yuan', 0)}元，最高{yuan(max_fen)}"
        )
    elif kind == PenaltyKind.MULTIPLE:
        text = f"违法所得{detail.get('multiple_min')}倍以上{detail.get('multiple_max')}倍以下罚款"
    else:
        text = f"{yuan(min_fen)}以上{yuan(max_fen)}以下罚款"
    for variant in detail.get("variants", []):
        text += f"；{variant.get('when', '')}：{variant_text(variant)}"
    return text


def variant_text(variant: dict) -> str:
    kind = variant.get("kind")
    if kind == PenaltyKind.MULTIPLE:
        pre = "没收违法所得，并处" if variant.get("confiscate_income") else "处"
        return f"{pre}违法所得{variant.get('multiple_min')}倍以上{variant.get('multiple_max')}倍以下罚款"
    lo, hi = int(variant.get("min_yuan", 0)) * 100, int(variant.get("max_yuan", 0)) * 100
    if kind == PenaltyKind.UP_TO or lo == 0:
        return f"{yuan(hi)}以下罚款"
    return f"{yuan(lo)}以上{yuan(hi)}以下罚款"


class ProcedureParam(models.Model):
    """A procedure parameter (简易程序 thresholds, periods, rates…) with its article and dates."""

    name = models.CharField("参数名", max_length=60)
    province = models.CharField("省份代码", max_length=2, blank=True)
    label = models.CharField("名称", max_length=100)
    value = models.JSONField("取值")
    unit = models.CharField("单位", max_length=30)
    day_type = models.CharField(
        "日期类型", max_length=10, blank=True, help_text="working 工作日 / calendar 自然日"
    )
    article = models.CharField("依据条款", max_length=300)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    confidence = models.CharField("可信度", max_length=20)
    note = models.TextField("说明", blank=True)
    source_file = models.CharField("数据文件", max_length=200, blank=True)

    class Meta:
        ordering = ["name", "province", "-effective_from"]
        verbose_name = "程序参数"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "province", "effective_from"], name="procedureparam_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.name}）"
