"""Writes of regulated subjects. Single records go through the same upsert as imports; permit decisions
(行政许可决定) through ``permit_decide``, which creates or changes the licence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.errors import AccountError
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import JURISDICTION_KINDS, jurisdiction_of
from zhifa.accounts.services import require_role
from zhifa.core import events
from zhifa.core.audit import audit_record
from zhifa.core.crypto import decrypt_field
from zhifa.core.errors import DomainError, ErrorCode
from zhifa.core.imports import ImportContext, RowError, get_importer
from zhifa.registry import cleaning
from zhifa.registry.enums import LicenceKind, LicenceStatus, PermitAction
from zhifa.registry.events import PERMIT_DECIDED
from zhifa.registry.models import Enterprise, Licence, PermitDecision, Person, Vehicle

EDITORS = (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)
IMPORTERS = (Role.LEGAL_REVIEWER, Role.HEAD)


class RegistryError(ErrorCode):
    INVALID = "registry.invalid", "{detail}", 422
    REJECTED = "registry.rejected", "{detail}", 409


RESULT_LABEL = {"created": "新增", "updated": "更新", "unchanged": "未变化"}


@transaction.atomic
def subject_save(*, kind: str, data: dict[str, str], actor: User) -> str:
    """Create or update one subject of ``kind`` (enterprises, persons, vehicles, licences) by its
    natural key; returns "created", "updated" or "unchanged". Invalid data raises with the field."""
    require_role(actor, *EDITORS)
    if kind == "licences":
        data = _licence_status_kept(data, actor=actor)
    result, row = _upsert(kind, data, actor=actor, org=actor.org)
    audit_record(action=f"registry.{kind}.save", actor=actor, target_type=f"registry.{kind}",
                 target_repr=_repr(kind, row), detail={"result": result})
    return result


def _licence_status_kept(data: dict, *, actor: User) -> dict:
    """A registered licence keeps its status on an edit (form or API): the status changes only through a
    decision (``permit_decide``), which also withdraws the 双公示 record and files the credit event. A
    blank status means "unchanged"; a different one is refused (``cleaning.licence_status_kept``, the rule
    the import applies too). A new licence may be registered with its current status (a licence issued
    before the platform)."""
    try:
        row = cleaning.clean_licence({k: ("" if v is None else str(v)) for k, v in data.items()})
    except cleaning.Invalid:
        return data  # the upsert reports the invalid field
    root = jurisdiction_of(actor.org) if actor.org_id else None
    current = (
        Licence.objects.filter(kind=row["kind"], number=row["number"], org__path__startswith=root.path)
        .values_list("status", flat=True)
        .first()
        if root is not None
        else None
    )
    if current is None:
        return data
    try:
        status = cleaning.licence_status_kept(str(data.get("status") or ""), row["status"], current)
    except cleaning.Invalid as e:
        raise RegistryError.REJECTED.error(detail=e.reason, fields={"status": e.reason}) from None
    return {**data, "status": status}


def _upsert(kind: str, data: dict, *, actor: User | None, org: Org) -> tuple[str, dict]:
    """One record through the import's validation and natural-key upsert: ("created" | "updated" |
    "unchanged", the cleaned row)."""
    importer = get_importer(kind)
    ctx = ImportContext(actor=actor, org=org)
    try:
        row = importer.clean({k: ("" if v is None else str(v)) for k, v in data.items()}, ctx=ctx)
    except RowError as e:
        raise RegistryError.INVALID.error(detail=str(e), fields={e.field: str(e)} if e.field else None) from None
    out = importer.apply([(1, row)], ctx=ctx)
    if out.errors:
        raise RegistryError.REJECTED.error(detail=out.errors[0][1])
    return ("created" if out.created else "updated" if out.updated else "unchanged"), row


def _repr(kind: str, row: dict) -> str:
    if kind == "enterprises":
        return f"{row['name']}（{row['uscc']}）"
    if kind == "vehicles":
        return row["plate"]
    if kind == "persons":
        return row["name"]
    return f"{row['kind']} {row['number']}"


def person_idcard_reveal(*, person: Person, actor: User) -> str:
    """The full ID number, for business roles only; each reveal is an audited sensitive read."""
    require_role(actor, *EDITORS)
    value = decrypt_field(person.idcard_enc, purpose="person.idcard")
    audit_record(action="person.idcard_view", actor=actor, target=person)
    return value


# --- 行政许可决定 (permit decisions) --------------------------------------------------------------------
#
# The licence lifecycle, one transition service with its table of allowed moves (《中华人民共和国行政许可法》,
# 2019 revision; 暂扣 and 吊销 are penalties under 《中华人民共和国行政处罚法》 Art 9(三), usually made by a case
# decision: ``cases.workflow``). Each move: the licence statuses it applies to, the status after (None =
# unchanged), the default document name, its article, who may record it, and whether it withdraws the
# public record of the decision it follows. A decision that grants something (准予许可/变更/延续) becomes a
# 双公示 行政许可 record due within 7 working days; a later decision that changes or ends the permit withdraws
# the record of the decision it changes or ends (3 working days, 处罚法 Art 48 para 2 as the disclosure layer
# applies it). A 暂扣 and its 发还 do not: the permit still exists, only its use is suspended for the period
# (the 暂扣 is public through its 行政处罚 record). A 恢复 undoes a 吊销 whose decision was revoked on appeal:
# the record the 吊销 withdrew is published again. Every decision but a 发还 or 恢复 reaches the credit file.

ENDERS = (Role.LEGAL_REVIEWER, Role.HEAD)  # 撤销/吊销 end a right: 法制审核人员 or 负责人 record them


@dataclass(frozen=True)
class PermitMove:
    applies_to: tuple[str, ...]
    status_after: str | None
    doc_name: str
    basis: str
    roles: tuple[str, ...] = EDITORS
    withdraws: bool = True  # the public record of the decision it follows comes down


_LIVE = (LicenceStatus.VALID, LicenceStatus.SUSPENDED)
_XKF = "《中华人民共和国行政许可法》"
_CFF_9_3 = "《中华人民共和国行政处罚法》第九条第（三）项"
PERMIT_MOVES: dict[str, PermitMove] = {
    PermitAction.GRANT: PermitMove((), LicenceStatus.VALID, "准予行政许可决定书", f"{_XKF}第三十八条第一款"),
    PermitAction.CHANGE: PermitMove(_LIVE, None, "准予变更行政许可决定书", f"{_XKF}第四十九条"),
    PermitAction.RENEWAL: PermitMove(_LIVE, None, "准予延续行政许可决定书", f"{_XKF}第五十条"),
    PermitAction.CANCEL: PermitMove(_LIVE, LicenceStatus.CANCELLED, "注销行政许可决定书", f"{_XKF}第七十条"),
    PermitAction.ANNUL: PermitMove(
        _LIVE, LicenceStatus.ANNULLED, "撤销行政许可决定书", f"{_XKF}第六十九条", ENDERS
    ),
    PermitAction.REVOKE: PermitMove(_LIVE, LicenceStatus.REVOKED, "行政处罚决定书", _CFF_9_3, ENDERS),
    PermitAction.SUSPEND: PermitMove(
        (LicenceStatus.VALID,), LicenceStatus.SUSPENDED, "行政处罚决定书", _CFF_9_3, ENDERS, withdraws=False
    ),
    # 发还: the 暂扣 ends with its period, or earlier when the 暂扣 decision is revoked or changed (复议/诉讼:
    # 《中华人民共和国行政复议法》第六十四条, 《中华人民共和国行政诉讼法》第七十条).
    PermitAction.RETURN: PermitMove(
        (LicenceStatus.SUSPENDED,),
        LicenceStatus.VALID,
        "发还许可证件通知书",
        f"{_CFF_9_3}（暂扣期满或原决定撤销、变更后发还）",
        withdraws=False,
    ),
    # 恢复: a 吊销 whose decision was revoked by 复议决定 or 判决 no longer stands (《中华人民共和国行政复议法》
    # 第六十四条, 《中华人民共和国行政诉讼法》第七十条): the licence is valid again with its own validity dates,
    # on the number of that 复议决定书/判决书 (``appeal_doc_no``); recorded by those who record a 吊销.
    PermitAction.RESTORE: PermitMove(
        (LicenceStatus.REVOKED,),
        LicenceStatus.VALID,
        "恢复许可证件通知书",
        "《中华人民共和国行政复议法》第六十四条、《中华人民共和国行政诉讼法》第七十条（吊销许可证件的决定被撤销）",
        ENDERS,
        withdraws=False,
    ),
}
GRANTING = (PermitAction.GRANT, PermitAction.CHANGE, PermitAction.RENEWAL)


def permit_authorities(org: Org) -> list[Org]:
    """The units whose decisions ``org``'s bureau may record: itself and the authorities above it (a 设区的市
    licenses 危险货物运输 and 从业资格 for the county's subjects)."""
    out, node = [], jurisdiction_of(org)
    while node is not None:
        if node.kind in JURISDICTION_KINDS:
            out.append(node)
        node = node.parent
    return out


