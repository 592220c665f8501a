"""法制工作: 行政规范性文件 and their reviews, 重大行政决策, 案卷评查 campaigns, 权责清单.

The 复议/应诉 register reads the case's own records (``cases.CaseAppeal``); nothing here copies them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Org

from .enums import (
    CampaignStatus,
    ChallengeOutcome,
    CleanupDecision,
    DecisionStep,
    DocStatus,
    FairConclusion,
    PowerKind,
)


class NormativeDoc(models.Model):
    """A 行政规范性文件 from draft to 公布, 备案, its 有效期 and its end (延续/修改/废止)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="制定机关")
    drafting_unit = models.CharField("起草单位", max_length=100)
    title = models.CharField("文件名称", max_length=200)
    subject = models.CharField("主题", max_length=60, blank=True)
    is_trial = models.BooleanField("暂行/试行", default=False)
    affects_business = models.BooleanField("涉及经营者经济活动（须公平竞争审查）", default=True)
    status = models.CharField("状态", max_length=14, choices=DocStatus.choices, default=DocStatus.DRAFT)
    body = models.TextField("正文/主要内容", blank=True)
    # 征求意见
    comment_from = models.DateField("征求意见开始", null=True, blank=True)
    comment_to = models.DateField("征求意见截止", null=True, blank=True)
    comment_channel = models.CharField("征求意见方式", max_length=100, blank=True)
    # 合法性审核 (国办发〔2018〕115号)
    legal_review_submitted_on = models.DateField("送审日期", null=True, blank=True)
    legal_review_due = models.DateField("审核期限", null=True, blank=True)
    legal_review_checks = models.JSONField("审核要点", default=dict, blank=True)
    legal_review_passed = models.BooleanField("审核通过", null=True, blank=True)
    legal_review_opinion = models.TextField("审核意见", blank=True)
    legal_reviewed_on = models.DateField("审核日期", null=True, blank=True)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    # 公平竞争审查 (公平竞争审查条例)
    fair_checklist_version = models.CharField("审查标准版本", max_length=40, blank=True)
    fair_findings = models.JSONField("逐项审查结果", default=dict, blank=True)
    fair_conclusion = models.CharField("审查结论", max_length=10, choices=FairConclusion.choices, blank=True)
    fair_exception_reason = models.TextField("例外情形理由", blank=True)
    fair_exception_until = models.DateField("例外实施期限", null=True, blank=True)
    fair_reviewed_on = models.DateField("审查日期", null=True, blank=True)
    # 集体审议
    deliberated_on = models.DateField("集体审议日期", null=True, blank=True)
    deliberation_minutes = models.TextField("会议纪要", blank=True)
    # 统一登记、编号、印发
    register_no = models.CharField("统一登记号", max_length=60, blank=True, db_index=True)
    doc_no = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    effective_from = models.DateField("施行日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    # 公布, 备案
    published_on = models.DateField("公布日期", null=True, blank=True)
    published_url = models.URLField("公布网址", max_length=300, blank=True)
    filing_due = models.DateField("备案期限", null=True, blank=True)
    filed_on = models.DateField("报送备案日期", null=True, blank=True)
    filed_to = models.CharField("备案机关", max_length=100, blank=True)
    # the end
    ended_on = models.DateField("失效/废止日期", null=True, blank=True)
    end_reason = models.CharField("废止/修改理由", max_length=300, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="替代的原文件",
    )
    renewals = models.PositiveIntegerField("延续次数", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "行政规范性文件"

    def __str__(self) -> str:
        return self.title


class DocComment(models.Model):
    """One opinion received in 征求意见 and how it was handled (采纳/部分采纳/不采纳 with reasons)."""

    doc = models.ForeignKey(NormativeDoc, on_delete=models.CASCADE, related_name="comments")
    source = models.CharField("意见来源", max_length=100)
    content = models.TextField("意见内容")
    handling = models.CharField("处理情况", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.doc_id}:{self.source}"


class DocEvent(models.Model):
    """The document's timeline (who did which step when)."""

    doc = models.ForeignKey(NormativeDoc, on_delete=models.CASCADE, related_name="events")
    on = models.DateField("日期")
    label = models.CharField("环节", max_length=60)
    note = models.CharField("说明", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.doc_id}:{self.label}"


class DocChallenge(models.Model):
    """A 复议 application asking for 附带审查 of the document (复议法 Art 13): the 复议机关's notice, the
    10-working-day written answer (Arts 58, 88), the clauses suspended, the outcome (Art 59–60)."""

    doc = models.ForeignKey(NormativeDoc, on_delete=models.CASCADE, related_name="challenges")
    organ = models.CharField("复议机关", max_length=100)
    their_number = models.CharField("复议案号", max_length=60, blank=True)
    notified_on = models.DateField("收到书面通知日期")
    answer_due = models.DateField("书面答复期限")
    answered_on = models.DateField("答复日期", null=True, blank=True)
    clauses = models.CharField("被审查条款", max_length=200)
    suspended = models.BooleanField("条款中止执行", default=True)
    outcome = models.CharField("审查结果", max_length=10, choices=ChallengeOutcome.choices, blank=True)
    outcome_on = models.DateField("结果日期", null=True, blank=True)

    class Meta:
        ordering = ["-notified_on", "-id"]

    def __str__(self) -> str:
        return f"{self.doc_id}:{self.organ}"


class Decision(models.Model):
    """A 重大行政决策 of the bureau's published 决策事项目录 and its steps."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="决策机关")
    year = models.PositiveIntegerField("目录年度")
    title = models.CharField("决策事项", max_length=200)
    lead_unit = models.CharField("承办单位", max_length=100)
    risk_needed = models.BooleanField("涉及稳定、安全等风险（须风险评估）", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "重大行政决策"

    def __str__(self) -> str:
        return self.title


class DecisionStepRecord(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("步骤", max_length=12, choices=DecisionStep.choices)
    started_on = models.DateField("开始日期", null=True, blank=True)
    done_on = models.DateField("完成日期")
    evidence = models.TextField("材料（公告网址、专家名单、报告、意见、纪要等）")
    reason = models.CharField("缩短期限的理由", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "step"], name="legal_decision_step_once")]

    def __str__(self) -> str:
        return f"{self.decision_id}:{self.get_step_display()}"


class ReviewCampaign(models.Model):
    """A 案卷评查 campaign: closed case files drawn verifiably per unit, scored by reviewers who did not
    handle them, findings returned for 整改, and the 通报."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    title = models.CharField("评查名称", max_length=200)
    closed_from = models.DateField("结案日期自")
    closed_to = models.DateField("结案日期至")
    ratio_bp = models.PositiveIntegerField("抽取比例（万分比）", default=1000)
    per_unit = models.PositiveIntegerField("每单位至少抽取（件）", default=0)
    rectify_days = models.PositiveIntegerField("整改期限（日）", default=30)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name="评查人员")
    status = models.CharField(
        "状态", max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    scoresheet_version = models.CharField("评分表版本", max_length=40, blank=True)
    seed_hex = models.CharField("随机种子", max_length=64, blank=True)
    population = models.JSONField("抽取范围（按单位的案卷编号）", default=dict, blank=True)
    population_digest = models.CharField("抽取范围摘要", max_length=64, blank=True)
    sampled_on = models.DateField("抽取日期", null=True, blank=True)
    report_job_id = models.PositiveIntegerField("通报任务", null=True, blank=True)
    closed_on = models.DateField("通报日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "案卷评查"

    def __str__(self) -> str:
        return self.title


class ReviewFile(models.Model):
    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="files")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="被评查单位")
    draw_order = models.PositiveIntegerField("抽取顺序")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="评查人"
    )
    points = models.JSONField("各项得分", default=dict, blank=True)
    vetoes = models.JSONField("否决项", default=list, blank=True)
    score = models.PositiveIntegerField("得分", null=True, blank=True)
    findings = models.TextField("发现的问题", blank=True)
    scored_on = models.DateField("评查日期", null=True, blank=True)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "draw_order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="legal_review_file_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.case_id}"


