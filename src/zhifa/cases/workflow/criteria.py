"""The legal tests a proposed penalty is measured by, asked of the rules library: the hearing right
(处罚法 Art 63), the discretion benchmark (裁量基准) and the reasons for legal review (处罚法 Art 58 and
the local 重大执法决定法制审核目录). No moves here: the stage modules and the views ask them."""

from __future__ import annotations

from ..enums import LicenceAct, PartyKind, PenaltyType, Tier
from ..local_rules import review_catalogue
from ..models import Case
from .basis import RULES_TIER, below_minimum

# Case penalty types that always carry the hearing right, as the rules library names them (处罚法 Art 63);
# an Art 9(三) penalty by its act (降低资质等级、吊销许可证件: Art 63(三)).
_HEARING_SANCTIONS = {PenaltyType.SUSPEND: "suspend_business", PenaltyType.REVOKE: "revoke_licence"}
_HEARING_LICENCE_ACTS = {LicenceAct.DOWNGRADE: "lower_qualification", LicenceAct.REVOKE: "revoke_licence"}


def rules_party_kind(party_kind: str) -> str:
    """The rules library's party kind (person / organisation) for a case's (citizen / org)."""
    return "person" if party_kind == PartyKind.CITIZEN else "organisation"


def hearing_decision(case: Case, fine_fen: int | None, penalty_type: str):
    """处罚法 Art 63 through the rules library (较大数额 threshold per province; heavier penalty types).
    Returns the library's ``Decision`` (truthy, with the reason)."""
    from zhifa.rules.discretion import Decision
    from zhifa.rules.discretion import hearing_required as rules_hearing

    if penalty_type == PenaltyType.CONFISCATE:
        # Art 63(2) 没收较大数额违法所得/较大价值非法财物: the case does not record the value confiscated,
        # so the right is always given (never withheld on a value nobody entered).
        return Decision(
            True,
            "拟没收违法所得、非法财物，未登记价值，告知听证权利（《中华人民共和国行政处罚法》第六十三条）",
        )
    sanction = _HEARING_SANCTIONS.get(penalty_type)
    if penalty_type == PenaltyType.REVOKE and case.licence_act == LicenceAct.SUSPEND:
        # 暂扣许可证件 is not named in Art 63(一)–(四); it is a heavier penalty of the same Art 9(三) item, so
        # the right is given (Art 63 para 1 item (五) 其他较重的行政处罚) rather than withheld on a reading.
        return Decision(
            True,
            "拟暂扣许可证件，属较重的行政处罚，告知听证权利（《中华人民共和国行政处罚法》第六十三条第一款第（五）项）",
        )
    if penalty_type == PenaltyType.REVOKE:
        sanction = _HEARING_LICENCE_ACTS.get(case.licence_act, sanction)
    return rules_hearing(
        party_kind=rules_party_kind(case.party_kind),
        fine_fen=(fine_fen or 0) if penalty_type == PenaltyType.FINE else 0,
        sanctions=(sanction,) if sanction else (),
        on=case.registered_on,
    )


def hearing_required(case: Case, fine_fen: int | None, penalty_type: str) -> bool:
    return bool(hearing_decision(case, fine_fen, penalty_type))




def benchmark_range(case: Case, tier: str):
    """The discretion benchmark (裁量基准) of ``tier`` for the case's violation, from the rules library
    (``discretion_range``: the province's tiers in force on the day of the act, else the national model
    tiers), or ``None`` when the case names no catalogued violation, the violation has no such tier, or
    the tier is a multiple of an illegal income the case has not recorded."""
    from zhifa.core.errors import DomainError
    from zhifa.rules.discretion import discretion_range

    if not case.violation_code or tier not in RULES_TIER:
        return None
    try:
        return discretion_range(case.violation_code, RULES_TIER[tier], on=case.occurred_on)
    except DomainError:
        return None


def benchmark_table(case: Case) -> list[dict]:
    """Every tier's range for the case's violation (shown at 处理意见)."""
    out = []
    for tier in Tier:
        r = benchmark_range(case, tier.value)
        if r is not None:
            out.append(
                {
                    "tier": tier.value,
                    "label": tier.label,
                    "min_fen": r.min_fen,
                    "max_fen": r.max_fen,
                    "explanation": r.explanation,
                }
            )
    return out


def review_reasons(case: Case) -> list[str]:
    """处罚法 Art 58 (1)-(4) and the local 重大执法决定法制审核目录."""
    reasons = []
    if case.major_public_interest:
        reasons.append("涉及重大公共利益（第五十八条第一款第（一）项）")
    if case.hearing_held:
        reasons.append("直接关系当事人重大权益且经过听证程序（第五十八条第一款第（二）项）")
    if case.complex_case:
        reasons.append("案件情况疑难复杂、涉及多个法律关系（第五十八条第一款第（三）项）")
    for entry in review_catalogue():
        kind, value = entry.get("kind"), entry.get("value")
        if kind == "penalty_type" and case.penalty_type == value:
            reasons.append(f"重大执法决定法制审核目录：{entry.get('label', value)}")
        elif kind == "violation_code" and case.violation_code == value:
            reasons.append(f"重大执法决定法制审核目录：{entry.get('label', value)}")
        elif kind == "fine_at_least_fen" and (case.proposed_fine_fen or 0) >= int(value):
            reasons.append(f"重大执法决定法制审核目录：{entry.get('label', value)}")
        elif kind == "hearing_threshold" and case.hearing_right:
            reasons.append(f"重大执法决定法制审核目录：{entry.get('label', '拟作出应告知听证的处罚')}")
    # 减轻处罚 below the legal minimum: legal review and collective discussion (处罚法 Art 32; 国办发〔2022〕27号
    # "减轻处罚须严格评估、明确条件"; rules.discretion says so for the 减轻 tier). A fine merely outside its tier
    # is left to the decision guard (CaseError.DEVIATION: reasons and 法制审核 or 集体讨论).
    if case.proposed_outcome in ("", "penalty") and case.penalty_type == "fine" and below_minimum(case):
        reasons.append("减轻处罚，拟罚款低于法定最低额（《行政处罚法》第三十二条；国办发〔2022〕27号）")
    return list(dict.fromkeys(reasons))
