"""Writes of the cases domain. The seam every feeder uses: :func:`case_source_create`."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org, User
from zhifa.accounts.services import require_business
from zhifa.core import events
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.registry.models import Enterprise, Person, Vehicle

from .clocks import param
from .enums import CaseState, ClockKind, PartyKind, PenaltyType, Procedure
from .errors import CaseError
from .events import PENALTY_DECIDED, SOURCE_ACCEPTED, SOURCE_CLOSED
from .handoffs import case_filed_handoff, case_source_handoff
from .models import Case, CaseSource, CaseStep, ReviewerQualification, SourceOrigin, SourceStatus

# 程序规定 Arts 62–63 and 处罚法 Art 54 say only "及时" (promptly); local guides fix a number (e.g. 7 days,
# procedure.md §1.2 row 2a). A genuinely local choice, kept in the rules library as the parameter
# ``source_decision_period`` (env ZHIFA_RULE_SOURCE_DECISION_PERIOD).


@transaction.atomic
def case_source_create(
    *,
    origin: str,
    org: Org,
    facts: str,
    subject: Enterprise | Person | Vehicle | None = None,
    subject_name: str = "",
    violation_code: str = "",
    occurred_at: datetime | None = None,
    location: str = "",
    evidence_ids: list[int] | tuple = (),
    proposed: dict[str, Any] | None = None,
    external_ref: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    actor: User | None,
) -> tuple[CaseSource, bool]:
    """Register a lead; returns ``(source, created)``. A repeated ``(origin, external_ref)`` returns the
    existing source unchanged (feeders may resend after a crash). ``actor=None`` is the system (feeders,
    imports); a person or machine account needs a business role (三员分立)."""
    if actor is not None:
        require_business(actor)
    if origin not in SourceOrigin.values:
        raise CaseError.SOURCE_INVALID.error(detail=f"来源“{origin}”无效", fields={"origin": "取值无效"})
    if not facts.strip():
        raise CaseError.SOURCE_INVALID.error(detail="线索内容不能为空", fields={"facts": "不能为空"})
    if external_ref:
        existing = CaseSource.objects.filter(origin=origin, external_ref=external_ref).first()
        if existing:
            return existing, False
    src = CaseSource(
        org=org,
        origin=origin,
        external_ref=external_ref,
        facts=facts.strip(),
        violation_code=violation_code,
        occurred_at=occurred_at,
        location=location,
        evidence_ids=list(evidence_ids),
        proposed=proposed or {},
        created_by=actor.get_username() if actor else "系统",
    )
    _set_reporter(src, reporter_name, reporter_phone)
    if isinstance(subject, Enterprise):
        src.enterprise = subject
    elif isinstance(subject, Person):
        src.person = subject
    elif isinstance(subject, Vehicle):
        src.vehicle = subject
    src.subject_name = subject_name or (str(subject) if subject else "")
    today = timezone.localdate()
    src.decision_due = add_workdays(today, param("source_decision_period", on=today).value).date
    try:
        with transaction.atomic():
            src.save()
    except IntegrityError:  # a concurrent resend won the race
        return CaseSource.objects.get(origin=origin, external_ref=external_ref), False
    audit_record(
        action="case_source.create",
        actor=actor,
        target=src,
        after={"origin": origin, "external_ref": external_ref, "subject": src.subject_name},
    )
    case_source_handoff(source=src, actor=actor)  # the heads decide on it (after commit)
    return src, True


def _set_reporter(src: CaseSource, name: str, phone: str) -> None:
    """The 反映人's name and phone: encrypted at rest (SM4), kept masked for every page."""
    from zhifa.core.crypto import encrypt_field
    from zhifa.core.identifiers import mask_name, mask_phone

    name, phone = (name or "").strip()[:50], (phone or "").strip()[:20]
    if phone and not re.fullmatch(r"[0-9０-９+\-－ ()（）]{5,20}", phone):
        raise CaseError.SOURCE_INVALID.error(detail="反映人电话应为数字", fields={"reporter_phone": "格式不正确"})
    if name:
        src.reporter_name_enc = encrypt_field(name, purpose="casesource.reporter_name")
        src.reporter_name_masked = mask_name(name)
    if phone:
        src.reporter_phone_enc = encrypt_field(phone, purpose="casesource.reporter_phone")
        src.reporter_phone_masked = mask_phone(phone)