def _permit_refuse(detail: str, field: str = "") -> DomainError:
    return RegistryError.INVALID.error(detail=detail, fields={field: detail} if field else None)


@transaction.atomic
def permit_decide(
    *,
    action: str,
    data: dict[str, str],
    actor: User | None,
    licence: Licence | None = None,
    holder: Enterprise | Vehicle | Person | None = None,
    org: Org | None = None,
    authority: Org | None = None,
    publish_on: date | None = None,
    immediately: bool = False,
    today: date | None = None,
) -> PermitDecision:
    """Record a 行政许可决定 and apply it: the licence is created (准予许可) or changed, the public record
    follows, the credit file gets the event. Audited. Refusals are Chinese and cite the article.

    ``data`` holds strings (form, JSON, CSV): ``doc_no``, ``doc_name`` (default per action),
    ``permit_category`` (01–06 or 普通…其他), ``content``, ``decided_on``, ``valid_from``, ``valid_to``,
    ``reason``, ``holder_fault`` (撤销: obtained by 欺骗、贿赂, Art 69 para 2), ``suspend_until`` (暂扣: the end
    of the period), ``early`` (发还 before that end: the 暂扣 decision was revoked or changed), ``appeal_doc_no``
    (恢复: the 复议决定书/判决书 that revoked the 吊销 decision, required); for 准予许可 also the licence
    fields of the import (``kind``, ``number``, ``holder_uscc`` / ``holder_plate`` + ``holder_plate_color`` /
    ``holder_idcard`` + ``category``), or ``holder`` (the registry object; its key fills those fields).
    ``licence`` is required for every other action.

    ``actor=None`` is the installer (the demo loader), which names ``org``. ``publish_on`` / ``immediately``
    are passed to the disclosure layer (the demo publishes on realistic days inside its transaction);
    ``today`` (default the real date) bounds the decision date, for a loader replaying a past year.
    """
    move = PERMIT_MOVES.get(action)
    if move is None:
        raise _permit_refuse(f"未知的许可决定类型“{action}”", "action")
    if actor is not None:
        require_role(actor, *move.roles)
        org = actor.org
    if org is None:
        raise _permit_refuse("未指定登记单位", "org")
    root = jurisdiction_of(org)
    allowed = permit_authorities(root)
    authority = authority or root
    if authority.pk not in {a.pk for a in allowed}:
        raise _permit_refuse(f"许可机关应为本单位或其上级交通运输主管部门，不能为“{authority}”", "authority")
    today = today or timezone.localdate()
    try:
        row = cleaning.clean_permit_decision(data, action=action)
    except cleaning.Invalid as e:
        raise _permit_refuse(e.reason, e.field) from None
    if row["decided_on"] > today:
        raise _permit_refuse("决定日期不能晚于今天", "decided_on")
    if action == PermitAction.GRANT:
        if licence is not None:
            raise _permit_refuse("准予许可决定创建新证照，不能针对已登记的证照")
        licence = _permit_grant_licence(
            {**data, **_holder_keys(holder)}, row, root=root, authority=authority, actor=actor
        )
        before: dict = {}
        previous = None
    else:
        if licence is None:
            raise _permit_refuse("请指定证照", "licence")
        licence = Licence.objects.select_for_update().select_related("org").get(pk=licence.pk)
        if not licence.org.path.startswith(root.path):
            raise AccountError.OUT_OF_SCOPE.error(what=f"证照 {licence.number}")
        previous = licence.decisions.filter(action__in=GRANTING).order_by("-decided_on", "-pk").first()
        before = _licence_state(licence)
        _permit_check_move(action, move, licence, row, previous)
        _permit_apply(action, move, licence, row)
    if PermitDecision.objects.filter(authority=authority, doc_no=row["doc_no"]).exists():
        raise _permit_refuse(f"{authority}的许可决定书文号“{row['doc_no']}”已登记，不能重复使用", "doc_no")
    decision = PermitDecision(
        licence=licence,
        org=root,
        authority=authority,
        action=action,
        doc_name=row["doc_name"] or move.doc_name,
        doc_no=row["doc_no"],
        certificate_name=licence.get_kind_display(),
        certificate_no=licence.number,
        category=row["permit_category"] or (previous.category if previous else ""),
        content=row["content"]
        or (licence.scope if action in GRANTING and licence.scope else "")
        or f"{PermitAction(action).label}{licence.get_kind_display()}（{licence.number}）"
        + (f"，暂扣期限至 {row['suspend_until']:%Y-%m-%d}" if action == PermitAction.SUSPEND else ""),
        decided_on=row["decided_on"],
        valid_from=licence.valid_from if action in GRANTING else None,
        valid_to=licence.valid_to if action in GRANTING else None,
        reason=row["reason"],
        holder_fault=row["holder_fault"],
        appeal_doc_no=row["appeal_doc_no"] if action == PermitAction.RESTORE else "",
        basis=move.basis,
        status_after=licence.status,
        previous=previous,
        created_by=actor,
    )
    try:
        # 许可类别 is a data item of the 行政许可 record a granting decision publishes; a decision that ends or
        # suspends a licence registered before the platform (no earlier decision to take it from) has none
        decision.full_clean(exclude=None if action in GRANTING else ["category"])
    except ValidationError as e:
        fields = {k: "；".join(v) for k, v in e.message_dict.items()}
        if "category" in fields:
            fields = {"permit_category": "请选择许可类别（普通、特许、认可、核准、登记、其他）"}
        raise RegistryError.INVALID.error(detail="；".join(fields.values()), fields=fields) from None
    decision.save()
    audit_record(
        action=f"registry.permit.{action}",
        actor=actor,
        target=decision,
        before=before or None,
        after=_licence_state(licence),
        detail={"licence": licence.pk, "doc_no": decision.doc_no, "basis": move.basis},
        reason=decision.reason,
    )
    # the public side (双公示) and the credit file react to the decision (disclosure, credit listeners)
    events.emit(PERMIT_DECIDED, decision=decision, actor=actor, publish_on=publish_on, immediately=immediately)
    return decision


