"""The legal basis of a case: the violations picked from the 执法事项库 (rules catalogue), their legal range
(处罚法 Art 38: a penalty without a basis, or beyond it, is void), the 裁量基准 tier of each, and the Art 33
exemptions the catalogue lists. No moves here: the stage modules ask these checks.

Texts checked: 处罚法 Art 38 ("行政处罚没有依据或者实施主体不具有行政主体资格的，行政处罚无效"), Art 33
(para 1: 轻微并及时改正、没有造成危害后果的，不予行政处罚；初次违法且危害后果轻微并及时改正的，可以不予；
para 2: 有证据足以证明没有主观过错的，不予行政处罚；para 3: 应当对当事人进行教育), Art 32 (减轻), Art 44
(告知依据)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from zhifa.rules.models import PenaltyKind, ViolationVersion, penalty_text, variant_text, yuan

from ..enums import PenaltyType, Tier
from ..errors import CaseError
from ..models import Case, CaseViolation
from .base import _fen

# The case's 裁量阶次 as the rules library names them (国办发〔2022〕27号 tiers).
RULES_TIER = {
    Tier.NONE: "no_penalty",
    Tier.REDUCED: "mitigated",
    Tier.LIGHTER: "lighter",
    Tier.GENERAL: "general",
    Tier.HEAVIER: "heavier",
}

BASIS_STAGES = {"notify": "告知", "decide": "作出处罚决定", "serve": "送达处罚决定书"}


def version_on(code: str, case: Case) -> ViolationVersion | None:
    """The catalogue version of ``code`` in force on the day of the act (处罚法 Art 37: the law at the time
    of the act), or ``None`` when the catalogue does not know it."""
    from zhifa.core.errors import DomainError
    from zhifa.rules.selectors import violation_get

    if not code:
        return None
    try:
        return violation_get(code, on=case.occurred_on)
    except DomainError:
        return None


def articles(v: ViolationVersion) -> tuple[str, str]:
    """(违反条款, 处罚条款) of a catalogue version, as the documents print them."""
    return "、".join(str(b) for b in v.violated.all()), "、".join(str(b) for b in v.penalised.all())


def violations_of(case: Case) -> list[CaseViolation]:
    """The case's violations in order; an old case that only names a catalogued code gets its row derived."""
    rows = list(case.violations.order_by("order")) if case.pk else []
    if rows or not case.violation_code:
        return rows
    v = version_on(case.violation_code, case)
    if v is None:
        return []
    return [violation_row(case, v, order=1, save=bool(case.pk))]


def violation_row(case: Case, v: ViolationVersion, *, order: int, save: bool = True) -> CaseViolation:
    violated, penalised = articles(v)
    row = CaseViolation(
        case=case,
        order=order,
        code=v.code,
        version=v,
        version_from=v.effective_from,
        name=v.name,
        violated_article=violated,
        penalty_article=penalised,
        legal_min_fen=v.min_fen,
        legal_max_fen=v.max_fen,
    )
    if save:
        row.save()
    return row


def sync_summary(case: Case, rows: list[CaseViolation]) -> None:
    """Keep the case-level summary fields (what disclosure, credit and documents read) equal to the rows:
    the primary code, the names and articles joined, the fines summed (合并处罚)."""
    if not rows:
        return
    case.violation_code = rows[0].code
    case.violation_version_id = rows[0].version_id
    join = "；".join
    case.violation_name = join(dict.fromkeys(r.name for r in rows))[:200]
    case.violated_article = join(dict.fromkeys(r.violated_article for r in rows if r.violated_article))[:300]
    case.penalty_article = join(dict.fromkeys(r.penalty_article for r in rows if r.penalty_article))[:300]


def check_basis(case: Case, stage: str) -> None:
    """No 告知, decision or service of a penalty without a catalogued violation (处罚法 Art 38, Art 44)."""
    if case.proposed_outcome not in ("", "penalty") and stage != "notify":
        return
    if violations_of(case):
        return
    if stage == "notify":
        raise CaseError.BASIS_NOTICE.error()
    raise CaseError.BASIS_MISSING.error(stage=BASIS_STAGES.get(stage, stage))


# --- the legal range ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    min_fen: int
    max_fen: int | None  # None: a multiple of an illegal income the case has not recorded
    text: str  # the law's own words for this range, e.g. 1000元以上3000元以下罚款
    basis: str  # the penalty article


def variants(v: ViolationVersion) -> list[dict]:
    return list((v.penalty_detail or {}).get("variants", []))