# --------------------------------------------------------------------------------------------------
# sources -> cases
# --------------------------------------------------------------------------------------------------


def _party_from_source(src: CaseSource, subject: Enterprise | Person | Vehicle | None = None) -> dict:
    """The case's party from the source's register record, or from ``subject`` when the head names one at
    acceptance (a lead that came in with the party unknown)."""
    if subject is not None:
        src = CaseSource(subject_name=src.subject_name)
        setattr(src, type(subject).__name__.lower(), subject)
    if src.enterprise_id:
        e = src.enterprise
        return {
            "party_kind": PartyKind.ORG,
            "party_name": e.name,
            "party_code": e.uscc,
            "party_address": e.address,
            "enterprise": e,
        }
    if src.person_id:
        p = src.person
        return {
            "party_kind": PartyKind.CITIZEN,
            "party_name": p.name,
            "party_code": p.idcard_masked,
            "person": p,
        }
    if src.vehicle_id and src.vehicle.enterprise_id:
        e = src.vehicle.enterprise
        return {
            "party_kind": PartyKind.ORG,
            "party_name": e.name,
            "party_code": e.uscc,
            "party_address": e.address,
            "enterprise": e,
            "vehicle": src.vehicle,
        }
    return {
        "party_kind": PartyKind.CITIZEN,
        "party_name": src.subject_name or "（待查明）",
        "vehicle": src.vehicle if src.vehicle_id else None,
    }


def _check_scope(actor: User, org: Org) -> None:
    from zhifa.accounts.selectors import jurisdiction_of

    if actor is None or actor.org_id is None or not org.is_within(jurisdiction_of(actor.org)):
        raise CaseError.ROLE.error(action="办理本单位以外的案件", roles="本单位人员")


# Who opens a case (立案登记表, 当场处罚): the officers who investigate and the head; not the 法制审核人员
# (who reviews the same case later) and never the 三员.
CASE_OPENERS = (Role.OFFICER, Role.HEAD)


def _check_opener(actor: User, what: str) -> None:
    if actor is None or not actor.has_role(*CASE_OPENERS):
        raise CaseError.ROLE.error(action=what, roles="执法人员或执法部门负责人")


@transaction.atomic
def case_create(
    *,
    org: Org,
    party_kind: str,
    party_name: str,
    violation_name: str,
    facts: str,
    occurred_on: date,
    discovered_on: date | None = None,
    actor: User,
    violation_code: str = "",
    violated_article: str = "",
    penalty_article: str = "",
    location: str = "",
    party_code: str = "",
    party_address: str = "",
    source: CaseSource | None = None,
    serious_harm: bool = False,
    act_ended_on: date | None = None,
    subjects: dict | None = None,
    created_on: date | None = None,
    violation_codes: list[str] | tuple = (),
    basis_note: str = "",
) -> Case:
    """Fill in a 立案登记表 (ordinary procedure): the case waits in 立案审批中 for the head's approval.

    The violation is picked from the 执法事项库 (``violation_code``, further ones in ``violation_codes``):
    its articles and legal range come from the version in force on the day of the act (处罚法 Art 37, 38);
    typed articles are kept only as an addition (``basis_note``). The party's code is validated as the
    register's imports validate it, and the case is linked to the register's record when there is one."""
    from .workflow import case_number

    _check_opener(actor, "填写立案登记表")
    _check_scope(actor, org)
    if party_kind not in PartyKind.values:
        raise CaseError.INVALID.error(detail="当事人类别无效", fields={"party_kind": "取值无效"})
    codes = _codes(violation_code, violation_codes)
    versions = _catalogued(codes, occurred_on, strict=source is None)
    if versions and not str(violation_name or "").strip():
        violation_name = versions[0].name  # picked from the catalogue: its name
    for key, val in (("party_name", party_name), ("violation_name", violation_name), ("facts", facts)):
        if not str(val or "").strip():
            raise CaseError.INVALID.error(
                detail=f"{Case._meta.get_field(key).verbose_name}不能为空", fields={key: "必填"}
            )
    today = created_on or timezone.localdate()
    party_code, subjects = _party_clean(
        party_kind=party_kind, party_code=party_code, subjects=subjects, actor=actor
    )
    violation_name, violated_article, penalty_article = _violation_lookup(
        violation_code, violation_name, violated_article, penalty_article, occurred_on
    )
    case = Case(
        org=org,
        number=case_number(org, today.year),
        source=source,
        procedure=Procedure.ORDINARY,
        state=CaseState.FILING,
        party_kind=party_kind,
        party_name=party_name.strip(),
        party_code=party_code,
        party_address=party_address,
        violation_code=violation_code,
        violation_name=violation_name,
        violated_article=violated_article,
        penalty_article=penalty_article,
        facts=facts.strip(),
        location=location,
        occurred_on=occurred_on,
        act_ended_on=act_ended_on,
        discovered_on=discovered_on or today,
        serious_harm=serious_harm,
        basis_note=basis_note.strip(),
        created_by=actor,
        **(subjects or {}),
    )
    case.full_clean(
        exclude=[
            "number",
            "source",
            "enterprise",
            "person",
            "vehicle",
            "registered_by",
            "created_by",
            "reviewer",
            "decided_by",
        ]
    )
    case.save()
    _violations_attach(case, versions, typed=(violated_article, penalty_article))
    CaseStep.objects.create(
        case=case,
        action="create",
        label="填写立案登记表",
        state_to=case.state,
        on=today,
        actor=actor,
        actor_name=str(actor),
        data={"facts": case.facts},
    )
    audit_record(
        action="case.create", actor=actor, target=case, after={"number": case.number, "party": party_name}
    )
    case_filed_handoff(case=case, actor=actor)  # the heads are told after commit, if it still waits
    return case


