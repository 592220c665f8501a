"""队伍与保障: training (培训) and law exams (学法考试), enforcement equipment (执法装备, 四基四化),
joint operations (联合执法), emergency plans (应急预案) with drills, standby resources and duty rosters, and
the road-safety risk ledger (风险台账, 一账两单一图). Rule numbers (hour target, exam lines, quotas) are in
:mod:`zhifa.people.rules`, never here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.accounts.models import Officer, Org

from .enums import ItemStatus, JointKind, QuestionKind, RiskStatus, SittingMode, StandbyKind

# --- training -----------------------------------------------------------------------------------------


class Course(models.Model):
    """A course, lecture or class (培训班、讲座) and its hours (学时)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="举办单位")
    title = models.CharField("课程名称", max_length=200)
    subject = models.CharField("培训内容", max_length=200, blank=True)
    provider = models.CharField("授课单位/教师", max_length=100, blank=True)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    place = models.CharField("地点", max_length=200, blank=True)
    materials = models.TextField("教材资料", blank=True)

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = "培训课程"

    def __str__(self) -> str:
        return f"{self.title}（{self.start_on:%Y-%m-%d}）"


class Attendance(models.Model):
    """One officer at one course (签到), with the hours credited."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendances")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+", verbose_name="执法人员")
    hours = models.DecimalField("计入学时", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["course", "officer__name"]
        verbose_name = "培训签到"
        constraints = [models.UniqueConstraint(fields=["course", "officer"], name="people_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.officer} @ {self.course}"


# --- exams --------------------------------------------------------------------------------------------


class Question(models.Model):
    """A question of the bank (题库), tagged with the law and article it tests."""

    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    stem = models.TextField("题干")
    options = models.JSONField(
        "选项", default=list, blank=True
    )  # ["A text", "B text", …]; 判断题: ["正确", "错误"]
    answer = models.JSONField("正确答案", default=list)  # indexes into options, sorted
    law = models.CharField("法律法规", max_length=100)
    article = models.CharField("条款", max_length=40, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "试题"

    def __str__(self) -> str:
        return self.stem[:40]


class Exam(models.Model):
    """A 学法考试: the officers required to sit it, the paper's size and time limit."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="组织单位")
    title = models.CharField("考试名称", max_length=200)
    held_on = models.DateField("考试日期")
    minutes = models.PositiveIntegerField("限时（分钟）", default=60)
    question_count = models.PositiveIntegerField("题量", default=20)
    required = models.ManyToManyField(Officer, related_name="+", verbose_name="应考人员")
    open = models.BooleanField("开放在线作答", default=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "学法考试"

    def __str__(self) -> str:
        return self.title


class Sitting(models.Model):
    """One officer's paper of one exam: online (questions drawn and shuffled from ``seed``) or paper (a score)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="sittings")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+", verbose_name="考生")
    mode = models.CharField("方式", max_length=8, choices=SittingMode.choices, default=SittingMode.ONLINE)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    paper = models.JSONField("试卷", default=list, blank=True)  # [{"q": id, "order": [option indexes]}]
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    deadline_at = models.DateTimeField("截止时间", null=True, blank=True)
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    answers = models.JSONField("作答", default=dict, blank=True)  # {question id: [original option indexes]}
    results = models.JSONField(
        "逐题结果", default=list, blank=True
    )  # [{"q": id, "correct": bool, "points": x}]
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    late = models.BooleanField("超时交卷", default=False)

    class Meta:
        ordering = ["exam", "officer__name"]
        verbose_name = "考试答卷"
        constraints = [models.UniqueConstraint(fields=["exam", "officer"], name="people_sitting_unique")]

    def __str__(self) -> str:
        return f"{self.officer} · {self.exam}"


# --- equipment ----------------------------------------------------------------------------------------


class EquipmentKind(models.Model):
    """A kind of equipment (执法记录仪, 执法车辆, 反光背心 …); ``records`` marks recording devices whose serial
    links evidence files to the device (全过程记录)."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("装备名称", max_length=50)
    measure = models.CharField("计量单位", max_length=10, default="台")
    records = models.BooleanField("音视频记录设备", default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = "装备种类"

    def __str__(self) -> str:
        return self.name


class EquipmentItem(models.Model):
    kind = models.ForeignKey(
        EquipmentKind, on_delete=models.PROTECT, related_name="items", verbose_name="种类"
    )
    serial = models.CharField("编号", max_length=64, unique=True)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="配备单位")
    holder = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="保管人"
    )
    acquired_on = models.DateField("购置日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.IN_SERVICE
    )
    last_maintained_on = models.DateField("最近维护日期", null=True, blank=True)
    disposed_on = models.DateField("处置日期", null=True, blank=True)
    disposal_reason = models.CharField("处置原因", max_length=200, blank=True)

    class Meta:
        ordering = ["org__path", "kind", "serial"]
        verbose_name = "装备"

    def __str__(self) -> str:
        return f"{self.kind.name} {self.serial}"


class EquipmentLog(models.Model):
    """Check-out / check-in at shift (领用/归还) and maintenance (维护) of an item."""

    CHECK_OUT, CHECK_IN, MAINTAIN = "out", "in", "maintain"
    ACTIONS = [(CHECK_OUT, "领用"), (CHECK_IN, "归还"), (MAINTAIN, "维护保养")]

    item = models.ForeignKey(EquipmentItem, on_delete=models.CASCADE, related_name="logs")
    action = models.CharField("动作", max_length=10, choices=ACTIONS)
    at = models.DateTimeField("时间")
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="人员"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "装备领用与维护记录"

    def __str__(self) -> str:
        return f"{self.item} {self.get_action_display()}"


