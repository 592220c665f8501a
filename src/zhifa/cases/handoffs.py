"""Who acts next on a case, told by a notification (``zhifa.notifications``): the hand-offs of the
ordinary procedure and the daily reminder of a legal deadline two working days away.

``case_step_handoff`` is called by the transition service after each step, in the step's transaction;
:func:`~zhifa.notifications.services.notify` writes the notifications only once the step commits, so a
refused step tells nobody. The table :data:`HANDOFFS` says, per move, who is told and what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.notifications import kinds
from zhifa.notifications.daily import reminder_window_end
from zhifa.notifications.selectors import users_with_role_over
from zhifa.notifications.services import notify

from .enums import CaseState, ClockStatus, Outcome
from .models import Case, CaseClock, CaseOfficer, CaseSource

K_FILING = kinds.declare("case.filing", "立案审批")
K_REGISTERED = kinds.declare("case.registered", "已批准立案")
K_ASSIGNED = kinds.declare("case.assigned", "指派办案")
K_PROPOSAL = kinds.declare("case.proposal", "处理意见审查")
K_REVIEW = kinds.declare("case.review", "法制审核")
K_REVIEW_DONE = kinds.declare("case.review_done", "法制审核结果")
K_DISCUSSION = kinds.declare("case.discussion", "集体讨论")
K_DECISION = kinds.declare("case.decision", "作出决定")
K_SERVE = kinds.declare("case.serve", "决定书送达")
K_DEADLINE = kinds.declare("case.deadline", "期限提醒")
K_SOURCE = kinds.declare("case.source", "案源处理")

# a deadline this many working days away (or nearer) is reminded once to the case's officers


def heads(case: Case) -> list[int]:
    return list(users_with_role_over(case.org, Role.HEAD).values_list("pk", flat=True))


def reviewers(case: Case) -> list[int]:
    return list(users_with_role_over(case.org, Role.LEGAL_REVIEWER).values_list("pk", flat=True))


def officers(case: Case) -> list[int]:
    """The users of the case's active officers; the one who filed it while none is assigned."""
    ids = list(
        CaseOfficer.objects.filter(case=case, removed_on__isnull=True, officer__user__isnull=False)
        .values_list("officer__user_id", flat=True)
    )
    return ids or ([case.created_by_id] if case.created_by_id else [])


def _name(case: Case) -> str:
    return f"{case.number}（{case.party_name}，{case.violation_name}）"


def decision_action(case: Case) -> str:
    """The decision move a head makes next: 不予处罚 when that was proposed, else the penalty decision."""
    return "decide_no_penalty" if case.proposed_outcome == Outcome.NO_PENALTY else "decide"


def needs_discussion(case: Case) -> bool:
    return bool(case.discussion_required and not case.discussed_on)


@dataclass(frozen=True)
class Handoff:
    who: Callable[[Case], list[int]]
    kind: str
    title: Callable[[Case, dict], str]
    link: Callable[[Case], str]
    body: Callable[[Case, dict], str] = lambda c, d: ""


def _step_link(action: str) -> Callable[[Case], str]:
    return lambda c: f"/cases/{c.pk}/step/{action}/"


def _detail(c: Case) -> str:
    return f"/cases/{c.pk}/"


def _after_review(c: Case) -> str:
    if c.state != CaseState.REVIEWED:  # returned: the officers propose again
        return _detail(c)
    return f"/cases/{c.pk}/step/{'discuss' if needs_discussion(c) else decision_action(c)}/"


def _review_title(c: Case, data: dict) -> str:
    if c.state == CaseState.REVIEWED:
        nxt = "待集体讨论" if needs_discussion(c) else "待作出决定"
        return f"法制审核通过，{nxt}：{_name(c)}"
    return f"法制审核未通过，已退回补充调查：{_name(c)}"


def _review_body(c: Case, data: dict) -> str:
    return f"审核意见：{data.get('opinion') or '（未填写）'}"