class PowerItem(models.Model):
    """One item of the 权责清单 / 执法事项目录, versioned: a change is a new version with its reason."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="实施机关")
    code = models.CharField("事项编码", max_length=40, db_index=True)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类型", max_length=14, choices=PowerKind.choices)
    basis = models.TextField("设定依据")
    level = models.CharField("行使层级", max_length=40)
    delegated_to = models.CharField("委托/下放至", max_length=100, blank=True)
    responsibilities = models.TextField("责任事项", blank=True)
    accountability = models.TextField("追责情形", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("停止日期", null=True, blank=True)
    change_reason = models.CharField("调整理由", max_length=300, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["org", "code", "version"], name="legal_power_version")]
        verbose_name = "权责事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CleanupCampaign(models.Model):
    """A 清理 of the documents in force: selected by 印发 date range (and subject), reviewed by the assigned
    people (继续有效 / 修改 / 废止 with reasons), closed with its report — the decisions then take effect."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    title = models.CharField("清理名称", max_length=200)
    issued_from = models.DateField("印发日期自")
    issued_to = models.DateField("印发日期至")
    subject = models.CharField("主题", max_length=60, blank=True)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    report = models.TextField("清理报告", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "规范性文件清理"

    def __str__(self) -> str:
        return self.title


class CleanupItem(models.Model):
    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="items")
    doc = models.ForeignKey(NormativeDoc, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="清理人"
    )
    decision = models.CharField("清理意见", max_length=8, choices=CleanupDecision.choices, blank=True)
    reason = models.CharField("理由", max_length=300, blank=True)
    decided_on = models.DateField("日期", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "doc"], name="legal_cleanup_doc_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.doc_id}"