def _licence_state(lic: Licence) -> dict:
    return {
        "status": lic.status,
        "scope": lic.scope,
        "valid_from": lic.valid_from.isoformat(),
        "valid_to": lic.valid_to.isoformat(),
    }


def _holder_keys(holder) -> dict[str, str]:
    """The natural key of a licence holder in the import's field names. A person's ID number is decrypted
    here only to be matched through its blind index by the upsert; it is not shown or stored in clear."""
    if holder is None:
        return {}
    if isinstance(holder, Enterprise):
        return {"holder_uscc": holder.uscc}
    if isinstance(holder, Vehicle):
        return {"holder_plate": holder.plate, "holder_plate_color": holder.plate_color}
    return {"holder_idcard": decrypt_field(holder.idcard_enc, purpose="person.idcard")}


def _permit_grant_licence(data: dict, row: dict, *, root: Org, authority: Org, actor: User | None) -> Licence:
    """The licence a 准予许可 creates, through the same validation and upsert as imports and forms (an
    existing licence is refused; the transaction undoes the upsert)."""
    raw = {k: data.get(k) for k in ("kind", "number", "holder_uscc", "holder_plate", "holder_plate_color",
                                    "holder_idcard", "category")}
    raw.update(scope=row["content"], issuing_authority=authority.name, valid_from=row["valid_from"].isoformat(),
               valid_to=row["valid_to"].isoformat(), status=LicenceStatus.VALID)
    result, clean = _upsert("licences", raw, actor=actor, org=root)
    label = f"{LicenceKind(clean['kind']).label} {clean['number']}"
    if result != "created":
        raise _permit_refuse(f"{label} 已登记：对已有证照请作出变更、延续或注销决定", "number")
    return Licence.objects.select_related("org").get(kind=clean["kind"], number=clean["number"])


