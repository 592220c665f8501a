"""From a source object (Case, Licence, inspection record, anything with ``disclosure_payload``) to the
internal data items, the subject, the known personal data to scrub, and any reason not to publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.cases.enums import PenaltyType
from zhifa.core.money import yuan_text

from . import rules
from .masking import _KIND_KEYS
from .models import DisclosureKind, Severity, SubjectKind

PENALTY_LABELS = dict(PenaltyType.choices)  # 处罚类别, the case's own catalogue (处罚法 Art 9)


@dataclass
class Built:
    items: dict
    subject_kind: str = ""
    subject_name: str = ""
    subject_code: str = ""
    subject_ref: str = ""
    related_refs: list = field(default_factory=list)
    plate: str = ""
    doc_no: str = ""
    violation_code: str = ""
    severity: str = ""
    severity_basis: str = ""
    secrets: list = field(default_factory=list)
    names: list = field(default_factory=list)
    not_public_reason: str = ""
    counts_for_credit: bool = True


def wan(fen: int | None) -> str:
    """Fen -> 万元 with 6 decimals (the 双公示 amount format)."""
    if not fen:
        return ""
    return f"{fen / 1_000_000:.6f}"


def _decrypt(token: str, purpose: str) -> str:
    if not token:
        return ""
    try:
        from zhifa.core.crypto import decrypt_field

        return decrypt_field(token, purpose=purpose)
    except Exception:  # noqa: BLE001 - a key rotation must not stop the masking of what we do know
        return ""


def _person_secrets(person) -> list[str]:
    if person is None:
        return []
    return [
        _decrypt(person.idcard_enc, "person.idcard"),
        _decrypt(person.phone_enc, "person.phone"),
        person.idcard_masked,
        person.phone_masked,
    ]


def _is_minor(person, on: date) -> bool:
    if person is None or not getattr(person, "birth_date", None):
        return False
    b = person.birth_date
    age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    return age < 18


def build(kind: str, source, decided_on: date, *, items: dict | None = None, confidential: str = "") -> Built:
    label = source._meta.label_lower if hasattr(source, "_meta") else ""
    if items is not None:
        b = _from_items(items)
    elif kind == DisclosureKind.PENALTY and label == "cases.case":
        b = _from_case(source, decided_on)
    elif kind == DisclosureKind.PERMIT and label == "registry.permitdecision":
        b = _from_licence(source.licence, decided_on, decision=source)
    elif kind == DisclosureKind.PERMIT and label == "registry.licence":
        b = _from_licence(source, decided_on, decision=_current_decision(source))
    else:
        fn = getattr(source, "disclosure_payload", None)
        raw = fn() if callable(fn) else _default_payload(source)
        b = _from_generic(kind, raw, source, decided_on)
    b.items.setdefault("decided_on", decided_on.isoformat())
    if confidential:
        b.not_public_reason = confidential
    return b


def _default_payload(source) -> dict:
    fields = ("number", "decision_no", "party_name", "violation_name", "penalty_article", "fine_fen", "facts")
    return {f: getattr(source, f) for f in fields if hasattr(source, f)}


def _from_items(items: dict) -> Built:
    items = dict(items)

    def _list(v) -> list[str]:
        return [str(s) for s in (v.split("|") if isinstance(v, str) else (v or [])) if s]

    secrets, names = _list(items.pop("_secrets", [])), _list(items.pop("_names", []))
    subject_ref = str(items.pop("_subject_ref", "") or "")
    severity_basis = str(items.pop("_severity_basis", "") or "")
    items = {k: ("" if v is None else str(v)) for k, v in items.items()}
    sev = items.pop("severity", "")
    return Built(
        items=items,
        subject_kind=_KIND_KEYS.get(items.get("subject_kind", ""), ""),
        subject_name=items.get("subject_name", ""),
        subject_code=items.get("subject_code", ""),
        subject_ref=subject_ref,
        plate=items.get("plate", ""),
        doc_no=items.get("doc_no", ""),
        violation_code=items.pop("violation_code", ""),
        severity=sev if sev in Severity.values else "",
        severity_basis=severity_basis or ("导入数据" if sev else ""),
        secrets=secrets,
        names=names,
    )


def _unit(org) -> tuple[str, str]:
    """The deciding unit of ``org`` (its 交通运输局) as (name, 统一社会信用代码)."""
    if org is None:
        return "", ""
    unit = jurisdiction_of(org)
    return unit.name, unit.uscc


def _from_case(case, decided_on: date) -> Built:
    ent, person, vehicle = case.enterprise, case.person, case.vehicle
    if case.party_kind == "org":
        sk = SubjectKind.ORG
    else:
        sk = SubjectKind.INDIVIDUAL_BUSINESS if ent is not None else SubjectKind.PERSON
    fine = case.fine_fen or 0
    ptype = case.penalty_type or ""
    content = case.licence_penalty_text() or PENALTY_LABELS.get(ptype, "")
    if ptype == "fine" or fine:
        content = f"罚款人民币{yuan_text(fine)}"  # two decimals, like the decision (money, issue 14)
    severity, basis = rules.severity_for(
        decided_on=decided_on, violation_code=case.violation_code, penalty_type=ptype, procedure=case.procedure
    )
    agency, agency_code = _unit(case.org)
    items = {
        "subject_name": case.party_name,
        "subject_kind": SubjectKind(sk).label,
        "subject_code": ent.uscc if ent is not None else "",
        "legal_rep": ent.legal_rep if ent is not None and sk == SubjectKind.ORG else "",
        "doc_no": case.decision_no,
        "violation_type": case.violation_name,
        "facts": case.facts,
        "basis": case.penalty_article,
        "penalty_category": PENALTY_LABELS.get(ptype, ""),
        "penalty_content": content,
        "fine_wan": wan(fine),
        "licence_revoked": case.licence_moved,
        "decided_on": decided_on.isoformat(),
        "agency": agency,
        "agency_code": agency_code,
        "source_unit": agency,
        "source_unit_code": agency_code,
        "plate": vehicle.plate if vehicle is not None else "",
    }
    secrets = [case.party_address, *_person_secrets(person)]
    if sk == SubjectKind.PERSON:
        secrets.append(case.party_code)
    b = Built(
        items=items,
        subject_kind=sk,
        subject_name=case.party_name,
        subject_code=items["subject_code"],
        subject_ref=_ref(ent, person, vehicle) or _party_ref(case),
        related_refs=[f"vehicle:{vehicle.pk}"] if vehicle is not None and (ent or person) else [],
        plate=items["plate"],
        doc_no=case.decision_no,
        violation_code=case.violation_code,
        severity=severity,
        severity_basis=basis,
        secrets=secrets,
    )
    if case.outcome and case.outcome != "penalty":
        b.not_public_reason = "未作出行政处罚决定（不予处罚或移送），不属于行政处罚信息"
        b.counts_for_credit = False
    elif _is_minor(person, decided_on):
        b.not_public_reason = "当事人为未成年人，依法不予公示（处罚法第五十条；省级公示办法第五条）"
    return b


def _ref(ent=None, person=None, vehicle=None) -> str:
    if ent is not None:
        return f"enterprise:{ent.pk}"
    if person is not None:
        return f"person:{person.pk}"
    if vehicle is not None:
        return f"vehicle:{vehicle.pk}"
    return ""


def _party_ref(case) -> str:
    """A party the case did not link to the register, resolved against it (one credit file per subject):
    an organisation by its 统一社会信用代码, a person by a full ID number (a masked one matches nothing)."""
    from zhifa.registry.selectors import subject_resolve

    code = (case.party_code or "").strip()
    if not code:
        return ""
    return subject_resolve(uscc=code) if case.party_kind == "org" else subject_resolve(idcard=code)


def _current_decision(lic):
    """The licence's latest decision that granted something (准予许可/变更/延续), if zhifa recorded one."""
    from zhifa.registry.enums import PermitAction

    return (
        lic.decisions.filter(action__in=(PermitAction.GRANT, PermitAction.CHANGE, PermitAction.RENEWAL))
        .select_related("authority")
        .order_by("-decided_on", "-pk")
        .first()
    )


