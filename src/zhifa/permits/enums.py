"""Choices of 行政许可 / 政务服务 (labels are what pages show)."""

from django.db import models


class Level(models.TextChoices):
    COUNTY = "county_level", "县级"
    CITY = "city_level", "设区的市级"


class ItemKind(models.TextChoices):
    PERMIT = "permit", "行政许可"
    FILING = "filing", "备案"
    SERVICE = "public_service", "公共服务"


class AppKind(models.TextChoices):
    """What the application asks for; the decision moves the licence with the same registry action."""

    NEW = "grant", "新办"
    CHANGE = "change", "变更"
    RENEWAL = "renewal", "延续"
    CANCEL = "cancel", "注销"


class Channel(models.TextChoices):
    WINDOW = "window", "窗口"
    PORTAL = "portal", "网上办事"


class State(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待受理"
    CORRECTION = "correction", "待补正"
    ACCEPTED = "accepted", "已受理，审查中"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    GRANTED = "granted", "准予许可，待发证"
    REFUSED = "refused", "不予许可"
    ISSUED = "issued", "已发证（办结）"
    ANNULLED = "annulled", "已撤销"


class PauseKind(models.TextChoices):
    """Periods not counted in the decision limit (行政许可法 Art 45)."""

    HEARING = "hearing", "听证"
    TESTING = "testing", "检验、检测、检疫"
    EXPERT = "expert", "鉴定、专家评审"
    WORKS = "reinforcing", "加固、改造（超限运输）"


class PostCheck(models.TextChoices):
    PENDING = "", "待核查"
    TRUE = "pledge_kept", "承诺属实"
    FALSE = "pledge_false", "承诺不实"
    # a 双随机 inspection of the post-check found a problem: the 撤销 decision stays with the staff
    FAILED = "check_failed", "核查不通过（待认定）"


OPEN_POSTCHECK = (PostCheck.PENDING, PostCheck.FAILED)  # still waiting for the staff's finding


class Grade(models.IntegerChoices):
    """好差评 five grades (国办发〔2019〕51号 as local rules quote it); the last two are 差评."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    UNSATISFIED = 2, "不满意"
    VERY_UNSATISFIED = 1, "非常不满意"


BAD_GRADES = (Grade.UNSATISFIED, Grade.VERY_UNSATISFIED)
