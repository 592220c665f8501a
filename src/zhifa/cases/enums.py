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
    # --- enforce (issue 14): 复议法 (2023) Arts 68, 69, 73; 行政诉讼法 Arts 60, 69
    REJECTED = "rejected", "驳回复议请求/诉讼请求"
    MEDIATED = "mediated", "调解"


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
    # --- enforce (issue 14) ---
    PRESERVATION = "preservation", "先行登记保存处理决定期限"
    SEIZURE = "seizure", "查封、扣押期限"
    COURT_ACCEPT = "court_accept", "法院受理强制执行申请期限"
    COURT_RULING = "court_ruling", "法院作出执行裁定期限"
    COURT_REVIEW = "court_review", "对不予受理/不予执行裁定申请复议期限"
    RECON_ANSWER = "recon_answer", "行政复议答复期限"
    LITIGATION_ANSWER = "litigation_answer", "行政诉讼答辩期限"
    # --- hearing (issue 14) ---
    ONSITE_HANDIN = "onsite_handin", "当场收缴罚款交至行政机关期限"


class ClockStatus(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "暂停"
    MET = "met", "已完成"
    STOPPED = "stopped", "不再适用"


# --- enforce (issue 14): 先行登记保存, 查封/扣押, 强制执行 in steps ---


class PreservationDisposition(models.TextChoices):
    """The decision on evidence kept by 先行登记保存 (处罚法 Art 56: decide within 7 days). The list follows
    the 交通运输行政执法程序规定 (article number not confirmed against the official text)."""

    TEST = "test", "送交检测、检验、鉴定"
    CONFISCATE = "confiscate", "依法应当没收的，予以没收"
    TRANSFER = "transfer", "移送有关部门处理"
    SEIZE = "seize", "依法采取查封、扣押措施"
    RELEASE = "release", "解除先行登记保存"


# dispositions that keep the items under the bureau's control: only while the 7 days run
PRESERVATION_KEEPING = (
    PreservationDisposition.TEST,
    PreservationDisposition.CONFISCATE,
    PreservationDisposition.TRANSFER,
    PreservationDisposition.SEIZE,
)


class SeizureKind(models.TextChoices):
    SEAL = "seal", "查封"
    SEIZE = "seize", "扣押"


class SeizureRelease(models.TextChoices):
    """行政强制法 Art 28 para 1: the grounds for 解除查封、扣押."""

    NO_VIOLATION = "no_violation", "当事人没有违法行为"
    UNRELATED = "unrelated", "查封、扣押的场所、设施或者财物与违法行为无关"
    DECIDED = "decided", "行政机关对违法行为已经作出处理决定，不再需要查封、扣押"
    EXPIRED = "expired", "查封、扣押期限已经届满"
    OTHER = "other", "其他不再需要采取查封、扣押措施的情形"


class CourtStatus(models.TextChoices):
    """Where an application to the court for enforcement stands (行政强制法 Arts 53–58)."""

    APPLIED = "applied", "已申请，待法院受理"
    ACCEPTED = "accepted", "法院已受理，待裁定"
    REFUSED = "refused", "法院不予受理"
    GRANTED = "granted", "法院裁定准予执行"
    DENIED = "denied", "法院裁定不予执行"
    SUSPENDED = "suspended", "中止执行"
    TERMINATED = "terminated", "终结执行"
    DONE = "done", "执行完毕"


class SuspendGround(models.TextChoices):
    """行政强制法 Art 39 para 1: 中止执行."""

    HARDSHIP = "hardship", "当事人履行行政决定确有困难或者暂无履行能力"
    THIRD_PARTY = "third_party", "第三人对执行标的主张权利，确有理由"
    IRREPARABLE = "irreparable", "执行可能造成难以弥补的损失，且中止执行不损害公共利益"
    OTHER = "other", "行政机关认为需要中止执行的其他情形"


class TerminateGround(models.TextChoices):
    """行政强制法 Art 40: 终结执行."""

    DEATH = "death", "公民死亡，无遗产可供执行，又无义务承受人"
    DISSOLVED = "dissolved", "法人或者其他组织终止，无财产可供执行，又无义务承受人"
    PERISHED = "perished", "执行标的灭失"
    REVOKED = "revoked", "据以执行的行政决定被撤销"
    OTHER = "other", "行政机关认为需要终结执行的其他情形"
# --- hearing (issue 14): 听证 in full and the 简易程序 record ---


class HearingEnd(models.TextChoices):
    """How a requested hearing ended (处罚法 Art 64)."""

    HELD = "held", "听证已举行"
    WITHDRAWN = "withdrawn", "当事人撤回听证申请"
    ABSENT = "absent", "当事人无正当理由拒不出席（视为放弃听证权利）"
    LEFT = "left", "当事人未经许可中途退出（视为放弃听证权利）"


class StatementForm(models.TextChoices):
    """How the party gave up or withdrew: in writing, or orally and recorded (记录在案)."""

    WRITTEN = "written", "书面"
    RECORDED = "recorded", "口头提出并记录在案"


class PrivateGround(models.TextChoices):
    """Why a hearing is not public (处罚法 Art 64(三))."""

    STATE_SECRET = "state_secret", "涉及国家秘密"
    COMMERCIAL_SECRET = "commercial_secret", "涉及商业秘密"
    PRIVACY = "privacy", "涉及个人隐私"


class HearingRole(models.TextChoices):
    CHAIR = "chair", "听证主持人"
    MEMBER = "member", "听证员"
    CLERK = "clerk", "记录员"


class RecordSignature(models.TextChoices):
    """The party's answer to the 听证笔录 or the 当场处罚决定书 (处罚法 Art 64(八); 程序规定 Art 61(七))."""

    SIGNED = "signed", "当事人（代理人）核对无误后签字或者盖章"
    REFUSED = "refused", "当事人拒绝签字或者盖章（已注明）"


class CollectionGround(models.TextChoices):
    """The ground of 当场收缴 (处罚法 Arts 68, 69)."""

    SMALL = "small", "依法给予一百元以下罚款（第六十八条第（一）项）"
    HARD_LATER = "hard_later", "不当场收缴事后难以执行（第六十八条第（二）项）"
    REMOTE = "remote", "边远、水上、交通不便地区，当事人缴纳确有困难并提出（第六十九条）"
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
