"""调查: 笔录 are recorded, the investigation is ended with a report, and the head reviews it and proposes
what to do (处理意见: a penalty with its 裁量阶次, no penalty, or a transfer). The proposal settles the
hearing right and whether legal review is needed (see ``criteria``)."""

from __future__ import annotations

from .. import clocks as ck
from ..enums import ClockKind, Outcome, PenaltyType, Tier
from ..errors import CaseError
from .base import S, _fen, _req, check_officers
from .criteria import benchmark_range, hearing_required, review_reasons
from .licence import _licence_penalty_clean


def check_investigation_complete(case, data, actor, on):
    """调查终结: certified officers (Art 42), a 笔录 or evidence (处罚法 Art 40, 46, 55), a report."""
    check_officers(case, on)
    if not case.steps.filter(action="record").exists() and not _has_evidence(case, actor):
        raise CaseError.EVIDENCE.error()
    _req(data, "report", "调查终结报告")


def _has_evidence(case, actor) -> bool:
    try:
        from zhifa.evidence.selectors import evidence_for  # type: ignore[attr-defined]
    except ImportError:
        return False
    try:
        return bool(list(evidence_for("cases.case", case.pk, actor=actor)))
    except Exception:  # noqa: BLE001
        return False


def check_proposal_complete(case, data, actor, on):
    """处理意见: a penalty names type, fine, licence (Art 9(三)), 裁量阶次 and reasons; a transfer its organ."""
    outcome = data.get("outcome") or Outcome.PENALTY
    if outcome not in Outcome.values:
        raise CaseError.INVALID.error(detail="处理意见无效", fields={"outcome": "取值无效"})
    if outcome == Outcome.PENALTY:
        pt = data.get("penalty_type") or ""
        if pt not in PenaltyType.values:
            raise CaseError.INVALID.error(detail="请选择处罚种类", fields={"penalty_type": "必填"})
        if pt == PenaltyType.FINE and (_fen(data, "proposed_fine_fen") or 0) <= 0:
            raise CaseError.INVALID.error(detail="请填写拟罚款金额", fields={"proposed_fine_fen": "必填"})
        if pt == PenaltyType.REVOKE:
            _licence_penalty_clean(case, data, actor)
        if (data.get("tier") or "") not in Tier.values:
            raise CaseError.INVALID.error(detail="请选择裁量阶次", fields={"tier": "必填"})
        _req(data, "tier_reasons", "裁量理由")
    if outcome == Outcome.TRANSFER:
        _req(data, "transfer_to", "移送机关")


def record_proposal(case, data, actor, on, after):
    """Records the 处理意见 with benchmark, hearing right (Art 63) and review reasons (Art 58); 移送 ends it."""
    case.proposed_outcome = data.get("outcome") or Outcome.PENALTY
    if case.proposed_outcome == Outcome.TRANSFER:
        case.outcome = Outcome.TRANSFER
        case.transfer_to = data["transfer_to"]
        after.append(lambda: ck.clock_meet(case, ClockKind.DECISION_LIMIT, on))
        return S.TRANSFERRED
    if case.proposed_outcome == Outcome.PENALTY:
        case.penalty_type = data["penalty_type"]
        act, lic, months = (
            _licence_penalty_clean(case, data, actor)
            if case.penalty_type == PenaltyType.REVOKE
            else ("", None, None)
        )
        case.licence_act, case.licence, case.licence_suspend_months = act, lic, months
        if lic is not None:
            data["licence_number"] = lic.number  # the step record names the licence as registered
        case.proposed_fine_fen = _fen(data, "proposed_fine_fen")
        case.tier = data["tier"]
        case.tier_reasons = data["tier_reasons"]
        case.benchmark_min_fen = _fen(data, "benchmark_min_fen")
        case.benchmark_max_fen = _fen(data, "benchmark_max_fen")
        if case.benchmark_min_fen is None and case.benchmark_max_fen is None:
            # Pre-filled from the rules library when the violation has tiers; an entered range wins.
            r = benchmark_range(case, case.tier)
            if r is not None:
                case.benchmark_min_fen, case.benchmark_max_fen = r.min_fen, r.max_fen
                data["benchmark_min_fen"], data["benchmark_max_fen"] = r.min_fen, r.max_fen
                data["benchmark_source"] = r.explanation
        for f in ("complex_case", "major_public_interest"):
            if f in data:
                setattr(case, f, str(data[f]).lower() in ("1", "true", "on", "yes"))
        case.hearing_right = hearing_required(case, case.proposed_fine_fen, case.penalty_type)
        case.review_reasons = review_reasons(case)
        case.review_required = bool(case.review_reasons)
        case.discussion_required = case.complex_case
    return None
