"""缴款: the fine's schedule (one due date, or the 延期/分期 approved under 处罚法 Art 66 para 2), payments as
records (:class:`~zhifa.cases.models.CasePayment`), the balance, and the 加处罚款 (Art 72) per instalment.

How the surcharge is read (处罚法 Art 72 para 1 item 1: "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，
加处罚款的数额不得超出罚款的数额"; 行政强制法 Art 45 para 2: "加处罚款或者滞纳金的数额不得超出金钱给付义务的数额"):

- each instalment is its own due amount: from the day after its own due date, 3 % a day is added on the part
  of *that instalment* still unpaid on each day (a part paid later stops accruing from the day it is paid);
  an instalment paid on time adds nothing, whatever happens to the others. Without an approved schedule the
  whole fine is one instalment due on the payment deadline (Art 67 para 3: 15 days from service);
- days inside a 复议/诉讼 pause are not counted (Art 73 para 3, ``clocks.late_days``);
- the cap is on the total: all instalments' surcharges together never exceed the fine (Art 72; 强制法 Art 45).
  That the 3 % runs on the instalment rather than on the whole fine is our reading of Art 66 with Art 72
  (an approved instalment is the amount that is "到期"); no national text says so in terms.

A payment pays, in this order: the fine of instalments already due (oldest first), then the surcharge accrued
up to the day of payment, then instalments not yet due. The case is performed (``PERFORMED``) when nothing of
the fine and nothing of the surcharge due on that day is left; a payment beyond that is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from zhifa.core.money import MoneyError, parse_yuan, yuan_text

from .. import clocks as ck
from ..enums import CaseState, ClockKind, InstalmentKind, PaymentChannel
from ..errors import CaseError
from ..models import Case, CasePayment
from .base import _fen, _req
from .serve_enforce import refuse_while_public_notice_runs

ART_66 = "《行政处罚法》第六十六条第二款"
ART_72 = "《行政处罚法》第七十二条第一款第（一）项；《行政强制法》第四十五条第二款"


@dataclass
class Instalment:
    no: int
    due: date
    amount_fen: int
    paid_fen: int = 0
    surcharge_fen: int = 0
    late_days: int = 0

    @property
    def unpaid_fen(self) -> int:
        return self.amount_fen - self.paid_fen


@dataclass
class Ledger:
    """What is owed on a day: the fine, what of it is paid, the surcharge accrued and paid, the balance."""

    on: date
    fine_fen: int
    instalments: list[Instalment]
    fine_paid_fen: int
    surcharge_fen: int  # accrued up to ``on``, capped
    surcharge_paid_fen: int
    explanation: list[str] = field(default_factory=list)

    @property
    def fine_outstanding_fen(self) -> int:
        return self.fine_fen - self.fine_paid_fen

    @property
    def surcharge_outstanding_fen(self) -> int:
        return max(self.surcharge_fen - self.surcharge_paid_fen, 0)

    @property
    def balance_fen(self) -> int:
        return self.fine_outstanding_fen + self.surcharge_outstanding_fen

    @property
    def next_unpaid(self) -> Instalment | None:
        return next((i for i in self.instalments if i.unpaid_fen > 0), None)


def schedule(case: Case) -> list[Instalment]:
    """The instalments of the fine: the approved 延期/分期 schedule, else the whole fine on the deadline."""
    fine = case.fine_fen or 0
    rows = [r for r in (case.instalments or []) if r.get("amount_fen") is not None]
    if rows:
        return [Instalment(int(r["no"]), date.fromisoformat(r["due"]), int(r["amount_fen"])) for r in rows]
    legacy = [date.fromisoformat(r["due"]) for r in (case.instalments or []) if r.get("due")]
    due = max(legacy) if legacy else case.payment_due
    return [Instalment(1, due, fine)] if fine and due else []


def _rate_cap(on: date) -> tuple[int, int]:
    return ck.param("late_payment_rate", on=on).value, ck.param("late_payment_cap", on=on).value


def ledger(case: Case, on: date, payments: list[CasePayment] | None = None) -> Ledger:
    """The case's account on ``on``: payments made up to that day, each instalment's surcharge on its own
    unpaid part from its own due date (see the module docstring), capped in total at the fine."""
    pays = [p for p in (payments if payments is not None else case.payments.all()) if p.paid_on <= on]
    pays.sort(key=lambda p: (p.paid_on, p.pk or 0))
    inst = schedule(case)
    fine = case.fine_fen or 0
    # each instalment's unpaid amount changes on the days payments reach it
    changes: dict[int, list[tuple[date, int]]] = {i.no: [] for i in inst}
    for p in pays:
        left = p.fine_part_fen
        for i in inst:
            take = min(left, i.unpaid_fen)
            if take > 0:
                i.paid_fen += take
                changes[i.no].append((p.paid_on, take))
                left -= take
    rate, cap_pct = _rate_cap(on)
    lines = []
    for i in inst:
        unpaid, start, numerator = i.amount_fen, i.due, 0
        for day, amount in [*changes[i.no], (on, 0)]:
            if day > start:
                days = ck.late_days(start, day, case.surcharge_pauses)
                numerator += unpaid * rate * days
                i.late_days += days if unpaid else 0
                start = day
            unpaid -= amount
        i.surcharge_fen = numerator // 100
        if i.surcharge_fen:
            lines.append(
                f"第{i.no}期 {yuan_text(i.amount_fen)}（缴纳期限 {i.due:%Y-%m-%d}）逾期未缴部分按日{rate}%加处，"
                f"累计逾期 {i.late_days} 日，加处罚款 {yuan_text(i.surcharge_fen)}"
            )
    raw = sum(i.surcharge_fen for i in inst)
    cap = fine * cap_pct // 100
    total = min(raw, cap)
    if lines:
        tail = f"合计 {yuan_text(total)}" + (f"（已达上限：不超出罚款数额 {yuan_text(cap)}）" if raw > cap else "")
        lines.append(f"{tail}（{ART_72}；逾期日数不含复议、诉讼期间，第七十三条第三款）")
    return Ledger(
        on=on,
        fine_fen=fine,
        instalments=inst,
        fine_paid_fen=sum(p.fine_part_fen for p in pays),
        surcharge_fen=total,
        surcharge_paid_fen=sum(p.surcharge_part_fen for p in pays),
        explanation=lines,
    )


def current_surcharge(case: Case, until: date) -> tuple[int, str]:
    """The surcharge (加处罚款) accrued up to ``until`` and not yet paid, with its explanation."""
    if not case.fine_fen:
        return 0, ""
    led = ledger(case, until)
    return led.surcharge_outstanding_fen, "；".join(led.explanation)


# --- 登记缴款 -------------------------------------------------------------------------------------------


def _allocate(led: Ledger, amount: int) -> tuple[int, int, list[int]]:
    """(fine part, surcharge part, instalment numbers reached) of a payment of ``amount`` on ``led.on``."""
    left, fine_part, nos = amount, 0, []
    due_now = [i for i in led.instalments if i.due <= led.on and i.unpaid_fen > 0]
    later = [i for i in led.instalments if i.due > led.on and i.unpaid_fen > 0]
    for i in due_now:
        take = min(left, i.unpaid_fen)
        if take:
            fine_part, left = fine_part + take, left - take
            nos.append(i.no)
    surcharge_part = min(left, led.surcharge_outstanding_fen)
    left -= surcharge_part
    for i in later:
        take = min(left, i.unpaid_fen)
        if take:
            fine_part, left = fine_part + take, left - take
            nos.append(i.no)
    return fine_part, surcharge_part, nos


def check_payment(case, data, actor, on):
    """A payment has an amount above zero, a receipt number and a channel, and pays no more than is owed
    (处罚法 Art 67 罚缴分离, Art 70 票据, Art 72); never while a 公告送达 runs (民事诉讼法 Art 95)."""
    refuse_while_public_notice_runs(case, on, "登记缴款")
    amount = _fen(data, "paid_fen")
    if not amount or amount <= 0:
        raise CaseError.PAY_AMOUNT.error(detail="缴款金额须大于零")
    if not str(data.get("receipt_no") or "").strip():
        raise CaseError.PAY_AMOUNT.error(detail="缺少缴款票据/凭证号")
    if (data.get("channel") or PaymentChannel.BANK) not in PaymentChannel.values:
        raise CaseError.INVALID.error(detail="请选择缴款方式", fields={"channel": "取值无效"})
    led = ledger(case, on)
    if amount > led.balance_fen:
        raise CaseError.OVERPAID.error(
            paid=yuan_text(amount),
            due=yuan_text(led.balance_fen),
            fine=yuan_text(led.fine_outstanding_fen),
            surcharge=yuan_text(led.surcharge_outstanding_fen),
        )


def record_payment(case, data, actor, on, after):
    """Records the payment and what it paid; the case is performed when the fine and the surcharge due on
    the day are covered, else it stays where it is with the balance and the next instalment's clock."""
    amount = _fen(data, "paid_fen")
    payments = list(case.payments.all())
    led = ledger(case, on, payments)
    fine_part, surcharge_part, nos = _allocate(led, amount)
    pay = CasePayment(
        case=case,
        paid_on=on,
        amount_fen=amount,
        fine_part_fen=fine_part,
        surcharge_part_fen=surcharge_part,
        instalment_nos=nos,
        receipt_no=str(data["receipt_no"]).strip(),
        channel=data.get("channel") or PaymentChannel.BANK,
        recorded_by=actor,
    )
    after.append(pay.save)
    after_led = ledger(case, on, [*payments, pay])
    case.paid_fen = sum(p.amount_fen for p in [*payments, pay])
    case.surcharge_fen = after_led.surcharge_fen
    if after_led.balance_fen == 0:
        case.paid_on = on
        after.append(lambda: ck.clock_meet(case, ClockKind.PAYMENT, on))
        after.append(lambda: ck.clock_stop(case, ClockKind.COURT_REMINDER, ClockKind.COURT_WINDOW))
        return CaseState.PERFORMED
    nxt = after_led.next_unpaid
    if nxt and nxt.due != case.payment_due:
        _follow(case, nxt, on, after)
    return case.state  # a part payment: the case stays, with its balance


