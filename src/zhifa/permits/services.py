"""Writes of 行政许可 / 政务服务: the catalogue, an application's moves under the Act's clocks, 告知承诺 and
its post-check, the 电子证照 and 好差评. A decision and an annulment go through the registry's
``permit_decide`` (so the 双公示 record and the credit file follow by the ``registry.permit_decided`` event);
nothing here writes a credit record itself, and the only public record written here is that of a granted
行政许可 the register holds no licence for (超限运输许可: ``disclosure_record_emit``)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.core.errors import DomainError
from zhifa.disclosure.services import disclosure_record_emit
from zhifa.documents.models import IssuedDocument
from zhifa.documents.services import document_issue
from zhifa.registry.enums import LicenceStatus, PermitAction, PermitCategory
from zhifa.registry.models import Licence, PermitDecision
from zhifa.registry.services import permit_decide

from . import rules
from .enums import BAD_GRADES, OPEN_POSTCHECK, AppKind, Channel, Grade, ItemKind, PauseKind, PostCheck, State
from .errors import PermitError
from .models import Application, Pause, PermitItem, Rating, Step

STAFF = (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)
RULE_EDITORS = (Role.LEGAL_REVIEWER, Role.HEAD)  # the catalogue is rule data: 法制审核人员 keep it
ANNULLERS = (Role.LEGAL_REVIEWER, Role.HEAD)  # 撤销 ends a right (as registry's ENDERS)


def _require(actor: User | None, roles, what: str) -> None:
    if actor is not None and not actor.has_role(*roles):
        raise PermitError.ROLE.error(what=what, roles="、".join(Role(r).label for r in roles))


def _invalid(detail: str, field: str = "") -> DomainError:
    return PermitError.INVALID.error(detail=detail, fields={field: detail} if field else None)


def _state(app: Application, *allowed: str, what: str) -> None:
    if app.state not in allowed:
        raise PermitError.STATE.error(state=app.get_state_display(), what=what)


def _step(
    app: Application,
    on: date,
    label: str,
    *,
    actor=None,
    note: str = "",
    doc: IssuedDocument | None = None,
) -> Step:
    """One timeline entry; ``doc`` is the 文书 the step issued (``_document``), named by its title and 文号."""
    step = Step.objects.create(
        application=app,
        on=on,
        label=label,
        doc_name=doc.title if doc else "",
        doc_no=doc.number if doc else "",
        note=note[:500],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action=f"permits.{_AUDIT.get(label, 'step')}",
        actor=actor,
        target=app,
        detail={"label": label, "doc_no": step.doc_no, "on": on.isoformat()},
        reason=note[:200],
    )
    return step


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


DOC_TARGET = "permits.application"  # the 文书 of an application are recorded against it (documents app)


def _document(app: Application, template: str, *, actor: User, on: date, **context) -> IssuedDocument:
    """Render, number and store the step's 文书 from the document templates (``documents`` app)."""
    base = {
        "party": {"name": app.applicant, "id_no": app.applicant_uscc, "phone": app.contact_phone},
        "application": {
            "number": app.number,
            "item": app.item.name,
            "received_on": app.received_on,
            "accepted_on": app.accepted_on,
        },
    }
    # 承办单位: the officer's unit when it is within the accepting authority (as cases do), so the unit that
    # handled it finds the document; the 发文机关 is the authority over it either way (documents app)
    unit = actor.org if actor.org_id and actor.org.is_within(app.org) else app.org
    return document_issue(
        template=template,
        context={**base, **context},
        org=unit,
        target_type=DOC_TARGET,
        target_id=app.pk,
        actor=actor,
        on=on,
    )


def _due_text(app: Application) -> dict:
    clock = decision_clock(app)
    return {"text": f"{_cn(clock.due)}前作出决定（{clock.lines[0]}）"}


_AUDIT = {
    "收到申请": "submit",
    "一次性告知补正": "correction",
    "补正齐全": "corrected",
    "受理": "accept",
    "视为受理": "accept",
    "不予受理": "not_accept",
    "不计入期限": "pause",
    "延长决定期限": "extend",
    "准予许可": "grant",
    "不予许可": "refuse",
    "发证": "issue",
    "事后核查": "postcheck",
    "撤销许可": "annul",
}