def _codes(code: str, more: list[str] | tuple) -> list[str]:
    return list(dict.fromkeys(c.strip() for c in [code, *more] if c and c.strip()))


def _catalogued(codes: list[str], on: date, *, strict: bool) -> list:
    """The catalogue versions of ``codes`` in force on the day of the act. An officer's pick must be in the
    catalogue (``strict``); a feeder's code the catalogue does not know is left for the officer to pick."""
    from zhifa.core.errors import DomainError
    from zhifa.rules.selectors import violation_get

    out = []
    for code in codes:
        try:
            out.append(violation_get(code, on=on))
        except DomainError:
            if strict:
                raise CaseError.VIOLATION_UNKNOWN.error(
                    code=code, on=f"{on:%Y-%m-%d}", fields={"violation_code": "执法事项库中没有此违法行为"}
                ) from None
    return out


def _violations_attach(case: Case, versions: list, *, typed: tuple[str, str] = ("", "")) -> None:
    """One ``CaseViolation`` per catalogued version; the case-level fields summarise them. Articles the
    officer typed that differ from the catalogue's are kept in ``basis_note`` (an addition, never instead)."""
    from .workflow.basis import sync_summary, violation_row

    if not versions:
        return
    start = case.violations.count()
    rows = [*case.violations.order_by("order")]
    known = {r.code for r in rows}
    for v in versions:
        if v.code in known:
            continue
        start += 1
        rows.append(violation_row(case, v, order=start))
        known.add(v.code)
    sync_summary(case, rows)
    extra = [t for t in typed if t and t not in (case.violated_article, case.penalty_article)]
    if extra:
        case.basis_note = "；".join([*([case.basis_note] if case.basis_note else []), *extra])
    case.save()


def _party_clean(*, party_kind: str, party_code: str, subjects: dict | None, actor: User) -> tuple[str, dict]:
    """The party's code, validated with the register's validators (统一社会信用代码 GB 32100, 居民身份证号码
    GB 11643), masked for a person; the register's record linked when the actor's jurisdiction holds it."""
    from zhifa.core.identifiers import mask_idcard, validate_idcard, validate_uscc
    from zhifa.registry.selectors import enterprises_visible, person_search

    subjects = {k: v for k, v in (subjects or {}).items() if v is not None}
    ent, per = subjects.get("enterprise"), subjects.get("person")
    if party_kind == PartyKind.ORG and ent is not None:
        return ent.uscc, subjects
    if party_kind == PartyKind.CITIZEN and per is not None:
        return per.idcard_masked, subjects
    code = (party_code or "").strip()
    if not code:
        return "", subjects
    chk = validate_uscc(code) if party_kind == PartyKind.ORG else validate_idcard(code)
    if not chk:
        raise CaseError.PARTY_CODE.error(detail=chk.reason, fields={"party_code": chk.reason})
    if party_kind == PartyKind.ORG:
        found = enterprises_visible(actor).filter(uscc=chk.value).first() if actor else None
        if found is not None:
            subjects.setdefault("enterprise", found)
        return chk.value, subjects
    found = person_search(actor, q=chk.value).first() if actor else None
    if found is not None:
        subjects.setdefault("person", found)
    return mask_idcard(chk.value), subjects