def _follow(case: Case, inst: Instalment, on: date, after: list) -> None:
    """The payment clock follows the next unpaid instalment."""
    case.payment_due = inst.due
    dl = ck.Deadline(
        inst.due,
        "days",
        ART_66,
        [f"经批准延期/分期缴纳：第{inst.no}期 {yuan_text(inst.unpaid_fen)} 应于 {inst.due:%Y-%m-%d} 前缴纳（{ART_66}）。"],
    )
    after.append(lambda: ck.clock_set(case, ClockKind.PAYMENT, dl, on))


# --- 延期/分期缴纳 (处罚法 Art 66 para 2) ---------------------------------------------------------------------

_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s*(?:[,，;；:：\s]\s*(.*?))?\s*$")


def parse_schedule(text: str, fine_fen: int, served_on: date | None) -> list[dict]:
    """Lines "YYYY-MM-DD 金额（元）", one per instalment, into ``[{"no", "due", "amount_fen"}]``; the amounts
    sum to the fine and no due date is before the decision was served. A single line may leave out the
    amount (延期: the whole fine on that day)."""
    lines = [ln for ln in re.split(r"[\r\n]+", str(text or "")) if ln.strip()]
    if not lines:
        raise CaseError.INSTALMENT_SCHEDULE.error(detail="请逐行填写缴纳期限和金额，如“2026-04-01 1,000.00”")
    rows = []
    for n, ln in enumerate(lines, 1):
        m = _LINE.match(ln)
        if not m:
            raise CaseError.INSTALMENT_SCHEDULE.error(detail=f"第{n}行“{ln.strip()}”应为“缴纳期限 金额（元）”")
        try:
            due = date.fromisoformat("-".join(f"{int(x):02d}" for x in m.group(1).split("-")))
        except ValueError:
            raise CaseError.INSTALMENT_SCHEDULE.error(detail=f"第{n}行日期“{m.group(1)}”无效") from None
        if m.group(2):
            try:
                amount = parse_yuan(m.group(2), label=f"第{n}行金额")
            except MoneyError as e:
                raise CaseError.INSTALMENT_SCHEDULE.error(detail=str(e)) from None
        elif len(lines) == 1:
            amount = fine_fen
        else:
            raise CaseError.INSTALMENT_SCHEDULE.error(detail=f"第{n}行缺少金额")
        if amount <= 0:
            raise CaseError.INSTALMENT_SCHEDULE.error(detail=f"第{n}行金额须大于零")
        if served_on and due < served_on:
            raise CaseError.INSTALMENT_SCHEDULE.error(
                detail=f"第{n}行缴纳期限 {due:%Y-%m-%d} 早于决定书送达日 {served_on:%Y-%m-%d}"
            )
        rows.append((due, amount))
    rows.sort()
    if len({d for d, _ in rows}) != len(rows):
        raise CaseError.INSTALMENT_SCHEDULE.error(detail="同一日期只能有一期")
    total = sum(a for _, a in rows)
    if total != fine_fen:
        raise CaseError.INSTALMENT_SCHEDULE.error(
            detail=f"各期金额合计 {yuan_text(total)}，应等于罚款 {yuan_text(fine_fen)}"
        )
    return [{"no": n, "due": d.isoformat(), "amount_fen": a} for n, (d, a) in enumerate(rows, 1)]


