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
    WALK_IN = "walk_in", "来访"
    PHONE = "phone", "来电"
    LETTER = "letter", "来信"
    OTHER = "other", "其他"


# The origins a person registers by hand on the 登记案源 page (the others come from the feeders).
HAND_ORIGINS = (SourceOrigin.WALK_IN, SourceOrigin.PHONE, SourceOrigin.LETTER, SourceOrigin.OTHER)


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
    # 反映人 (who brought a walk-in, phone or letter lead): personal data (PIPL Art 28/51), stored
    # SM4-encrypted like the register's ID numbers and phones, shown masked.
    reporter_name_enc = models.CharField("反映人姓名（加密）", max_length=200, blank=True)
    reporter_name_masked = models.CharField("反映人", max_length=50, blank=True)
    reporter_phone_enc = models.CharField("反映人电话（加密）", max_length=200, blank=True)
    reporter_phone_masked = models.CharField("反映人电话", max_length=20, blank=True)

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
    HearingEnd,
    LicenceAct,
    Outcome,
    PartyKind,
    PenaltyType,
    PrivateGround,
    Procedure,
    RecordSignature,
    ServiceMethod,
    StatementForm,
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
    # 送达 (issue 14): ``served_on`` is the day the decision counts as served (公告: publication + 30 days,
    # 民事诉讼法 Art 95); ``service_started_on`` the day of the act (signed, left, published); the method's facts
    # (witness, medium, return slip, address confirmation, why 公告) in ``service_detail``.
    service_started_on = models.DateField("送达行为日（签收、留置、公告发布等）", null=True, blank=True)
    service_detail = models.JSONField("送达情况（方式要件）", default=dict, blank=True)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    instalments = models.JSONField("分期/延期缴纳", default=list, blank=True)
    # --- money (issue 14): the party's pending 延期/分期 application (处罚法 Art 66 para 2) ---
    instalment_request = models.JSONField("延期/分期缴纳申请", default=dict, blank=True)
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
    # --- hearing (issue 14): 听证 in full (处罚法 Arts 63-65) and the 简易程序 record (Arts 51-52, 68-71) ---
    hearing_waived_on = models.DateField("放弃听证日", null=True, blank=True)
    hearing_waiver_form = models.CharField(
        "放弃听证方式", max_length=10, choices=StatementForm.choices, blank=True
    )
    hearing_end = models.CharField("听证终结方式", max_length=10, choices=HearingEnd.choices, blank=True)
    hearing_ended_on = models.DateField("听证终结日", null=True, blank=True)
    hearing_end_note = models.TextField("听证终结情况（撤回方式、缺席或退出记录）", blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_chair = models.CharField("听证主持人", max_length=60, blank=True)
    hearing_members = models.CharField("听证员", max_length=200, blank=True)
    hearing_clerk = models.CharField("记录员", max_length=60, blank=True)
    hearing_public = models.BooleanField("公开举行听证", default=True)
    hearing_private_ground = models.CharField(
        "不公开举行理由", max_length=20, choices=PrivateGround.choices, blank=True
    )
    hearing_announced_on = models.DateField("听证公告日", null=True, blank=True)
    hearing_announcement = models.CharField("听证公告方式", max_length=200, blank=True)
    hearing_agents = models.JSONField("委托代理人（授权委托书）", default=list, blank=True)
    hearing_recusals = models.JSONField("听证人员回避申请及决定", default=list, blank=True)
    hearing_record_signature = models.CharField(
        "听证笔录签字情况", max_length=10, choices=RecordSignature.choices, blank=True
    )
    hearing_record_note = models.TextField("拒绝签字情况（主持人注明）", blank=True)
    hearing_report_on = models.DateField("听证报告日", null=True, blank=True)
    hearing_report_opinion = models.TextField("听证主持人意见（听证报告）", blank=True)
    summary_record = models.JSONField(
        "当场处罚记录（出示证件、告知、陈述申辩、签收、当场收缴）", default=dict, blank=True
    )
    collection_handed_in_on = models.DateField("当场收缴罚款交至行政机关日", null=True, blank=True)
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

    def public_notice_running(self, on=None) -> bool:
        """公告送达 published but not yet deemed served (民事诉讼法 Art 95) on ``on`` (default today)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.service_method == ServiceMethod.PUBLIC_NOTICE and bool(self.served_on) and on < self.served_on

    @property
    def public_notice_pending(self) -> bool:
        return self.public_notice_running()


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


# --------------------------------------------------------------------------------------------------
# enforce (issue 14): 先行登记保存, 查封/扣押, 申请法院强制执行, 复议/诉讼 — structured so that the 案卷评查
# and the reports can find an undecided preservation, an expired seizure or a corrected decision.
# --------------------------------------------------------------------------------------------------

from .enums import (  # noqa: E402
    CourtStatus,
    PreservationDisposition,
    SeizureKind,
    SeizureRelease,
    SuspendGround,
    TerminateGround,
)


class CasePreservation(models.Model):
    """先行登记保存 of evidence (处罚法 Art 56): items, the head's approval, the decision due within 7 days."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preservations")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField("证据清单（名称、数量、存放地点）", default=list)
    reason = models.TextField("证据可能灭失或者以后难以取得的情形")
    approved_by = models.CharField("批准的负责人", max_length=150)
    started_on = models.DateField("登记保存日期")
    due = models.DateField("处理决定期限", db_index=True)
    decided_on = models.DateField("处理决定日期", null=True, blank=True)
    disposition = models.CharField(
        "处理决定", max_length=12, choices=PreservationDisposition.choices, blank=True
    )
    disposition_note = models.TextField("处理情况", blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = "先行登记保存"

    def __str__(self) -> str:
        return f"{self.case_id}:先行登记保存 {self.started_on}"

    @property
    def decided_late(self) -> bool:
        """Decided after the 7 days (or, undecided, still open past them): a 案卷评查 finding."""
        return bool(self.decided_on and self.decided_on > self.due)

    def overdue_on(self, on) -> bool:
        return self.decided_on is None and on > self.due


class CaseSeizure(models.Model):
    """查封/扣押 (行政强制法 Arts 18, 22–28): legal basis, items, 30 days extendable once, testing excluded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seizures")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("措施", max_length=8, choices=SeizureKind.choices)
    legal_basis = models.CharField("实施查封、扣押的法律、法规依据", max_length=300)
    reason = models.TextField("查封、扣押的理由")
    items = models.JSONField("查封、扣押清单（名称、数量、存放地点）", default=list)
    approved_by = models.CharField("批准的负责人", max_length=150)
    started_on = models.DateField("决定日期")
    due = models.DateField("期限届满日", db_index=True)
    extended_on = models.DateField("延长日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reason = models.TextField("延长理由", blank=True)
    test_from = models.DateField("检测、检验、检疫或者技术鉴定开始日", null=True, blank=True)
    test_to = models.DateField("检测、检验、检疫或者技术鉴定结束日", null=True, blank=True)
    released_on = models.DateField("解除日期", null=True, blank=True)
    release_ground = models.CharField("解除情形", max_length=14, choices=SeizureRelease.choices, blank=True)
    returned = models.TextField("退还财物情况", blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = "查封、扣押"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.get_kind_display()} {self.started_on}"

    @property
    def test_days(self) -> int:
        """Days of testing left out of the period (Art 25 para 3), both ends counted."""
        if self.test_from and self.test_to and self.test_to >= self.test_from:
            return (self.test_to - self.test_from).days + 1
        return 0


class CaseCourtEnforcement(models.Model):
    """申请人民法院强制执行 of a case (行政强制法 Arts 53–58; 处罚法 Art 72): the party's statement after the
    催告, the application and its materials, acceptance, ruling, and what became of it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="court_enforcement")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField("催告后当事人的陈述、申辩", blank=True)
    statement_on = models.DateField("陈述申辩日期", null=True, blank=True)
    statement_adopted = models.BooleanField("陈述申辩成立并采纳", default=False)
    court = models.CharField("受理申请的人民法院", max_length=200, blank=True)
    materials = models.JSONField("申请材料（第五十五条）", default=list, blank=True)
    applied_on = models.DateField("申请日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=CourtStatus.choices, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    court_case_no = models.CharField("法院案号", max_length=80, blank=True)
    refused_on = models.DateField("不予受理裁定日期", null=True, blank=True)
    review_applied_on = models.DateField("向上一级人民法院申请复议日期", null=True, blank=True)
    ruling_on = models.DateField("裁定日期", null=True, blank=True)
    ruling_no = models.CharField("裁定书文号", max_length=80, blank=True)
    ruling_reason = models.TextField("不予执行的理由", blank=True)
    suspended_on = models.DateField("中止执行日期", null=True, blank=True)
    suspend_ground = models.CharField("中止情形", max_length=12, choices=SuspendGround.choices, blank=True)
    resumed_on = models.DateField("恢复执行日期", null=True, blank=True)
    terminated_on = models.DateField("终结执行日期", null=True, blank=True)
    terminate_ground = models.CharField("终结情形", max_length=12, choices=TerminateGround.choices, blank=True)
    note = models.TextField("执行情况", blank=True)

    class Meta:
        verbose_name = "申请法院强制执行"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.get_status_display()}"


class CaseAppeal(models.Model):
    """A 行政复议 or 行政诉讼 against the case's decision: the organ or court, its case number, whether the
    party was in time, the bureau's 答复/答辩 deadline, and the outcome (which feeds the 纠错率)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=AppealKind.choices)
    organ = models.CharField("复议机关/人民法院", max_length=200)
    their_number = models.CharField("复议/诉讼案号", max_length=80, blank=True)
    filed_on = models.DateField("申请/起诉日期")
    received_on = models.DateField("收到申请书/起诉状副本日期")
    period_start = models.DateField("申请/起诉期限起算日（送达日）", null=True, blank=True)
    period_due = models.DateField("申请/起诉期限届满日", null=True, blank=True)
    period_article = models.CharField("期限依据", max_length=200, blank=True)
    answer_due = models.DateField("答复/答辩期限", null=True, blank=True)
    answered_on = models.DateField("答复/答辩日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=AppealOutcome.choices, blank=True)
    outcome_on = models.DateField("结果日期", null=True, blank=True, db_index=True)
    outcome_doc_no = models.CharField("复议决定书/判决书文号", max_length=80, blank=True)
    new_fine_fen = models.BigIntegerField("变更后罚款（分）", null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]
        verbose_name = "复议/诉讼"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.get_kind_display()} {self.organ}"

    @property
    def timely(self) -> bool | None:
        """Whether the party applied or sued within the period (复议法 2023 Art 20; 行政诉讼法 Arts 45, 46)."""
        if not self.period_due:
            return None
        return self.filed_on <= self.period_due

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_on and self.answer_due and self.answered_on > self.answer_due)
# --- money (issue 14) ---
from .enums import PaymentChannel  # noqa: E402


class CasePayment(models.Model):
    """One payment of a fine (处罚法 Art 67 罚缴分离: paid to the bank / electronic system, or 当场收缴 against
    the finance department's receipt, Arts 68–70), split into what it paid: the fine (by instalment) and
    the 加处罚款 (Art 72). Written only by the ``pay`` move (``cases.workflow.payment``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField("缴款日期")
    amount_fen = models.BigIntegerField("缴款金额（分）")
    fine_part_fen = models.BigIntegerField("其中罚款（分）", default=0)
    surcharge_part_fen = models.BigIntegerField("其中加处罚款（分）", default=0)
    instalment_nos = models.JSONField("所缴期次", default=list, blank=True)
    receipt_no = models.CharField("缴款票据/凭证号", max_length=60)
    channel = models.CharField("缴款方式", max_length=12, choices=PaymentChannel.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = "缴款记录"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.paid_on}:{self.amount_fen}"


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
