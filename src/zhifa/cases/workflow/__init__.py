"""The one transition service of a case, with the explicit table of allowed moves (:data:`MOVES`).

``case_transition(case=…, action=…, actor=…, data=…, expected_version=…)``:

1. the move must exist, start from one of its ``from_states``, suit the procedure and the actor's role;
   a move the law forbids from the current state gets a message citing the article (:data:`FORBIDDEN`);
2. the move's guard checks the legal conditions (officers, notice, review, periods…) and raises a
   ``DomainError``;
3. the changes are written with ``UPDATE … WHERE id = … AND version = expected`` (optimistic lock): of two
   people acting on the same version one wins, the other gets ``cases.conflict``;
4. clocks, the step record, documents and the audit record are written in the same transaction, the
   disclosure record after commit. Any refusal or failure (a document that does not render) rolls the
   whole move back: a forbidden move changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Officer, User
from zhifa.accounts.selectors import jurisdiction_of, officer_can_enforce
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.registry.enums import LicenceStatus, PermitAction

from .. import clocks as ck
from ..clocks import param
from ..enums import (
    OPEN_BEFORE_DECISION,
    AppealOutcome,
    CaseState,
    ClockKind,
    LicenceAct,
    Outcome,
    PartyKind,
    PenaltyType,
    Procedure,
    ServiceMethod,
    Tier,
)
from ..errors import CaseError
from ..hooks import case_closed_schedule
from ..local_rules import review_catalogue
from ..models import Case, CaseOfficer, CaseStep, ReviewerQualification

S = CaseState
OFFICER, HEAD, REVIEWER = Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER
ANY_BUSINESS = (OFFICER, HEAD, REVIEWER)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, int, money, bool, choice, officers, list
    required: bool = False
    choices: tuple = ()


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    from_states: tuple
    to_state: str | None
    roles: tuple
    procedures: tuple = (Procedure.ORDINARY,)
    fields: tuple = ()
    field_step: bool = False  # a field step: tablet layout
    documents: tuple = ()
    guard: Callable | None = field(default=None, compare=False)
    effect: Callable | None = field(default=None, compare=False)
    # runs after the step's documents are issued and numbered (a decision's final 文号): settle(case, actor, on)
    settle: Callable | None = field(default=None, compare=False)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def _d(data: dict, key: str, default: date | None = None) -> date | None:
    v = data.get(key)
    if v in (None, ""):
        return default
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _fen(data: dict, key: str) -> int | None:
    v = data.get(key)
    if v in (None, ""):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        raise CaseError.INVALID.error(detail=f"{key} 应为整数（分）", fields={key: "应为整数"}) from None


def _req(data: dict, key: str, label: str) -> str:
    v = str(data.get(key) or "").strip()
    if not v:
        raise CaseError.INVALID.error(detail=f"{label}不能为空", fields={key: "不能为空"})
    return v


def active_officers(case: Case) -> list[CaseOfficer]:
    return list(
        case.case_officers.filter(removed_on__isnull=True)
        .select_related("officer")
        .prefetch_related("officer__certificates")
    )


def check_officers(case: Case, on: date, officers: list[Officer] | None = None) -> None:
    """处罚法 Art 42: at least two officers, each holding a certificate valid on ``on``."""
    officers = officers if officers is not None else [co.officer for co in active_officers(case)]
    problems = []
    certified = 0
    for o in officers:
        elig = officer_can_enforce(o, on=on)
        if elig.ok:
            certified += 1
        else:
            problems.append("；".join(elig.reasons))
    need = param("min_officers", on=on).value  # 处罚法 Art 42
    if certified < need:
        detail = f"{on:%Y-%m-%d} 有效持证执法人员 {certified} 人" + (
            f"（{'；'.join(problems)}）" if problems else ""
        )
        raise CaseError.OFFICERS.error(detail=detail)


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


# The case's 裁量阶次 as the rules library names them (国办发〔2022〕27号 tiers).
RULES_TIER = {
    Tier.NONE: "no_penalty",
    Tier.REDUCED: "mitigated",
    Tier.LIGHTER: "lighter",
    Tier.GENERAL: "general",
    Tier.HEAVIER: "heavier",
}


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
    return list(dict.fromkeys(reasons))


def next_number(org, kind: str, year: int) -> int:
    """案号 and local decision numbers share the documents module's gapless per-issuer sequences."""
    from zhifa.documents.numbering import number_allocate

    return number_allocate(issuer=org, doc_type=f"case:{kind}", year=year)


def _prefix(case_org) -> str:
    j = jurisdiction_of(case_org)
    return j.short_name or j.name[:2]


def case_number(org, year: int) -> str:
    return f"{_prefix(org)}交案〔{year}〕{next_number(jurisdiction_of(org), 'case', year)}号"


def _decision_number(case: Case, year: int, kind: str) -> str:
    return f"{_prefix(case.org)}交{kind}〔{year}〕{next_number(jurisdiction_of(case.org), kind, year)}号"


TEMPLATE_NAMES = {
    "立案登记表": "case_register",
    "询问笔录": "inquiry_record",
    "勘验笔录": "inspection_record",
    "现场笔录": "site_record",
    "违法行为通知书": "violation_notice",
    "听证通知书": "hearing_notice",
    "听证笔录": "hearing_record",
    "行政处罚决定书": "penalty_decision",
    "不予行政处罚决定书": "no_penalty_decision",
    "送达回证": "service_receipt",
    "催告书": "reminder",
    "结案报告": "closing_report",
    "法制审核意见书": "legal_review_opinion",
    "集体讨论记录": "collective_discussion",
}
UNNUMBERED = {"询问笔录", "勘验笔录", "现场笔录", "听证笔录", "送达回证", "结案报告", "集体讨论记录"}


def _yuan(fen: int | None) -> str:
    return f"{(fen or 0) / 100:,.2f}元"


def _remedy(case: Case) -> dict:
    j = jurisdiction_of(case.org)
    county = j.name.replace("交通运输局", "") or j.name
    return {"review_organ": f"{county}人民政府", "court": f"{county}人民法院"}


