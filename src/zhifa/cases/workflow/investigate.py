"""调查: 笔录 are recorded, the investigation is ended with a report, and the head reviews it and proposes
what to do (处理意见: a penalty with its 裁量阶次, no penalty, or a transfer). The proposal settles the
hearing right and whether legal review is needed (see ``criteria``)."""

from __future__ import annotations

from .. import clocks as ck
from ..enums import ClockKind, Outcome, PenaltyType, RecordSignature, Tier
from ..errors import CaseError
from .base import S, _fen, _req, check_officers
from .basis import (
    below_minimum,
    check_exemption,
    proposal_rows,
    sync_summary,
    ticked,
    version_on,
    violation_row,
)
from .criteria import hearing_required, review_reasons
from .licence import _licence_penalty_clean


def check_record_signed(case, data, actor, on):
    """A 笔录 is signed by the person heard, or the refusal is noted by the officers (处罚法 Art 55)."""
    signature = str(data.get("signature") or "")
    if signature not in RecordSignature.values:
        raise CaseError.RECORD_SIGNATURE.error(detail="请选择签名情况", fields={"signature": "必填"})
    if signature == RecordSignature.REFUSED and not str(data.get("refusal_note") or "").strip():
        raise CaseError.RECORD_SIGNATURE.error(detail="请注明拒绝签名的情况", fields={"refusal_note": "必填"})


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
        proposal_rows(case, data)  # each violation: tier, legal range (处罚法 Art 38), 减轻 (Art 32)
    if outcome != Outcome.TRANSFER:
        kind, conds = ticked(data)
        check_exemption(case, kind, conds, penalty=outcome == Outcome.PENALTY)  # 处罚法 Art 33
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
        # The 裁量基准 is the catalogue's tier for the day of the act; a typed range is not an input (a range
        # the officer typed once switched the deviation check off). Each violation gets its own (分别裁量).
        case.benchmark_min_fen = case.benchmark_max_fen = None
        rows = proposal_rows(case, data)
        for r in rows:
            r.save()
        if rows:
            case.benchmark_min_fen, case.benchmark_max_fen = rows[0].benchmark_min_fen, rows[0].benchmark_max_fen
            data["benchmark_min_fen"], data["benchmark_max_fen"] = case.benchmark_min_fen, case.benchmark_max_fen
            data["benchmark_source"] = "；".join(r.benchmark_source for r in rows if r.benchmark_source)
            if case.penalty_type == PenaltyType.FINE:
                case.proposed_fine_fen = sum(r.proposed_fine_fen or 0 for r in rows)  # 合并处罚
        for f in ("complex_case", "major_public_interest"):
            if f in data:
                setattr(case, f, str(data[f]).lower() in ("1", "true", "on", "yes"))
        case.hearing_right = hearing_required(case, case.proposed_fine_fen, case.penalty_type)
        case.review_reasons = review_reasons(case)
        case.review_required = bool(case.review_reasons)
        # 减轻处罚 below the legal minimum: collective discussion too (处罚法 Art 32; 国办发〔2022〕27号)
        case.discussion_required = case.complex_case or below_minimum(case)
    kind, conds = ticked(data)
    ex = check_exemption(case, kind, conds, penalty=False)
    case.exemption, case.exemption_conditions = (kind, conds) if ex else ("", [])
    return None


def check_violation_codes(case, data, actor, on):
    """认定违法行为: each code from the 执法事项库 in the version in force on the day of the act (处罚法
    Art 37, 38); until 处理意见."""
    codes = _violation_codes(data)
    if not codes:
        raise CaseError.INVALID.error(detail="请从执法事项库选择违法行为", fields={"violation_code": "必填"})
    for code in codes:
        if version_on(code, case) is None:
            raise CaseError.VIOLATION_UNKNOWN.error(code=code, on=f"{case.occurred_on:%Y-%m-%d}")


def record_violations(case, data, actor, on, after):
    """Adds the picked violations (the first picked on a case without one becomes its primary); the case's
    违反条款 and 处罚条款 are the catalogue's, a typed note is kept only as an addition."""
    rows = list(case.violations.order_by("order"))
    known = {r.code for r in rows}
    for code in _violation_codes(data):
        if code not in known:
            rows.append(violation_row(case, version_on(code, case), order=len(rows) + 1))
            known.add(code)
    sync_summary(case, rows)
    note = str(data.get("basis_note") or "").strip()
    if note:
        case.basis_note = "；".join(x for x in (case.basis_note, note) if x)
    data["violations"] = [f"{r.code} {r.name}" for r in rows]


def _violation_codes(data) -> list[str]:
    raw = data.get("violation_code") or ""
    more = data.get("violation_codes") or []
    if isinstance(more, str):
        more = more.replace("，", ",").split(",")
    return list(dict.fromkeys(c.strip() for c in [*str(raw).replace("，", ",").split(","), *more] if c.strip()))