def check_instalment_application(case, data, actor, on):
    """The party applies (经当事人申请), giving the economic hardship and the schedule asked for."""
    if not case.fine_fen:
        raise CaseError.INSTALMENT_APPLICATION.error(detail="本案无罚款")
    if case.instalment_request and not case.instalment_request.get("decided_on"):
        raise CaseError.INSTALMENT_APPLICATION.error(detail="已有待审批的申请，请先作出决定")
    if (data.get("kind") or "") not in InstalmentKind.values:
        raise CaseError.INVALID.error(detail="请选择延期或分期", fields={"kind": "必填"})
    _req(data, "reason", "确有经济困难的理由")
    parse_schedule(data.get("schedule"), case.fine_fen, case.served_on)


def record_instalment_application(case, data, actor, on, after):
    """Keeps the application until the head decides on it."""
    case.instalment_request = {
        "applied_on": on.isoformat(),
        "kind": data["kind"],
        "reason": str(data["reason"]).strip(),
        "schedule": parse_schedule(data.get("schedule"), case.fine_fen, case.served_on),
    }


def _approved(data: dict) -> bool:
    return str(data.get("approved") or "").lower() in ("1", "true", "on", "yes")


def check_instalment_decision(case, data, actor, on):
    """批准 or 不批准 an application the party made; an approved schedule sums to the fine and starts no
    earlier than the decision's service."""
    req = case.instalment_request or {}
    if not req or req.get("decided_on"):
        raise CaseError.INSTALMENT_APPLICATION.error(detail="尚无当事人的延期/分期缴纳申请")
    _req(data, "opinion", "审批意见")
    if _approved(data) and str(data.get("schedule") or "").strip():
        parse_schedule(data["schedule"], case.fine_fen, case.served_on)