def _permit_check_move(action: str, move: PermitMove, lic: Licence, row: dict, previous) -> None:
    label = PermitAction(action).label
    if lic.status not in move.applies_to:
        raise RegistryError.REJECTED.error(
            detail=f"证照 {lic.number} 已{lic.get_status_display()}，不能再作出{label}决定"
        )
    if previous is not None and row["decided_on"] < previous.decided_on:
        raise _permit_refuse(
            f"决定日期不能早于该证照上一项许可决定（{previous.doc_no}，{previous.decided_on:%Y-%m-%d}）", "decided_on"
        )
    # the period's last day is 暂扣期限至 itself (民法典 Art 202): a 发还 on or before it needs the early ground
    if action == PermitAction.RETURN and lic.suspended_until and row["decided_on"] <= lic.suspended_until:
        if not row["early"]:
            raise RegistryError.REJECTED.error(
                detail=f"证照 {lic.number} 暂扣期限至 {lic.suspended_until:%Y-%m-%d}，期满前发还须依据撤销或者变更"
                "原处罚决定的决定（请注明“原决定已撤销或变更”并写明理由）"
            )
    if action == PermitAction.RESTORE:
        # the 复议决定/判决 that revoked the 吊销 comes after it (and the 吊销's withdrawal of the public record)
        revoked = last_revocation(lic)
        if revoked is not None and row["decided_on"] <= revoked.decided_on:
            raise _permit_refuse(
                f"恢复决定日期应晚于吊销决定（{revoked.doc_no}，{revoked.decided_on:%Y-%m-%d}）："
                "撤销吊销决定的复议决定或判决在其后作出",
                "decided_on",
            )
        return  # dates unchanged: a licence whose 有效期至 passed meanwhile is restored, shown expired
    expired = row["decided_on"] > lic.valid_to
    if action == PermitAction.RENEWAL:
        if expired:
            raise RegistryError.REJECTED.error(
                detail=f"证照有效期已于 {lic.valid_to:%Y-%m-%d} 届满：延续决定应在有效期届满前作出，"
                "届满后应重新申请许可（《中华人民共和国行政许可法》第五十条）"
            )
        if row["valid_to"] is None or row["valid_to"] <= lic.valid_to:
            raise _permit_refuse(f"延续后的有效期至应晚于原有效期至 {lic.valid_to:%Y-%m-%d}", "valid_to")
    elif expired and action != PermitAction.CANCEL:
        raise RegistryError.REJECTED.error(
            detail=f"证照有效期已于 {lic.valid_to:%Y-%m-%d} 届满，未延续的应办理注销"
            "（《中华人民共和国行政许可法》第七十条第（一）项）"
        )


