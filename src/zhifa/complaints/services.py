"""Writes of 投诉举报: registering a work order (any channel), the one transition service with its table of
allowed moves, the complaint → 案源 seam, and the case's outcome flowing back into the order."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.services import require_business
from zhifa.core.audit import audit_record
from zhifa.core.crypto import blind_index, decrypt_field, encrypt_field
from zhifa.core.identifiers import mask_idcard, mask_name, mask_phone, validate
from zhifa.registry.models import Enterprise, Person, Vehicle

from . import rules
from .enums import CaseOutcome, Category, Channel, Satisfaction, State, Urgency
from .errors import ComplaintError
from .handoffs import order_handoff
from .models import OrderEvent, WorkOrder

PURPOSE = {"name": "complaint.name", "phone": "complaint.phone", "idcard": "complaint.idcard"}
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud on the phone


def tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def next_numbers(year: int, n: int) -> list[str]:
    """``n`` fresh work-order numbers of ``year`` (TS2026000001…); the unique constraint guards races."""
    prefix = f"TS{year}"
    top = WorkOrder.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    start = int(top[len(prefix):]) if top else 0
    return [f"{prefix}{start + i:06d}" for i in range(1, n + 1)]


@dataclass
class Complainant:
    name: str = ""
    phone: str = ""
    idcard: str = ""


def complainant_fields(c: Complainant | None) -> dict[str, str]:
    """The encrypted and masked columns of a complainant (PIPL Art 28/51: encrypted at rest, masked on pages)."""
    c = c or Complainant()
    name, phone, idcard = c.name.strip()[:50], re.sub(r"[\s\-]", "", c.phone or "")[:20], c.idcard.strip().upper()
    if phone and not re.fullmatch(r"\+?[0-9]{5,20}", phone):
        raise ComplaintError.INVALID.error(detail="联系电话应为数字", fields={"phone": "格式不正确"})
    if idcard:
        check = validate("idcard", idcard)
        if not check.ok:
            raise ComplaintError.INVALID.error(detail=check.reason, fields={"idcard": check.reason})
        idcard = check.value
    out = {"name_enc": "", "name_masked": "", "phone_enc": "", "phone_masked": "", "phone_index": "",
           "idcard_enc": "", "idcard_masked": ""}
    if name:
        out["name_enc"], out["name_masked"] = encrypt_field(name, purpose=PURPOSE["name"]), mask_name(name)
    if phone:
        out["phone_enc"], out["phone_masked"] = encrypt_field(phone, purpose=PURPOSE["phone"]), mask_phone(phone)
        out["phone_index"] = blind_index(phone, purpose=PURPOSE["phone"])
    if idcard:
        out["idcard_enc"], out["idcard_masked"] = encrypt_field(idcard, purpose=PURPOSE["idcard"]), mask_idcard(idcard)
    return out


def initial_clocks(order: WorkOrder, cache: dict | None = None) -> None:
    """受理告知 (信访 only) and the closing deadline as the order's track says, each explained. ``cache``
    (an import's) keeps the clocks of one (track, period rule, day): a file of 100,000 orders has a few
    hundred distinct ones."""
    key = (order.track, rules.track_rule(order.track).period_by_category[order.category], order.received_on)
    if cache is not None and key in cache:
        order.ack_due, order.due, order.clock_explanation = cache[key]
        return
    lines: list[str] = []
    ack = rules.ack_clock(order.track, order.received_on)
    if ack:
        order.ack_due = ack.due
        lines += ack.explanation
    if not rules.track_rule(order.track).counts_from_acceptance:
        h = rules.handle_clock(order.track, order.category, order.received_on)
        order.due = h.due
        lines += h.explanation
    order.clock_explanation = lines
    if cache is not None:
        cache[key] = (order.ack_due, order.due, lines)


@cache
def _choice_values(choices) -> frozenset[str]:
    return frozenset(choices.values)  # ``Choices.values`` builds a new list on each call (20 µs)


def _check_choice(value: str, choices, field: str, label: str) -> None:
    if value not in _choice_values(choices):
        raise ComplaintError.INVALID.error(detail=f"{label}“{value}”无效", fields={field: "取值无效"})


def order_build(
    *,
    org: Org,
    channel: str,
    category: str,
    title: str,
    content: str,
    received_on: date,
    complainant: Complainant | None = None,
    anonymous: bool = False,
    external_no: str = "",
    urgency: str = Urgency.NORMAL,
    subject: Enterprise | Person | Vehicle | None = None,
    subject_text: str = "",
    place: str = "",
    lat: Decimal | float | None = None,
    lng: Decimal | float | None = None,
    occurred_at: datetime | None = None,
    source_index: str = "",
    number: str = "",
    clock_cache: dict | None = None,
) -> WorkOrder:
    """A validated, unsaved work order with its clocks (the importer saves many at once)."""
    _check_choice(channel, Channel, "channel", "渠道")
    _check_choice(category, Category, "category", "类别")
    _check_choice(urgency, Urgency, "urgency", "紧急程度")
    if not content.strip():
        raise ComplaintError.INVALID.error(detail="诉求内容不能为空", fields={"content": "必填"})
    order = WorkOrder(
        org=org,
        received_org=org,
        number=number,
        tracking_code=tracking_code(),
        channel=channel,
        external_no=external_no.strip()[:60],
        track=rules.track_for(channel),
        category=category,
        urgency=urgency,
        title=(title.strip() or content.strip())[:200],
        content=content.strip(),
        subject_text=(subject_text.strip() or (str(subject) if subject else ""))[:200],
        place=place.strip()[:200],
        lat=Decimal(str(lat)).quantize(Decimal("0.000001")) if lat not in (None, "") else None,
        lng=Decimal(str(lng)).quantize(Decimal("0.000001")) if lng not in (None, "") else None,
        occurred_at=occurred_at,
        received_on=received_on,
        anonymous=anonymous,
        source_index=source_index,
        **({} if anonymous else complainant_fields(complainant)),
    )
    if isinstance(subject, Enterprise):
        order.enterprise = subject
    elif isinstance(subject, Person):
        order.person = subject
    elif isinstance(subject, Vehicle):
        order.vehicle = subject
    initial_clocks(order, clock_cache)
    return order


@transaction.atomic
def order_create(*, actor: User | None, **fields: Any) -> tuple[WorkOrder, bool]:
    """Register a work order; returns ``(order, created)``. A repeated ``(channel, external_no)`` returns
    the stored order unchanged (the city platform resends). ``actor=None``: the portal or the system."""
    if actor is not None:
        require_business(actor)
    ext = (fields.get("external_no") or "").strip()
    if ext:
        existing = WorkOrder.objects.filter(channel=fields.get("channel"), external_no=ext).first()
        if existing:
            return existing, False
    order = order_build(**fields)
    for _attempt in range(5):
        order.number = next_numbers(order.received_on.year, 1)[0]
        try:
            with transaction.atomic():
                order.save()
            break
        except IntegrityError:
            if ext and WorkOrder.objects.filter(channel=order.channel, external_no=ext).exists():
                return WorkOrder.objects.get(channel=order.channel, external_no=ext), False
            order.pk = None
    else:  # pragma: no cover - five collisions in a row
        raise ComplaintError.INVALID.error(detail="工单号分配冲突，请重试")
    _event(order, "receive", "登记", order.received_on, actor,
           note=f"渠道：{order.get_channel_display()}" + (f"，外部工单号 {ext}" if ext else ""),
           public_note="已收到您的诉求")
    audit_record(action="complaint.create", actor=actor, target=order,
                 after={"channel": order.channel, "category": order.category, "external_no": ext})
    order_handoff(order=order, action="receive", actor=actor)
    return order, True


def _event(order: WorkOrder, action: str, label: str, on: date, actor, *, note: str = "",
           public_note: str = "", public: bool = True) -> OrderEvent:
    return OrderEvent.objects.create(order=order, on=on, action=action, label=label, state_to=order.state,
                                     actor_name=str(actor) if actor is not None else "系统", note=note[:2000],
                                     public_note=public_note[:500], public=public)


# --------------------------------------------------------------------------------------------------
# the lifecycle: one transition service, one table of allowed moves
# --------------------------------------------------------------------------------------------------

S = State
ACTORS = (Role.OFFICER, Role.HEAD)


@dataclass(frozen=True)
class Move:
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    roles: tuple[str, ...] = ACTORS
    roles_label: str = "执法人员或执法部门负责人"
    public: bool = True


WORKING = (S.ACCEPTED, S.DISPATCHED, S.HANDLING)
MOVES: dict[str, Move] = {
    "accept": Move("受理", (S.RECEIVED,), S.ACCEPTED),
    "refuse": Move("不予受理", (S.RECEIVED,), S.REFUSED),
    "dispatch": Move("转办/交办", (S.RECEIVED, S.ACCEPTED, S.HANDLING), S.DISPATCHED),
    "objection": Move("派单异议（退回）", (S.DISPATCHED,), S.ACCEPTED),
    "handle": Move("办理", (S.ACCEPTED, S.DISPATCHED), S.HANDLING),
    "extend": Move("延期（经负责人批准）", WORKING, None, (Role.HEAD,), "执法部门负责人"),
    "reply": Move("答复", WORKING, S.REPLIED),
    "revisit": Move("回访", (S.REPLIED,), S.REVISITED),
    "redo": Move("重办（回访不满意）", (S.REVISITED,), S.HANDLING),
    "close": Move("办结", (S.REPLIED, S.REVISITED), S.CLOSED),
    "review": Move("受理复查/复核申请", (S.CLOSED,), S.HANDLING),
    "archive": Move("归档", (S.CLOSED, S.REFUSED, S.MERGED), S.ARCHIVED, public=False),
    "merge": Move("并单", (S.RECEIVED, S.ACCEPTED), S.MERGED),
}
ACTION_LABELS = {k: m.label for k, m in MOVES.items()} | {"receive": "登记", "to_case": "转为案源",
                                                           "case_outcome": "案件处理结果"}


def allowed_actions(order: WorkOrder, actor: User) -> list[str]:
    return [a for a, m in MOVES.items() if order.state in m.sources and actor.has_role(*m.roles)]


def _text(data: dict, key: str) -> str:
    return str(data.get(key) or "").strip()


@transaction.atomic
def order_transition(*, order: WorkOrder, action: str, actor: User, data: dict | None = None,
                     on: date | None = None) -> WorkOrder:
    """Make one move on ``order`` if the table allows it from the current state, for the actor's role, with
    what the rule needs; every move is audited and written on the timeline in the same transaction."""
    data = dict(data or {})
    on = on or timezone.localdate()
    move = MOVES.get(action)
    if move is None:
        raise ComplaintError.INVALID.error(detail=f"未知的办理动作“{action}”")
    require_business(actor)
    locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
    _check_scope(actor, locked)
    if locked.state not in move.sources:
        if action == "close" and locked.state in WORKING:
            raise ComplaintError.NO_REPLY.error()
        raise ComplaintError.NOT_ALLOWED.error(state=locked.get_state_display(), what=move.label)
    if not actor.has_role(*move.roles):
        raise ComplaintError.ROLE.error(what=move.label, roles=move.roles_label)
    before = {"state": locked.state, "org": locked.org_id, "due": str(locked.due or "")}
    note, public_note = _apply(locked, action, data, on, actor)
    if move.target:
        locked.state = move.target
    locked.full_clean(exclude=["org", "received_org", "handler", "merged_into", "case_source", "enterprise",
                               "person", "vehicle"])
    locked.save()
    _event(locked, action, move.label, on, actor, note=note, public_note=public_note, public=move.public)
    audit_record(action=f"complaint.{action}", actor=actor, target=locked, before=before,
                 after={"state": locked.state, "org": locked.org_id, "due": str(locked.due or "")},
                 reason=note[:300])
    order_handoff(order=locked, action=action, actor=actor)
    return locked


def _check_scope(actor: User, order: WorkOrder) -> None:
    if actor.org_id is None or not order.org.is_within(jurisdiction_of(actor.org)):
        raise ComplaintError.NOT_FOUND.error()


def _apply(o: WorkOrder, action: str, data: dict, on: date, actor: User) -> tuple[str, str]:
    """The move's own effect; returns (note for the timeline, what the complainant may read)."""
    rule = rules.track_rule(o.track)
    if action == "accept":
        o.accepted_on = on
        o.handler = o.handler or actor
        if rule.counts_from_acceptance:
            h = rules.handle_clock(o.track, o.category, on)
            o.due, o.clock_explanation = h.due, [*o.clock_explanation, *h.explanation]
        return f"受理，办结期限 {o.due:%Y-%m-%d}", f"已受理，将于 {o.due:%Y年%m月%d日} 前办结答复"
    if action == "refuse":
        reason = _required(data, "reason", "不予受理理由")
        o.refuse_reason = reason[:500]
        return f"不予受理：{reason}", f"不予受理。理由：{reason}"
    if action == "dispatch":
        unit = data.get("org")
        unit = unit if isinstance(unit, Org) else Org.objects.filter(pk=data.get("org_id") or 0).first()
        if unit is None or not unit.is_within(jurisdiction_of(actor.org)):
            raise ComplaintError.INVALID.error(detail="请选择本局管辖范围内的承办单位", fields={"org_id": "无效"})
        if o.accepted_on is None:
            o.accepted_on = on
            if rule.counts_from_acceptance:
                h = rules.handle_clock(o.track, o.category, on)
                o.due, o.clock_explanation = h.due, [*o.clock_explanation, *h.explanation]
        o.org, o.handler = unit, None
        return f"转办/交办至 {unit.name}" + (f"：{_text(data, 'note')}" if _text(data, "note") else ""), \
            f"已转 {unit.name} 办理"
    if action == "objection":
        reason = _required(data, "reason", "异议理由")
        o.org, o.handler = o.received_org, None
        return f"派单异议，退回：{reason}（《信访工作条例》第二十三条：5个工作日内说明理由）", ""
    if action == "handle":
        o.handler = actor
        return _text(data, "note") or "开始办理", "正在办理"
    if action == "extend":
        return _extend(o, data, on)
    if action == "reply":
        text = _required(data, "reply_text", "答复内容")
        o.reply_text, o.replied_on = text, on
        return f"答复：{text}", text
    if action == "revisit":
        sat = _text(data, "satisfaction")
        if sat not in Satisfaction.values:
            raise ComplaintError.INVALID.error(detail="请选择满意度", fields={"satisfaction": "必选"})
        o.satisfaction, o.revisited_on = sat, on
        return f"回访：{Satisfaction(sat).label}。{_text(data, 'note')}".strip(), f"回访：{Satisfaction(sat).label}"
    if action == "redo":
        if o.satisfaction != Satisfaction.UNSATISFIED:
            raise ComplaintError.REDO_ONLY_UNSATISFIED.error()
        o.redo_count += 1
        o.replied_on = None
        return f"重办（第 {o.redo_count} 次）：{_text(data, 'note')}", "诉求人不满意，已重新办理"
    if action == "close":
        if rule.revisit_required and o.revisited_on is None:
            raise ComplaintError.NO_REVISIT.error(track=rule.label, source=rule.revisit_source)
        if o.satisfaction == Satisfaction.UNSATISFIED:
            raise ComplaintError.NOT_ALLOWED.error(state="回访不满意", what="办结（应先重办）")
        o.closed_on, o.closed_at = on, timezone.now()
        return "办结", "已办结"
    if action == "review":
        return _review(o, data, on)
    if action == "archive":
        o.archived_on = on
        return "归档", ""
    if action == "merge":
        target = data.get("into")
        target = target if isinstance(target, WorkOrder) else WorkOrder.objects.filter(
            number=_text(data, "into_number")).first()
        if target is None or target.pk == o.pk or target.merged_into_id:
            raise ComplaintError.INVALID.error(detail="请填写要并入的工单号", fields={"into_number": "无效"})
        o.merged_into = target
        return f"并入工单 {target.number}（重复诉求原则上并单处理，国办函〔2025〕66号）", \
            f"与同一事项的工单合并办理（工单 {target.number}）"
    raise ComplaintError.INVALID.error(detail=f"未知的办理动作“{action}”")  # pragma: no cover


def _required(data: dict, key: str, label: str) -> str:
    value = _text(data, key)
    if not value:
        raise ComplaintError.INVALID.error(detail=f"须填写{label}", fields={key: "必填"})
    return value


def _extend(o: WorkOrder, data: dict, on: date) -> tuple[str, str]:
    reason = _required(data, "reason", "延期理由")
    try:
        days = int(data.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    limit = rules.extension_max(o.track, on)
    if o.due is None:
        raise ComplaintError.EXTENSION.error(detail="尚未受理，无办结期限可延", article=limit.article)
    if days <= 0 or o.extended_days + days > int(limit.value):
        raise ComplaintError.EXTENSION.error(
            detail=f"延期合计不得超过 {limit.value} {'个工作日' if limit.day_type == 'working' else '日'}"
                   f"（已延 {o.extended_days}）", article=limit.article)
    o.extended_days += days
    start = o.accepted_on if rules.track_rule(o.track).counts_from_acceptance else o.received_on
    h = rules.handle_clock(o.track, o.category, start, extended=o.extended_days)
    o.due = h.due
    o.clock_explanation = [*o.clock_explanation, f"经负责人批准延期 {days} 日：{reason}", *h.explanation[:1]]
    return f"延期 {days} 日至 {o.due:%Y-%m-%d}：{reason}", f"办理期限延长至 {o.due:%Y年%m月%d日}，理由：{reason}"


def _review(o: WorkOrder, data: dict, on: date) -> tuple[str, str]:
    """信访工作条例 Arts 35–36: a 复查 request within 30 days of the reply, a 复核 within 30 days of the 复查
    opinion; the opinion is due 30 days after the request."""
    from .enums import Track

    if o.track != Track.XINFANG:
        raise ComplaintError.NOT_ALLOWED.error(state=o.get_state_display(), what="复查/复核（仅适用信访事项）")
    kind = "recheck" if o.review_round == "review" else "review"
    if o.review_round == "recheck":
        raise ComplaintError.NOT_ALLOWED.error(state="已复核", what="再次复查/复核（《信访工作条例》第三十六条）")
    window = rules.review_request_clock(kind, o.replied_on or o.closed_on or on)
    if on > window.due:
        raise ComplaintError.NOT_ALLOWED.error(
            state=f"申请期限已于 {window.due:%Y-%m-%d} 届满", what=f"受理{rules.REVIEW_LABELS[kind]}申请")
    c = rules.review_clock(kind, on)
    o.review_round, o.due, o.closed_on, o.closed_at = kind, c.due, None, None
    o.satisfaction, o.revisited_on = "", None
    o.clock_explanation = [*o.clock_explanation, *c.explanation]
    label = rules.REVIEW_LABELS[kind]
    return f"收到{label}请求，{label}意见于 {c.due:%Y-%m-%d} 前答复：{_text(data, 'note')}", \
        f"已收到{label}请求，将于 {c.due:%Y年%m月%d日} 前答复"


# --------------------------------------------------------------------------------------------------
# complainant data for the handler, complaint -> 案源, the case's outcome flowing back
# --------------------------------------------------------------------------------------------------


def portal_rate_check(source: str) -> None:
    """Refuse a portal submission from an address (its blind index) that filed ZHIFA_COMPLAINT_PORTAL_PER_HOUR
    orders in the last hour."""
    limit = rules.portal_rate()
    since = timezone.now() - timedelta(hours=1)
    if limit and WorkOrder.objects.filter(source_index=source, received_at__gte=since).count() >= limit:
        raise ComplaintError.RATE.error(minutes=60)


def may_see_complainant(order: WorkOrder, actor: User) -> bool:
    return actor is not None and actor.is_authenticated and order.handler_id == actor.pk


def complainant_reveal(*, order: WorkOrder, actor: User) -> Complainant:
    """The complainant in clear, for the order's handler only; every look is audited."""
    if not may_see_complainant(order, actor):
        raise ComplaintError.ROLE.error(what="查看诉求人信息", roles="本工单承办人")
    audit_record(action="complaint.reveal", actor=actor, target=order)
    return Complainant(
        name=decrypt_field(order.name_enc, purpose=PURPOSE["name"]) if order.name_enc else "",
        phone=decrypt_field(order.phone_enc, purpose=PURPOSE["phone"]) if order.phone_enc else "",
        idcard=decrypt_field(order.idcard_enc, purpose=PURPOSE["idcard"]) if order.idcard_enc else "",
    )


@transaction.atomic
def order_to_case(*, order: WorkOrder, actor: User, on: date | None = None):
    """A 举报 (or 投诉) of a violation becomes a 案源 in one action (信访工作条例 Art 31 item 5: a request to
    investigate a violation goes to the enforcement track). The reporter is kept confidential: the source
    carries the complainant's masked data only through the cases seam's own encryption."""
    from zhifa.cases.models import SourceOrigin
    from zhifa.cases.services import case_source_create

    on = on or timezone.localdate()
    locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
    _check_scope(actor, locked)
    if locked.state not in (S.RECEIVED, *WORKING):
        raise ComplaintError.NOT_ALLOWED.error(state=locked.get_state_display(), what="转为案源")
    if locked.case_source_id:
        raise ComplaintError.NOT_ALLOWED.error(state="已转为案源", what="再次转为案源")
    subject = locked.enterprise or locked.vehicle or locked.person
    # the 案源 belongs to the unit that will investigate: the converting officer's squad when it lies within
    # the order's unit (its cases are then the officer's own), else the order's unit
    unit = actor.org if actor.org is not None and actor.org.is_within(locked.org) else locked.org
    src, _created = case_source_create(
        origin=SourceOrigin.COMPLAINT,
        org=unit,
        facts=f"{locked.get_category_display()}（工单 {locked.number}）：{locked.content}",
        subject=subject,
        subject_name=locked.subject_label,
        occurred_at=locked.occurred_at,
        location=locked.place,
        external_ref=locked.number,
        actor=actor,
    )
    if locked.state == S.RECEIVED:
        locked.accepted_on = on
        if rules.track_rule(locked.track).counts_from_acceptance:
            h = rules.handle_clock(locked.track, locked.category, on)
            locked.due, locked.clock_explanation = h.due, [*locked.clock_explanation, *h.explanation]
    locked.state = S.HANDLING
    locked.handler = locked.handler or actor
    locked.case_source = src
    locked.case_outcome = CaseOutcome.SOURCE
    locked.case_outcome_text = "已作为案件线索移交执法办案，正在核查"
    locked.save()
    _event(locked, "to_case", "转为案源", on, actor, note=f"案源编号 {src.pk}（《信访工作条例》第三十一条第五项）",
           public_note="您反映的违法线索已转入行政执法程序核查")
    audit_record(action="complaint.to_case", actor=actor, target=locked, after={"case_source": src.pk})
    return src


@transaction.atomic
def order_case_outcome(*, order: WorkOrder, outcome: str, text: str, on: date, actor=None) -> WorkOrder:
    """The case's outcome on the order and in the reply draft: only what may be told to the complainant
    (no party's personal data: 个人信息保护法 Art 13, 信访工作条例 Art 45 on confidentiality)."""
    locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if locked.case_outcome == outcome and locked.case_outcome_text == text:
        return locked
    locked.case_outcome, locked.case_outcome_text = outcome, text[:500]
    locked.reply_draft = reply_draft(locked)
    locked.save(update_fields=["case_outcome", "case_outcome_text", "reply_draft"])
    _event(locked, "case_outcome", "案件处理结果", on, actor, note=text, public_note=text)
    audit_record(action="complaint.case_outcome", actor=actor, target=locked, after={"outcome": outcome})
    order_handoff(order=locked, action="case_outcome", actor=actor)
    return locked


def reply_draft(order: WorkOrder) -> str:
    """A reply to the complainant (答复意见书 / 短信 text) with what may be told: the order, what was done,
    the case's outcome in general words; never a third party's personal data."""
    who = "您好" if order.anonymous or not order.name_masked else f"{order.name_masked[0]}先生/女士，您好"
    lines = [
        f"{who}：",
        f"您于{order.received_on:%Y年%m月%d日}通过{order.get_channel_display()}反映的"
        f"{order.get_category_display()}事项（工单号 {order.number}）已办理。",
    ]
    if order.case_outcome_text:
        lines.append(f"办理结果：{order.case_outcome_text}。")
    lines.append("感谢您对交通运输执法工作的支持和监督。")
    if order.track == "xinfang":
        lines.append("如对本答复不服，可自收到之日起30日内请求上一级机关复查（《信访工作条例》第三十五条）。")
    return "\n".join(lines)
