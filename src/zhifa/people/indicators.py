"""The indicators of 队伍与保障 for the annual report and the dashboard (seeds: 阳江 18 lectures and 参考率/
及格率/优秀率 100 %; 朝阳 320 trained, 装备 counts, 9,008 staff-times in joint 治超; S4 7 plans, 2 drills;
阳江 21 risk tasks), registered in ``core.indicators``. Totals for a period; joint-operation figures are
the bureau's own (partner outcomes are never added)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from zhifa.core.indicators import Indicator, Value, register

from . import rules, selectors
from .models import Attendance, Drill, Sitting


def _one(value, numerator=None, denominator=None) -> list[Value]:
    return [Value("", "合计", value, numerator, denominator)]


def _pct(n, d) -> float | None:
    return round(100 * float(n) / d, 1) if d else None


def _training_hours(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    staff = selectors.officers(actor).count()
    total = Attendance.objects.filter(
        course__end_on__range=(start, end), officer__in=selectors.officers(actor)
    ).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    return _one(round(float(total) / staff, 1) if staff else None, float(total), staff)


def _coverage(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    rows = selectors.hours_by_officer(actor, year=end.year)
    met = sum(r.met for r in rows)
    return _one(_pct(met, len(rows)), met, len(rows))


def _exam_rate(which: str) -> Callable[..., list[Value]]:
    def compute(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
        rates = [selectors.exam_rates(e) for e in selectors.exams(actor).filter(held_on__range=(start, end))]
        total = rules.Rates(
            *(sum(getattr(r, f) for r in rates) for f in ("required", "sat", "passed", "excellent"))
        )
        n, d = {
            "participation": (total.sat, total.required),
            "pass_rate": (total.passed, total.sat),
            "excellent_rate": (total.excellent, total.sat),
        }[which]
        return _one(getattr(total, which), n, d)

    return compute


def _equipped(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    rows = selectors.equipment_table(actor, on=end)
    return _one(selectors.equipped_total(rows), sum(r.counted for r in rows), sum(r.quota for r in rows))


def _joint(field: str, scale: int = 1) -> Callable[..., list[Value]]:
    def compute(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
        totals = selectors.joint_totals(selectors.joint_ops(actor).filter(on__range=(start, end)))
        value = totals[field]
        return _one(round(value / scale, 1) if scale != 1 else value)

    return compute


def _drills(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    return _one(Drill.objects.filter(plan__in=selectors.plans(actor), on__range=(start, end)).count())


def _risk_on_time(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    due = selectors.risks(actor).filter(deadline__range=(start, end))
    on_time = due.filter(selectors.on_time_q()).count()
    return _one(_pct(on_time, due.count()), on_time, due.count())


def _records_training(actor, *, start, end, dimension="", key=""):
    return Attendance.objects.filter(
        course__end_on__range=(start, end), officer__in=selectors.officers(actor)
    )


def _records_exams(actor, *, start, end, dimension="", key=""):
    return Sitting.objects.filter(exam__in=selectors.exams(actor).filter(held_on__range=(start, end)))


def _records_items(actor, *, start, end, dimension="", key=""):
    return selectors.items(actor).exclude(status="disposed")


def _records_joint(actor, *, start, end, dimension="", key=""):
    return selectors.joint_ops(actor).filter(on__range=(start, end))


def _records_drills(actor, *, start, end, dimension="", key=""):
    return Drill.objects.filter(plan__in=selectors.plans(actor), on__range=(start, end))


def _records_risks(actor, *, start, end, dimension="", key=""):
    return selectors.risks(actor).filter(deadline__range=(start, end))


def _ind(ident, name, formula, unit, compute, records, period="year") -> Indicator:
    return register(
        Indicator(
            id=f"people.{ident}",
            name=name,
            formula=formula,
            unit=unit,
            period=period,
            dimensions={},
            compute=compute,
            records=records,
            owner="people",
        )
    )


TRAINING_HOURS = _ind(
    "training_hours",
    "人均培训学时",
    "期间结束的培训课程计入学时之和 ÷ 在岗执法人员数",
    "学时",
    _training_hours,
    _records_training,
)
COVERAGE = _ind(
    "training_coverage",
    "培训学时达标率",
    "期末所在年度学时达到年度目标（默认每人每年 60 学时，待确认，可配置）的在岗执法人员数 ÷ 在岗执法人员数 × 100%",
    "%",
    _coverage,
    _records_training,
)
PARTICIPATION = _ind(
    "exam_participation",
    "学法考试参考率",
    "实考人数 ÷ 应考人数 × 100%",
    "%",
    _exam_rate("participation"),
    _records_exams,
)
PASS_RATE = _ind(
    "exam_pass_rate",
    "学法考试及格率",
    "成绩不低于及格线（默认 60 分，本地口径）的人数 ÷ 实考人数 × 100%",
    "%",
    _exam_rate("pass_rate"),
    _records_exams,
)
EXCELLENT_RATE = _ind(
    "exam_excellent_rate",
    "学法考试优秀率",
    "成绩不低于优秀线（默认 90 分，本地口径）的人数 ÷ 实考人数 × 100%",
    "%",
    _exam_rate("excellent_rate"),
    _records_exams,
)
EQUIPPED = _ind(
    "equipped_rate",
    "执法装备配备率",
    "各中队各类装备 min(在用数, 定额) 之和 ÷ 定额之和 × 100%（定额按装备配备标准，数值待确认，可配置）",
    "%",
    _equipped,
    _records_items,
)
JOINT_OPS = _ind(
    "joint_ops", "联合执法次数", "期间登记的联合执法行动数", "次", _joint("n"), _records_joint, "month"
)
JOINT_STAFF = _ind(
    "joint_staff",
    "联合执法出动人次",
    "本局出动人次之和（不含协作单位）",
    "人次",
    _joint("staff"),
    _records_joint,
    "month",
)
JOINT_VEHICLES = _ind(
    "joint_vehicles",
    "联合执法出动车次",
    "本局出动车次之和",
    "车次",
    _joint("vehicles"),
    _records_joint,
    "month",
)
JOINT_CHECKED = _ind(
    "joint_checked", "联合执法检查车辆", "检查车辆数之和", "辆", _joint("checked"), _records_joint, "month"
)
JOINT_UNLOADED = _ind(
    "joint_unloaded",
    "联合执法卸载货物",
    "卸载货物千克数之和 ÷ 1000",
    "吨",
    _joint("unloaded_kg", 1000),
    _records_joint,
    "month",
)
JOINT_CASES = _ind(
    "joint_cases",
    "联合执法本局立案",
    "本局立案数之和（公安等协作单位的罚款、记分不计入）",
    "宗",
    _joint("cases_opened"),
    _records_joint,
    "month",
)
DRILLS = _ind("drills", "应急演练次数", "期间举行的应急演练数", "次", _drills, _records_drills)
RISK_ON_TIME = _ind(
    "risk_on_time",
    "风险任务按期完成率",
    "完成期限在期间内且不晚于期限完成的任务数 ÷ 完成期限在期间内的任务数 × 100%",
    "%",
    _risk_on_time,
    _records_risks,
)
