"""The indicators of 队伍与保障 for the annual report and the dashboard (seeds: 阳江 18 lectures and 参考率/
及格率/优秀率 100 %; 朝阳 320 trained, 装备 counts, 9,008 staff-times in joint 治超; S4 7 plans, 2 drills;
阳江 21 risk tasks), registered in ``core.indicators``. Totals for a period; joint-operation figures are
the bureau's own (partner outcomes are never added)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from zhifa.accounts.models import Org
from zhifa.core.indicators import Dim, Indicator, Value, query_indicator, register

from . import rules, selectors
from .enums import ItemStatus
from .models import Attendance, Drill, EquipmentItem, Sitting

ORG_DIMS = {"org": "单位"}


def _one(value, numerator=None, denominator=None) -> list[Value]:
    return [Value("", "合计", value, numerator, denominator)]


def _pct(n, d) -> float | None:
    return round(100 * float(n) / d, 1) if d else None


# --- training: Σ hours of attendances ÷ active officers, per unit of the officer --------------------------


def _attendances(actor, start: date, end: date):
    return Attendance.objects.filter(
        course__end_on__range=(start, end), officer__in=selectors.officers(actor)
    )


def _training_hours(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    if not dimension:
        staff = selectors.officers(actor).count()
        total = _attendances(actor, start, end).aggregate(h=Sum("hours"))["h"] or Decimal(0)
        return _one(round(float(total) / staff, 1) if staff else None, float(total), staff)
    staff = dict(
        selectors.officers(actor).order_by().values("org").annotate(n=Count("pk")).values_list("org", "n")
    )
    hours = dict(
        _attendances(actor, start, end)
        .order_by()
        .values("officer__org")
        .annotate(h=Sum("hours"))
        .values_list("officer__org", "h")
    )
    names = dict(Org.objects.filter(pk__in=staff).values_list("pk", "name"))
    out = []
    for org_id in sorted(staff, key=lambda k: names[k]):
        h, n = hours.get(org_id) or Decimal(0), staff[org_id]
        out.append(Value(str(org_id), names[org_id], round(float(h) / n, 1), float(h), n))
    return out


def _records_training(actor, *, start, end, dimension="", key=""):
    qs = _attendances(actor, start, end).select_related("course", "officer")
    return qs.filter(officer__org_id=key) if dimension == "org" else qs


def _coverage_rows(actor, end: date, dimension: str, key: str):
    rows = selectors.hours_by_officer(actor, year=end.year)
    return [r for r in rows if dimension != "org" or str(r.officer.org_id) == key]


def _coverage(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    rows = selectors.hours_by_officer(actor, year=end.year)
    if not dimension:
        met = sum(r.met for r in rows)
        return _one(_pct(met, len(rows)), met, len(rows))
    groups: dict = {}
    for r in rows:
        groups.setdefault((r.officer.org.name, r.officer.org_id), []).append(r.met)
    return [
        Value(str(org_id), name, _pct(sum(m), len(m)), sum(m), len(m))
        for (name, org_id), m in sorted(groups.items())
    ]


def _records_coverage(actor, *, start, end, dimension="", key=""):
    """The officers who met the year's target (the numerator)."""
    met = [r.officer.pk for r in _coverage_rows(actor, end, dimension, key) if r.met]
    return selectors.officers(actor).filter(pk__in=met)


# --- exams: the submitted, scored papers of the officers required, per exam's unit ----------------------


def _sat(actor, start: date, end: date):
    return Sitting.objects.filter(
        exam__in=selectors.exams(actor).filter(held_on__range=(start, end)),
        submitted_at__isnull=False,
        score__isnull=False,
        exam__required=F("officer"),
    )


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

    def records(actor, *, start, end, dimension="", key=""):
        """The papers in the numerator: sat (参考率), scored at least the pass line (及格率) or the
        excellent line (优秀率)."""
        qs = _sat(actor, start, end).select_related("exam", "officer")
        line = {"pass_rate": rules.pass_mark(), "excellent_rate": rules.excellent_mark()}.get(which)
        return qs.filter(score__gte=line) if line is not None else qs

    return compute, records


# --- equipment: Σ min(held, quota) over unit × kind ÷ Σ quota --------------------------------------------