def legal_bounds(v: ViolationVersion, variant: str | int | None = None) -> Bounds:
    """The legal fine range of ``v``, or of the variant chosen at 处理意见 (its index, e.g. 情节严重)."""
    _, basis = articles(v)
    if variant not in (None, ""):
        try:
            var = variants(v)[int(variant)]
        except (ValueError, IndexError):
            raise CaseError.INVALID.error(detail="罚则情形无效", fields={"variant": "取值无效"}) from None
        if var.get("kind") == PenaltyKind.MULTIPLE:
            return Bounds(0, None, variant_text(var), basis)
        lo, hi = int(var.get("min_yuan", 0)) * 100, int(var.get("max_yuan", 0)) * 100
        return Bounds(lo, hi, f"{var.get('when', '')}：{variant_text(var)}", basis)
    text = penalty_text(v.penalty_kind, v.min_fen, v.max_fen, {})
    if v.penalty_kind in (PenaltyKind.NONE, PenaltyKind.WARNING):
        return Bounds(0, 0, text, basis)
    if v.penalty_kind == PenaltyKind.MULTIPLE:
        return Bounds(0, None, text, basis)
    if v.penalty_kind in (PenaltyKind.UP_TO, PenaltyKind.PER_UNIT):
        return Bounds(0, v.max_fen, text, basis)
    return Bounds(v.min_fen, v.max_fen, text, basis)


def check_legal_range(row: CaseViolation, fine: int | None, *, tier: str, reasons: str) -> None:
    """处罚法 Art 38: a fine above the legal maximum is never possible; below the minimum only as 减轻处罚
    (Art 32) with written reasons (the review and discussion it then needs are asked by ``review_reasons``)."""
    if fine is None or row.version is None:
        return
    b = legal_bounds(row.version, row.variant)
    if b.max_fen is not None and fine > b.max_fen:
        raise CaseError.LEGAL_RANGE.error(
            fine=yuan(fine),
            basis=b.basis,
            penalty=b.text,
            range=f"最高{yuan(b.max_fen)}" if b.max_fen else "不得罚款",
            fields={"fine_fen": f"不得超过{yuan(b.max_fen)}"},
        )
    if fine < b.min_fen and not (tier == Tier.REDUCED and reasons.strip()):
        raise CaseError.REDUCED_BELOW_MIN.error(
            fine=yuan(fine), min=yuan(b.min_fen), basis=b.basis, fields={"fine_fen": "低于法定最低额"}
        )


def below_minimum(case: Case) -> bool:
    """A fine proposed below a violation's legal minimum (减轻处罚): needs review and discussion."""
    for r in violations_of(case):
        if r.version is None or r.proposed_fine_fen is None:
            continue
        if r.proposed_fine_fen < legal_bounds(r.version, r.variant).min_fen:
            return True
    return False


def outside_benchmark(case: Case) -> bool:
    """A proposed fine outside its violation's catalogue tier (裁量基准, 处罚法 Art 34)."""
    rows = violations_of(case)
    pairs = [(r.proposed_fine_fen, r.benchmark_min_fen, r.benchmark_max_fen) for r in rows]
    if not rows:
        pairs = [(case.proposed_fine_fen, case.benchmark_min_fen, case.benchmark_max_fen)]
    return any(f is not None and lo is not None and hi is not None and not lo <= f <= hi for f, lo, hi in pairs)


# --- 分别裁量: each violation its tier and amount --------------------------------------------------------


def items(data: dict, key: str = "items") -> dict[int, dict]:
    """Per-violation entries of a step (``[{"order": 2, "tier": …, "fine_fen": …, "variant": …}]``), as a
    list or its JSON text (the form posts text), keyed by order."""
    import re

    raw = data.get(key)
    form: dict[int, dict] = {}
    for k, v in data.items():  # the form posts items-<order>-<field>
        m = re.fullmatch(rf"{key}-(\d+)-(\w+)", str(k))
        if m and v not in (None, ""):
            form.setdefault(int(m.group(1)), {"order": int(m.group(1))})[m.group(2)] = v
    if raw in (None, "", []):
        return form
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise CaseError.INVALID.error(detail="分别裁量格式有误", fields={key: "应为 JSON 数组"}) from None
    out = dict(form)
    for e in raw if isinstance(raw, list) else []:
        if isinstance(e, dict) and str(e.get("order", "")).isdigit():
            out[int(e["order"])] = e
    return out


def proposal_rows(case: Case, data: dict) -> list[CaseViolation]:
    """Applies the proposal to each violation: the primary takes the step's own fields, the others their
    ``items`` entry; the tier's range comes from the catalogue, never from what was typed."""
    rows = violations_of(case)
    per = items(data)
    fine_type = data.get("penalty_type") == PenaltyType.FINE
    for r in rows:
        e = per.get(r.order, {})
        if r.order == 1:
            e = {
                "tier": data.get("tier"),
                "fine_fen": data.get("proposed_fine_fen"),
                "variant": data.get("penalty_variant"),
                "reasons": data.get("tier_reasons"),
                **e,
            }
        tier = str(e.get("tier") or data.get("tier") or "")
        if tier not in Tier.values:
            raise CaseError.INVALID.error(detail=f"请为“{r.name}”选择裁量阶次", fields={"items": "必填"})
        r.tier = tier
        r.variant = str(e.get("variant") if e.get("variant") is not None else "")
        r.proposed_fine_fen = _fen({"f": e.get("fine_fen")}, "f") if fine_type else None
        if fine_type and (r.proposed_fine_fen or 0) <= 0:
            raise CaseError.INVALID.error(detail=f"请填写“{r.name}”的拟罚款", fields={"items": "必填"})
        reasons = str(e.get("reasons") or data.get("tier_reasons") or "")
        if fine_type:
            check_legal_range(r, r.proposed_fine_fen, tier=tier, reasons=reasons)
        r.benchmark_min_fen = r.benchmark_max_fen = None
        r.benchmark_source = ""
        if r.version is not None and tier in RULES_TIER:
            from zhifa.core.errors import DomainError
            from zhifa.rules.discretion import discretion_range

            try:
                rng = discretion_range(r.version, RULES_TIER[tier])
            except DomainError:
                rng = None
            if rng is not None:
                r.benchmark_min_fen, r.benchmark_max_fen, r.benchmark_source = rng
    return rows


