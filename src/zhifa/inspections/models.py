"""双随机、一公开: 两库一单, annual plans, tasks, verifiable draws, inspection records, publication.

* 随机抽查事项清单 = :class:`InspectionItem`; 检查对象名录库 and 执法检查人员名录库 are computed from the
  registry and the officers (selectors) and frozen in :class:`PublishedList` versions (事前公示);
* :class:`InspectionPlan` (年度抽查计划) → :class:`InspectionTask` (one round of one item) →
  :class:`Draw` (commit / draw / reveal; a redraw supersedes a draw, never silently) →
  :class:`Assignment` (one target and its inspectors) → :class:`InspectionRecord` (the field form).
* :class:`Conflict`: declared 回避 relationships between an officer and a target.
"""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Officer, Org
from zhifa.registry.models import Enterprise


class ItemCategory(models.TextChoices):
    KEY = "key", "重点检查事项"
    GENERAL = "general", "一般检查事项"


class TaskKind(models.TextChoices):
    SINGLE = "single", "本部门抽查"
    JOINT = "joint", "部门联合抽查"


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "待承诺"
    COMMITTED = "committed", "已公布承诺"
    DRAWN = "drawn", "已抽取"
    REVEALED = "revealed", "已公开种子"
    COMPLETED = "completed", "已完成"


class TargetSource(models.TextChoices):
    """Where a task's targets come from: the whole 检查对象名录库, or only the enterprises whose 告知承诺
    事后核查 is due on the draw date (the list permits provides through the ``permits.postchecks_due`` lookup)."""

    DIRECTORY = "directory", "检查对象名录库"
    POSTCHECKS = "postchecks", "告知承诺事后核查名录"


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", "已承诺"
    DRAWN = "drawn", "已抽取"
    REVEALED = "revealed", "已公开"
    SUPERSEDED = "superseded", "已作废（重新抽取）"


class ResultKind(models.TextChoices):
    NONE = "none", "未发现问题"
    RECTIFY = "rectify", "责令整改"
    CASE = "case", "立案查处"
    TRANSFER = "transfer", "移送"


class ListKind(models.TextChoices):
    ITEMS = "items", "随机抽查事项清单"
    TARGETS = "targets", "检查对象名录库"
    INSPECTORS = "inspectors", "执法检查人员名录库"


class ConflictKind(models.TextChoices):
    RELATIVE = "relative", "近亲属或其他利害关系"
    FORMER_EMPLOYER = "former_employer", "曾在该单位任职"
    INTEREST = "interest", "持股或经济往来"
    OTHER = "other", "其他应当回避的情形"


class InspectionItem(models.Model):
    """One line of the 随机抽查事项清单."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="制定单位")
    code = models.CharField("事项编号", max_length=30)
    name = models.CharField("抽查事项", max_length=200)
    legal_basis = models.TextField("抽查依据")
    inspecting_body = models.CharField("抽查主体", max_length=200)
    business_types = models.JSONField("检查对象范围（经营类别）", default=list, blank=True)
    method = models.CharField("抽查方式", max_length=100, default="现场检查")
    ratio_bp = models.PositiveIntegerField("抽查比例（万分比）", help_text="500 即 5%")
    frequency = models.PositiveSmallIntegerField("抽查频次（次/年）", default=1)
    category = models.CharField(
        "事项类别", max_length=10, choices=ItemCategory.choices, default=ItemCategory.GENERAL
    )
    cert_fields = models.JSONField("检查人员执法门类要求", default=list, blank=True)
    checklist = models.JSONField("检查内容（逐项）", default=list, blank=True)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "随机抽查事项"
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="inspitem_org_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def ratio_label(self) -> str:
        return f"{self.ratio_bp / 100:g}%"

    @property
    def business_type_labels(self) -> list[str]:
        """The 经营类别 codes of the item's scope by their Chinese names."""
        from zhifa.registry.enums import BusinessType

        names = dict(BusinessType.choices)
        return [str(names.get(code, code)) for code in self.business_types or ()]


