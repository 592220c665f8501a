"""Discretion and procedure helpers for the case workflow. Every number comes from rule data
(``procedure_param``) and every result explains itself (rule, article, inputs).

* :func:`discretion_range` — the amount range of a 裁量阶次 of a violation;
* :func:`summary_procedure_allowed` — 简易程序 (处罚法 Art 51; 程序规定 Art 60);
* :func:`hearing_required` — the right to a hearing (处罚法 Art 63; "较大数额" per province);
* :func:`late_payment_surcharge` — 加处罚款 3 % a day, capped at the fine (处罚法 Art 72; 强制法 Art 45);
* :func:`overload_fine` — 违法超限运输 by gross mass (超限规定 Art 43 item 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from zhifa.rules.errors import RulesError
from zhifa.rules.models import PartyKind, PenaltyKind, Tier, ViolationVersion, yuan
from zhifa.rules.params import env_var, procedure_param
from zhifa.rules.selectors import violation_get

WARNING = "warning"  # overload_fine's amount when the law gives a warning only


class Range(NamedTuple):
    min_fen: int
    max_fen: int
    explanation: str


def discretion_range(
    violation: ViolationVersion | str,
    tier: str,
    *,
    on: date | None = None,
    province: str | None = None,
    illegal_income_fen: int | None = None,
) -> Range:
    """``(min_fen, max_fen, explanation)`` of ``tier`` (不予处罚/减轻/从轻/一般/从重) for ``violation`` (a
    version, or a code looked up in force on ``on``). A tier given as a multiple of illegal income needs
    ``illegal_income_fen``."""
    if isinstance(violation, str):
        violation = violation_get(violation, on=on, province=province)
    try:
        tier_label = Tier(tier).label
    except ValueError:
        raise RulesError.INVALID.error(detail=f"裁量阶次“{tier}”无效", fields={"tier": "无效"}) from None
    entry = next((t for t in violation.tiers if t.get("tier") == tier), None)
    if entry is None:
        raise RulesError.TIER_MISSING.error(code=violation.code, tier=tier_label)
    basis = "、".join(str(b) for b in violation.penalised.all())
    where = (
        f"{violation.code}“{violation.name}”（{violation.effective_from:%Y-%m-%d} 起施行的版本"
        f"{'，' + violation.province + ' 省份版本' if violation.province else ''}）"
    )
    if "multiple_min" in entry:
        if illegal_income_fen is None:
            raise RulesError.INCOME_REQUIRED.error()
        lo = int(illegal_income_fen * entry["multiple_min"])
        hi = int(illegal_income_fen * entry["multiple_max"])
        expl = (
            f"{where}{tier_label}：违法所得{yuan(illegal_income_fen)}的{entry['multiple_min']}至"
            f"{entry['multiple_max']}倍，即{yuan(lo)}至{yuan(hi)}。适用条件：{entry.get('conditions', '')}。"
            f"法定罚则：{violation.get_penalty_text()}（{basis}）。裁量基准来源：{violation.tier_source}"
        )
        return Range(lo, hi, expl)
    lo, hi = int(entry.get("min_fen", 0)), int(entry.get("max_fen", 0))
    amount = "不予罚款" if hi == 0 else (f"罚款{yuan(lo)}" if lo == hi else f"罚款{yuan(lo)}至{yuan(hi)}")
    expl = (
        f"{where}{tier_label}：{amount}。适用条件：{entry.get('conditions', '')}。"
        f"法定罚则：{violation.get_penalty_text()}（{basis}）。裁量基准来源：{violation.tier_source}"
    )
    if tier == Tier.MITIGATED:
        expl += "。减轻处罚低于法定最低额，须说明理由并经法制审核、集体讨论"
    return Range(lo, hi, expl)


class Decision(NamedTuple):
    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


def _party(party_kind: str) -> str:
    if party_kind not in (PartyKind.PERSON, PartyKind.ORGANISATION):
        raise RulesError.INVALID.error(
            detail="当事人类别应为 person（公民）或 organisation（法人或其他组织）",
            fields={"party_kind": "应为 person 或 organisation"},
        )
    return party_kind


def summary_procedure_allowed(
    *,
    fine_fen: int,
    party_kind: str,
    warning: bool = False,
    on: date | None = None,
    province: str | None = None,
) -> Decision:
    """May the penalty be decided on the spot under 简易程序? 处罚法 Art 51: facts certain with a legal
    basis, and a fine of at most 200 yuan for a citizen / 3,000 yuan for an organisation, or a warning."""
    party = _party(party_kind)
    if fine_fen < 0:
        raise RulesError.INVALID.error(detail="罚款金额不能为负数", fields={"fine_fen": "不能为负数"})
    name = "summary_fine_max_person" if party == PartyKind.PERSON else "summary_fine_max_org"
    p = procedure_param(name, on=on, province=province)
    who = PartyKind(party).label
    if fine_fen == 0:
        if warning:
            return Decision(True, f"警告可以适用简易程序（{p.article}）")
        return Decision(False, "没有罚款也没有警告，不是简易程序可作出的处罚")
    if fine_fen <= p.value:
        return Decision(
            True, f"对{who}罚款{yuan(fine_fen)}，不超过{yuan(p.value)}，可以适用简易程序（{p.article}）"
        )
    return Decision(
        False, f"对{who}罚款{yuan(fine_fen)}，超过简易程序上限{yuan(p.value)}，应适用普通程序（{p.article}）"
    )


# 处罚法 Art 63 (1)–(4): sanctions that always carry the right to a hearing.
HEARING_SANCTIONS = {
    "lower_qualification": "降低资质等级",
    "revoke_licence": "吊销许可证件",
    "suspend_business": "责令停产停业",
    "close": "责令关闭",
    "restrict_practice": "限制从业",
}


def hearing_required(
    *,
    party_kind: str,
    fine_fen: int = 0,
    confiscation_fen: int = 0,
    sanctions: Iterable[str] = (),
    on: date | None = None,
    province: str | None = None,
) -> Decision:
    """Must the party be told of the right to a hearing (处罚法 Art 63)? A 较大数额 fine or confiscation
    (the province's threshold, "以上" including the amount itself), or a listed heavier sanction."""
    party = _party(party_kind)
    article = "《中华人民共和国行政处罚法》第六十三条"
    unknown = set(sanctions) - set(HEARING_SANCTIONS)
    if unknown:
        raise RulesError.INVALID.error(
            detail=f"未知的处罚种类：{'、'.join(sorted(unknown))}",
            fields={"sanctions": f"应为 {'、'.join(HEARING_SANCTIONS)} 之一"},
        )
    listed = [HEARING_SANCTIONS[s] for s in sanctions]
    if listed:
        return Decision(True, f"拟{'、'.join(listed)}，应告知当事人有要求听证的权利（{article}）")
    name = "hearing_fine_threshold_person" if party == PartyKind.PERSON else "hearing_fine_threshold_org"
    p = procedure_param(name, on=on, province=province)
    who = PartyKind(party).label
    src = f"{article}；较大数额标准：对{who}{yuan(p.value)}以上（{p.article}，{p.confidence_label}）"
    if fine_fen >= p.value:
        return Decision(True, f"拟对{who}罚款{yuan(fine_fen)}，属较大数额罚款，应告知听证权利（{src}）")
    if confiscation_fen >= p.value:
        return Decision(True, f"拟没收{yuan(confiscation_fen)}，属较大数额，应告知听证权利（{src}）")
    return Decision(False, f"拟对{who}罚款{yuan(fine_fen)}，未达较大数额标准，无需告知听证权利（{src}）")


def late_payment_surcharge(fine_fen: int, days: int, *, on: date | None = None) -> int:
    """加处罚款 for ``days`` days of late payment: 3 % of the fine per day, never more than the fine
    (处罚法 Art 72 para 1 item 1; 强制法 Art 45 para 2). Days during 复议/诉讼 must not be passed in (Art 73
    para 3): the case clock excludes them. Fractions of a fen are dropped."""
    if fine_fen < 0 or days < 0:
        raise RulesError.INVALID.error(detail="罚款金额和天数不能为负数")
    rate = procedure_param("late_payment_rate", on=on).value  # percent per day
    cap = procedure_param("late_payment_cap", on=on).value  # percent of the fine
    return min(fine_fen * rate * days // 100, fine_fen * cap // 100)


def late_payment_explained(fine_fen: int, days: int, *, on: date | None = None) -> tuple[int, str]:
    amount = late_payment_surcharge(fine_fen, days, on=on)
    rate = procedure_param("late_payment_rate", on=on)
    capped = amount == fine_fen and fine_fen * rate.value * days // 100 > fine_fen
    text = (
        f"罚款{yuan(fine_fen)}逾期{days}日，每日按{rate.value}%加处罚款，"
        f"{'已达上限（不超过罚款数额）' if capped else '合计'}{yuan(amount)}（{rate.article}；"
        f"{procedure_param('late_payment_cap', on=on).article}）"
    )
    return amount, text


class OverloadFine(NamedTuple):
    amount: int | str  # fen, or WARNING
    explanation: str
    units: int = 0  # counted 1,000 kg units (0 for a warning)
    rounding: str = ""  # floor | ceil: how a part unit was counted
    article: str = ""

    @property
    def warning(self) -> bool:
        return self.amount == WARNING

    @property
    def amount_fen(self) -> int:
        return 0 if self.amount == WARNING else int(self.amount)


def overload_fine(excess_kg: int, *, on: date | None = None, rounding: str | None = None) -> OverloadFine:
    """违法超限运输 by gross mass (超限规定 Art 43 para 1 item 2): up to 1,000 kg over the limit → a warning;
    beyond, 500 yuan per 1,000 kg over, at most 30,000 yuan. The article does not say how a part tonne
    counts: ``rounding`` (default the rule parameter ``overload_part_tonne_rounding``, env
    ``ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING``) is ``floor`` (only whole 1,000 kg count) or ``ceil`` (a part
    counts as a whole). This is the one definition of the Art 43 amount; ``zhifa.overload`` asks it."""
    if excess_kg <= 0:
        raise RulesError.NOT_OVERLIMIT.error()
    warn_max = procedure_param("overload_warning_max_kg", on=on)
    unit = procedure_param("overload_unit_kg", on=on).value
    unit_fine = procedure_param("overload_unit_fine", on=on).value
    cap = procedure_param("overload_fine_cap", on=on).value
    rule = procedure_param("overload_part_tonne_rounding", on=on)
    mode = (rounding or rule.value or "").strip().lower()
    if mode not in ("floor", "ceil"):
        where = f"（环境变量 {env_var(rule.name)}）" if not rounding and rule.origin == "环境变量" else ""
        raise RulesError.INVALID.error(
            detail=f"不足{unit}千克部分的计算方式应为 floor 或 ceil（当前为“{mode}”{where}）"
        )
    article = warn_max.article
    if excess_kg <= warn_max.value:
        return OverloadFine(
            WARNING,
            f"超限{excess_kg}千克，未超过{warn_max.value}千克，予以警告（{article}）",
            0,
            mode,
            article,
        )
    units = excess_kg // unit if mode == "floor" else -(-excess_kg // unit)
    raw = units * unit_fine
    amount = min(raw, cap)
    how = "只计满1000千克部分" if mode == "floor" else "不足1000千克按1000千克计"
    text = (
        f"超限{excess_kg}千克，每超{unit}千克罚款{yuan(unit_fine)}，计{units}个{unit}千克（{how}，"
        f"依程序参数“{rule.label or '不足1000千克部分的计算方式'}”），{yuan(raw)}"
    )
    if raw > cap:
        text += f"，超过最高限额，按{yuan(cap)}处罚"
    return OverloadFine(amount, f"{text}（{article}）", units, mode, article)


def legal_range(violation: ViolationVersion) -> tuple[int, int]:
    """The legal fine range (fen) of the base penalty; (0, 0) where the law gives no fine."""
    if violation.penalty_kind in (PenaltyKind.NONE, PenaltyKind.WARNING, PenaltyKind.MULTIPLE):
        return 0, 0
    return violation.min_fen, violation.max_fen