def _violation_lookup(code: str, name: str, violated: str, penalty: str, on: date) -> tuple[str, str, str]:
    """Fill the violation's name and articles from the rules catalogue when it knows the code (the
    version in force on the day of the act); what the officer typed wins."""
    if not code:
        return name, violated, penalty
    from zhifa.core.errors import DomainError
    from zhifa.rules.selectors import violation_get

    try:
        v = violation_get(code, on=on)
    except DomainError:  # unknown code or none in force: keep what the officer typed
        return name, violated, penalty
    return (
        name or v.name,
        violated or "、".join(str(b) for b in v.violated.all()),
        penalty or "、".join(str(b) for b in v.penalised.all()),
    )


@transaction.atomic
def case_source_accept(
    *,
    source: CaseSource,
    actor: User,
    violation_name: str = "",
    on: date | None = None,
    officer_ids: list[int] | None = None,
    party: dict | None = None,
    violation_code: str = "",
    subject: Enterprise | Person | Vehicle | None = None,
) -> Case:
    """Accept a lead into a case (立案). Only the 执法部门负责人 approves 立案 (程序规定 Art 63): the
    case is created from the source (its party, facts, place) and approved in the same transaction; the
    officers named (``officer_ids``) are assigned and told (handoff of ``assign_officers``). ``subject``
    names the party from the register when the source came in without one."""
    from .workflow import case_transition

    on = on or timezone.localdate()
    if not actor.has_role(Role.HEAD):
        raise CaseError.HEAD_APPROVAL.error()
    locked = CaseSource.objects.select_for_update().get(pk=source.pk)
    if locked.status != SourceStatus.PENDING:
        raise CaseError.SOURCE_DONE.error(status=locked.get_status_display())
    _check_scope(actor, locked.org)
    details = {**_party_from_source(locked, subject), **(party or {})}
    subjects = {k: details.pop(k) for k in ("enterprise", "person", "vehicle") if k in details}
    case = case_create(
        org=locked.org,
        violation_name=violation_name or violation_code or locked.violation_code or "待认定违法行为",
        violation_code=violation_code or locked.violation_code,
        facts=locked.facts,
        location=locked.location,
        occurred_on=(locked.occurred_at.date() if locked.occurred_at else locked.received_at.date()),
        discovered_on=locked.received_at.date(),
        actor=actor,
        source=locked,
        subjects=subjects,
        created_on=on,
        **details,
    )
    if officer_ids:
        case = case_transition(
            case=case, action="assign_officers", actor=actor, data={"officer_ids": officer_ids}, on=on
        )
    case = case_transition(case=case, action="register", actor=actor, on=on)
    CaseSource.objects.filter(pk=locked.pk).update(
        status=SourceStatus.ACCEPTED, decided_at=timezone.now(), decided_by=actor.get_username()
    )
    audit_record(action="case_source.accept", actor=actor, target=locked, after={"case": case.number})
    events.emit(SOURCE_ACCEPTED, source=locked, case=case, on=on, actor=actor)  # the feeder learns (complaints)
    return case


@transaction.atomic
def case_source_close(*, source: CaseSource, reason: str, actor: User) -> CaseSource:
    """Close a lead without a case (不予立案), with the reason written down."""
    if not reason.strip():
        raise CaseError.INVALID.error(detail="不予立案须写明理由", fields={"reason": "必填"})
    if not actor.has_role(Role.HEAD, Role.OFFICER):
        raise CaseError.ROLE.error(action="不予立案", roles="执法人员或执法部门负责人")
    locked = CaseSource.objects.select_for_update().get(pk=source.pk)
    _check_scope(actor, locked.org)
    if locked.status != SourceStatus.PENDING:
        raise CaseError.SOURCE_DONE.error(status=locked.get_status_display())
    CaseSource.objects.filter(pk=locked.pk).update(
        status=SourceStatus.CLOSED,
        close_reason=reason.strip()[:500],
        decided_at=timezone.now(),
        decided_by=actor.get_username(),
    )
    audit_record(action="case_source.close", actor=actor, target=locked, reason=reason.strip()[:300])
    locked.refresh_from_db()
    events.emit(SOURCE_CLOSED, source=locked, reason=locked.close_reason, actor=actor)
    return locked