def doc_context(case: Case, on: date, data: dict | None = None) -> dict:
    """The context of every case document, in the field names of ``zhifa.documents.specs``."""
    data = data or {}
    officers = [
        {
            "name": co.officer.name,
            "cert_no": (co.officer.certificates.order_by("-valid_to").first() or "").__str__(),
        }
        for co in active_officers(case)
    ] or [{"name": str(case.created_by or "—"), "cert_no": "—"}]
    cause = case.violation_name
    fine = case.fine_fen if case.fine_fen is not None else case.proposed_fine_fen
    if case.penalty_type == PenaltyType.FINE:
        penalty = f"罚款人民币{_yuan(fine)}"
    else:
        penalty = case.licence_penalty_text() or (
            case.get_penalty_type_display() if case.penalty_type else "—"
        )
    steps = list(case.steps.filter(action="record").values_list("data", flat=True))
    evidence = [
        {"name": d.get("kind", "笔录"), "description": str(d.get("content", ""))[:80]} for d in steps
    ] or [{"name": "现场检查记录", "description": case.facts[:80]}]
    at = f"{on:%Y年%m月%d日}"
    return {
        "case": {
            "cause": cause,
            "source": case.source.get_origin_display() if case.source_id else "执法检查",
            "summary": case.facts,
            "facts": case.facts,
            "number": case.number,
            "received_at": f"{case.discovered_on:%Y年%m月%d日}",
            "basis": case.violated_article,
        },
        "party": {
            "name": case.party_name,
            "id_no": case.party_code,
            "address": case.party_address or "—",
            "vehicle": case.vehicle.plate if case.vehicle_id else "",
        },
        "officers": officers,
        "handler": {"names": "、".join(o["name"] for o in officers), "opinion": "建议立案调查"},
        "approval": {
            "opinion": "同意立案",
            "by": str(case.registered_by or ""),
            "date": f"{case.registered_on:%Y年%m月%d日}" if case.registered_on else "",
        },
        "inquiry": {"started_at": at, "place": case.location or "执法站点"},
        "interviewee": {"name": case.party_name},
        "qa": [{"q": "请陈述事情经过。", "a": str(data.get("content") or "—")}],
        "inspection": {
            "started_at": at,
            "place": case.location or "现场",
            "findings": str(data.get("content") or "—"),
        },
        "site": {
            "started_at": at,
            "place": case.location or "现场",
            "findings": str(data.get("content") or "—"),
        },
        "violation": {"violated": case.violated_article or "—", "penalty_basis": case.penalty_article or "—"},
        "proposed": {"penalty": penalty},
        "hearing": {
            "at": str(data.get("hearing_on") or (case.hearing_on or "")),
            "place": str(data.get("place") or "本局"),
            "host": str(data.get("chair") or ""),
        },
        "statements": [{"speaker": "当事人", "content": str(data.get("record") or "—")}],
        "evidence": evidence,
        "penalty": {
            "content": penalty,
            "tier": case.get_tier_display() if case.tier else "",
            "reasons": case.tier_reasons,
        },
        "payment": {"method": "到指定银行或者通过电子支付系统缴纳罚款（罚缴分离）"},
        "remedy": _remedy(case),
        "no_penalty": {
            "reason": str(data.get("ground") or ""),
            "basis": "《中华人民共和国行政处罚法》第三十三条",
        },
        "education": str(data.get("education_record") or case.education_record or ""),
        "items": [{"name": f"{case.decision_no or case.number}"}],
        "recipient": {"name": case.party_name},
        "service": {"method": dict(ServiceMethod.choices).get(data.get("method"), "直接送达")},
        "decision": {
            "number": case.decision_no,
            "date": f"{case.decided_on:%Y年%m月%d日}" if case.decided_on else "",
            "summary": f"{case.get_outcome_display() or '—'}：{penalty if case.outcome == 'penalty' else ''}",
        },
        "obligation": {"content": f"缴纳罚款{_yuan(case.fine_fen)}"},
        "execution": {
            "summary": f"已缴纳{_yuan(case.paid_fen)}" if case.paid_on else (case.close_reason or "—")
        },
        "closing": {"reason": str(data.get("reason") or case.close_reason or "—")},
        "review": {
            "opinion": str(data.get("opinion") or ""),
            "conclusion": "同意"
            if str(data.get("passed", "true")).lower() in ("1", "true", "on", "yes")
            else "不同意",
            "reviewers": [{"name": str(data.get("_actor", ""))}],
        },
        "meeting": {
            "at": at,
            "chair": (str(data.get("attendees") or "").replace("，", ",").split(",") or [""])[0],
            "conclusion": str(data.get("conclusion") or ""),
            "minutes": str(data.get("minutes") or ""),
        },
        "attendees": [
            {"name": a.strip()}
            for a in str(data.get("attendees") or "").replace("，", ",").split(",")
            if a.strip()
        ],
    }


def issue_documents(case: Case, templates: tuple, on: date, actor, data: dict | None = None) -> list[dict]:
    """Render the step's documents through ``zhifa.documents``; a render failure raises and rolls the
    whole step back (the case stays as it was)."""
    if not templates:
        return []
    try:
        from zhifa.documents.services import document_issue
    except ImportError:  # pragma: no cover - documents module absent
        return [{"template": t, "status": "文书模块未安装，未生成"} for t in templates]
    ctx = doc_context(case, on, {**(data or {}), "_actor": str(actor)})
    out = []
    for t in templates:
        doc = document_issue(
            template=TEMPLATE_NAMES.get(t, t),
            context=ctx,
            org=case.org,
            target_type="cases.case",
            target_id=case.pk,
            actor=actor,
            numbered=t not in UNNUMBERED,
            on=on,
        )
        out.append({"template": t, "id": doc.pk, "number": getattr(doc, "number", "") or ""})
    return out


# --------------------------------------------------------------------------------------------------
# guards and effects, one pair per move
# --------------------------------------------------------------------------------------------------


def g_register(case, data, actor, on):
    end = ck.limitation_end(case)
    if case.discovered_on > end.due:
        raise CaseError.LIMITATION.error(
            detail=f"违法行为于 {end.due:%Y-%m-%d} 已满追责时效，发现于 {case.discovered_on:%Y-%m-%d}"
        )


def e_register(case, data, actor, on, after):
    case.registered_on = on
    case.registered_by = actor
    dl = ck.decision_limit(case)
    case.limit_due = dl.due
    after.append(lambda: ck.clock_set(case, ClockKind.DECISION_LIMIT, dl, on))


def _officers_from(data, actor) -> list[Officer]:
    ids = data.get("officer_ids") or []
    if isinstance(ids, str):
        ids = [i for i in ids.replace("，", ",").split(",") if i.strip()]
    ids = [int(i) for i in ids]
    root = jurisdiction_of(actor.org)
    found = list(
        Officer.objects.filter(pk__in=ids, org__path__startswith=root.path).prefetch_related("certificates")
    )
    if len(found) != len(set(ids)):
        raise CaseError.INVALID.error(detail="执法人员不存在或不属于本单位", fields={"officer_ids": "无效"})
    return found


def g_assign(case, data, actor, on):
    check_officers(case, on, _officers_from(data, actor))


def e_assign(case, data, actor, on, after):
    officers = _officers_from(data, actor)
    lead = int(data.get("lead_id") or officers[0].pk)

    def apply():
        keep = {o.pk for o in officers}
        CaseOfficer.objects.filter(case=case, removed_on__isnull=True).exclude(officer_id__in=keep).update(
            removed_on=on, removed_reason="重新指派"
        )
        for o in officers:
            co, _ = CaseOfficer.objects.get_or_create(
                case=case, officer=o, removed_on=None, defaults={"assigned_on": on}
            )
            if co.lead != (o.pk == lead):
                co.lead = o.pk == lead
                co.save(update_fields=["lead"])

    after.append(apply)


def g_recusal_decide(case, data, actor, on):
    oid = int(data.get("officer_id") or 0)
    requested = any(
        int(s.data.get("officer_id") or 0) == oid for s in case.steps.filter(action="recusal_request")
    )
    if not requested:
        raise CaseError.RECUSAL.error(detail="没有针对该执法人员的回避申请")