def _prefix(org: Org) -> str:
    return org.short_name or org.name[:1]


# --- catalogue -----------------------------------------------------------------------------------------------

_ITEM_FIELDS = (
    "name",
    "kind",
    "legal_basis",
    "materials",
    "level",
    "legal_days",
    "legal_days_basis",
    "promised_days",
    "extension_days",
    "tiers",
    "fee_fen",
    "pledge_allowed",
    "pledge_waivable",
    "postcheck_days",
    "licence_kind",
    "licence_years",
    "permit_category",
    "note",
)


@transaction.atomic
def catalogue_seed(*, on: date) -> int:
    """The catalogue's first version (``rules.CATALOGUE``) where an item has none yet; returns how many."""
    made = 0
    for row in rules.CATALOGUE:
        if PermitItem.objects.filter(code=row["code"]).exists():
            continue
        data = {**row, "materials": "\n".join(row["materials"])}
        PermitItem.objects.create(version_from=on, **data)
        made += 1
    return made


@transaction.atomic
def item_version_save(*, actor: User, code: str, data: dict, version_from: date) -> PermitItem:
    """A new version of a 事项 from ``version_from`` (the older versions stay for the applications made
    under them). Only 法制审核人员 or 负责人 change rule data."""
    _require(actor, RULE_EDITORS, "修改许可事项")
    current = PermitItem.objects.filter(code=code).order_by("-version_from").first()
    if current is None:
        raise PermitError.NOT_FOUND.error(what=f"许可事项 {code}")
    if version_from <= current.version_from:
        raise _invalid(f"新版本施行日期应晚于现行版本（{current.version_from:%Y-%m-%d}）", "version_from")
    values = {f: getattr(current, f) for f in _ITEM_FIELDS}
    for f in ("name", "legal_basis", "materials", "legal_days_basis", "pledge_waivable", "note"):
        if f in data:
            values[f] = str(data[f]).strip()
    for f, label in (
        ("legal_days", "法定办结时限"),
        ("promised_days", "承诺办结时限"),
        ("fee_fen", "收费"),
        ("extension_days", "可延长"),
        ("postcheck_days", "事后核查期限"),
    ):
        if f in data and str(data[f]).strip() != "":
            try:
                values[f] = int(str(data[f]).strip())
            except ValueError:
                raise _invalid(f"{label}应为整数", f) from None
            if values[f] < 0:
                raise _invalid(f"{label}不能为负数", f)
    if "pledge_allowed" in data:
        values["pledge_allowed"] = bool(data["pledge_allowed"])
    if not values["name"]:
        raise _invalid("请填写事项名称", "name")
    if not values["legal_basis"]:
        raise _invalid("请填写设定依据", "legal_basis")
    if values["kind"] == ItemKind.PERMIT and values["promised_days"] > values["legal_days"]:
        raise _invalid(
            f"承诺时限（{values['promised_days']}个工作日）不能长于法定时限（{values['legal_days']}个工作日）",
            "promised_days",
        )
    item = PermitItem.objects.create(code=code, version_from=version_from, created_by=actor, **values)
    audit_record(
        action="permits.item_version",
        actor=actor,
        target=item,
        before={f: str(getattr(current, f)) for f in _ITEM_FIELDS},
        after={f: str(getattr(item, f)) for f in _ITEM_FIELDS},
    )
    return item


# --- application ---------------------------------------------------------------------------------------------