def _from_licence(lic, decided_on: date, *, decision=None) -> Built:
    """A 行政许可 record: the holder from the licence, the decision's own data items from ``decision`` (a
    ``registry.PermitDecision``). A licence registered without its decision (an import) has no 决定文书号
    or 许可类别: those items stay empty and the record is held back, never filled with guesses."""
    ent, person, vehicle = lic.enterprise, lic.person, lic.vehicle
    if ent is not None:
        sk, name, code = SubjectKind.ORG, ent.name, ent.uscc
    elif person is not None:
        sk, name, code = SubjectKind.PERSON, person.name, ""
    else:
        owner = vehicle.enterprise if vehicle is not None else None
        sk = SubjectKind.ORG
        name, code = (owner.name, owner.uscc) if owner else (vehicle.plate if vehicle else "", "")
    source_unit, source_unit_code = _unit(lic.org)
    if decision is not None:
        agency, agency_code = decision.authority.name, decision.authority.uscc
        valid_from, valid_to = decision.valid_from or lic.valid_from, decision.valid_to or lic.valid_to
        doc = {
            "doc_name": decision.doc_name,
            "doc_no": decision.doc_no,
            "permit_category": decision.get_category_display(),
            "certificate_name": decision.certificate_name,
            "permit_no": decision.certificate_no,
            "permit_content": decision.content,
            "decided_on": decision.decided_on.isoformat(),
            "status": decision.get_status_after_display(),
        }
    else:
        agency, agency_code = lic.issuing_authority, ""
        valid_from, valid_to = lic.valid_from, lic.valid_to
        doc = {
            "doc_name": "",
            "doc_no": "",
            "permit_category": "",
            "certificate_name": lic.get_kind_display(),
            "permit_no": lic.number,
            "permit_content": lic.scope or lic.get_kind_display(),
            "decided_on": decided_on.isoformat(),
            "status": lic.get_status_display(),
        }
    items = {
        "subject_name": name,
        "subject_kind": SubjectKind(sk).label,
        "subject_code": code,
        "legal_rep": ent.legal_rep if ent is not None else "",
        **doc,
        "valid_from": valid_from.isoformat(),
        # 2099-12-31 = 长期 in the national data items
        "valid_to": "2099-12-31" if valid_to.year >= 2099 else valid_to.isoformat(),
        "agency": agency,
        "agency_code": agency_code,
        "source_unit": source_unit,
        "source_unit_code": source_unit_code,
        "plate": vehicle.plate if vehicle is not None else "",
    }
    return Built(
        items=items,
        subject_kind=sk,
        subject_name=name,
        subject_code=code,
        subject_ref=_ref(ent, person, vehicle),
        plate=items["plate"],
        doc_no=items["doc_no"],
        secrets=[*_person_secrets(person), getattr(ent, "address", ""), getattr(ent, "phone", "")],
    )