def e_recusal_decide(case, data, actor, on, after):
    if str(data.get("granted")).lower() in ("1", "true", "on", "yes"):
        oid = int(data["officer_id"])
        after.append(
            lambda: CaseOfficer.objects.filter(case=case, officer_id=oid, removed_on__isnull=True).update(
                removed_on=on, removed_reason="回避"
            )
        )


def g_end_investigation(case, data, actor, on):
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


# --- 处罚法 Art 9(三) on a licence: the case names the act and the party's licence; the decision moves it --------

_PERMIT_ACTION = {LicenceAct.SUSPEND: PermitAction.SUSPEND, LicenceAct.REVOKE: PermitAction.REVOKE}


def _licence_penalty_clean(case: Case, data: dict, actor) -> tuple[str, object, int | None]:
    """(act, licence, 暂扣 months) of an Art 9(三) penalty. 暂扣 and 吊销 name a licence by its number: one
    registered within the actor's jurisdiction, held by the case's party (its enterprise, person or vehicle,
    or a vehicle of its enterprise), in a status the registry's move applies to. Refusals name the field."""
    from zhifa.registry.selectors import licences_visible
    from zhifa.registry.services import PERMIT_MOVES

    act = str(data.get("licence_act") or "").strip()
    if act not in LicenceAct.values:
        raise CaseError.INVALID.error(
            detail="请选择证照处罚：暂扣许可证件、降低资质等级或吊销许可证件（《中华人民共和国行政处罚法》第九条第（三）项）",
            fields={"licence_act": "必填"},
        )
    if act == LicenceAct.DOWNGRADE:
        return act, None, None
    verb = "暂扣" if act == LicenceAct.SUSPEND else "吊销"
    months = None
    if act == LicenceAct.SUSPEND:
        raw = str(data.get("licence_suspend_months") or "").strip()
        months = int(raw) if raw.isdigit() else 0
        if not 1 <= months <= 120:
            raise CaseError.INVALID.error(
                detail="请填写暂扣期限（1至120个月的整数）",
                fields={"licence_suspend_months": "应为1至120的整数"},
            )
    number = str(data.get("licence_number") or "").strip()
    if not number:
        raise CaseError.INVALID.error(detail=f"请填写拟{verb}的证照编号", fields={"licence_number": "必填"})
    scoped = list(licences_visible(actor).filter(number=number))
    if not scoped:  # the same words whether it is unknown or another unit's: no probing other counties
        detail = f"证照编号“{number}”未在本单位管辖范围内登记，不能{verb}"
        raise CaseError.INVALID.error(detail=detail, fields={"licence_number": detail})
    ent, person, vehicle = case.enterprise_id, case.person_id, case.vehicle_id
    held = [
        lic
        for lic in scoped
        if (lic.enterprise_id and lic.enterprise_id == ent)
        or (lic.person_id and lic.person_id == person)
        or (lic.vehicle_id and (lic.vehicle_id == vehicle or (ent and lic.vehicle.enterprise_id == ent)))
    ]
    if not held:
        detail = f"证照“{number}”的持证人不是本案当事人{case.party_name}，不能{verb}" + (
            "" if ent or person or vehicle else "（本案当事人未关联登记的企业、自然人或车辆）"
        )
        raise CaseError.INVALID.error(detail=detail, fields={"licence_number": detail})
    lic = held[0]
    if lic.status not in PERMIT_MOVES[_PERMIT_ACTION[act]].applies_to:
        detail = f"证照“{number}”已{lic.get_status_display()}，不能{verb}"
        raise CaseError.INVALID.error(detail=detail, fields={"licence_number": detail})
    return act, lic, months


def s_decide_licence(case: Case, actor, on: date) -> None:
    """The decision's 暂扣 or 吊销 moves the licence through the registry's one transition service
    (``permit_decide``: 决定书文号 = the case's, authority = the case's unit, 暂扣 until the corresponding day
    of the last month, 民法典 Art 202). Once: a move already recorded under the case's 文号 is not repeated."""
    action = _PERMIT_ACTION.get(case.licence_act) if case.penalty_type == PenaltyType.REVOKE else None
    if action is None or not case.licence_id:
        return
    from zhifa.registry.models import PermitDecision
    from zhifa.registry.services import permit_decide

    authority = jurisdiction_of(case.org)
    if PermitDecision.objects.filter(
        authority=authority, doc_no=case.decision_no, licence_id=case.licence_id
    ).exists():
        return
    reason = f"{case.violation_name}（{case.number}；{case.penalty_article or '处罚依据见决定书'}）"
    data = {
        "doc_no": case.decision_no,
        "doc_name": "行政处罚决定书",
        "decided_on": on.isoformat(),
        "reason": reason[:500],
    }
    if action == PermitAction.SUSPEND:
        data["suspend_until"] = ck.add_months(on, case.licence_suspend_months or 0).isoformat()
    # the case workflow dates the decision (its own guards); the registry takes that date
    permit_decide(action=action, data=data, actor=actor, licence=case.licence, authority=authority, today=on)


_LICENCE_UNDO = {  # the status the decision left, the registry move that undoes it, its name
    LicenceAct.SUSPEND: (LicenceStatus.SUSPENDED, PermitAction.RETURN, "发还"),
    LicenceAct.REVOKE: (LicenceStatus.REVOKED, PermitAction.RESTORE, "恢复"),
}


def _licence_moved_by_decision(case: Case):
    """The licence this case's decision suspended or revoked, if it is still in the status that decision left
    it in by the latest move on it (else None: returned, restored or moved since)."""
    undo = _LICENCE_UNDO.get(case.licence_act)
    if undo is None or not case.licence_id or case.penalty_type != PenaltyType.REVOKE:
        return None
    from zhifa.registry.models import Licence, PermitDecision

    lic = Licence.objects.get(pk=case.licence_id)
    last = PermitDecision.objects.filter(licence=lic).order_by("-decided_on", "-pk").first()
    if lic.status != undo[0] or last is None or last.doc_no != case.decision_no:
        return None
    return lic


def _licence_undo_on_revocation(case: Case, data: dict, actor, on: date) -> None:
    """撤销 of the decision by 复议/诉讼 (《中华人民共和国行政复议法》第六十四条, 《中华人民共和国行政诉讼法》第七十条):
    a licence this decision suspended, and still suspended by it, is returned (发还 before the period ends:
    the 暂扣 no longer stands); one it revoked, and still revoked by it, is restored (恢复, on the number of
    the 复议决定书/判决书, required by the guard). Once: a licence moved since is left alone."""
    lic = _licence_moved_by_decision(case)
    if lic is None:
        return
    from zhifa.registry.services import permit_decide

    _status, action, verb = _LICENCE_UNDO[case.licence_act]
    appeal_doc_no = str(data.get("appeal_doc_no") or "").strip()
    doc_no = appeal_doc_no or f"{case.decision_no}（撤销后{verb}）"
    reason = f"原行政处罚决定（{case.decision_no}）经{case.get_appeal_kind_display() or '复议/诉讼'}被撤销，{verb}证照"
    row = {"doc_no": doc_no, "decided_on": on.isoformat(), "reason": reason}
    if action == PermitAction.RETURN:
        row["early"] = "1"  # before the period ends: the 暂扣 decision no longer stands
    else:
        row["appeal_doc_no"] = appeal_doc_no
    permit_decide(
        action=action, data=row, actor=actor, licence=lic, authority=jurisdiction_of(case.org), today=on
    )


