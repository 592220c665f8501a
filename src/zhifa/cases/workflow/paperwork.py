"""Numbers and documents of a case: 案号 and decision numbers, the template of each document the table
names, the context every document is rendered with, and issuing them through ``zhifa.documents``."""

from __future__ import annotations

from datetime import date

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.money import yuan_text

from ..enums import PenaltyType
from ..models import Case
from .base import active_officers
from .enforce import court_context
from .hearing import hearing_context, hearing_statements
from .seizure import measures_context
from .wording import cn_date, contact_for, notice_rights, remedy_for, service_facts


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
    "听证报告": "hearing_report",
    "行政处罚决定书": "penalty_decision",
    "不予行政处罚决定书": "no_penalty_decision",
    "送达回证": "service_receipt",
    "催告书": "reminder",
    "结案报告": "closing_report",
    "法制审核意见书": "legal_review_opinion",
    "集体讨论记录": "collective_discussion",
    # --- enforce (issue 14) ---
    "先行登记保存通知书": "preservation_notice",
    "证据登记保存清单": "preservation_list",
    "解除证据登记保存决定书": "preservation_release",
    "行政强制措施决定书": "seizure_decision",
    "查封扣押清单": "seizure_list",
    "延长行政强制措施期限通知书": "seizure_extension",
    "解除行政强制措施决定书": "seizure_release",
    "强制执行申请书": "court_application",
    "延期（分期）缴纳罚款决定书": "instalment_decision",  # money (issue 14)
}
UNNUMBERED = {"询问笔录", "勘验笔录", "现场笔录", "听证笔录", "送达回证", "结案报告", "集体讨论记录"}
UNNUMBERED |= {"证据登记保存清单", "查封扣押清单"}  # enforce (issue 14): the lists go with their numbered notice
UNNUMBERED |= {"听证报告"}  # hearing (issue 14): the chair's report is internal


def _yuan(fen: int | None) -> str:
    return yuan_text(fen or 0)


def _owed(case: Case, on: date) -> dict:
    """What is still owed on ``on`` (the 催告书's amount): fine balance and surcharge (money, issue 14)."""
    from .payment import ledger

    if not case.fine_fen or not case.served_on:
        return {}
    led = ledger(case, on)
    out = {"amount_fen": led.balance_fen or None}
    if led.fine_paid_fen or led.surcharge_fen:
        out["content"] = (
            f"缴纳罚款{_yuan(case.fine_fen)}（已缴{_yuan(led.fine_paid_fen)}），尚欠罚款{_yuan(led.fine_outstanding_fen)}"
            f"及加处罚款{_yuan(led.surcharge_outstanding_fen)}（《中华人民共和国行政处罚法》第七十二条第一款第（一）项）"
        )
    return out


def _instalment(case: Case) -> dict:
    from .payment import instalment_text

    req = case.instalment_request or {}
    if not req:
        return {}
    return {
        "applied_on": f"{date.fromisoformat(req['applied_on']):%Y年%m月%d日}",
        "reason": req.get("reason", ""),
        "text": instalment_text(case),
        "opinion": req.get("opinion", ""),
    }


def _remedy(case: Case) -> dict:
    """The decision's 救济 by procedure and decision date (``wording.remedy_for``)."""
    return remedy_for(case)


def _hearing_day(value) -> str:
    if value in (None, ""):
        return ""
    return cn_date(value if isinstance(value, date) else date.fromisoformat(str(value)))


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
            # 违法行为通知书: the time and place of the act (处罚法 Art 44: facts)
            "occurred_at": cn_date(case.occurred_on),
            "place": case.location,
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
        "proposed": {
            "penalty": penalty,
            "tier": case.get_tier_display() if case.tier else "",
            "reasons": case.tier_reasons,
        },
        # 违法行为通知书: 陈述申辩 period and, where Art 63 applies, the 听证 window (Art 44, 45, 63, 64)
        **notice_rights(case, on),
        "contact": contact_for(case, officers[0]["name"] if officers else ""),
        # hearing (issue 14): notice particulars, agents, investigators, the 笔录 and its signature, the report
        "hearing": {
            **hearing_context(case, data),
            "at": _hearing_day(data.get("hearing_on") or case.hearing_on),
            "applied_on": cn_date(case.hearing_requested_on),
        },
        "agents": "；".join(f"{a['name']}（{a['authorization']}）" for a in case.hearing_agents) or "无",
        "investigators": "、".join(o["name"] for o in officers),
        "statements": hearing_statements(data),
        "evidence": evidence,
        "penalty": {
            "content": penalty,
            "tier": case.get_tier_display() if case.tier else "",
            "reasons": case.tier_reasons,
            "fine_fen": fine if case.penalty_type == PenaltyType.FINE and fine else None,  # 大写 in the decision
        },
        "payment": {"method": "到指定银行或者通过电子支付系统缴纳罚款（罚缴分离）"},
        "remedy": _remedy(case),
        "no_penalty": {
            "reason": str(data.get("ground") or ""),
            "basis": "《中华人民共和国行政处罚法》第三十三条",
        },
        "education": str(data.get("education_record") or case.education_record or ""),
        "items": [
            {
                "name": "不予行政处罚决定书" if case.outcome == "no_penalty" else "行政处罚决定书",
                "number": case.decision_no or case.number,
            }
        ],
        "servers": "、".join(o["name"] for o in officers),
        "witness": str((case.service_detail or {}).get("witness") or data.get("witness") or ""),
        "recipient": {"name": case.party_name},
        "service": service_facts(case, data),
        "decision": {
            "number": case.decision_no,
            "date": f"{case.decided_on:%Y年%m月%d日}" if case.decided_on else "",
            "summary": f"{case.get_outcome_display() or '—'}：{penalty if case.outcome == 'penalty' else ''}",
        },
        "obligation": {"content": f"缴纳罚款{_yuan(case.fine_fen)}", **_owed(case, on)},
        "instalment": _instalment(case),
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
        **_enforce_context(case, data),
    }


def _enforce_context(case: Case, data: dict) -> dict:
    """enforce (issue 14): ``preservation.*``, ``seizure.*`` and ``court.*`` of the measures' documents."""
    return {**measures_context(case, data), **court_context(case)}


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
