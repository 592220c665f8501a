"""Enumerations of the case workflow (执法办案)."""

from django.db import models


class Procedure(models.TextChoices):
    SUMMARY = "summary", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class PartyKind(models.TextChoices):
    CITIZEN = "citizen", "公民"
    ORG = "org", "法人或者其他组织"


class CaseState(models.TextChoices):
    FILING = "filing", "立案审批中"
    INVESTIGATING = "investigating", "调查取证"
    INVESTIGATED = "investigated", "调查终结"
    PROPOSED = "proposed", "处理意见已审查"
    NOTIFIED = "notified", "已告知（陈述申辩期）"
    HEARING_REQUESTED = "hearing_requested", "已申请听证"
    HEARING_SCHEDULED = "hearing_scheduled", "已通知听证"
    HEARD = "heard", "听证已举行"
    UNDER_REVIEW = "under_review", "法制审核中"
    REVIEWED = "reviewed", "法制审核通过"
    DISCUSSED = "discussed", "已集体讨论"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达（履行期）"
    EXECUTING = "executing", "执行中（催告/强制执行）"
    PERFORMED = "performed", "已履行"
    TRANSFERRED = "transferred", "已移送"
    REVOKED = "revoked", "已撤销立案"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"


OPEN_BEFORE_DECISION = (
    CaseState.FILING,
    CaseState.INVESTIGATING,
    CaseState.INVESTIGATED,
    CaseState.PROPOSED,
    CaseState.NOTIFIED,
    CaseState.HEARING_REQUESTED,
    CaseState.HEARING_SCHEDULED,
    CaseState.HEARD,
    CaseState.UNDER_REVIEW,
    CaseState.REVIEWED,
    CaseState.DISCUSSED,
)
FINAL_STATES = (CaseState.CLOSED, CaseState.ARCHIVED)


class Outcome(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送司法机关/有权机关"


class PenaltyType(models.TextChoices):
    WARNING = "warning", "警告"
    FINE = "fine", "罚款"
    CONFISCATE = "confiscate", "没收违法所得、没收非法财物"
    SUSPEND = "suspend", "责令停产停业、限制从业"
    # 处罚法 (2021) Art 9(三), the whole item; the case names which act (LicenceAct). The value predates 暂扣.
    REVOKE = "revoke", "暂扣许可证件、降低资质等级、吊销许可证件"


class LicenceAct(models.TextChoices):
    """The act of a 处罚法 Art 9(三) penalty. 暂扣 and 吊销 move the named licence (registry.permit_decide);
    降低资质等级 changes a grade the registry does not hold."""

    SUSPEND = "suspend", "暂扣许可证件"
    DOWNGRADE = "downgrade", "降低资质等级"
    REVOKE = "revoke", "吊销许可证件"


# 处罚法 Art 63 (1)(3)(4): these types carry the hearing right whatever the amount.
HEARING_TYPES = (PenaltyType.SUSPEND, PenaltyType.REVOKE)


class Tier(models.TextChoices):
    NONE = "none", "不予处罚"
    REDUCED = "reduced", "减轻"
    LIGHTER = "lighter", "从轻"
    GENERAL = "general", "一般"
    HEAVIER = "heavier", "从重"


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    ENTRUSTED = "entrusted", "委托送达"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（已签送达地址确认书）"
    PUBLIC_NOTICE = "public_notice", "公告送达"


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "维持"
    CHANGED = "changed", "变更"
    REVOKED = "revoked", "撤销"
    CONFIRMED_ILLEGAL = "illegal", "确认违法"
    WITHDRAWN = "withdrawn", "撤回申请/起诉"


class ClockKind(models.TextChoices):
    SOURCE_DECISION = "source_decision", "案源处理期限"
    SUMMARY_FILING = "summary_filing", "当场处罚备案"
    DECISION_LIMIT = "decision_limit", "办案期限（立案起90日）"
    STATEMENT = "statement", "陈述申辩期限"
    HEARING_REQUEST = "hearing_request", "听证申请期限"
    SERVICE = "service", "决定书送达期限"
    PAYMENT = "payment", "罚款缴纳期限"
    COURT_REMINDER = "court_reminder", "催告后申请强制执行等待期"
    COURT_WINDOW = "court_window", "申请法院强制执行期限"


class ClockStatus(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "暂停"
    MET = "met", "已完成"
    STOPPED = "stopped", "不再适用"


# --- money (issue 14) ---
class PaymentChannel(models.TextChoices):
    """How a payment reached the treasury (处罚法 Art 67 罚缴分离: a bank or the electronic payment system;
    Arts 68–70: 当场收缴 against the finance department's receipt)."""

    BANK = "bank", "银行缴款"
    ELECTRONIC = "electronic", "电子缴款"
    ON_THE_SPOT = "on_the_spot", "当场收缴"


class InstalmentKind(models.TextChoices):
    """处罚法 Art 66 para 2: 暂缓 (one later due date) or 分期 (several instalments)."""

    DEFER = "defer", "延期缴纳"
    SPLIT = "split", "分期缴纳"
