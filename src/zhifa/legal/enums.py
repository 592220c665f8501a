"""Choices of 法制工作 (each with the Chinese label a person reads)."""

from django.db import models


class DocStatus(models.TextChoices):
    DRAFT = "draft", "起草"
    CONSULTING = "consulting", "征求意见"
    LEGAL_REVIEW = "legal_review", "合法性审核"
    FAIR_REVIEW = "fair_review", "公平竞争审查"
    DELIBERATION = "deliberation", "待集体审议"
    DELIBERATED = "deliberated", "已集体审议"
    REGISTERED = "registered", "已登记编号印发"
    PUBLISHED = "published", "已公布（现行有效）"
    EXPIRED = "expired", "有效期届满失效"
    REPEALED = "repealed", "已废止"
    AMENDED = "amended", "已修改（由新文件替代）"


IN_FORCE = (DocStatus.PUBLISHED,)


class Finding(models.TextChoices):
    """A 公平竞争审查 finding on one standard."""

    CLEAR = "clear", "不涉及"
    VIOLATES = "violates", "违反"
    EXCEPTION = "exception", "违反但符合例外情形（第十二条）"


class FairConclusion(models.TextChoices):
    PASS = "pass", "符合公平竞争审查标准，可以出台"
    EXCEPTION = "exception", "适用例外规定，可以出台（须有实施期限）"
    FAIL = "fail", "违反公平竞争审查标准，不得出台"
    NOT_APPLICABLE = "n_a", "不涉及经营者经济活动，无需审查"


class CheckResult(models.TextChoices):
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"


class ChallengeOutcome(models.TextChoices):
    UPHELD = "upheld", "合法，继续适用"
    CORRECTED = "corrected", "不合法，责令纠正"
    WITHDRAWN = "withdrawn", "申请撤回，终止审查"


class DecisionStep(models.TextChoices):
    """The steps of a 重大行政决策 (《重大行政决策程序暂行条例》)."""

    CATALOGUE = "catalogue", "列入决策事项目录（第三条）"
    COMMENT = "comment", "公众参与（第十四至十九条）"
    EXPERT = "expert", "专家论证（第十九至二十一条）"
    RISK = "risk", "风险评估（第二十二至二十四条）"
    LEGALITY = "legality", "合法性审查（第二十五至二十八条）"
    DISCUSSION = "discussion", "集体讨论决定（第三十条）"
    PUBLISH = "publish", "决策公布（第三十二条）"
    ARCHIVE = "archive", "归档（第三十三条）"
    EVALUATION = "evaluation", "决策后评估（第三十六条）"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    SAMPLED = "sampled", "已抽取，评查中"
    CLOSED = "closed", "已通报"


class PowerKind(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    RULING = "ruling", "行政裁决"
    OTHER = "other", "其他行政权力"


class CleanupDecision(models.TextChoices):
    """A 清理 decision on one document (国办发〔2018〕37号: periodic and ad-hoc 清理)."""

    KEEP = "keep", "继续有效"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"


# --- 应诉 hearings, 复议意见书/司法建议, 法律顾问 (issue 20 follow-up) ---


class HeadRank(models.TextChoices):
    """Who counts as the 负责人 (最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》2020 Art 2)."""

    PRINCIPAL = "principal", "正职负责人"
    DEPUTY = "deputy", "副职负责人"
    IN_CHARGE = "in_charge", "参与分管被诉行政行为的其他负责人"


class Instance(models.TextChoices):
    FIRST = "first", "一审"
    SECOND = "second", "二审"
    RETRIAL = "retrial", "再审"


class RecommendationKind(models.TextChoices):
    OPINION = "opinion", "行政复议意见书"
    JUDICIAL = "judicial", "司法建议"


class MatterKind(models.TextChoices):
    DOCUMENT = "document", "规范性文件"
    DECISION = "decision", "重大行政决策"
    CASE = "case", "案件"
    OTHER = "other", "其他事项"
