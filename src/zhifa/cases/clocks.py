"""Legal clocks of a case: every deadline counted by ``zhifa.core.calendar`` with the day type the law
uses (procedure.md §0), explained (rule, article, inputs), paused and resumed where the law pauses it.

Every period and amount comes from the rules library (``zhifa.rules.params.procedure_param``: rule data
with article, confidence and effective dates; a deployment overrides one with ``ZHIFA_RULE_<NAME>``)."""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, timedelta

from zhifa.core.calendar import add_days, add_workdays
from zhifa.rules.params import Param, procedure_param

from .enums import ClockKind, ClockStatus
from .models import Case, CaseClock


def param(name: str, *, on: date | None = None) -> Param:
    """The procedure parameter ``name`` in force on ``on`` (the rules library is its only home)."""
    return procedure_param(name, on=on)


_UNIT_TEXT = {
    ("day", "working"): "个工作日",
    ("day", "calendar"): "日（自然日）",
    ("month", "calendar"): "个月",
    ("year", "calendar"): "年",
    ("person", ""): "人",
}


def explain(p: Param) -> str:
    """``陈述、申辩期限：3个工作日（article；confidence；env）`` for a clock's explanation."""
    unit = _UNIT_TEXT.get((p.unit, p.day_type), p.unit)
    local = p.confidence in ("local", "unconfirmed")
    # in words: the setting's name is in the README and on 程序参数 (tooltip), not in a case's explanation
    extra = "；可按本地规定在本部署配置" if local else ""
    if p.origin == "环境变量":
        extra = "；本部署另行设定"
    return f"{p.label}：{p.value}{unit}（{p.article}；{p.confidence_label}{extra}）"


@dataclass(frozen=True)
class Deadline:
    due: date
    day_type: str
    article: str
    explanation: list[str]


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


def deadline(name: str, start: date, *, on: date | None = None) -> Deadline:
    """The deadline of parameter ``name`` counted from ``start`` (start day not counted)."""
    p = param(name, on=on or start)
    head = f"{explain(p)}；起算日 {start:%Y-%m-%d}。"
    if p.unit == "day" and p.day_type == "working":
        r = add_workdays(start, p.value)
        return Deadline(r.date, "workdays", p.article, [head, *r.explanation])
    if p.unit == "day":
        r = add_days(start, p.value)
        return Deadline(r.date, "days", p.article, [head, *r.explanation])
    if p.unit == "month":
        return months_deadline(start, p.value, p.article, head)
    raise ValueError(f"参数 {name} 的单位 {p.unit} 不是期间")


def months_deadline(start: date, months: int, article: str, head: str = "") -> Deadline:
    """A period in months ends on the corresponding day of the last month (民法典第二百零二条), rolled
    over to the next working day when that day is a rest day (第二百零三条)."""
    last = add_months(start, months)
    r = add_days(last - timedelta(days=1), 1)
    lines = [head] if head else []
    lines.append(
        f"按月计算：{start:%Y-%m-%d} 起 {months} 个月，对应日为 {last:%Y-%m-%d}（民法典第二百零二条）。"
    )
    lines.extend(r.explanation[1:])
    return Deadline(r.date, "months", article, lines)


def clock_set(case: Case, kind: str, dl: Deadline, start: date) -> CaseClock:
    clock, _ = CaseClock.objects.update_or_create(
        case=case,
        kind=kind,
        defaults={
            "org": case.org,
            "start": start,
            "due": dl.due,
            "day_type": dl.day_type,
            "article": dl.article,
            "explanation": dl.explanation,
            "status": ClockStatus.RUNNING,
            "paused_on": None,
            "met_on": None,
        },
    )
    return clock


def clock_meet(case: Case, kind: str, on: date) -> None:
    CaseClock.objects.filter(case=case, kind=kind).exclude(status=ClockStatus.MET).update(
        status=ClockStatus.MET, met_on=on
    )


def clock_stop(case: Case, *kinds: str) -> None:
    CaseClock.objects.filter(
        case=case, kind__in=kinds, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED]
    ).update(status=ClockStatus.STOPPED)