def decision_rows(case: Case, data: dict) -> tuple[list[CaseViolation], int | None]:
    """The decided fine of each violation (default: as proposed; ``items`` or, for one violation, the
    step's ``fine_fen`` change it), each within its legal range; returns the rows and the total."""
    rows = violations_of(case)
    if not rows:
        return rows, None
    per = items(data)
    single = _fen(data, "fine_fen")
    for r in rows:
        e = per.get(r.order, {})
        fine = _fen({"f": e.get("fine_fen")}, "f")
        if fine is None and len(rows) == 1:
            fine = single
        r.fine_fen = fine if fine is not None else r.proposed_fine_fen
        if case.penalty_type == PenaltyType.FINE:
            check_legal_range(r, r.fine_fen, tier=r.tier or case.tier, reasons=case.tier_reasons)
    total = sum(r.fine_fen or 0 for r in rows) if case.penalty_type == PenaltyType.FINE else None
    if case.penalty_type == PenaltyType.FINE and single is not None and len(rows) > 1 and not per:
        if single != total:
            raise CaseError.INVALID.error(
                detail="本案有多个违法行为，请分别填写各违法行为的罚款（分别裁量、合并处罚）",
                fields={"items": "必填"},
            )
    return rows, total


def deviations(rows: list[CaseViolation]) -> list[str]:
    """Each decided fine outside its tier's benchmark, as "name：range"."""
    out = []
    for r in rows:
        lo, hi, f = r.benchmark_min_fen, r.benchmark_max_fen, r.fine_fen
        if f is not None and lo is not None and hi is not None and not lo <= f <= hi:
            out.append(f"{r.name}：{yuan(lo)}–{yuan(hi)}")
    return out


# --- Art 33 exemptions ----------------------------------------------------------------------------------

EXEMPTION_LABELS = {"minor": "轻微不罚", "first": "首违不罚", "no_fault": "无主观过错不罚"}


def exemptions_of(case: Case) -> list[dict]:
    """The exemptions the catalogue lists for the case's violations (deduplicated by kind)."""
    seen: dict[str, dict] = {}
    for r in violations_of(case):
        for e in (r.version.exemptions if r.version else []) or []:
            seen.setdefault(e.get("kind", ""), {**e, "label": EXEMPTION_LABELS.get(e.get("kind", ""), "")})
    return list(seen.values())


def ticked(data: dict) -> tuple[str, list[str]]:
    kind = str(data.get("exemption") or "").strip()
    conds = data.get("exemption_conditions") or []
    if isinstance(conds, str):
        conds = [c for c in conds.replace("，", ",").replace("；", ",").split(",") if c.strip()]
    return kind, [str(c).strip() for c in conds]


def check_exemption(case: Case, kind: str, conds: list[str], *, penalty: bool) -> dict | None:
    """Validates a ticked exemption against the catalogue; a mandatory one whose conditions all hold makes a
    penalty unlawful (处罚法 Art 33 para 1 / para 2). Returns the exemption when all its conditions hold."""
    if not kind:
        return None
    ex = next((e for e in exemptions_of(case) if e.get("kind") == kind), None)
    if ex is None:
        raise CaseError.INVALID.error(detail="执法事项库未列此免罚情形", fields={"exemption": "取值无效"})
    need = list(ex.get("conditions", []))
    if not all(c in conds for c in need):
        return None
    if penalty and ex.get("mandatory"):
        raise CaseError.EXEMPT.error(kind=ex["label"], conditions="、".join(need), source=ex.get("source", ""))
    return ex


def check_changed_fine(case: Case, fine: int | None) -> None:
    """A fine changed by a 复议/诉讼 result (变更) still stays within the legal range (处罚法 Art 38): for one
    violation its range, for several the sum of their maxima."""
    rows = violations_of(case)
    if fine is None or not rows:
        return
    if len(rows) == 1:
        check_legal_range(rows[0], fine, tier=rows[0].tier or case.tier, reasons=case.tier_reasons or "")
        return
    maxima = [legal_bounds(r.version, r.variant).max_fen for r in rows if r.version is not None]
    if maxima and None not in maxima and fine > sum(m or 0 for m in maxima):
        raise CaseError.LEGAL_RANGE.error(
            fine=yuan(fine),
            basis="、".join(r.penalty_article for r in rows),
            penalty="各违法行为罚款合计",
            range=f"最高{yuan(sum(m or 0 for m in maxima))}",
            fields={"new_fine_fen": "超出法定幅度"},
        )