def g_propose(case, data, actor, on):
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


def e_propose(case, data, actor, on, after):
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


def e_notify(case, data, actor, on, after):
    case.notified_on = on
    st = ck.deadline("statement_period", on)
    after.append(lambda: ck.clock_set(case, ClockKind.STATEMENT, st, on))
    if case.hearing_right:
        hr = ck.deadline("hearing_request_period", on)
        after.append(lambda: ck.clock_set(case, ClockKind.HEARING_REQUEST, hr, on))


def g_notify(case, data, actor, on):
    if case.proposed_outcome != Outcome.PENALTY:
        raise CaseError.INVALID.error(detail="处理意见为给予行政处罚时才需告知")
    check_officers(case, on)


def e_statement(case, data, actor, on, after):
    case.statement_made = True
    after.append(lambda: ck.clock_meet(case, ClockKind.STATEMENT, on))
    if str(data.get("waive_hearing")).lower() in ("1", "true", "on", "yes"):
        after.append(lambda: ck.clock_meet(case, ClockKind.HEARING_REQUEST, on))


def g_hearing_request(case, data, actor, on):
    if not case.hearing_right:
        raise CaseError.HEARING_RIGHT.error()
    due = ck.deadline("hearing_request_period", case.notified_on).due
    if on > due:
        raise CaseError.HEARING_LATE.error(due=f"{due:%Y-%m-%d}")


def e_hearing_request(case, data, actor, on, after):
    case.hearing_requested_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.HEARING_REQUEST, on))


def g_hearing_notice(case, data, actor, on):
    hearing_on = _d(data, "hearing_on")
    if hearing_on is None:
        raise CaseError.INVALID.error(detail="请填写听证日期", fields={"hearing_on": "必填"})
    earliest = add_workdays(on, param("hearing_notice_before", on=on).value).date
    if hearing_on < earliest:
        raise CaseError.HEARING_NOTICE.error(earliest=f"{earliest:%Y-%m-%d}")


def e_hearing_notice(case, data, actor, on, after):
    case.hearing_noticed_on = on
    case.hearing_on = _d(data, "hearing_on")


def g_hearing_hold(case, data, actor, on):
    chair = _req(data, "chair", "听证主持人")
    names = {co.officer.name for co in active_officers(case)}
    if chair in names:
        raise CaseError.HEARING_CHAIR.error()
    _req(data, "record", "听证笔录摘要")


def e_hearing_hold(case, data, actor, on, after):
    case.hearing_held = True
    case.review_reasons = review_reasons(case)
    case.review_required = bool(case.review_reasons)


def _statement_window_open(case: Case, on: date) -> date | None:
    if case.statement_made or case.notified_on is None:
        return None
    due = ck.deadline("statement_period", case.notified_on).due
    if case.hearing_right:
        due = max(due, ck.deadline("hearing_request_period", case.notified_on).due)
    return due if on <= due else None


def g_submit_review(case, data, actor, on):
    if case.state == S.NOTIFIED:
        due = _statement_window_open(case, on)
        if due:
            raise CaseError.STATEMENT_PERIOD.error(due=f"{due:%Y-%m-%d}")


def g_review(case, data, actor, on):
    qual = ReviewerQualification.objects.filter(user=actor).first()
    if qual is None or not qual.qualified:
        raise CaseError.REVIEWER.error(detail=f"{actor} 未登记法律职业资格")
    if any(co.officer.user_id == actor.pk for co in active_officers(case)):
        raise CaseError.REVIEWER.error(detail="本案调查人员不得担任法制审核人员")
    _req(data, "opinion", "审核意见")


def e_review(case, data, actor, on, after):
    passed = str(data.get("passed", "true")).lower() in ("1", "true", "on", "yes")
    if passed:
        case.review_passed_on = on
        case.reviewer = actor
        return None
    case.review_passed_on = None
    return S.INVESTIGATED  # 审核未通过：退回补充调查，重新提出处理意见


def g_discuss(case, data, actor, on):
    attendees = [a for a in str(data.get("attendees") or "").replace("，", ",").split(",") if a.strip()]
    if len(attendees) < 3:
        raise CaseError.INVALID.error(detail="集体讨论出席负责人不少于三人", fields={"attendees": "至少三人"})
    _req(data, "minutes", "讨论记录")
    _req(data, "conclusion", "讨论结论")


def e_discuss(case, data, actor, on, after):
    case.discussed_on = on


def _decision_common_guards(case: Case, on: date) -> None:
    if case.limit_due and on > case.limit_due:
        raise CaseError.TIME_LIMIT.error(due=f"{case.limit_due:%Y-%m-%d}")


def g_decide(case, data, actor, on):
    if case.state == S.NOTIFIED:
        due = _statement_window_open(case, on)
        if due:
            raise CaseError.STATEMENT_PERIOD.error(due=f"{due:%Y-%m-%d}")
    if case.review_required and not case.review_passed_on:
        raise CaseError.REVIEW_REQUIRED.error(reasons="；".join(case.review_reasons))
    if case.discussion_required and not case.discussed_on:
        raise CaseError.DISCUSSION_REQUIRED.error()
    _decision_common_guards(case, on)
    check_officers(case, on)
    fine = _fen(data, "fine_fen")
    if fine is None:
        fine = case.proposed_fine_fen
    if case.penalty_type == PenaltyType.FINE and fine is not None and case.proposed_fine_fen is not None:
        if fine > case.proposed_fine_fen:
            raise CaseError.HEAVIER.error(notified=f"{case.proposed_fine_fen / 100:.2f}")
    lo, hi = case.benchmark_min_fen, case.benchmark_max_fen
    if fine is not None and lo is not None and hi is not None and not lo <= fine <= hi:
        reasons = str(data.get("deviation_reasons") or case.deviation_reasons or "").strip()
        if not reasons or not (case.review_passed_on or case.discussed_on):
            raise CaseError.DEVIATION.error(range=f"{lo / 100:.2f}–{hi / 100:.2f}元")


def e_decide(case, data, actor, on, after):
    fine = _fen(data, "fine_fen")
    case.fine_fen = fine if fine is not None else case.proposed_fine_fen
    if data.get("deviation_reasons"):
        case.deviation_reasons = data["deviation_reasons"]
    case.outcome = Outcome.PENALTY
    case.decided_on = on
    case.decided_by = actor
    case.decision_no = _decision_number(case, on.year, "罚")
    sv = ck.deadline("service_absent_party", on)
    after.append(lambda: ck.clock_meet(case, ClockKind.DECISION_LIMIT, on))
    after.append(lambda: ck.clock_set(case, ClockKind.SERVICE, sv, on))
    after.append(lambda: _emit_disclosure(case, on, actor))


def g_decide_no_penalty(case, data, actor, on):
    _req(data, "education_record", "教育记录")
    _req(data, "ground", "不予处罚理由")
    _decision_common_guards(case, on)