class PublishedList(models.Model):
    """A published version of one of the 两库一单 (事前公示): the frozen content and its SM3 digest."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="公布单位")
    kind = models.CharField("名录", max_length=12, choices=ListKind.choices)
    version = models.PositiveIntegerField("版本")
    as_of = models.DateField("数据日期")
    content = models.JSONField("内容")
    digest = models.CharField("SM3 摘要", max_length=64)
    row_count = models.PositiveIntegerField("条数", default=0)
    published_at = models.DateTimeField("公布时间", auto_now_add=True)
    published_by = models.CharField("公布人", max_length=150, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = "两库一单公示版本"
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "version"], name="publist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} 第{self.version}版"


class Conflict(models.Model):
    """A declared 回避 relationship: the officer is never drawn for this target."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="inspection_conflicts", verbose_name="执法人员"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", verbose_name="检查对象"
    )
    kind = models.CharField("回避事由", max_length=20, choices=ConflictKind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    valid_from = models.DateField("自")
    valid_to = models.DateField("至", null=True, blank=True)
    declared_by = models.CharField("登记人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["officer", "enterprise"]
        verbose_name = "回避关系"

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.enterprise}"


class InspectionPlan(models.Model):
    """年度抽查计划 of a bureau."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="制定单位")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField("制定人", max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "年度抽查计划"

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """An item in a plan with its ratio and the quarters of its rounds."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="plan_items")
    item = models.ForeignKey(
        InspectionItem, on_delete=models.PROTECT, related_name="+", verbose_name="抽查事项"
    )
    ratio_bp = models.PositiveIntegerField("本计划抽查比例（万分比）")
    quarters = models.JSONField("实施季度", default=list)

    class Meta:
        ordering = ["item__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="planitem_unique")]

    def __str__(self) -> str:
        return f"{self.plan}：{self.item}"


class InspectionTask(models.Model):
    """One round (抽查任务) of one plan item."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="tasks")
    item = models.ForeignKey(
        InspectionItem, on_delete=models.PROTECT, related_name="+", verbose_name="抽查事项"
    )
    round_no = models.PositiveSmallIntegerField("轮次")
    title = models.CharField("任务名称", max_length=200)
    kind = models.CharField("任务类型", max_length=10, choices=TaskKind.choices, default=TaskKind.SINGLE)
    partners = models.CharField("联合抽查部门", max_length=300, blank=True)
    ratio_bp = models.PositiveIntegerField("抽查比例（万分比）")
    inspectors_per_target = models.PositiveSmallIntegerField("每个对象检查人员数", default=2)
    area = models.CharField("区域（地址包含）", max_length=50, blank=True)
    allow_repeat = models.BooleanField(
        "允许重复抽取（合并检查）", default=False, help_text="默认同一计划同一事项已抽中的对象不再抽取"
    )
    target_source = models.CharField(
        "抽查对象范围",
        max_length=12,
        choices=TargetSource.choices,
        default=TargetSource.DIRECTORY,
        help_text="告知承诺事后核查名录：只从抽取日期事后核查已到期、尚未核查的告知承诺申请人中抽取",
    )
    draw_date = models.DateField("抽取日期")
    due_date = models.DateField("检查完成期限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField("创建人", max_length=150, blank=True)

    class Meta:
        ordering = ["plan", "item__code", "round_no"]
        verbose_name = "抽查任务"
        constraints = [
            models.UniqueConstraint(fields=["plan", "item", "round_no"], name="insptask_round_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ratio_label(self) -> str:
        return f"{self.ratio_bp / 100:g}%"

    def current_draw(self) -> Draw | None:
        return self.draws.exclude(status=DrawStatus.SUPERSEDED).order_by("-seq").first()


class Draw(models.Model):
    """One commitment and, later, its draw and revealed seed. Superseded draws stay, with the reason."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="draws")
    seq = models.PositiveSmallIntegerField("次序")
    status = models.CharField("状态", max_length=12, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    algorithm = models.CharField("算法", max_length=30)
    inputs = models.JSONField("输入（任务参数、对象名录、人员名录）")
    digests = models.JSONField("输入摘要")
    commitment = models.CharField("承诺值", max_length=64)
    seed_enc = models.TextField("随机种子（加密，公开前）")
    seed = models.CharField("随机种子（已公开）", max_length=64, blank=True)
    result = models.JSONField("抽取结果", null=True, blank=True)
    result_digest = models.CharField("结果摘要", max_length=64, blank=True)
    committed_at = models.DateTimeField("承诺时间")
    committed_by = models.CharField("承诺人", max_length=150, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.CharField("抽取人", max_length=150, blank=True)
    revealed_at = models.DateTimeField("公开时间", null=True, blank=True)
    reason = models.CharField(
        "重新抽取原因", max_length=300, blank=True, help_text="本次承诺是重新抽取时填写"
    )
    superseded_at = models.DateTimeField("作废时间", null=True, blank=True)
    superseded_reason = models.CharField("作废原因", max_length=300, blank=True)
    declared = models.JSONField(
        "见证人与公开随机值声明", null=True, blank=True, help_text="多方见证随机（zhifa-draw-v2）承诺时声明"
    )

    class Meta:
        ordering = ["task", "seq"]
        verbose_name = "抽取记录"
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="draw_task_seq_unique")]

    def __str__(self) -> str:
        return f"{self.task} 第{self.seq}次抽取"


class SlotKind(models.TextChoices):
    WITNESS = "witness", "见证人"
    PUBLIC = "public", "公开随机值"


class DrawSlot(models.Model):
    """One declared contributor of a multi-party draw (zhifa-draw-v2): a witness slot (W1, W2, …) with its
    one-time code for the phone page, or the named public value (P). ``record`` is the frozen public
    record that enters the seed (ALGORITHM.md §7.3); the full name and who entered it stay internal."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="slots")
    position = models.PositiveSmallIntegerField("次序")
    slot = models.CharField("编号", max_length=4)
    kind = models.CharField("类别", max_length=10, choices=SlotKind.choices)
    role = models.CharField("见证人身份 / 公开随机值来源", max_length=100)
    stated_date = models.DateField("公开随机值日期", null=True, blank=True)
    token_hash = models.CharField("录入码摘要", max_length=64, blank=True, db_index=True)
    token_enc = models.TextField("录入码（加密）", blank=True)
    name = models.CharField("见证人姓名", max_length=50, blank=True)
    record = models.JSONField("录入记录（进入随机种子）", null=True, blank=True)
    entered_by = models.CharField("录入人", max_length=150, blank=True)
    entered_at = models.DateTimeField("录入时间", null=True, blank=True)

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = "见证人与公开随机值"
        constraints = [models.UniqueConstraint(fields=["draw", "slot"], name="drawslot_unique")]

    def __str__(self) -> str:
        return f"{self.draw} {self.slot} {self.role}"

    @property
    def done(self) -> bool:
        return self.record is not None

    @property
    def absent(self) -> bool:
        return bool(self.record and self.record.get("absent"))


class Assignment(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="assignments")
    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="assignments")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name="检查对象"
    )
    stratum = models.CharField("层", max_length=40)
    position = models.PositiveIntegerField("抽取顺序")
    inspectors = models.ManyToManyField(
        Officer, related_name="inspection_assignments", verbose_name="检查人员"
    )

    class Meta:
        ordering = ["task", "position"]
        verbose_name = "抽查对象与人员匹配"
        constraints = [models.UniqueConstraint(fields=["draw", "enterprise"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.task}：{self.enterprise}"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "填写中"
    SUBMITTED = "submitted", "已提交"
    PUBLISHED = "published", "已公示"


class InspectionRecord(models.Model):
    """The field record (检查记录) of one assignment."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="record")
    status = models.CharField("状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    inspected_on = models.DateField("检查日期")
    location = models.CharField("检查地点", max_length=200, blank=True)
    checklist = models.JSONField("检查内容结果", default=list, blank=True)
    findings = models.TextField("检查情况", blank=True)
    result = models.CharField("检查结果", max_length=10, choices=ResultKind.choices, default=ResultKind.NONE)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    transfer_to = models.CharField("移送机关", max_length=200, blank=True)
    signer_name = models.CharField("被检查对象签名人", max_length=50, blank=True)
    signature = models.TextField("签名（PNG data URL）", blank=True)
    refused_to_sign = models.BooleanField("拒绝签名", default=False)
    evidence_ids = models.JSONField("照片与文件（证据编号）", default=list, blank=True)
    case_source_id = models.PositiveIntegerField("案源编号", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.CharField("提交人", max_length=150, blank=True)
    publish_due = models.DateField("公示期限", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.CharField("公示人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = "检查记录"

    def __str__(self) -> str:
        return f"{self.assignment} 检查记录"

    @property
    def org(self) -> Org:
        """The bureau that inspected (谁检查、谁公开)."""
        return self.assignment.task.plan.org

    def disclosure_payload(self) -> dict:
        """What the public sees (GSXT 抽查检查信息: 检查实施机关, 类型, 日期, 结果), no personal data."""
        task = self.assignment.task
        ent = self.assignment.enterprise
        return {
            "inspecting_body": task.item.inspecting_body or task.plan.org.name,
            "type": "双随机抽查",
            "task": task.title,
            "item": f"{task.item.code} {task.item.name}",
            "subject_name": ent.name,
            "subject_uscc": ent.uscc,
            "inspected_on": self.inspected_on.isoformat(),
            "result": self.get_result_display(),
        }