# --------------------------------------------------------------------------------------------------
# summary procedure (简易程序)
# --------------------------------------------------------------------------------------------------


def summary_allowed(
    *, party_kind: str, penalty_type: str, fine_fen: int | None, on: date
) -> tuple[bool, str]:
    """处罚法 Art 51 / 程序规定 Art 60: 警告, or a fine ≤ 200 元 (citizen) / ≤ 3,000 元 (organisation) —
    asked of the rules library (``summary_procedure_allowed``)."""
    from zhifa.rules.discretion import summary_procedure_allowed

    if penalty_type == PenaltyType.WARNING:
        return True, ""
    if penalty_type != PenaltyType.FINE:
        return False, "简易程序只适用于警告或者小额罚款（《中华人民共和国行政处罚法》第五十一条）"
    got = summary_procedure_allowed(
        fine_fen=fine_fen or 0,
        party_kind="person" if party_kind == PartyKind.CITIZEN else "organisation",
        on=on,
    )
    return (True, "") if got.ok else (False, got.reason)


@transaction.atomic
def case_summary_create(
    *,
    org: Org,
    party_kind: str,
    party_name: str,
    violation_name: str,
    facts: str,
    penalty_type: str,
    fine_fen: int | None,
    officer_ids: list[int],
    actor: User,
    on: date | None = None,
    violation_code: str = "",
    violated_article: str = "",
    penalty_article: str = "",
    location: str = "",
    party_code: str = "",
    party_address: str = "",
    subjects: dict | None = None,
    summary_record: dict | None = None,
    basis_note: str = "",
    serious_harm: bool = False,
) -> Case:
    """当场处罚 (简易程序): decided and handed over on the spot; the copy must be filed within the period of
    程序规定 Art 61(8). The decision needs its violation from the 执法事项库 and a fine within its legal
    range (处罚法 Art 38); the party's code is validated as in :func:`case_create`. ``summary_record`` is
    what happened on the spot (certificates shown, oral 告知, 陈述申辩 or its waiver, the party's signature
    or refusal, and any 当场收缴 with its 票据 number): validated by ``workflow.summary.summary_record_clean``
    (处罚法 Arts 52, 68-70)."""
    from .clocks import clock_set, deadline
    from .workflow import _decision_number, _officers_from, case_number, check_officers, issue_documents

    on = on or timezone.localdate()
    _check_opener(actor, "当场处罚")
    _check_scope(actor, org)
    ok, why = summary_allowed(party_kind=party_kind, penalty_type=penalty_type, fine_fen=fine_fen, on=on)
    if not ok:
        raise CaseError.SUMMARY_AMOUNT.error(detail=why)
    officers = _officers_from({"officer_ids": officer_ids}, actor)  # the jurisdiction's officers only
    check_officers(None, on, officers)
    if party_kind not in PartyKind.values or not party_name.strip() or not facts.strip():
        raise CaseError.INVALID.error(detail="当事人和违法事实不能为空")
    party_code, subjects = _party_clean(
        party_kind=party_kind, party_code=party_code, subjects=subjects, actor=actor
    )
    versions = _catalogued(_codes(violation_code, ()), on, strict=True)
    if not versions:
        raise CaseError.BASIS_MISSING.error(stage="作出当场处罚决定", fields={"violation_code": "请从执法事项库选择"})
    from .workflow.basis import Bounds, legal_bounds

    b: Bounds = legal_bounds(versions[0])
    if penalty_type == PenaltyType.FINE and fine_fen is not None:
        if (b.max_fen is not None and fine_fen > b.max_fen) or fine_fen < b.min_fen:
            raise CaseError.LEGAL_RANGE.error(
                fine=f"{fine_fen / 100:.2f}元",
                basis=b.basis,
                penalty=b.text,
                range=f"{b.min_fen / 100:.2f}元至{(b.max_fen or 0) / 100:.2f}元",
                fields={"fine_fen": "超出法定幅度"},
            )
    violation_name, violated_article, penalty_article = _violation_lookup(
        violation_code, violation_name, violated_article, penalty_article, on
    )
    # --- the on-the-spot record (hearing helper, issue 14) ---
    from .workflow.summary import summary_collection_start, summary_record_clean

    on_the_spot = summary_record_clean(summary_record, penalty_type=penalty_type, fine_fen=fine_fen, on=on)
    # --- end of the on-the-spot record ---
    case = Case.objects.create(
        org=org,
        number=case_number(org, on.year),
        procedure=Procedure.SUMMARY,
        state=CaseState.SERVED,
        party_kind=party_kind,
        party_name=party_name.strip(),
        party_code=party_code,
        party_address=party_address,
        violation_code=violation_code,
        violation_name=violation_name,
        violated_article=violated_article,
        penalty_article=penalty_article,
        facts=facts.strip(),
        location=location,
        occurred_on=on,
        discovered_on=on,
        registered_on=on,
        created_by=actor,
        proposed_outcome="penalty",
        outcome="penalty",
        penalty_type=penalty_type,
        proposed_fine_fen=fine_fen,
        fine_fen=fine_fen,
        tier="general",
        decided_on=on,
        decided_by=actor,
        served_on=on,
        service_method="direct",
        service_proof="当事人当场签收",
        summary_record=on_the_spot,
        basis_note=basis_note.strip(),
        serious_harm=serious_harm,
        **(subjects or {}),
    )
    _violations_attach(case, versions, typed=(violated_article, penalty_article))
    case.violations.filter(order=1).update(tier="general", proposed_fine_fen=fine_fen, fine_fen=fine_fen)
    case.decision_no = _decision_number(case, on.year, "当罚")
    from .models import CaseOfficer

    for i, o in enumerate(officers):
        CaseOfficer.objects.create(case=case, officer=o, lead=i == 0, assigned_on=on)
    clock_set(case, ClockKind.SUMMARY_FILING, deadline("summary_filing_period", on), on)
    if penalty_type == PenaltyType.FINE and fine_fen:
        pd = deadline("payment_period", on)
        case.payment_due = pd.due
        clock_set(case, ClockKind.PAYMENT, pd, on)
    case.save(update_fields=["decision_no", "payment_due"])
    summary_collection_start(case, on)  # 当场收缴: paid on the spot, the Art 71 hand-in clock starts
    docs = issue_documents(case, ("行政处罚决定书",), on, actor, {"程序": "简易程序（当场处罚）"})
    CaseStep.objects.create(
        case=case,
        action="summary_decide",
        label="当场处罚决定（简易程序）",
        state_to=case.state,
        on=on,
        actor=actor,
        actor_name=str(actor),
        documents=docs,
        data={"fine_fen": fine_fen, "penalty_type": penalty_type, "summary_record": on_the_spot},
    )
    audit_record(
        action="case.summary_decide",
        actor=actor,
        target=case,
        after={"number": case.number, "fine_fen": fine_fen},
    )
    events.emit(PENALTY_DECIDED, case=case, decided_on=on, actor=actor)  # 双公示 (disclosure listens)
    return case