# --- joint operations ---------------------------------------------------------------------------------


class JointOperation(models.Model):
    """联合执法: what the bureau deployed and achieved. Partner outcomes (police fines, 记分) are
    :class:`PartnerOutcome` rows and never enter the bureau's totals."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="本局参与单位")
    on = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=JointKind.choices)
    campaign = models.CharField("专项行动名称", max_length=100, blank=True)
    lead_agency = models.CharField("牵头单位", max_length=100)
    partners = models.CharField("参与单位", max_length=300, blank=True)
    site = models.CharField("路段/地点", max_length=200)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    staff = models.PositiveIntegerField("出动人次", default=0)
    vehicles = models.PositiveIntegerField("出动车次", default=0)
    checked = models.PositiveIntegerField("检查车辆", default=0)
    violations = models.PositiveIntegerField("发现违法行为", default=0)
    unloaded_kg = models.PositiveBigIntegerField("卸载货物（千克）", default=0)
    cases_opened = models.PositiveIntegerField("本局立案", default=0)
    note = models.CharField("备注", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "联合执法"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()} {self.site}"


class PartnerOutcome(models.Model):
    """What a partner agency did in a joint operation (公安交警 罚款、记分): kept apart, never the bureau's."""

    operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="partner_outcomes")
    agency = models.CharField("单位", max_length=100)
    cases = models.PositiveIntegerField("处理案件", default=0)
    fines_fen = models.PositiveBigIntegerField("罚款（分）", default=0)
    points = models.PositiveIntegerField("记分", default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "协作单位处理结果"

    def __str__(self) -> str:
        return self.agency


# --- emergencies --------------------------------------------------------------------------------------


class EmergencyPlan(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="制定单位")
    name = models.CharField("预案名称", max_length=200)
    version = models.CharField("版本", max_length=30)
    approved_on = models.DateField("批准日期")
    review_due = models.DateField("修订期限")
    document_ref = models.CharField("预案文件（证据编号）", max_length=30, blank=True)

    class Meta:
        ordering = ["review_due", "pk"]
        verbose_name = "应急预案"

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class Drill(models.Model):
    plan = models.ForeignKey(
        EmergencyPlan, on_delete=models.CASCADE, related_name="drills", verbose_name="预案"
    )
    on = models.DateField("演练日期")
    participants = models.PositiveIntegerField("参演人数", default=0)
    findings = models.TextField("发现问题及改进", blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "应急演练"

    def __str__(self) -> str:
        return f"{self.plan.name} {self.on:%Y-%m-%d}"


class StandbyResource(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    kind = models.CharField("类型", max_length=12, choices=StandbyKind.choices)
    name = models.CharField("名称", max_length=100)
    count = models.PositiveIntegerField("数量（辆/台）", default=0)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    location = models.CharField("驻地", max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = "应急备用资源"

    def __str__(self) -> str:
        return self.name


class Duty(models.Model):
    """One line of the duty roster (值班表)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    on = models.DateField("日期")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+", verbose_name="值班人员")
    leader = models.BooleanField("带班领导", default=False)
    phone = models.CharField("值班电话", max_length=30, blank=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "值班安排"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.officer}"


# --- risk ledger --------------------------------------------------------------------------------------


class RiskTask(models.Model):
    """一账两单一图: a task of the ledger (一账) with its responsibility and task lists (两单) and a place on
    the map (一图)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    title = models.CharField("风险任务", max_length=200)
    responsibility = models.TextField("责任清单", blank=True)
    tasks = models.TextField("任务清单", blank=True)
    deadline = models.DateField("完成期限")
    status = models.CharField("状态", max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    location = models.CharField("位置", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "风险任务"

    def __str__(self) -> str:
        return self.title


class RiskProgress(models.Model):
    task = models.ForeignKey(RiskTask, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField("日期")
    note = models.CharField("进展", max_length=500)
    actor_name = models.CharField("填报人", max_length=150, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "风险任务进展"

    def __str__(self) -> str:
        return self.note[:30]


# --- 普法 ---------------------------------------------------------------------------------------------


class PufaItem(models.Model):
    """谁执法谁普法: a line of the responsibility list (普法责任清单) or of the year's 普法要点."""

    DUTY, KEY_POINT = "duty", "key_point"
    KINDS = [(DUTY, "普法责任清单"), (KEY_POINT, "年度普法要点")]

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("类别", max_length=10, choices=KINDS)
    content = models.CharField("内容", max_length=500)
    owner = models.CharField("责任科室/中队", max_length=100, blank=True)

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = "普法责任事项"

    def __str__(self) -> str:
        return self.content[:30]


class PufaActivity(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    on = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    form = models.CharField("形式", max_length=100)
    audience = models.CharField("对象", max_length=100)
    count = models.PositiveIntegerField("人数/份数", default=0)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "普法活动"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.form}"


class CaseStory(models.Model):
    """以案释法: a closed enforcement case told without personal data (the disclosure layer's scrub)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("案情（已去除个人信息）")
    lesson = models.TextField("释法说理")
    created_on = models.DateField("编写日期")
    # set by a head (执法部门负责人): the story is on the public portal from that day; None = not published
    published_on = models.DateField("门户公开日期", null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = "以案释法"

    def __str__(self) -> str:
        return self.title