# --- 应诉 hearings and 复议意见书/司法建议 on the cases' own 复议/诉讼 records (issue 20 follow-up) ---

from .enums import HeadRank, Instance, MatterKind, RecommendationKind  # noqa: E402


class AppealHearing(models.Model):
    """A court hearing of a 行政诉讼 against the bureau and whether its 负责人 appeared (最高人民法院《关于行政机关
    负责人出庭应诉若干问题的规定》2020). Linked to the case's own ``cases.CaseAppeal`` (no copy of its data)."""

    appeal = models.ForeignKey("cases.CaseAppeal", on_delete=models.CASCADE, related_name="legal_hearings")
    held_on = models.DateField("开庭日期", db_index=True)
    court = models.CharField("人民法院", max_length=200)
    instance = models.CharField("审级", max_length=10, choices=Instance.choices, default=Instance.FIRST)
    head_present = models.BooleanField("负责人出庭")
    head_name = models.CharField("出庭负责人姓名", max_length=60, blank=True)
    head_rank = models.CharField("负责人类别", max_length=10, choices=HeadRank.choices, blank=True)
    head_title = models.CharField("出庭负责人职务", max_length=100, blank=True)
    identity_filed = models.BooleanField("已提交负责人出庭身份证明", default=False)
    appeared_instead = models.CharField("代为出庭人员（姓名、职务）", max_length=200, blank=True)
    absent_reason = models.CharField("负责人未出庭理由", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "应诉开庭"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.court}（负责人{'出庭' if self.head_present else '未出庭'}）"


class AppealRecommendation(models.Model):
    """A 行政复议意见书 (复议法 2023 Art 76: report the correction within 60 days) or a 司法建议 (reply period as
    the court sets it; unconfirmed nationally) received on a 复议/诉讼, with the bureau's corrective action."""

    appeal = models.ForeignKey(
        "cases.CaseAppeal", on_delete=models.CASCADE, related_name="legal_recommendations"
    )
    kind = models.CharField("类型", max_length=10, choices=RecommendationKind.choices)
    doc_no = models.CharField("文号", max_length=80, blank=True)
    received_on = models.DateField("收到日期")
    content = models.TextField("主要内容")
    reply_due = models.DateField("整改/回复期限", db_index=True)
    replied_on = models.DateField("报送整改情况/回复日期", null=True, blank=True)
    corrective_action = models.TextField("整改措施", blank=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = "复议意见书/司法建议"

    def __str__(self) -> str:
        return f"{self.appeal_id}:{self.get_kind_display()}"


# --- 法律顾问 (法制审核 staff qualification is ``cases.ReviewerQualification``, read on the 法律顾问 page) ---


class CounselContract(models.Model):
    """A retained 法律顾问 (中办/国办 2016《关于推行法律顾问制度和公职律师公司律师制度的意见》)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="聘请机关")
    counsel = models.CharField("律师事务所/法律顾问", max_length=200)
    lawyers = models.CharField("承办律师", max_length=200, blank=True)
    starts_on = models.DateField("聘期开始")
    ends_on = models.DateField("聘期届满")
    scope = models.TextField("服务范围")
    fee_fen = models.BigIntegerField("顾问费（分）", null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = "法律顾问合同"

    def __str__(self) -> str:
        return self.counsel


class CounselOpinion(models.Model):
    """A legal opinion given on one matter: a 规范性文件, a 重大行政决策 (暂行条例 Art 28 uses them), a case or
    another matter (a generic link: kind + id, and the matter's name as shown)."""

    contract = models.ForeignKey(CounselContract, on_delete=models.PROTECT, related_name="opinions")
    matter_kind = models.CharField("事项类型", max_length=10, choices=MatterKind.choices)
    matter_id = models.PositiveBigIntegerField("事项编号", null=True, blank=True)
    matter_title = models.CharField("事项名称", max_length=200)
    given_on = models.DateField("出具日期")
    summary = models.TextField("意见要点")
    adopted = models.BooleanField("意见是否采纳", null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "id"]
        verbose_name = "法律顾问意见"

    def __str__(self) -> str:
        return self.matter_title