def e_decide_no_penalty(case, data, actor, on, after):
    case.outcome = Outcome.NO_PENALTY
    case.education_record = data["education_record"]
    case.decided_on = on
    case.decided_by = actor
    case.decision_no = _decision_number(case, on.year, "不罚")
    sv = ck.deadline("service_absent_party", on)
    after.append(lambda: ck.clock_meet(case, ClockKind.DECISION_LIMIT, on))
    after.append(lambda: ck.clock_set(case, ClockKind.SERVICE, sv, on))


def g_extend(case, data, actor, on):
    _req(data, "reason", "延期理由")
    if (
        case.extension_days
        and not case.discussed_on
        and not str(data.get("collective_minutes") or "").strip()
    ):
        raise CaseError.EXTENSION.error(detail="本案已延长过一次")


def e_extend(case, data, actor, on, after):
    case.extension_days += param("decision_time_extension", on=on).value
    dl = ck.decision_limit(case)
    case.limit_due = dl.due
    after.append(lambda: ck.clock_set(case, ClockKind.DECISION_LIMIT, dl, case.registered_on))


def g_serve(case, data, actor, on):
    method = data.get("method") or ""
    if method not in ServiceMethod.values:
        raise CaseError.INVALID.error(detail="请选择送达方式", fields={"method": "必填"})
    if method != ServiceMethod.PUBLIC_NOTICE and not str(data.get("proof") or "").strip():
        raise CaseError.SERVICE_PROOF.error()


def e_serve(case, data, actor, on, after):
    case.served_on = on
    case.service_method = data["method"]
    case.service_proof = str(data.get("proof") or "公告")
    after.append(lambda: ck.clock_meet(case, ClockKind.SERVICE, on))
    if case.outcome == Outcome.PENALTY and case.fine_fen:
        pd = ck.deadline("payment_period", on)
        case.payment_due = pd.due
        after.append(lambda: ck.clock_set(case, ClockKind.PAYMENT, pd, on))


def g_instalment(case, data, actor, on):
    _req(data, "reason", "确有经济困难的理由")
    if not _d(data, "defer_to"):
        raise CaseError.INVALID.error(detail="请填写延期/分期最后缴纳日期", fields={"defer_to": "必填"})


def e_instalment(case, data, actor, on, after):
    to = _d(data, "defer_to")
    case.instalments = [
        *case.instalments,
        {"due": to.isoformat(), "approved_on": on.isoformat(), "reason": data["reason"]},
    ]
    case.payment_due = to
    dl = ck.Deadline(to, "days", "《行政处罚法》第六十六条第二款", [f"经批准延期/分期缴纳至 {to:%Y-%m-%d}。"])
    after.append(lambda: ck.clock_set(case, ClockKind.PAYMENT, dl, on))


def current_surcharge(case: Case, until: date) -> tuple[int, str]:
    if not case.fine_fen or not case.payment_due:
        return 0, ""
    days = ck.late_days(case.payment_due, until, case.surcharge_pauses)
    return ck.surcharge(case.fine_fen, days)


def e_pay(case, data, actor, on, after):
    amount, _ = current_surcharge(case, on)
    case.paid_on = on
    case.surcharge_fen = amount
    case.paid_fen = _fen(data, "paid_fen") or (case.fine_fen or 0) + amount
    after.append(lambda: ck.clock_meet(case, ClockKind.PAYMENT, on))
    after.append(lambda: ck.clock_stop(case, ClockKind.COURT_REMINDER, ClockKind.COURT_WINDOW))


def g_pay(case, data, actor, on):
    amount, _ = current_surcharge(case, on)
    paid = _fen(data, "paid_fen")
    if paid is not None and paid < (case.fine_fen or 0) + amount:
        raise CaseError.INVALID.error(
            detail=f"应缴 {((case.fine_fen or 0) + amount) / 100:.2f} 元（含加处罚款）",
            fields={"paid_fen": "金额不足"},
        )


def g_remind(case, data, actor, on):
    if not case.payment_due or on <= case.payment_due:
        raise CaseError.NOT_OVERDUE.error(due=f"{case.payment_due:%Y-%m-%d}" if case.payment_due else "—")


def e_remind(case, data, actor, on, after):
    case.reminded_on = on
    w = ck.deadline("court_enforcement_reminder_wait", on)
    cw = ck.court_window(case)
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_REMINDER, w, on))
    after.append(lambda: ck.clock_set(case, ClockKind.COURT_WINDOW, cw, case.served_on))


def g_apply_court(case, data, actor, on):
    if not case.reminded_on:
        raise CaseError.REMINDER_WAIT.error(due="催告")
    wait = ck.deadline("court_enforcement_reminder_wait", case.reminded_on).due
    if on <= wait:
        raise CaseError.REMINDER_WAIT.error(due=f"{wait:%Y-%m-%d}")
    cw = ck.court_window(case)
    recon = ck.deadline("reconsideration_period", case.served_on).due
    litig = ck.deadline("litigation_period", case.served_on).due
    start = max(recon, litig)
    if on <= start or on > cw.due:
        raise CaseError.COURT_WINDOW.error(start=f"{start:%Y-%m-%d}", due=f"{cw.due:%Y-%m-%d}")


def e_apply_court(case, data, actor, on, after):
    case.court_applied_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_WINDOW, on))
    after.append(lambda: ck.clock_meet(case, ClockKind.COURT_REMINDER, on))


def e_enforced(case, data, actor, on, after):
    case.paid_on = case.paid_on or on


def g_appeal_file(case, data, actor, on):
    from ..enums import AppealKind

    if (data.get("kind") or "") not in AppealKind.values:
        raise CaseError.INVALID.error(detail="请选择复议或诉讼", fields={"kind": "必填"})
    if case.appeal_filed_on and not case.appeal_outcome:
        raise CaseError.INVALID.error(detail="已有未结的复议/诉讼")


def e_appeal_file(case, data, actor, on, after):
    case.appeal_kind = data["kind"]
    case.appeal_filed_on = on
    case.appeal_outcome = ""
    # 处罚法 Art 73 para 3: the surcharge is not counted during 复议/诉讼.
    case.surcharge_pauses = [*case.surcharge_pauses, [on.isoformat(), None]]
    after.append(lambda: ck.clock_pause(case, ClockKind.COURT_WINDOW, on))


def g_appeal_result(case, data, actor, on):
    if not case.appeal_filed_on or case.appeal_outcome:
        raise CaseError.INVALID.error(detail="没有未结的复议/诉讼")
    if (data.get("outcome") or "") not in AppealOutcome.values:
        raise CaseError.INVALID.error(detail="请选择复议/诉讼结果", fields={"outcome": "必填"})
    # a 吊销 undone by the 撤销 is restored (registry 恢复): on the number of the document that revoked it, and
    # by those who record a 吊销 (法制审核人员 or 负责人, registry ENDERS)
    if (
        data["outcome"] == AppealOutcome.REVOKED
        and case.licence_act == LicenceAct.REVOKE
        and _licence_moved_by_decision(case) is not None
    ):
        from zhifa.registry.services import PERMIT_MOVES

        roles = PERMIT_MOVES[PermitAction.RESTORE].roles
        if not actor.has_role(*roles):
            raise CaseError.ROLE.error(
                action="登记撤销吊销决定的复议/诉讼结果（恢复证照）",
                roles="、".join(Role(r).label for r in roles),
            )
        if not str(data.get("appeal_doc_no") or "").strip():
            detail = "原决定吊销了许可证件，撤销后恢复证照须依据撤销该决定的行政复议决定书或行政判决书，请填写其文号"
            raise CaseError.INVALID.error(detail=detail, fields={"appeal_doc_no": detail})