def decide_instalment(case, data, actor, on, after):
    """Records the decision; an approved schedule replaces the single deadline, and the payment clock
    follows its first unpaid instalment (Art 66 para 2)."""
    req = dict(case.instalment_request)
    approved = _approved(data)
    if approved and str(data.get("schedule") or "").strip():
        req["schedule"] = parse_schedule(data["schedule"], case.fine_fen, case.served_on)
    req.update(decided_on=on.isoformat(), approved=approved, opinion=str(data["opinion"]).strip())
    case.instalment_request = req
    if not approved:
        return
    case.instalments = [{**r, "approved_on": on.isoformat(), "reason": req["reason"]} for r in req["schedule"]]
    nxt = ledger(case, on).next_unpaid
    if nxt:
        _follow(case, nxt, on, after)


def instalment_text(case: Case) -> str:
    """The decision on an application as the 延期（分期）缴纳罚款决定书 states it."""
    req = case.instalment_request or {}
    kind = dict(InstalmentKind.choices).get(req.get("kind"), "延期（分期）缴纳")
    if not req.get("approved"):
        return f"经审查，不予批准你（单位）{kind}罚款的申请。请按原行政处罚决定书确定的期限缴纳罚款。"
    rows = "；".join(
        f"第{r['no']}期：{date.fromisoformat(r['due']):%Y年%m月%d日}前缴纳{yuan_text(r['amount_fen'])}"
        for r in req.get("schedule", [])
    )
    return f"经审查，同意你（单位）{kind}罚款{yuan_text(case.fine_fen)}：{rows}。"
