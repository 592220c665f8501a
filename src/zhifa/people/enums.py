"""Choices of 队伍与保障 (training, exams, equipment, joint operations, emergencies, risk ledger)."""

from __future__ import annotations

from django.db import models


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "tf", "判断题"


class SittingMode(models.TextChoices):
    ONLINE = "online", "在线考试"
    PAPER = "paper", "纸质考试（录入成绩）"


class ItemStatus(models.TextChoices):
    IN_SERVICE = "in_service", "在用"
    REPAIR = "repair", "维修中"
    SPARE = "spare", "备用"
    DISPOSED = "disposed", "已报废处置"


class JointKind(models.TextChoices):
    REGULAR = "regular", "常态联合执法"
    SPECIAL = "special", "专项行动"
    MOBILE_OVERLOAD = "mobile", "流动治超"
    CROSS = "cross", "交叉执法"


class RiskStatus(models.TextChoices):
    OPEN = "open", "未开始"
    IN_PROGRESS = "progress", "推进中"
    DONE = "done", "已完成"


class StandbyKind(models.TextChoices):
    HAZMAT = "hazmat", "危化品运输车队"
    WARTIME = "wartime", "战备运输车队"
    PASSENGER = "passenger", "客运应急车队"
    CARGO = "cargo", "货运应急车队"
    MACHINERY = "machinery", "抢险机械"
    OTHER = "other", "其他"