def e_appeal_result(case, data, actor, on, after):
    case.appeal_outcome = data["outcome"]
    pauses = [list(p) for p in case.surcharge_pauses]
    if pauses and pauses[-1][1] is None:
        pauses[-1][1] = on.isoformat()
    case.surcharge_pauses = pauses
    after.append(lambda: ck.clock_resume(case, ClockKind.COURT_WINDOW, on))
    if case.appeal_outcome == AppealOutcome.REVOKED:
        after.append(lambda: _licence_undo_on_revocation(case, data, actor, on))
    if case.appeal_outcome in (AppealOutcome.REVOKED, AppealOutcome.CONFIRMED_ILLEGAL, AppealOutcome.CHANGED):
        after.append(lambda: _withdraw_disclosure(case, on, actor, case.get_appeal_outcome_display()))
        if case.appeal_outcome == AppealOutcome.CHANGED and _fen(data, "new_fine_fen") is not None:
            case.fine_fen = _fen(data, "new_fine_fen")
            after.append(lambda: _emit_disclosure(case, on, actor))
        if case.appeal_outcome in (AppealOutcome.REVOKED, AppealOutcome.CONFIRMED_ILLEGAL):
            after.append(
                lambda: ck.clock_stop(
                    case, ClockKind.PAYMENT, ClockKind.COURT_REMINDER, ClockKind.COURT_WINDOW
                )
            )
    return None


def g_revoke_filing(case, data, actor, on):
    _req(data, "reason", "撤销立案理由")


def e_revoke_filing(case, data, actor, on, after):
    case.close_reason = data["reason"]
    after.append(lambda: ck.clock_stop(case, ClockKind.DECISION_LIMIT))


def g_close(case, data, actor, on):
    if case.procedure == Procedure.SUMMARY and not case.summary_filed_on:
        raise CaseError.SUMMARY_FILING.error()
    # A fine is performed by payment (登记缴款); a penalty without one (警告, 暂扣 or 吊销 of a licence) is
    # carried out by the served decision itself and the licence move it made, so it may be closed once served.
    if (
        case.state == S.SERVED
        and case.outcome == Outcome.PENALTY
        and case.fine_fen
        and case.appeal_outcome not in (AppealOutcome.REVOKED, AppealOutcome.CONFIRMED_ILLEGAL)
    ):
        raise CaseError.NOT_ALLOWED.error(state=case.get_state_display(), action="结案（罚款尚未履行）")
    from ..check import case_check_run

    result = case_check_run(case=case, actor=actor, on=on, save=True)
    vetoes = [f for f in result.findings if f["veto"]]
    if vetoes:
        raise CaseError.CHECK_VETO.error(detail="；".join(f["label"] for f in vetoes))


def e_close(case, data, actor, on, after):
    case.closed_on = on
    case.close_reason = str(
        data.get("reason")
        or case.close_reason
        or {
            Outcome.PENALTY: "处罚决定已执行完毕",
            Outcome.NO_PENALTY: "不予行政处罚",
            Outcome.TRANSFER: "已移送",
        }.get(case.outcome, "撤销立案")
    )
    after.append(lambda: ck.clock_stop(case, *ClockKind.values))
    after.append(lambda: case_closed_schedule(case.pk))  # feeders' follow-ups, after commit


def e_archive(case, data, actor, on, after):
    case.archived_on = on


def e_summary_file(case, data, actor, on, after):
    case.summary_filed_on = on
    after.append(lambda: ck.clock_meet(case, ClockKind.SUMMARY_FILING, on))


def _emit_disclosure(case: Case, on: date, actor) -> None:
    from zhifa.disclosure.services import disclosure_record_emit

    disclosure_record_emit(kind="penalty", source=case, decided_on=on, actor=actor)


def _withdraw_disclosure(case: Case, on: date, actor, reason: str) -> None:
    from zhifa.disclosure.services import disclosure_record_withdraw

    disclosure_record_withdraw(source=case, changed_on=on, reason=f"复议/诉讼结果：{reason}", actor=actor)


# --------------------------------------------------------------------------------------------------
# the table of allowed moves
# --------------------------------------------------------------------------------------------------

_OFFICERS_FIELD = FieldSpec("officer_ids", "执法人员（至少两名持证人员）", "officers", True)
_BOTH = (Procedure.ORDINARY, Procedure.SUMMARY)
_PRE = tuple(s for s in OPEN_BEFORE_DECISION if s != S.FILING)

