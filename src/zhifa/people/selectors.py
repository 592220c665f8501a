"""Reads of 队伍与保障, scoped by the actor's jurisdiction (another county's records are not there), and the
arithmetic behind the pages and indicators: annual hours against the target, the three exam rates, 配备率
per unit and kind, monthly joint-operation totals (the bureau's own; partner outcomes apart)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from zhifa.accounts.enums import OfficerStatus, OrgKind
from zhifa.accounts.models import Officer, Org, User
from zhifa.accounts.selectors import is_business_user, jurisdiction_of, scope_q

from . import rules
from .enums import ItemStatus, RiskStatus
from .models import (
    Attendance,
    CaseStory,
    Course,
    EmergencyPlan,
    EquipmentItem,
    EquipmentKind,
    Exam,
    JointOperation,
    PartnerOutcome,
    RiskTask,
    Sitting,
)


def visible(actor: User, qs: QuerySet, org_field: str = "org") -> QuerySet:
    if not is_business_user(actor):
        return qs.none()
    return qs.filter(scope_q(actor, org_field=org_field, jurisdiction=True))


def officers(actor: User) -> QuerySet[Officer]:
    return visible(actor, Officer.objects.filter(status=OfficerStatus.ACTIVE)).select_related("org")


def officer_of(user: User) -> Officer | None:
    return Officer.objects.filter(user=user).select_related("org").first()


# --- training -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursRow:
    officer: Officer
    hours: Decimal
    target: Decimal

    @property
    def met(self) -> bool:
        return self.hours >= self.target

    @property
    def short(self) -> Decimal:
        return max(Decimal(0), self.target - self.hours)


def hours_by_officer(actor: User, *, year: int) -> list[HoursRow]:
    """学时 of each active officer in calendar year ``year`` (a course counts in the year it ends) against the
    target (``rules.annual_hours_target``)."""
    target = rules.annual_hours_target()
    sums = dict(
        Attendance.objects.filter(course__end_on__year=year, officer__in=officers(actor))
        .values("officer")
        .annotate(h=Sum("hours"))
        .values_list("officer", "h")
    )
    return [
        HoursRow(o, sums.get(o.pk) or Decimal(0), target)
        for o in officers(actor).order_by("org__path", "name")
    ]


def courses(actor: User) -> QuerySet[Course]:
    return visible(actor, Course.objects.all()).select_related("org").annotate(n=Count("attendances"))


# --- exams --------------------------------------------------------------------------------------------


def exams(actor: User) -> QuerySet[Exam]:
    return visible(actor, Exam.objects.all()).select_related("org")


def exam_rates(exam: Exam) -> rules.Rates:
    """参考率/及格率/优秀率 of one exam: 应考 = the officers required; 实考 = those with a submitted paper."""
    required = exam.required.count()
    scores = list(
        Sitting.objects.filter(
            exam=exam, submitted_at__isnull=False, score__isnull=False, officer__in=exam.required.all()
        ).values_list("score", flat=True)
    )
    return rules.exam_rates(required, scores)


def officer_exam_problem(officer: Officer, on: date) -> str:
    """Provider of ``accounts.certificate_prerequisite``: "" unless the rule data makes a passed 学法考试 within
    the last 12 months a condition of the certificate and the officer has none."""
    if not rules.exam_prerequisite():
        return ""
    since = on - timedelta(days=365)
    passed = Sitting.objects.filter(
        officer=officer,
        exam__held_on__gt=since,
        exam__held_on__lte=on,
        submitted_at__isnull=False,
        score__gte=rules.pass_mark(),
    ).exists()
    if passed:
        return ""
    return (
        f"{officer.name} 近 {rules.PREREQUISITE_MONTHS} 个月内没有及格（{rules.pass_mark()} 分）的学法考试成绩，"
        "按本地规则不得申领或保留执法证（本地规则数据：学法考试为持证前提；《法治政府建设实施纲要（2021—2025年）》"
        "执法资格考试，待确认）"
    )


# --- equipment ----------------------------------------------------------------------------------------


def items(actor: User) -> QuerySet[EquipmentItem]:
    return visible(actor, EquipmentItem.objects.all()).select_related("kind", "org", "holder")


@dataclass(frozen=True)
class QuotaRow:
    org: Org
    kind: EquipmentKind
    officers: int
    quota: int
    held: int

    @property
    def rate(self) -> float | None:
        return rules.equipped_rate(self.held, self.quota)

    @property
    def counted(self) -> int:
        return min(self.held, self.quota)


def equipment_table(actor: User, *, on: date) -> list[QuotaRow]:
    """Per 中队 and kind: active officers, 定额 (rules.quota, version in force on ``on``), held (in service,
    spare or in repair; disposed items do not count) and 配备率."""
    squads = (
        Org.objects.filter(kind=OrgKind.SQUAD, path__startswith=jurisdiction_of(actor.org).path).order_by(
            "path"
        )
        if is_business_user(actor)
        else Org.objects.none()
    )
    staff = dict(
        Officer.objects.filter(org__in=squads, status=OfficerStatus.ACTIVE)
        .values("org")
        .annotate(n=Count("pk"))
        .values_list("org", "n")
    )
    held: dict[tuple[int, int], int] = defaultdict(int)
    for org_id, kind_id, n in (
        EquipmentItem.objects.filter(org__in=squads)
        .exclude(status=ItemStatus.DISPOSED)
        .values("org", "kind")
        .annotate(n=Count("pk"))
        .values_list("org", "kind", "n")
    ):
        held[(org_id, kind_id)] = n
    kinds = list(EquipmentKind.objects.all())
    out = []
    for org in squads:
        for kind in kinds:
            need = rules.quota(kind.code, officers=staff.get(org.pk, 0), on=on)
            if need or held[(org.pk, kind.pk)]:
                out.append(QuotaRow(org, kind, staff.get(org.pk, 0), need, held[(org.pk, kind.pk)]))
    return out


def equipped_total(rows: list[QuotaRow]) -> float | None:
    """配备率 overall = Σ min(在用数, 定额) ÷ Σ 定额 × 100% (one unit's surplus does not hide another's gap)."""
    need = sum(r.quota for r in rows)
    return round(100 * sum(r.counted for r in rows) / need, 1) if need else None


def device_label(device_ref: str) -> dict:
    """Provider of ``evidence.device_label``."""
    item = EquipmentItem.objects.select_related("kind", "org").filter(serial=device_ref).first()
    if item is None:
        return {"label": f"{device_ref}（装备台账中无此编号）", "url": ""}
    return {
        "label": f"{item.kind.name} {item.serial}（{item.org.name}）",
        "url": f"/people/equipment/{item.pk}/",
    }


# --- joint operations ---------------------------------------------------------------------------------

BUREAU_FIELDS = ("staff", "vehicles", "checked", "violations", "unloaded_kg", "cases_opened")


def joint_ops(actor: User) -> QuerySet[JointOperation]:
    return visible(actor, JointOperation.objects.all()).select_related("org")


def joint_totals(qs: QuerySet[JointOperation]) -> dict:
    """The bureau's own totals: operations and the deployed/achieved counts of the operation rows only.
    Partner outcomes (police fines, 记分) are summed apart under ``partner`` and never added in."""
    bureau = qs.aggregate(n=Count("pk"), **{f: Sum(f) for f in BUREAU_FIELDS})
    bureau = {k: v or 0 for k, v in bureau.items()}
    partner = PartnerOutcome.objects.filter(operation__in=qs).aggregate(
        cases=Sum("cases"), fines_fen=Sum("fines_fen"), points=Sum("points")
    )
    return {**bureau, "partner": {k: v or 0 for k, v in partner.items()}}


def joint_monthly(actor: User, *, year: int) -> list[tuple[str, dict]]:
    qs = joint_ops(actor).filter(on__year=year)
    return [(f"{year}-{m:02d}", joint_totals(qs.filter(on__month=m))) for m in range(1, 13)]


# --- emergencies and risks ----------------------------------------------------------------------------


def plans(actor: User) -> QuerySet[EmergencyPlan]:
    return (
        visible(actor, EmergencyPlan.objects.all())
        .select_related("org")
        .annotate(drill_count=Count("drills"))
    )


def risks(actor: User) -> QuerySet[RiskTask]:
    return visible(actor, RiskTask.objects.all()).select_related("org")


def overdue_q(today: date) -> Q:
    return ~Q(status=RiskStatus.DONE) & Q(deadline__lt=today)


def risks_overdue_at(actor: User, cutoff: date) -> QuerySet[RiskTask]:
    """Risk tasks still open at ``cutoff`` (a day) with their deadline before it: not done, or done on or
    after that day — a 月度通报 of a past month names what was overdue then, not only what is overdue now."""
    still_open = ~Q(status=RiskStatus.DONE) | Q(closed_on__gte=cutoff)
    return risks(actor).filter(still_open, deadline__lt=cutoff).order_by("deadline", "pk")


def public_stories() -> QuerySet[CaseStory]:
    """以案释法 a head has published on the portal (anyone may read them)."""
    return (
        CaseStory.objects.filter(published_on__isnull=False)
        .select_related("org")
        .order_by("-published_on", "-pk")
    )


def on_time_q() -> Q:
    return Q(status=RiskStatus.DONE, closed_on__isnull=False, closed_on__lte=F("deadline"))


def todos(actor: User, *, today: date) -> dict[str, QuerySet[RiskTask]]:
    """The 工作台's groups of 队伍与保障: for a head, the unit's risk tasks past their deadline and not done."""
    if not actor.has_role("head"):
        return {}
    return {"risks_overdue": risks(actor).filter(overdue_q(today)).order_by("deadline", "pk")}