def clock_pause(case: Case, kind: str, on: date) -> None:
    CaseClock.objects.filter(case=case, kind=kind, status=ClockStatus.RUNNING).update(
        status=ClockStatus.PAUSED, paused_on=on
    )


def clock_resume(case: Case, kind: str, on: date) -> None:
    """Resume a paused clock: the due date moves by the paused calendar days."""
    for clock in CaseClock.objects.filter(case=case, kind=kind, status=ClockStatus.PAUSED):
        paused = (on - clock.paused_on).days if clock.paused_on else 0
        clock.due = clock.due + timedelta(days=paused)
        clock.explanation = [
            *clock.explanation,
            f"{clock.paused_on:%Y-%m-%d} 至 {on:%Y-%m-%d} 暂停 {paused} 日，届满日顺延至 {clock.due:%Y-%m-%d}。",
        ]
        clock.status = ClockStatus.RUNNING
        clock.paused_on = None
        clock.save(update_fields=["due", "explanation", "status", "paused_on"])


def decision_limit(case: Case) -> Deadline:
    """处罚法 Art 60: decide within 90 days of 立案, plus any recorded extension."""
    start = case.registered_on
    dl = deadline("decision_time_limit", start)
    if case.extension_days:
        r = add_days(start, param("decision_time_limit", on=start).value + case.extension_days)
        return Deadline(
            r.date,
            "days",
            dl.article,
            [*dl.explanation, f"经负责人批准延长 {case.extension_days} 日，届满日为 {r.date:%Y-%m-%d}。"],
        )
    return dl


def limitation_end(case: Case) -> Deadline:
    """处罚法 Art 36: the last day on which the violation may still be discovered."""
    start = case.act_ended_on or case.occurred_on
    p = param("limitation_general", on=start)
    if case.serious_harm:
        from zhifa.core.errors import DomainError

        try:  # the 5-year period exists since the 2021 revision; an earlier act keeps 2 years
            p = param("limitation_extended", on=start)
        except DomainError:
            pass
    end = add_years(start, p.value)
    return Deadline(
        end,
        "years",
        p.article,
        [
            f"{explain(p)}；自违法行为{'终了' if case.act_ended_on else '发生'}之日 {start:%Y-%m-%d} 起算，"
            f"至 {end:%Y-%m-%d} 届满。"
        ],
    )


def late_days(due: date, until: date, pauses: list[list[str]]) -> int:
    """Calendar days after ``due`` up to ``until``, minus days inside the 复议/诉讼 pauses (处罚法 Art 73 para 3)."""
    if until <= due:
        return 0
    days = (until - due).days
    for start_s, end_s in pauses:
        start = max(date.fromisoformat(start_s), due)
        end = min(date.fromisoformat(end_s) if end_s else until, until)
        if end > start:
            days -= (end - start).days
    return max(days, 0)


def surcharge(fine_fen: int, days: int, *, on: date | None = None) -> tuple[int, str]:
    """加处罚款: 3% of the fine per day, never above the fine (处罚法 Art 72; 强制法 Art 45) — the rules
    library's ``late_payment_surcharge`` with its explanation."""
    from zhifa.rules.discretion import late_payment_explained

    return late_payment_explained(fine_fen, days, on=on)


def court_window(case: Case) -> Deadline:
    """强制法 Art 53: apply to a court within 3 months after the 复议 (60 d) and 诉讼 (6 months) periods,
    counted from service; if payment was deferred, from the end of the deferral."""
    served = case.served_on
    recon = deadline("reconsideration_period", served)
    litig = deadline("litigation_period", served)
    start = max(recon.due, litig.due)
    if case.instalments:
        last_due = max(date.fromisoformat(i["due"]) for i in case.instalments)
        start = max(start, last_due)
    p = param("court_enforcement_window", on=start)
    dl = months_deadline(
        start,
        p.value,
        p.article,
        f"复议期限届满 {recon.due:%Y-%m-%d}、诉讼期限届满 {litig.due:%Y-%m-%d}，"
        f"自 {start:%Y-%m-%d} 起算 {p.value} 个月（{p.article}）。",
    )
    return dl


CLOCK_KINDS = ClockKind