MOVES: dict[str, Move] = {
    m.action: m
    for m in [
        Move(
            "register",
            "批准立案",
            (S.FILING,),
            S.INVESTIGATING,
            (HEAD,),
            documents=("立案登记表",),
            guard=g_register,
            effect=e_register,
        ),
        Move(
            "assign_officers",
            "指派执法人员",
            (S.FILING, *_PRE),
            None,
            (OFFICER, HEAD),
            fields=(_OFFICERS_FIELD, FieldSpec("lead_id", "主办人员编号", "int")),
            guard=g_assign,
            effect=e_assign,
        ),
        Move(
            "recusal_request",
            "回避申请",
            _PRE,
            None,
            ANY_BUSINESS,
            fields=(
                FieldSpec("officer_id", "申请回避的执法人员编号", "int", True),
                FieldSpec("applicant", "申请人", required=True),
                FieldSpec("reason", "理由", "textarea", True),
            ),
        ),
        Move(
            "recusal_decide",
            "回避决定",
            _PRE,
            None,
            (HEAD,),
            fields=(
                FieldSpec("officer_id", "执法人员编号", "int", True),
                FieldSpec("granted", "准予回避", "bool"),
                FieldSpec("reason", "理由", "textarea", True),
            ),
            guard=g_recusal_decide,
            effect=e_recusal_decide,
        ),
        Move(
            "record",
            "调查取证记录（笔录）",
            (S.INVESTIGATING,),
            None,
            (OFFICER, HEAD),
            fields=(
                FieldSpec(
                    "kind",
                    "笔录种类",
                    "choice",
                    True,
                    (("询问笔录", "询问笔录"), ("勘验笔录", "勘验笔录"), ("现场笔录", "现场笔录")),
                ),
                FieldSpec("content", "笔录内容", "textarea", True),
            ),
            field_step=True,
        ),
        Move(
            "end_investigation",
            "调查终结（调查报告）",
            (S.INVESTIGATING,),
            S.INVESTIGATED,
            (OFFICER, HEAD),
            fields=(FieldSpec("report", "调查终结报告", "textarea", True),),
            guard=g_end_investigation,
        ),
        Move(
            "propose",
            "负责人审查处理意见",
            (S.INVESTIGATED,),
            S.PROPOSED,
            (HEAD,),
            fields=(
                FieldSpec("outcome", "处理意见", "choice", True, tuple(Outcome.choices)),
                FieldSpec("penalty_type", "处罚种类", "choice", False, tuple(PenaltyType.choices)),
                FieldSpec(
                    "licence_act", "证照处罚（第九条第（三）项）", "choice", False, tuple(LicenceAct.choices)
                ),
                FieldSpec("licence_number", "拟暂扣、吊销的证照编号（当事人的证照）"),
                FieldSpec("licence_suspend_months", "暂扣期限（月）", "int"),
                FieldSpec("proposed_fine_fen", "拟罚款（分）", "money"),
                FieldSpec("tier", "裁量阶次", "choice", False, tuple(Tier.choices)),
                FieldSpec("tier_reasons", "裁量理由", "textarea"),
                FieldSpec("benchmark_min_fen", "裁量基准下限（分）", "money"),
                FieldSpec("benchmark_max_fen", "裁量基准上限（分）", "money"),
                FieldSpec("complex_case", "情节复杂或重大违法", "bool"),
                FieldSpec("major_public_interest", "涉及重大公共利益", "bool"),
                FieldSpec("transfer_to", "移送机关（移送时）"),
            ),
            guard=g_propose,
            effect=e_propose,
        ),
        Move(
            "notify",
            "告知（违法行为通知书）",
            (S.PROPOSED,),
            S.NOTIFIED,
            (OFFICER, HEAD),
            documents=("违法行为通知书",),
            guard=g_notify,
            effect=e_notify,
            field_step=True,
        ),
        Move(
            "statement",
            "陈述申辩/放弃",
            (S.NOTIFIED,),
            None,
            (OFFICER, HEAD),
            fields=(
                FieldSpec("content", "陈述申辩内容（放弃的写明放弃）", "textarea", True),
                FieldSpec("adopted", "意见成立并采纳", "bool"),
                FieldSpec("waive_hearing", "放弃听证", "bool"),
            ),
            effect=e_statement,
        ),
        Move(
            "hearing_request",
            "申请听证",
            (S.NOTIFIED,),
            S.HEARING_REQUESTED,
            (OFFICER, HEAD),
            guard=g_hearing_request,
            effect=e_hearing_request,
        ),
        Move(
            "hearing_notice",
            "听证通知",
            (S.HEARING_REQUESTED,),
            S.HEARING_SCHEDULED,
            (OFFICER, HEAD),
            fields=(
                FieldSpec("hearing_on", "听证日期", "date", True),
                FieldSpec("place", "听证地点", required=True),
            ),
            documents=("听证通知书",),
            guard=g_hearing_notice,
            effect=e_hearing_notice,
        ),
        Move(
            "hearing_hold",
            "举行听证（听证笔录）",
            (S.HEARING_SCHEDULED,),
            S.HEARD,
            (OFFICER, HEAD),
            fields=(
                FieldSpec("chair", "主持人（非本案调查人员）", required=True),
                FieldSpec("record", "听证笔录摘要", "textarea", True),
            ),
            documents=("听证笔录",),
            guard=g_hearing_hold,
            effect=e_hearing_hold,
        ),
        Move(
            "submit_review",
            "提交法制审核",
            (S.NOTIFIED, S.HEARD, S.DISCUSSED),
            S.UNDER_REVIEW,
            (OFFICER, HEAD),
            guard=g_submit_review,
        ),
        Move(
            "review",
            "法制审核",
            (S.UNDER_REVIEW,),
            S.REVIEWED,
            (REVIEWER,),
            fields=(
                FieldSpec("passed", "审核通过", "bool"),
                FieldSpec("opinion", "审核意见", "textarea", True),
            ),
            documents=("法制审核意见书",),
            guard=g_review,
            effect=e_review,
        ),
        Move(
            "discuss",
            "集体讨论",
            (S.NOTIFIED, S.HEARD, S.REVIEWED),
            S.DISCUSSED,
            (HEAD,),
            fields=(
                FieldSpec("attendees", "出席负责人（逗号分隔）", required=True),
                FieldSpec("minutes", "讨论记录", "textarea", True),
                FieldSpec("conclusion", "结论", "textarea", True),
            ),
            documents=("集体讨论记录",),
            guard=g_discuss,
            effect=e_discuss,
        ),
        Move(
            "decide",
            "作出处罚决定",
            (S.NOTIFIED, S.HEARD, S.REVIEWED, S.DISCUSSED),
            S.DECIDED,
            (HEAD,),
            fields=(
                FieldSpec("fine_fen", "罚款（分）", "money"),
                FieldSpec("deviation_reasons", "偏离裁量基准理由", "textarea"),
            ),
            documents=("行政处罚决定书",),
            guard=g_decide,
            effect=e_decide,
            settle=s_decide_licence,
        ),
        Move(
            "decide_no_penalty",
            "不予行政处罚决定",
            (S.INVESTIGATED, S.PROPOSED, S.NOTIFIED, S.HEARD, S.REVIEWED, S.DISCUSSED),
            S.DECIDED,
            (HEAD,),
            fields=(
                FieldSpec("ground", "不予处罚理由（第三十三条情形）", "textarea", True),
                FieldSpec("education_record", "教育记录", "textarea", True),
            ),
            documents=("不予行政处罚决定书",),
            guard=g_decide_no_penalty,
            effect=e_decide_no_penalty,
        ),
        Move(
            "extend",
            "延长办案期限",
            _PRE,
            None,
            (HEAD,),
            fields=(
                FieldSpec("reason", "延期理由", "textarea", True),
                FieldSpec("collective_minutes", "集体讨论记录（再次延长）", "textarea"),
            ),
            guard=g_extend,
            effect=e_extend,
        ),
        Move(
            "serve",
            "送达决定书（送达回证）",
            (S.DECIDED,),
            S.SERVED,
            (OFFICER, HEAD),
            fields=(
                FieldSpec("method", "送达方式", "choice", True, tuple(ServiceMethod.choices)),
                FieldSpec("proof", "送达回证编号/凭证"),
            ),
            documents=("送达回证",),
            guard=g_serve,
            effect=e_serve,
            field_step=True,
        ),
        Move(
            "instalment",
            "批准延期/分期缴纳",
            (S.SERVED, S.EXECUTING),
            None,
            (HEAD,),
            _BOTH,
            fields=(
                FieldSpec("defer_to", "延期/分期最后缴纳日期", "date", True),
                FieldSpec("reason", "理由", "textarea", True),
            ),
            guard=g_instalment,
            effect=e_instalment,
        ),
        Move(
            "pay",
            "登记缴款",
            (S.SERVED, S.EXECUTING),
            S.PERFORMED,
            (OFFICER, HEAD),
            _BOTH,
            fields=(FieldSpec("paid_fen", "缴款金额（分，含加处罚款）", "money"),),
            guard=g_pay,
            effect=e_pay,
        ),
        Move(
            "remind",
            "催告",
            (S.SERVED, S.EXECUTING),
            S.EXECUTING,
            (OFFICER, HEAD),
            _BOTH,
            documents=("催告书",),
            guard=g_remind,
            effect=e_remind,
        ),
        Move(
            "apply_court",
            "申请法院强制执行",
            (S.EXECUTING,),
            None,
            (HEAD,),
            _BOTH,
            guard=g_apply_court,
            effect=e_apply_court,
        ),
        Move(
            "enforced",
            "强制执行完毕",
            (S.EXECUTING,),
            S.PERFORMED,
            (HEAD,),
            _BOTH,
            fields=(FieldSpec("note", "执行情况", "textarea", True),),
            effect=e_enforced,
        ),
        Move(
            "appeal_file",
            "登记复议/诉讼",
            (S.DECIDED, S.SERVED, S.EXECUTING, S.PERFORMED),
            None,
            (OFFICER, HEAD, REVIEWER),
            _BOTH,
            fields=(
                FieldSpec(
                    "kind",
                    "类型",
                    "choice",
                    True,
                    (("reconsideration", "行政复议"), ("litigation", "行政诉讼")),
                ),
            ),
            guard=g_appeal_file,
            effect=e_appeal_file,
        ),
        Move(
            "appeal_result",
            "登记复议/诉讼结果",
            (S.DECIDED, S.SERVED, S.EXECUTING, S.PERFORMED),
            None,
            (OFFICER, HEAD, REVIEWER),
            _BOTH,
            fields=(
                FieldSpec("outcome", "结果", "choice", True, tuple(AppealOutcome.choices)),
                FieldSpec("new_fine_fen", "变更后罚款（分）", "money"),
                FieldSpec("appeal_doc_no", "复议决定书/判决书文号（撤销暂扣、吊销证照决定时据以发还、恢复）"),
            ),
            guard=g_appeal_result,
            effect=e_appeal_result,
        ),
        Move(
            "revoke_filing",
            "撤销立案",
            (S.INVESTIGATING, S.INVESTIGATED, S.PROPOSED),
            S.REVOKED,
            (HEAD,),
            fields=(FieldSpec("reason", "撤销理由", "textarea", True),),
            guard=g_revoke_filing,
            effect=e_revoke_filing,
        ),
        Move(
            "summary_file",
            "当场处罚决定书备案",
            (S.SERVED, S.PERFORMED),
            None,
            (OFFICER, HEAD),
            (Procedure.SUMMARY,),
            effect=e_summary_file,
        ),
        Move(
            "close",
            "结案",
            (S.PERFORMED, S.TRANSFERRED, S.REVOKED, S.SERVED),
            S.CLOSED,
            (HEAD,),
            _BOTH,
            documents=("结案报告",),
            guard=g_close,
            effect=e_close,
        ),
        Move("archive", "归档", (S.CLOSED,), S.ARCHIVED, (OFFICER, HEAD), _BOTH, effect=e_archive),
    ]
}

