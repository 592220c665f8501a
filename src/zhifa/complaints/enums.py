"""Choices of 投诉举报 (complaints): channels, categories, states, satisfaction — codes in the database,
Chinese labels everywhere a person looks."""

from django.db import models


class Channel(models.TextChoices):
    H12328 = "12328", "12328交通运输服务监督热线"
    H12345 = "12345", "12345政务服务便民热线"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PORTAL = "portal", "网上投诉（公示网站）"
    WALK_IN = "walk_in", "窗口现场"
    PHONE = "phone", "来电"
    TRANSFER = "transfer", "上级转办/交办"


class Category(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    CONSULT = "consult", "咨询"
    SUGGEST = "suggest", "建议"
    HELP = "help", "求助"
    PRAISE = "praise", "表扬"


class Track(models.TextChoices):
    """Which rule set supplies the clocks (complaints.rules.TRACKS)."""

    XINFANG = "xinfang", "信访事项（信访工作条例）"
    H12345 = "h12345", "12345热线工单"
    H12328 = "h12328", "12328热线工单"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class State(models.TextChoices):
    RECEIVED = "received", "已登记"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    DISPATCHED = "dispatched", "已转办/交办"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    REVISITED = "revisited", "已回访"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已并单"
    ARCHIVED = "archived", "已归档"


OPEN_STATES = (State.RECEIVED, State.ACCEPTED, State.DISPATCHED, State.HANDLING, State.REPLIED, State.REVISITED)
DONE_STATES = (State.CLOSED, State.ARCHIVED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class CaseOutcome(models.TextChoices):
    NONE = "", "—"
    SOURCE = "source", "已转为案源，待决定是否立案"
    REGISTERED = "registered", "已立案调查"
    NOT_REGISTERED = "not_registered", "不予立案"
    DECIDED = "decided", "已作出行政处罚决定"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    REVOKED = "revoked", "已撤销立案"