# --------------------------------------------------------------------------------------------------
# reviewer qualification, views
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def reviewer_qualification_set(
    *,
    user: User,
    certificate_no: str = "",
    obtained_on: date | None = None,
    grandfathered: bool = False,
    note: str = "",
    actor: User | None,
) -> ReviewerQualification:
    """Record the 法律职业资格 of a legal reviewer (处罚法 Art 58 para 2)."""
    if not user.has_role(Role.LEGAL_REVIEWER):
        raise CaseError.REVIEWER.error(detail=f"{user} 不具有法制审核人员角色")
    if not certificate_no.strip() and not grandfathered:
        raise CaseError.REVIEWER.error(detail="请填写法律职业资格证书编号")
    q, _ = ReviewerQualification.objects.update_or_create(
        user=user,
        defaults={
            "certificate_no": certificate_no.strip(),
            "obtained_on": obtained_on,
            "grandfathered": grandfathered,
            "note": note,
        },
    )
    audit_record(
        action="case.reviewer_qualification",
        actor=actor,
        target=user,
        after={"certificate_no": certificate_no, "grandfathered": grandfathered},
    )
    return q


def case_view_record(*, case: Case, actor: User, what: str = "查看案件") -> None:
    """A view of a case is part of its record (全过程记录): one audit entry per view."""
    audit_record(action="case.view", actor=actor, target=case, detail={"what": what})