def _from_generic(kind: str, raw: dict, source, decided_on: date) -> Built:
    raw = {k: ("" if v is None else v) for k, v in raw.items()}
    org = getattr(source, "org", None)
    unit, unit_code = _unit(org)
    if kind == DisclosureKind.INSPECTION:
        items = {
            "subject_name": raw.get("subject_name", ""),
            "subject_kind": SubjectKind.ORG.label,
            "subject_code": raw.get("subject_uscc", ""),
            "agency": raw.get("inspecting_body", "") or unit,
            "inspection_type": raw.get("type", "双随机抽查"),
            "item": raw.get("item", ""),
            "decided_on": raw.get("inspected_on", decided_on.isoformat()),
            "result": raw.get("result", ""),
        }
        ent = getattr(getattr(source, "assignment", None), "enterprise", None)
        return Built(
            items=items,
            subject_kind=SubjectKind.ORG,
            subject_name=items["subject_name"],
            subject_code=items["subject_code"],
            subject_ref=f"enterprise:{ent.pk}" if ent is not None else "",
        )
    if kind == DisclosureKind.ENFORCEMENT:
        items = {
            "category": raw.get("category", ""),
            "title": raw.get("title", "") or str(source),
            "content": raw.get("content", ""),
            "agency": raw.get("agency", "") or unit,
        }
        return Built(items=items)
    # a penalty from a source without a builder (the minimal seam of the cases module)
    fine = raw.get("fine_fen") or 0
    items = {
        "subject_name": raw.get("party_name", ""),
        "subject_kind": raw.get("subject_kind", ""),
        "doc_no": raw.get("decision_no", ""),
        "violation_type": raw.get("violation_name", ""),
        "facts": raw.get("facts", ""),
        "basis": raw.get("penalty_article", ""),
        "penalty_category": "罚款" if fine else "",
        "penalty_content": f"罚款人民币{yuan_text(int(fine))}" if fine else "",
        "fine_wan": wan(int(fine)) if fine else "",
        "agency": unit,
        "agency_code": unit_code,
        "source_unit": unit,
        "source_unit_code": unit_code,
    }
    sev, basis = rules.severity_for(decided_on=decided_on, penalty_type="fine" if fine else "")
    return Built(
        items=items,
        subject_name=items["subject_name"],
        doc_no=items["doc_no"],
        severity=sev,
        severity_basis=basis,
    )


class EnforcementItem:
    """An 执法公示 事前 item (执法主体, 人员, 职责, 依据, 程序, 随机抽查事项清单, 裁量基准): no model of its own,
    the disclosure record carries its content; keyed by bureau + category + title, so a revised text
    replaces the published one as a new version."""

    class _meta:  # noqa: N801
        label_lower = "disclosure.enforcementitem"

    def __init__(self, org, category: str, title: str, content: str):
        from zhifa.core.crypto import digest_bytes

        self.org = org
        self.pk = f"{org.pk}-" + digest_bytes(f"{category}|{title}".encode())[:24]
        self._payload = {"category": category, "title": title, "content": content, "agency": org.name}

    def disclosure_payload(self) -> dict:
        return self._payload

    def __str__(self) -> str:
        return self._payload["title"]