def _equipped(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    rows = selectors.equipment_table(actor, on=end)
    if not dimension:
        return _one(selectors.equipped_total(rows), sum(r.counted for r in rows), sum(r.quota for r in rows))
    groups: dict = {}
    for r in rows:
        groups.setdefault((r.org.path, r.org.pk, r.org.name), []).append(r)
    return [
        Value(str(pk), name, selectors.equipped_total(g), sum(r.counted for r in g), sum(r.quota for r in g))
        for (_, pk, name), g in sorted(groups.items())
    ]


def _records_items(actor, *, start, end, dimension="", key=""):
    """The items counted: of each unit's kind, the first min(held, quota) in-use items by number (a
    surplus over the quota is not counted, so it is not listed)."""
    pks: list[int] = []
    for r in selectors.equipment_table(actor, on=end):
        if dimension == "org" and str(r.org.pk) != key:
            continue
        held = (
            EquipmentItem.objects.filter(org=r.org, kind=r.kind)
            .exclude(status=ItemStatus.DISPOSED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        pks += list(held[: r.counted])
    return selectors.items(actor).filter(pk__in=pks)


def _query(ident: str, name: str, formula: str, unit: str, **how) -> Indicator:
    """A count, sum or share over one model's rows (``core.indicators.query_indicator``), by unit and month."""
    how.setdefault("dims", UNIT_MONTH)
    return query_indicator(owner="people", ident=ident, name=name, formula=formula, unit=unit, **how)


def _joint(ident: str, name: str, formula: str, unit: str, sum_field: str = "", scale: int = 1):
    """Joint operations by the bureau's unit and month (the bureau's own columns only)."""
    how = {"sum_field": sum_field, "scale": scale, "decimals": 1, "period": "month"}
    return _query(ident, name, formula, unit, visible=selectors.joint_ops, date_field="on", **how)


UNIT_MONTH = {"org": Dim("单位", "org", "org__name"), "month": Dim("月份", "month")}


def _ind(ident, name, formula, unit, compute, records, period="year", dimensions=None) -> Indicator:
    return register(
        Indicator(
            id=f"people.{ident}",
            name=name,
            formula=formula,
            unit=unit,
            period=period,
            dimensions=dimensions or {},
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
    dimensions=ORG_DIMS,
)
COVERAGE = _ind(
    "training_coverage",
    "培训学时达标率",
    "期末所在年度学时达到年度目标（默认每人每年 60 学时，待确认，可配置）的在岗执法人员数 ÷ 在岗执法人员数 × 100%",
    "%",
    _coverage,
    _records_coverage,
    dimensions=ORG_DIMS,
)
PARTICIPATION = _ind(
    "exam_participation", "学法考试参考率", "实考人数 ÷ 应考人数 × 100%", "%", *_exam_rate("participation")
)
PASS_RATE = _ind(
    "exam_pass_rate",
    "学法考试及格率",
    "成绩不低于及格线（默认 60 分，本地口径）的人数 ÷ 实考人数 × 100%",
    "%",
    *_exam_rate("pass_rate"),
)
EXCELLENT_RATE = _ind(
    "exam_excellent_rate",
    "学法考试优秀率",
    "成绩不低于优秀线（默认 90 分，本地口径）的人数 ÷ 实考人数 × 100%",
    "%",
    *_exam_rate("excellent_rate"),
)
EQUIPPED = _ind(
    "equipped_rate",
    "执法装备配备率",
    "各中队各类装备 min(在用数, 定额) 之和 ÷ 定额之和 × 100%（定额按装备配备标准，数值待确认，可配置）",
    "%",
    _equipped,
    _records_items,
    dimensions=ORG_DIMS,
)
JOINT_OPS = _joint("joint_ops", "联合执法次数", "期间登记的联合执法行动数", "次")
JOINT_STAFF = _joint("joint_staff", "联合执法出动人次", "本局出动人次之和（不含协作单位）", "人次", "staff")
JOINT_VEHICLES = _joint("joint_vehicles", "联合执法出动车次", "本局出动车次之和", "车次", "vehicles")
JOINT_CHECKED = _joint("joint_checked", "联合执法检查车辆", "检查车辆数之和", "辆", "checked")
JOINT_UNLOADED = _joint(
    "joint_unloaded", "联合执法卸载货物", "卸载货物千克数之和 ÷ 1000", "吨", "unloaded_kg", 1000
)
JOINT_CASES = _joint(
    "joint_cases",
    "联合执法本局立案",
    "本局立案数之和（公安等协作单位的罚款、记分不计入）",
    "宗",
    "cases_opened",
)
DRILLS = _query(
    "drills",
    "应急演练次数",
    "期间举行的应急演练数",
    "次",
    visible=lambda actor: Drill.objects.filter(plan__in=selectors.plans(actor).values("pk")),
    date_field="on",
    dims={"org": Dim("单位", "plan__org", "plan__org__name"), "month": Dim("月份", "month")},
    period="year",
)
RISK_ON_TIME = _query(
    "risk_on_time",
    "风险任务按期完成率",
    "完成期限在期间内且不晚于期限完成的任务数 ÷ 完成期限在期间内的任务数 × 100%",
    "%",
    visible=selectors.risks,
    date_field="deadline",
    # a share: of the tasks due in the period (all of them), those closed by their deadline
    share_of=Q(),
    where=selectors.on_time_q(),
    period="year",
)
