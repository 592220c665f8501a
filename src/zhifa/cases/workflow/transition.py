"""The one transition service of a case: :func:`case_transition` applies a move of the table
(:data:`~zhifa.cases.workflow.moves.MOVES`); :func:`allowed_moves` lists those open to an actor."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.audit import audit_record

from ..errors import CaseError
from ..handoffs import case_step_handoff
from ..models import Case, CaseStep
from .base import Move, _d
from .moves import FORBIDDEN, MOVES
from .paperwork import issue_documents


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
    """Perform ``action`` on ``case`` (see the package docstring). Returns the updated case."""
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
    case_step_handoff(case=working, action=action, actor=actor, data=clean)  # told after commit
    audit_record(
        action=f"case.{action}",
        actor=actor,
        target=working,
        before=before,
        after=_snapshot(working),
        detail={"step": move.label, "on": on.isoformat(), "documents": [d.get("template") for d in docs]},
    )
    return working