def _number(on: date) -> str:
    prefix = f"XK{on:%Y%m%d}"
    n = Application.objects.filter(number__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def application_submit(
    *,
    actor: User | None,
    org: Org,
    item: PermitItem,
    channel: str,
    applicant: str,
    received_on: date,
    applicant_uscc: str = "",
    contact_phone: str = "",
    content: str = "",
    tier: str = "",
    kind: str = AppKind.NEW,
    licence: Licence | None = None,
    pledge: bool = False,
    pledge_text: str = "",
    holder: dict | None = None,
) -> Application:
    """申请 from the window (an officer) or the portal (``actor=None``)."""
    if actor is not None:
        _require(actor, STAFF, "窗口收件")
    applicant = (applicant or "").strip()
    if not applicant:
        raise _invalid("请填写申请人", "applicant")
    if channel not in Channel.values:
        raise _invalid("渠道有误", "channel")
    uscc = (applicant_uscc or "").strip().upper()
    if uscc and len(uscc) != 18:
        raise _invalid("统一社会信用代码应为18位", "applicant_uscc")
    if item.tiers and tier not in [t[0] for t in item.tiers]:
        raise _invalid("请选择时限档次（超限运输车辆的外廓尺寸和质量）", "tier")
    if kind not in AppKind.values:
        raise _invalid("申请类型有误", "kind")
    if kind != AppKind.NEW:
        if licence is None:
            raise _invalid(f"{AppKind(kind).label}申请须指明原证照", "licence")
        if licence.status not in (LicenceStatus.VALID, LicenceStatus.SUSPENDED):
            raise _invalid(
                f"证照 {licence.number} 已{licence.get_status_display()}，不能申请{AppKind(kind).label}",
                "licence",
            )
        if kind == AppKind.RENEWAL and received_on > rules.renewal_latest(licence.valid_to):
            raise PermitError.CLOCK.error(
                detail=f"延续申请应在有效期届满三十日前（{rules.renewal_latest(licence.valid_to):%Y-%m-%d} 前）提出；"
                f"证照 {licence.number} 有效期至 {licence.valid_to:%Y-%m-%d}",
                article=rules.ART["renewal"],
            )
    if pledge and not item.pledge_allowed:
        raise _invalid(f"“{item.name}”不适用告知承诺制", "pledge")
    if pledge and not (pledge_text or "").strip():
        raise _invalid("告知承诺须提交申请人签署的承诺书内容", "pledge_text")
    app = Application.objects.create(
        org=org,
        item=item,
        number=_number(received_on),
        query_code=f"{secrets.randbelow(10**6):06d}",
        kind=kind,
        channel=channel,
        applicant=applicant[:200],
        applicant_uscc=uscc,
        contact_phone=(contact_phone or "")[:30],
        content=(content or "").strip(),
        tier=tier,
        licence=licence,
        received_on=received_on,
        pledge=pledge,
        pledge_text=(pledge_text or "").strip(),
        waived_proofs="\n".join(item.waivable_list()) if pledge else "",
        holder=holder or ({"holder_uscc": uscc} if uscc else {}),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _step(app, received_on, "收到申请", actor=actor, note=f"{Channel(channel).label}收件")
    return app


def _effective_day(app: Application, on: date) -> None:
    if on < app.received_on:
        raise _invalid(f"日期不能早于收到申请日期（{app.received_on:%Y-%m-%d}）", "on")


@transaction.atomic
def application_correction(*, app: Application, actor: User, on: date, items: str) -> Application:
    """补正材料通知书: everything to add, once, within five days of receipt (Art 32)."""
    _require(actor, STAFF, "一次性告知补正")
    _state(app, State.SUBMITTED, what="告知补正")
    _effective_day(app, on)
    if app.correction_on is not None:
        raise PermitError.CLOCK.error(
            detail="补正内容应一次告知，本申请已告知过补正", article=rules.ART["correction"]
        )
    due = rules.correction_due(app.received_on).due
    if on > due:
        raise PermitError.CLOCK.error(
            detail=f"告知补正的期限已于 {due:%Y-%m-%d} 届满，逾期不告知的，自收到申请材料之日（{app.received_on:%Y-%m-%d}）"
            "起即为受理",
            article=rules.ART["correction"],
        )
    if not (items or "").strip():
        raise _invalid("请列明需要补正的全部内容", "items")
    app.correction_on, app.correction_items, app.state = on, items.strip(), State.CORRECTION
    app.save(update_fields=["correction_on", "correction_items", "state"])
    doc = _document(
        app,
        "permit_correction",
        actor=actor,
        on=on,
        correction={"items": "；".join(i.strip() for i in items.splitlines() if i.strip())},
        contact={"phone": ""},
    )
    _step(app, on, "一次性告知补正", actor=actor, note=items, doc=doc)
    return app


@transaction.atomic
def application_corrected(*, app: Application, actor: User | None, on: date) -> Application:
    """The applicant handed in everything asked for (at the window, or on the portal: ``actor=None``)."""
    if actor is not None:
        _require(actor, STAFF, "补正收件")
    _state(app, State.CORRECTION, what="登记补正")
    if on < app.correction_on:
        raise _invalid(f"补正日期不能早于告知补正日期（{app.correction_on:%Y-%m-%d}）", "on")
    app.corrected_on, app.state = on, State.SUBMITTED
    app.save(update_fields=["corrected_on", "state"])
    _step(app, on, "补正齐全", actor=actor)
    return app


@transaction.atomic
def application_accept(*, app: Application, actor: User, on: date) -> Application:
    """受理 (sealed, dated 受理通知书). Without a correction notice in the five days the application was
    accepted on receipt (Art 32: 视为受理), whatever day the notice is printed."""
    _require(actor, STAFF, "受理")
    _state(app, State.SUBMITTED, what="受理")
    _effective_day(app, on)
    deemed = rules.deemed_accepted(app.received_on, correction_on=app.correction_on, today=on)
    app.accepted_on = app.received_on if deemed else on
    app.deemed_accepted = deemed
    app.state = State.ACCEPTED
    if app.pledge and app.item.postcheck_days:
        app.postcheck_due = app.accepted_on + timedelta(days=app.item.postcheck_days)
    app.decision_due = decision_clock(app).due
    app.promised_due = rules.promised_due(app.accepted_on, app.item.promised_days)
    note = (
        f"未在{rules.CORRECTION_DAYS}个工作日内告知补正，自收到申请材料之日起即为受理（{rules.ART['accept']}）"
        if deemed
        else ""
    )
    doc = _document(
        app, "permit_acceptance", actor=actor, on=on, acceptance={"note": note}, clock=_due_text(app)
    )
    step = _step(app, on, "视为受理" if deemed else "受理", actor=actor, note=note, doc=doc)
    app.acceptance_no = step.doc_no
    app.save(
        update_fields=[
            "accepted_on",
            "deemed_accepted",
            "state",
            "postcheck_due",
            "acceptance_no",
            "decision_due",
            "promised_due",
        ]
    )
    return app


@transaction.atomic
def application_not_accept(*, app: Application, actor: User, on: date, reason: str) -> Application:
    _require(actor, STAFF, "不予受理")
    _state(app, State.SUBMITTED, State.CORRECTION, what="不予受理")
    _effective_day(app, on)
    if not (reason or "").strip():
        raise _invalid("请写明不予受理的理由", "reason")
    if rules.deemed_accepted(app.received_on, correction_on=app.correction_on, today=on):
        raise PermitError.CLOCK.error(
            detail=f"未在 {rules.correction_due(app.received_on).due:%Y-%m-%d} 前告知补正，申请自收到之日起即为受理，"
            "不能再不予受理，应依法作出决定",
            article=rules.ART["accept"],
        )
    app.state, app.not_accepted_reason = State.NOT_ACCEPTED, reason.strip()[:500]
    doc = _document(
        app,
        "permit_not_accepted",
        actor=actor,
        on=on,
        not_accepted={"reason": app.not_accepted_reason},
        remedy={"text": rules.REMEDY_TEXT},
    )
    step = _step(app, on, "不予受理", actor=actor, note=reason, doc=doc)
    app.acceptance_no = step.doc_no
    app.save(update_fields=["state", "not_accepted_reason", "acceptance_no"])
    return app


def decision_clock(app: Application, *, extra_pauses=()) -> rules.Clock:
    """The decision deadline of an accepted application, with its explanation."""
    limit = app.item.legal_days
    basis = app.item.legal_days_basis
    if app.tier:
        limit = dict((t[0], t[1]) for t in app.item.tiers).get(app.tier, limit)
    ext = app.item.extension_days if app.extended_on else 0
    return rules.decision_due(
        app.accepted_on, limit=limit, extension=ext, pauses=[*app.pauses.all(), *extra_pauses], basis=basis
    )


@transaction.atomic
def application_pause(
    *,
    app: Application,
    actor: User,
    kind: str,
    start: date,
    end: date,
    note: str = "",
    requested_on: date | None = None,
) -> Pause:
    """A period not counted in the decision limit (Art 45), told in writing. A hearing (Art 47) is held within
    twenty working days of its request, which came within five of the notice of the right."""
    _require(actor, STAFF, "登记不计入期限的期间")
    _state(app, State.ACCEPTED, what="登记不计入期限的期间")
    if kind not in PauseKind.values:
        raise _invalid("请选择期间类型", "kind")
    if end < start:
        raise _invalid("期间止日不能早于起日", "end")
    if start < app.accepted_on:
        raise _invalid(f"期间不能早于受理日期（{app.accepted_on:%Y-%m-%d}）", "start")
    if kind == PauseKind.HEARING:
        requested = requested_on or start
        hold = rules.hearing_hold_due(requested).due
        if end > hold:
            raise PermitError.CLOCK.error(
                detail=f"听证应在收到听证申请之日（{requested:%Y-%m-%d}）起二十个工作日内组织（至 {hold:%Y-%m-%d}）",
                article=rules.ART["hearing"],
            )
    pause = Pause.objects.create(application=app, kind=kind, start=start, end=end, note=(note or "")[:300])
    app.decision_due = decision_clock(app).due
    app.save(update_fields=["decision_due"])
    doc = _document(
        app,
        "permit_excluded",
        actor=actor,
        on=start,
        pause={"kind": pause.get_kind_display(), "start": start, "end": end, "note": pause.note},
        clock=_due_text(app),
    )
    _step(
        app,
        start,
        "不计入期限",
        actor=actor,
        note=f"{pause.get_kind_display()} {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 不计入审查期限（{rules.ART['excluded']}）",
        doc=doc,
    )
    return pause


@transaction.atomic
def application_extend(*, app: Application, actor: User, on: date, reason: str) -> Application:
    """+10 working days with the head's approval, the reason told to the applicant (Art 42)."""
    _require(actor, (Role.HEAD,), "批准延长决定期限")
    _state(app, State.ACCEPTED, what="延长决定期限")
    if not app.item.extension_days:
        raise PermitError.CLOCK.error(
            detail=f"“{app.item.name}”的办理期限由专门规定设定，不适用延长", article=app.item.legal_days_basis
        )
    if app.extended_on:
        raise PermitError.CLOCK.error(detail="决定期限只能延长一次", article=rules.ART["decision"])
    if not (reason or "").strip():
        raise _invalid("请写明延长期限的理由（须告知申请人）", "reason")
    due = decision_clock(app).due
    if on > due:
        raise PermitError.CLOCK.error(
            detail=f"决定期限已于 {due:%Y-%m-%d} 届满，届满后不能再批准延长", article=rules.ART["decision"]
        )
    app.extended_on, app.extension_reason, app.extension_by = on, reason.strip()[:300], actor
    app.decision_due = decision_clock(app).due
    app.save(update_fields=["extended_on", "extension_reason", "extension_by", "decision_due"])
    doc = _document(
        app,
        "permit_extension",
        actor=actor,
        on=on,
        extension={"days": app.item.extension_days, "reason": app.extension_reason},
        clock=_due_text(app),
    )
    _step(
        app,
        on,
        "延长决定期限",
        actor=actor,
        note=f"经负责人批准延长{app.item.extension_days}个工作日：{reason}",
        doc=doc,
    )
    return app


def _annul_no(app: Application, on: date) -> str:
    """撤销决定 number (no template for the 撤销 document yet: the registry records the number)."""
    prefix = f"{_prefix(app.org)}交运撤〔{on.year}〕"
    n = PermitDecision.objects.filter(authority=app.org, doc_no__startswith=prefix).count() + 1
    while PermitDecision.objects.filter(authority=app.org, doc_no=f"{prefix}{n}号").exists():
        n += 1
    return f"{prefix}{n}号"


def _disclose_unregistered(
    app: Application, *, doc: IssuedDocument, on: date, valid_to: date | None, actor: User
) -> None:
    """The 双公示 行政许可 record of a grant that writes no licence in the register (超限运输许可): 行政许可
    decisions are published within the disclosure rules' ``publication_period`` (7 working days, rules library).
    备案 is not a 行政许可 and is not published as one. Without ``valid_to`` the record is held back by the
    disclosure app (a required item missing), never published with a guess."""
    item = app.item
    person = not app.applicant_uscc
    disclosure_record_emit(
        kind="permit",
        source=app,
        decided_on=on,
        actor=actor,
        items={
            "subject_name": app.applicant,
            "subject_kind": "自然人" if person else "法人及非法人组织",
            "subject_code": app.applicant_uscc,
            "doc_name": doc.title,
            "doc_no": doc.number,
            # 许可类别: the catalogue's, else 普通 (行政许可法 Art 12 (一): a general permit of a specific activity)
            "permit_category": PermitCategory(item.permit_category or PermitCategory.ORDINARY).label,
            "permit_content": (app.content or item.name)[:500],
            "decided_on": on.isoformat(),
            "valid_from": on.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else "",
            "agency": jurisdiction_of(app.org).name,
            "agency_code": jurisdiction_of(app.org).uscc,
            "status": "有效",
            "source_unit": jurisdiction_of(app.org).name,
            "source_unit_code": jurisdiction_of(app.org).uscc,
            "_names": [app.applicant] if person else [],
        },
    )


def _licence_valid_to(start: date, years: int) -> date:
    return date(start.year + years, start.month, min(start.day, 28)) - timedelta(days=1)


def _licence_text(app: Application, on: date) -> str:
    """The 证照 line of a 准予 decision: kind, number and validity as the register will record them."""
    item = app.item
    if app.kind == AppKind.NEW:
        return (
            f"{item.get_licence_kind_display()}（编号 {_licence_number(app, on)}，"
            f"有效期 {_cn(on)}至{_cn(_licence_valid_to(on, item.licence_years))}）"
        )
    lic = app.licence
    return f"{lic.get_kind_display()}（编号 {lic.number}，{app.get_kind_display()}）" if lic else ""


def _licence_number(app: Application, on: date) -> str:
    """交字 + 行政区划代码 + sequence, the form the county's 道路运输经营许可证 numbers take."""
    return f"{app.org.division_code or '440000'}{on:%y}{app.pk:06d}"


@transaction.atomic
def application_decide(
    *,
    app: Application,
    actor: User,
    on: date,
    grant: bool,
    reason: str = "",
    content: str = "",
    today: date | None = None,
    valid_to: date | None = None,
) -> Application:
    """准予 / 不予许可. Refused before 受理 (Art 32, 34) and after the limit without an extension (Art 42);
    a grant moves the licence through ``registry.services.permit_decide`` (双公示 and credit follow). A granted
    行政许可 without a licence in the register (超限运输许可) is published here (``_disclose_unregistered``);
    ``valid_to`` is its 有效期至 (the 通行证's), a required 双公示 item."""
    _require(actor, STAFF, "作出许可决定")
    if app.state in (State.SUBMITTED, State.CORRECTION):
        raise PermitError.CLOCK.error(
            detail="申请尚未受理，不能作出许可决定", article=f"{rules.XKF}第三十二条、第三十四条"
        )
    _state(app, State.ACCEPTED, what="作出许可决定")
    if on < app.accepted_on:
        raise _invalid(f"决定日期不能早于受理日期（{app.accepted_on:%Y-%m-%d}）", "on")
    clock = decision_clock(app)
    if on > clock.due:
        more = "且未经负责人批准延长" if not app.extended_on else "（已含延长期限）"
        raise PermitError.CLOCK.error(
            detail=f"决定期限已于 {clock.due:%Y-%m-%d} 届满{more}，不能在 {on:%Y-%m-%d} 作出决定",
            article=rules.ART["decision"],
        )
    if not grant and not (reason or "").strip():
        raise _invalid("不予许可应当说明理由（第三十八条第二款）", "reason")
    if valid_to is not None and valid_to < on:
        raise _invalid(f"有效期至不能早于决定日期（{on:%Y-%m-%d}）", "valid_to")
    app.decided_on, app.decision_reason = on, (reason or "").strip()[:500]
    item = app.item
    if grant:
        licence = _licence_text(app, on) if item.licence_kind else "本事项不核发证照登记簿中的证照"
        doc = _document(
            app,
            "permit_grant",
            actor=actor,
            on=on,
            decision={
                "content": (content or app.content or item.name)[:500],
                "basis": item.legal_basis.splitlines()[0] if item.legal_basis else rules.XKF,
                "licence": licence,
                "issue_due": _cn(rules.issue_due(on).due),
            },
        )
    else:
        doc = _document(
            app,
            "permit_refusal",
            actor=actor,
            on=on,
            decision={"reason": app.decision_reason, "basis": rules.XKF},
            remedy={"text": rules.REMEDY_TEXT},
        )
    doc_no = app.decision_no = doc.number
    if grant and item.licence_kind:
        data = {
            "doc_no": doc_no,
            "decided_on": on.isoformat(),
            "reason": app.decision_reason,
            "content": (content or app.content or item.name)[:500],
            "permit_category": item.permit_category,
        }
        if app.kind == AppKind.NEW:
            valid_to = _licence_valid_to(on, item.licence_years)
            data.update(
                kind=item.licence_kind,
                number=_licence_number(app, on),
                valid_from=on.isoformat(),
                valid_to=valid_to.isoformat(),
                **app.holder,
            )
        elif app.kind == AppKind.RENEWAL:
            lic = app.licence
            data.update(
                valid_from=(lic.valid_to + timedelta(days=1)).isoformat(),
                valid_to=date(
                    lic.valid_to.year + item.licence_years, lic.valid_to.month, min(lic.valid_to.day, 28)
                ).isoformat(),
            )
        elif app.kind == AppKind.CHANGE:
            data["reason"] = app.decision_reason or app.content or "申请变更"
        elif app.kind == AppKind.CANCEL:
            data["reason"] = app.decision_reason or "持证人申请注销"
        decision = permit_decide(
            action=app.kind,
            data=data,
            actor=actor,
            licence=app.licence,
            authority=app.org,
            org=app.org,
            today=today,
        )
        app.decision, app.licence = decision, decision.licence
    app.state = State.GRANTED if grant else State.REFUSED
    if grant and not app.item.licence_kind:
        app.state, app.issued_on = State.ISSUED, on  # 备案 / 超限运输: nothing to issue in the register
        if item.kind == ItemKind.PERMIT:
            _disclose_unregistered(app, doc=doc, on=on, valid_to=valid_to, actor=actor)
    app.save(
        update_fields=[
            "decided_on",
            "decision_reason",
            "decision_no",
            "decision",
            "licence",
            "state",
            "issued_on",
        ]
    )
    _step(
        app,
        on,
        "准予许可" if grant else "不予许可",
        actor=actor,
        note=reason or "",
        doc=doc,
    )
    return app


@transaction.atomic
def application_issue(
    *, app: Application, actor: User, on: date, base_url: str = "", with_certificate: bool = True
) -> Application:
    """发证 (Art 44: within ten working days of the decision) with the 电子证照 (``with_certificate=False``: a
    paper licence only — the demo's older licences, issued before the platform signed them)."""
    from .certificates import certificate_issue

    _require(actor, STAFF, "发证")
    _state(app, State.GRANTED, what="发证")
    if on < app.decided_on:
        raise _invalid(f"发证日期不能早于决定日期（{app.decided_on:%Y-%m-%d}）", "on")
    due = rules.issue_due(app.decided_on).due
    app.issued_on, app.state = on, State.ISSUED
    app.save(update_fields=["issued_on", "state"])
    note = "" if on <= due else f"超过第四十四条规定的发证期限（{due:%Y-%m-%d}）"
    _step(app, on, "发证", actor=actor, note=note)
    if with_certificate and app.licence is not None and app.kind != AppKind.CANCEL:
        certificate_issue(licence=app.licence, application=app, on=on, actor=actor, base_url=base_url)
    return app


# --- 告知承诺 post-check -------------------------------------------------------------------------------------


@transaction.atomic
def postcheck_record(
    *, app: Application, actor: User, on: date, truthful: bool, note: str = ""
) -> Application:
    """事后核查 of a 告知承诺. A false pledge: 撤销 (Art 69 para 2: obtained by 欺骗) through the registry, whose
    event files the credit record; recorded by 法制审核人员 or 负责人."""
    _require(actor, STAFF, "事后核查")
    if not app.pledge:
        raise _invalid("该申请未采用告知承诺制", "pledge")
    if app.postcheck not in OPEN_POSTCHECK:
        raise PermitError.STATE.error(state=f"已核查（{app.get_postcheck_display()}）", what="再次核查")
    _state(app, State.GRANTED, State.ISSUED, what="事后核查")
    if not truthful:
        _require(actor, ANNULLERS, "承诺不实的撤销许可")
        if not (note or "").strip():
            raise _invalid("请写明核查发现的不实情况", "note")
    app.postcheck, app.postcheck_on, app.postcheck_note = (
        (PostCheck.TRUE if truthful else PostCheck.FALSE),
        on,
        (note or "").strip()[:500],
    )
    _step(app, on, "事后核查", actor=actor, note=f"{app.get_postcheck_display()}：{note}")
    if not truthful and app.licence is not None:
        permit_decide(
            action=PermitAction.ANNUL,
            licence=app.licence,
            actor=actor,
            authority=app.org,
            data={
                "doc_no": _annul_no(app, on),
                "decided_on": on.isoformat(),
                "reason": f"告知承诺不实：{note}"[:500],
                "holder_fault": "1",
            },
        )
        app.state = State.ANNULLED
        _step(app, on, "撤销许可", actor=actor, note="承诺不实，依法撤销（行政许可法第六十九条第二款）")
    app.save(update_fields=["postcheck", "postcheck_on", "postcheck_note", "state"])
    return app


def postcheck_inspected(*, app: Application, on: date, passed: bool, note: str, actor=None) -> Application:
    """The 事后核查 done by a 双随机 inspection drawn from the 告知承诺事后核查名录 (heard from the inspections
    event, in its transaction). Passed: 承诺属实. Not passed: 核查不通过（待认定） — whether the pledge was
    false and the licence is revoked (行政许可法第六十九条第二款) stays the staff's decision
    (:func:`postcheck_record`); the caller tells them."""
    app.postcheck = PostCheck.TRUE if passed else PostCheck.FAILED
    app.postcheck_on, app.postcheck_note = on, note.strip()[:500]
    app.save(update_fields=["postcheck", "postcheck_on", "postcheck_note"])
    _step(app, on, "事后核查", actor=actor, note=f"{app.get_postcheck_display()}：{note}")
    return app


# --- 好差评 ----------------------------------------------------------------------------------------------------

DONE = (State.ISSUED, State.REFUSED, State.NOT_ACCEPTED, State.ANNULLED)


@transaction.atomic
def rating_submit(
    *, app: Application, grade: int, channel: str, on: date, comment: str = "", named: bool = True
) -> Rating:
    """一事一评: one rating per completed application; a 差评 goes to the ledger, owned by the one who handled
    it (谁办理谁负责), due in ZHIFA_PERMITS_FIX_DAYS working days (local rule)."""
    if app.state not in DONE:
        raise PermitError.STATE.error(state=app.get_state_display(), what="评价（办结后方可评价）")
    try:
        grade = Grade(int(grade))
    except (TypeError, ValueError):
        raise _invalid("请选择评价等级（非常满意至非常不满意）", "grade") from None
    bad = grade in BAD_GRADES
    owner = app.steps.exclude(actor=None).order_by("-on", "-pk").values_list("actor", flat=True).first()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                application=app,
                grade=grade,
                channel=channel,
                comment=(comment or "").strip()[:500],
                named=named,
                rated_on=on,
                owner_id=owner if bad else None,
                fix_due=add_workdays(on, rules.fix_days()).date if bad else None,
            )
    except IntegrityError:
        raise PermitError.STATE.error(state="已评价", what="再次评价（一事一评）") from None
    audit_record(action="permits.rate", actor=None, target=app, detail={"grade": int(grade)})
    return rating


# 差评 ledger entries: (what, date field, text field, the text's name, audit action)
_LEDGER = {
    "callback": ("差评回访", "callback_on", "callback_note", "回访记录", "permits.callback"),
    "fix": ("差评整改", "fixed_on", "fix_result", "整改结果", "permits.fix"),
}


@transaction.atomic
def rating_record(*, rating: Rating, actor: User, on: date, entry: str, text: str) -> Rating:
    """A 差评's call-back (``entry="callback"``, 实名差评回访) or its rectification result (``"fix"``)."""
    what, date_field, text_field, text_name, action = _LEDGER[entry]
    _require(actor, STAFF, what)
    if not rating.is_bad:
        raise _invalid(f"只有差评需要{what[2:]}", "grade")
    if not (text or "").strip():
        raise _invalid(f"请填写{text_name}", text_field)
    setattr(rating, date_field, on)
    setattr(rating, text_field, text.strip()[:500])
    rating.save(update_fields=[date_field, text_field])
    audit_record(action=action, actor=actor, target=rating.application, reason=text[:200])
    return rating


def today() -> date:
    return timezone.localdate()