# Moves the law forbids from particular states get the article's own message instead of the generic one.
FORBIDDEN: dict[tuple[str, str], CaseError] = {
    **{("decide", s): CaseError.NOTICE for s in (S.FILING, S.INVESTIGATING, S.INVESTIGATED, S.PROPOSED)},
    **{("decide", s): CaseError.HEARING_PENDING for s in (S.HEARING_REQUESTED, S.HEARING_SCHEDULED)},
    ("decide", S.UNDER_REVIEW): CaseError.REVIEW_REQUIRED,
    ("register", S.INVESTIGATING): CaseError.NOT_ALLOWED,
}


def allowed_moves(case: Case, actor: User) -> list[Move]:
    """Moves that the table allows from the case's state for this actor (guards not evaluated)."""
    return [
        m
        for m in MOVES.values()
        if case.state in m.from_states and case.procedure in m.procedures and actor.has_role(*m.roles)
    ]


def _snapshot(case: Case) -> dict:
    return {
        "state": case.state,
        "version": case.version,
        "fine_fen": case.fine_fen,
        "proposed_fine_fen": case.proposed_fine_fen,
        "decided_on": str(case.decided_on or ""),
    }


_WRITABLE = [f.attname for f in Case._meta.concrete_fields if f.name not in ("id", "created_at", "version")]


@transaction.atomic
def case_transition(
    *,
    case: Case,
    action: str,
    actor: User,
    data: dict | None = None,
    expected_version: int | None = None,
    on: date | None = None,
) -> Case:
    """Perform ``action`` on ``case`` (see module docstring). Returns the updated case."""
    data = dict(data or {})
    on = on or _d(data, "on") or timezone.localdate()
    move = MOVES.get(action)
    if move is None:
        raise CaseError.INVALID.error(detail=f"未知环节“{action}”", fields={"action": "取值无效"})
    current = Case.objects.select_related("org", "source").get(pk=case.pk)
    expected = current.version if expected_version is None else int(expected_version)
    if current.version != expected:
        raise CaseError.CONFLICT.error()
    if not actor.has_role(*move.roles):
        raise CaseError.ROLE.error(action=move.label, roles="、".join(Role(r).label for r in move.roles))
    if actor.org_id is None or not current.org.is_within(jurisdiction_of(actor.org)):
        raise CaseError.ROLE.error(action=move.label, roles="本单位人员")
    if current.state not in move.from_states or current.procedure not in move.procedures:
        hint = FORBIDDEN.get((action, current.state))
        if hint is CaseError.REVIEW_REQUIRED:
            raise hint.error(reasons="；".join(current.review_reasons) or "审核尚未完成")
        if hint is not None and hint is not CaseError.NOT_ALLOWED:
            raise hint.error()
        raise CaseError.NOT_ALLOWED.error(state=current.get_state_display(), action=move.label)
    for spec in move.fields:
        if spec.required and spec.kind not in ("bool",) and str(data.get(spec.name) or "").strip() == "":
            raise CaseError.INVALID.error(detail=f"{spec.label}不能为空", fields={spec.name: "必填"})
    if move.guard:
        move.guard(current, data, actor, on)
    before = _snapshot(current)
    working = copy.copy(current)
    after: list[Callable] = []
    to_state = move.to_state
    if move.effect:
        override = move.effect(working, data, actor, on, after)
        if override is not None:
            to_state = override
    state_from = current.state
    if to_state:
        working.state = to_state
    values = {k: getattr(working, k) for k in _WRITABLE}
    values["updated_at"] = timezone.now()
    updated = Case.objects.filter(pk=current.pk, version=expected).update(**values, version=expected + 1)
    if updated != 1:
        raise CaseError.CONFLICT.error()
    working.version = expected + 1
    for fn in after:
        fn()
    templates = (str(data.get("kind")),) if action == "record" else move.documents
    docs = issue_documents(working, templates, on, actor, data)
    numbered = [
        d["number"]
        for d in docs
        if d.get("template") in ("行政处罚决定书", "不予行政处罚决定书") and d.get("number")
    ]
    if numbered:  # the bureau's 文号 from the documents module replaces the provisional number
        working.decision_no = numbered[0]
        Case.objects.filter(pk=working.pk).update(decision_no=numbered[0])
    if move.settle:
        move.settle(working, actor, on)
    clean = {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in data.items()
        if k not in ("version", "csrfmiddlewaretoken", "on")
    }
    CaseStep.objects.create(
        case=working,
        action=action,
        label=move.label,
        state_from=state_from,
        state_to=working.state,
        on=on,
        actor=actor,
        actor_name=str(actor),
        data=clean,
        documents=docs,
    )
    audit_record(
        action=f"case.{action}",
        actor=actor,
        target=working,
        before=before,
        after=_snapshot(working),
        detail={"step": move.label, "on": on.isoformat(), "documents": [d.get("template") for d in docs]},
    )
    return working