HANDOFFS: dict[str, Handoff] = {
    "register": Handoff(
        lambda c: [c.created_by_id] if c.created_by_id else [], K_REGISTERED,
        lambda c, d: f"已批准立案，请开展调查：{_name(c)}", _detail,
    ),
    "assign_officers": Handoff(officers, K_ASSIGNED, lambda c, d: f"您被指派办理：{_name(c)}", _detail),
    "end_investigation": Handoff(
        heads, K_PROPOSAL, lambda c, d: f"调查终结，处理意见待审查：{_name(c)}", _step_link("propose")
    ),
    "submit_review": Handoff(
        reviewers, K_REVIEW, lambda c, d: f"案件待法制审核：{_name(c)}", _step_link("review"),
        lambda c, d: "审核理由：" + "；".join(c.review_reasons) if c.review_reasons else "",
    ),
    "review": Handoff(
        lambda c: sorted(set(officers(c)) | set(heads(c))), K_REVIEW_DONE, _review_title, _after_review,
        _review_body,
    ),
    "discuss": Handoff(
        heads, K_DECISION, lambda c, d: f"已集体讨论，待作出决定：{_name(c)}",
        lambda c: _step_link(decision_action(c))(c),
    ),
    "decide": Handoff(officers, K_SERVE, lambda c, d: f"处罚决定书待送达：{_name(c)}", _step_link("serve")),
    "decide_no_penalty": Handoff(
        officers, K_SERVE, lambda c, d: f"不予行政处罚决定书待送达：{_name(c)}", _step_link("serve")
    ),
}


def case_step_handoff(*, case: Case, action: str, actor: User, data: dict) -> None:
    """Tell whoever acts next after ``action`` on ``case`` (nothing for a move not in :data:`HANDOFFS`)."""
    h = HANDOFFS.get(action)
    if h is None:
        return
    notify(
        users=h.who(case), kind=h.kind, title=h.title(case, data), body=h.body(case, data), link=h.link(case),
        actor=actor,
    )


def case_filed_handoff(*, case: Case, actor: User) -> None:
    """A 立案登记表 waits for the head's approval: told after commit, and only if still waiting (a head who
    accepts a 案源 approves in the same transaction, and nobody else needs telling)."""

    def later() -> None:
        fresh = Case.objects.select_related("org").filter(pk=case.pk, state=CaseState.FILING).first()
        if fresh is not None:
            notify(
                users=heads(fresh), kind=K_FILING, title=f"立案待审批：{_name(fresh)}",
                link=f"/cases/{fresh.pk}/step/register/", actor=actor, key=f"case-filing:{fresh.pk}",
            )

    transaction.on_commit(later, robust=True)


def case_source_handoff(*, source: CaseSource, actor: User | None) -> None:
    """A new 案源 (an officer's confirmed overload lead, an inspection finding, a complaint…) waits for the
    head to open a case or decline it within its period: the heads of its unit are told after commit."""
    subject = source.subject_name or "（待查明）"
    notify(
        users=users_with_role_over(source.org, Role.HEAD).values_list("pk", flat=True), kind=K_SOURCE,
        title=f"新案源待处理：{source.get_origin_display()} {subject}",
        body=f"处理期限：{source.decision_due:%Y-%m-%d}" if source.decision_due else "",
        link="/cases/sources/", actor=actor, key=f"case-source:{source.pk}",
    )


def deadline_reminders(*, on: date) -> int:
    """Remind the case's officers of each running legal deadline due between ``on`` and two working days
    later, once per deadline (the key names the clock and its due day: run again the same day, or the next
    day, it adds nothing; an extended deadline is reminded again). Returns the clocks reminded."""
    end = reminder_window_end(on)
    clocks = (
        CaseClock.objects.filter(status=ClockStatus.RUNNING, due__gte=on, due__lte=end)
        .select_related("case", "case__org")
        .order_by("due", "pk")
    )
    n = 0
    for clock in clocks:
        case = clock.case
        days = "今天" if clock.due == on else f"{clock.due:%Y-%m-%d}"
        notify(
            users=officers(case), kind=K_DEADLINE,
            title=f"{clock.get_kind_display()}{days}届满：{_name(case)}",
            body=f"依据：{clock.article}", link=f"/cases/{case.pk}/", key=f"clock:{clock.pk}:{clock.due:%Y%m%d}",
        )
        n += 1
    return n