def last_revocation(lic: Licence) -> PermitDecision | None:
    """The 吊销 a 恢复 undoes: the licence's latest (None for a licence registered as revoked)."""
    return lic.decisions.filter(action=PermitAction.REVOKE).order_by("-decided_on", "-pk").first()


def _permit_apply(action: str, move: PermitMove, lic: Licence, row: dict) -> None:
    if action == PermitAction.RENEWAL:
        lic.valid_from = row["valid_from"] or (lic.valid_to + timedelta(days=1))
        lic.valid_to = row["valid_to"]
    elif action == PermitAction.CHANGE:
        if row["valid_to"] is not None:
            lic.valid_from, lic.valid_to = row["valid_from"] or lic.valid_from, row["valid_to"]
    if action in (PermitAction.CHANGE, PermitAction.RENEWAL) and row["content"]:
        lic.scope = row["content"][:200]
    if move.status_after is not None:
        lic.status = move.status_after
    if action == PermitAction.SUSPEND:
        lic.suspended_until = row["suspend_until"]
    elif lic.status != LicenceStatus.SUSPENDED:
        lic.suspended_until = None
    if lic.valid_to < lic.valid_from:
        raise _permit_refuse("有效期至不能早于有效期自", "valid_to")
    try:
        lic.full_clean()
    except ValidationError as e:
        fields = {k: "；".join(v) for k, v in e.message_dict.items()}
        raise RegistryError.INVALID.error(detail="；".join(fields.values()), fields=fields) from None
    lic.save()


