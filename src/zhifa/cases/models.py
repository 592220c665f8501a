"""Case sources (案源/线索), cases (案件) and their steps, clocks, checks and reviewer qualifications."""

from __future__ import annotations

from django.db import models

from zhifa.accounts.models import Officer, Org, User
from zhifa.registry.models import Enterprise, Person, Vehicle


class SourceOrigin(models.TextChoices):
    INSPECTION = "inspection", "检查发现"
    RANDOM_INSPECTION = "random_inspection", "双随机抽查"
    COMPLAINT = "complaint", "投诉举报"
    TRANSFER = "transfer", "移送"
    ASSIGNMENT = "assignment", "上级交办"
    OVERLOAD = "overload", "非现场治超"
    MONITORING = "monitoring", "动态监控"
    DISCOVERY = "discovery", "执法人员发现"
    OTHER = "other", "其他"


class SourceStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已立案"
    CLOSED = "closed", "不予立案"


class CaseSource(models.Model):
    """A lead that may become a case. Feeders (inspections, complaints, 治超, 两客一危) create these
    through ``cases.services.case_source_create``; ``(origin, external_ref)`` makes that idempotent."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    origin = models.CharField("来源", max_length=20, choices=SourceOrigin.choices)
    external_ref = models.CharField(
        "来源编号", max_length=100, blank=True, help_text="来源系统中的唯一编号，如治超检测记录号、投诉工单号"
    )
    status = models.CharField(
        "状态", max_length=10, choices=SourceStatus.choices, default=SourceStatus.PENDING
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject_name = models.CharField("当事人/对象", max_length=200, blank=True)
    violation_code = models.CharField("涉嫌违法行为代码", max_length=40, blank=True)
    facts = models.TextField("线索内容")
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    evidence_ids = models.JSONField("证据", default=list, blank=True)
    proposed = models.JSONField("建议处理（如拟罚款及计算依据）", default=dict, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    decision_due = models.DateField("处理期限", null=True, blank=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.CharField("处理人", max_length=150, blank=True)
    close_reason = models.CharField("不予立案理由", max_length=500, blank=True)
    created_by = models.CharField("登记人", max_length=150, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "案源线索"
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="casesource_origin_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_origin_display()}：{self.subject_name or self.facts[:20]}"


# --------------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------------

from .enums import (  # noqa: E402
    AppealKind,
    AppealOutcome,
    CaseState,
    ClockKind,
    ClockStatus,
    LicenceAct,
    Outcome,
    PartyKind,
    PenaltyType,
    Procedure,
    ServiceMethod,
    Tier,
)


class Case(models.Model):
    """An administrative penalty case. ``state`` moves only through ``cases.workflow.case_transition``;
    ``version`` is the optimistic lock checked in every UPDATE."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    number = models.CharField("案号", max_length=60, unique=True)
    source = models.OneToOneField(
        CaseSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="case"
    )
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY)
    state = models.CharField(
        "状态", max_length=20, choices=CaseState.choices, default=CaseState.FILING, db_index=True
    )
    version = models.PositiveIntegerField("版本", default=1)
    # party (当事人)
    party_kind = models.CharField("当事人类别", max_length=10, choices=PartyKind.choices)
    party_name = models.CharField("当事人", max_length=200, db_index=True)
    party_code = models.CharField("证件号/统一社会信用代码（脱敏）", max_length=30, blank=True)
    party_address = models.CharField("地址", max_length=200, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # the violation
    violation_code = models.CharField("违法行为代码", max_length=40, blank=True)
    violation_name = models.CharField("违法行为", max_length=200)
    violated_article = models.CharField("违反条款", max_length=300, blank=True)
    penalty_article = models.CharField("处罚条款", max_length=300, blank=True)
    facts = models.TextField("违法事实")
    location = models.CharField("地点", max_length=200, blank=True)
    occurred_on = models.DateField("违法行为发生日")
    act_ended_on = models.DateField("连续或继续状态终了日", null=True, blank=True)
    discovered_on = models.DateField("发现日")
    serious_harm = models.BooleanField("涉及生命健康安全、金融安全且有危害后果", default=False)
    complex_case = models.BooleanField("情节复杂或重大违法（集体讨论）", default=False)
    major_public_interest = models.BooleanField("涉及重大公共利益（法制审核）", default=False)
    # 立案
    registered_on = models.DateField("立案日期", null=True, blank=True)
    registered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="立案批准人"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="承办人"
    )
    limit_due = models.DateField("办案期限", null=True, blank=True)
    extension_days = models.PositiveIntegerField("已延长天数", default=0)
    # 处理意见 / 裁量
    proposed_outcome = models.CharField("处理意见", max_length=12, choices=Outcome.choices, blank=True)
    penalty_type = models.CharField("处罚种类", max_length=12, choices=PenaltyType.choices, blank=True)
    # 处罚法 Art 9(三): which act, on which of the party's licences (暂扣 for a number of months)
    licence_act = models.CharField("证照处罚", max_length=10, choices=LicenceAct.choices, blank=True)
    licence = models.ForeignKey(
        "registry.Licence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="证照",
    )
    licence_suspend_months = models.PositiveSmallIntegerField("暂扣期限（月）", null=True, blank=True)
    proposed_fine_fen = models.BigIntegerField("拟罚款（分）", null=True, blank=True)
    tier = models.CharField("裁量阶次", max_length=10, choices=Tier.choices, blank=True)
    tier_reasons = models.TextField("裁量理由", blank=True)
    benchmark_min_fen = models.BigIntegerField("裁量基准下限（分）", null=True, blank=True)
    benchmark_max_fen = models.BigIntegerField("裁量基准上限（分）", null=True, blank=True)
    deviation_reasons = models.TextField("偏离裁量基准理由", blank=True)
    # 告知 / 陈述申辩 / 听证
    hearing_right = models.BooleanField("享有听证权利", default=False)
    notified_on = models.DateField("告知书送达日", null=True, blank=True)
    statement_made = models.BooleanField("已陈述申辩或放弃", default=False)
    hearing_requested_on = models.DateField("申请听证日", null=True, blank=True)
    hearing_noticed_on = models.DateField("听证通知日", null=True, blank=True)
    hearing_on = models.DateField("听证日", null=True, blank=True)
    hearing_held = models.BooleanField("已举行听证", default=False)
    # 法制审核 / 集体讨论
    review_required = models.BooleanField("需法制审核", default=False)
    review_reasons = models.JSONField("法制审核理由", default=list, blank=True)
    review_passed_on = models.DateField("法制审核通过日", null=True, blank=True)
    reviewer = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="法制审核人员"
    )
    discussion_required = models.BooleanField("需集体讨论", default=False)
    discussed_on = models.DateField("集体讨论日", null=True, blank=True)
    # 决定
    outcome = models.CharField("决定结果", max_length=12, choices=Outcome.choices, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="决定人"
    )
    decision_no = models.CharField("决定书文号", max_length=60, blank=True)
    fine_fen = models.BigIntegerField("罚款（分）", null=True, blank=True)
    education_record = models.TextField("教育记录（不予处罚）", blank=True)
    transfer_to = models.CharField("移送机关", max_length=200, blank=True)
    # 送达 / 执行
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices, blank=True)
    service_proof = models.CharField("送达回证/凭证", max_length=200, blank=True)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    instalments = models.JSONField("分期/延期缴纳", default=list, blank=True)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    paid_fen = models.BigIntegerField("已缴罚款（分）", default=0)
    surcharge_fen = models.BigIntegerField("加处罚款（分）", default=0)
    surcharge_pauses = models.JSONField("加处罚款暂停区间（复议/诉讼）", default=list, blank=True)
    reminded_on = models.DateField("催告书送达日", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日", null=True, blank=True)
    appeal_kind = models.CharField("复议/诉讼", max_length=16, choices=AppealKind.choices, blank=True)
    appeal_filed_on = models.DateField("复议/诉讼提起日", null=True, blank=True)
    appeal_outcome = models.CharField(
        "复议/诉讼结果", max_length=10, choices=AppealOutcome.choices, blank=True
    )
    summary_filed_on = models.DateField("当场处罚备案日", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_reason = models.CharField("结案理由", max_length=200, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    # --- violation from the 执法事项库 (issue 14) ---
    violation_version = models.ForeignKey(
        "rules.ViolationVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="适用的执法事项版本（违法行为发生日施行）",
    )
    basis_note = models.TextField("依据补充说明", blank=True, help_text="只能补充执法事项库的依据，不能代替")
    exemption = models.CharField("适用的免罚情形（第三十三条）", max_length=20, blank=True)
    exemption_conditions = models.JSONField("符合的免罚条件", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "案件"
        indexes = [models.Index(fields=["org", "state"], name="cases_case_org_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    @property
    def licence_moved(self) -> str:
        """The "<证照名称> <编号>" of the licence a 暂扣 or 吊销 acts on (the 双公示 item 暂扣或吊销证照名称及编号),
        else ""."""
        if (
            self.penalty_type != PenaltyType.REVOKE
            or self.licence_act == LicenceAct.DOWNGRADE
            or not self.licence_id
        ):
            return ""
        return f"{self.licence.get_kind_display()} {self.licence.number}"

    def licence_penalty_text(self) -> str:
        """The Art 9(三) penalty as the decision states it: "暂扣道路运输证（编号）3个月", "吊销…", "降低资质等级"."""
        if self.penalty_type != PenaltyType.REVOKE or not self.licence_act:
            return ""
        if self.licence_act == LicenceAct.DOWNGRADE or not self.licence_id:
            return self.get_licence_act_display()
        verb = "暂扣" if self.licence_act == LicenceAct.SUSPEND else "吊销"
        months = f"{self.licence_suspend_months}个月" if self.licence_act == LicenceAct.SUSPEND else ""
        return f"{verb}{self.licence.get_kind_display()}（{self.licence.number}）{months}"


class CaseOfficer(models.Model):
    """An officer handling the case (承办/协办); removed (e.g. after a granted 回避) keeps the row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    lead = models.BooleanField("主办", default=False)
    assigned_on = models.DateField("指派日期")
    removed_on = models.DateField("撤出日期", null=True, blank=True)
    removed_reason = models.CharField("撤出原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-lead", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class CaseStep(models.Model):
    """One recorded step of a case (全过程记录): what was done, by whom, when, with which data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=30)
    label = models.CharField("环节名称", max_length=60)
    state_from = models.CharField(max_length=20, blank=True)
    state_to = models.CharField(max_length=20, blank=True)
    on = models.DateField("办理日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    documents = models.JSONField("生成的文书", default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.label}"


class CaseClock(models.Model):
    """A legal deadline of a case, with its explanation (rule, article, inputs) and pause state."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    start = models.DateField("起算日")
    due = models.DateField("届满日", db_index=True)
    day_type = models.CharField("计日方式", max_length=10)  # workdays / days / months
    article = models.CharField("依据", max_length=300)
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=ClockStatus.choices, default=ClockStatus.RUNNING)
    paused_on = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="cases_clock_unique")]
        indexes = [models.Index(fields=["org", "status", "due"], name="cases_clock_board")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"


class CaseCheck(models.Model):
    """A 案卷评查 run: veto findings, form score, each finding pointing to a step/document."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checks")
    at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150, blank=True)
    passed = models.BooleanField()
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    findings = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.score}"


class ReviewerQualification(models.Model):
    """法律职业资格 of a legal reviewer (处罚法 Art 58 para 2: a first-time reviewer must have passed the
    国家统一法律职业资格考试). Kept here because accounts has no such record yet."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="legal_qualification")
    certificate_no = models.CharField("法律职业资格证书编号", max_length=40, blank=True)
    obtained_on = models.DateField("取得日期", null=True, blank=True)
    grandfathered = models.BooleanField("2021年7月15日前已从事法制审核（不要求资格）", default=False)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "法制审核人员资格"

    def __str__(self) -> str:
        return self.certificate_no or "（原有审核人员）"

    @property
    def qualified(self) -> bool:
        return bool(self.certificate_no) or self.grandfathered


class CaseViolation(models.Model):
    """One violation of a case, picked from the 执法事项库 in the version in force on the day of the act
    (处罚法 Art 37, 38). Several rows: 分别裁量 (each its tier and amount), then 合并处罚 (the decision lists
    each, the case's fine is their sum). Order 1 is the primary the case-level fields summarise."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    order = models.PositiveSmallIntegerField("序号")
    code = models.CharField("事项编码", max_length=40)
    version = models.ForeignKey(
        "rules.ViolationVersion", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="事项版本"
    )
    version_from = models.DateField("版本施行日期", null=True)
    name = models.CharField("违法行为", max_length=200)
    violated_article = models.CharField("违反条款", max_length=300, blank=True)
    penalty_article = models.CharField("处罚条款", max_length=300, blank=True)
    variant = models.CharField("适用罚则情形（如情节严重）", max_length=4, blank=True)
    legal_min_fen = models.BigIntegerField("法定最低罚款（分）", default=0)
    legal_max_fen = models.BigIntegerField("法定最高罚款（分）", default=0)
    tier = models.CharField("裁量阶次", max_length=10, choices=Tier.choices, blank=True)
    benchmark_min_fen = models.BigIntegerField("裁量基准下限（分）", null=True, blank=True)
    benchmark_max_fen = models.BigIntegerField("裁量基准上限（分）", null=True, blank=True)
    benchmark_source = models.TextField("裁量基准来源", blank=True)
    proposed_fine_fen = models.BigIntegerField("拟罚款（分）", null=True, blank=True)
    fine_fen = models.BigIntegerField("决定罚款（分）", null=True, blank=True)

    class Meta:
        ordering = ["case", "order"]
        verbose_name = "案件违法行为"
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="caseviolation_unique_order")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
