"""The 工作台 (首页): what waits for the signed-in person, by role, scoped by their units.

- 执法部门负责人: 立案 to approve, 处理意见 to review, 集体讨论 and decisions to make, 案源 to decide, credit
  repairs to decide; the unit's deadlines (overdue included);
- 法制审核人员: cases waiting for 法制审核, credit repairs to decide; deadlines of those cases;
- 执法人员: the next step on each of my cases, decisions to serve, overload leads to review, my random
  inspections to do; the deadlines of my cases.

Every item links to the page where the action is done. Every query goes through the owning app's scoped
selector (an officer of another county sees nothing of this one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, jurisdiction_of, scope_q
from zhifa.cases.enums import CaseState, ClockStatus
from zhifa.cases.handoffs import decision_action
from zhifa.cases.models import Case, CaseClock
from zhifa.cases.selectors import cases_visible, sources_visible
from zhifa.complaints.selectors import todos as complaint_todos
from zhifa.core.calendar import add_workdays
from zhifa.credit.selectors import repairs_visible
from zhifa.inspections.models import RecordStatus
from zhifa.inspections.selectors import my_assignments
from zhifa.overload.selectors import leads_visible
from zhifa.people.selectors import todos as people_todos

S = CaseState
SHOWN = 10  # items listed per group; the count is of all
DUE_SOON_WORKDAYS = 3  # "within 3 working days"

# the officer's next step by state: (label, action of the step page; None = the case page)
OFFICER_NEXT: dict[str, tuple[str, str | None]] = {
    S.INVESTIGATING: ("调查取证、调查终结", "end_investigation"),
    S.PROPOSED: ("告知当事人（违法行为通知书）", "notify"),
    S.NOTIFIED: ("陈述申辩或期满后提交法制审核", None),
    S.HEARING_REQUESTED: ("发出听证通知", "hearing_notice"),
    S.HEARING_SCHEDULED: ("举行听证", "hearing_hold"),
    S.HEARD: ("听证报告、提交法制审核", None),
    S.EXECUTING: ("催告、申请强制执行", None),
}


@dataclass
class Item:
    title: str
    what: str
    link: str
    due: date | None = None


@dataclass
class Group:
    key: str
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_link: str = ""


# the columns an item or a deadline row shows (a case row is wide: loading it whole costs ~1 ms a row)
CASE_COLUMNS = (
    "id",
    "number",
    "party_name",
    "state",
    "limit_due",
    "proposed_outcome",
    "updated_at",
    "org_id",
)
CLOCK_COLUMNS = ("id", "kind", "due", "article", "case_id", "case__number", "case__party_name")


def _case_item(c: Case, what: str, action: str | None) -> Item:
    link = f"/cases/{c.pk}/step/{action}/" if action else f"/cases/{c.pk}/"
    return Item(title=f"{c.number} {c.party_name}", what=what, link=link, due=c.limit_due)


def _group(key: str, title: str, qs: QuerySet, to_item, more_link: str = "") -> Group | None:
    n = qs.count()
    if not n:
        return None
    return Group(key, title, n, [to_item(x) for x in qs[:SHOWN]], more_link)


def my_cases(actor: User) -> QuerySet[Case]:
    """Cases in the actor's units on which the actor is an active officer."""
    return (
        cases_visible(actor)
        .filter(case_officers__officer__user=actor, case_officers__removed_on__isnull=True)
        .distinct()
    )


def _decisions_q() -> Q:
    """Cases whose next step is the head's decision: reviewed (no discussion pending) or discussed, or
    heard and needing no review."""
    return (
        Q(state=S.REVIEWED) & ~Q(discussion_required=True, discussed_on__isnull=True)
        | Q(state=S.DISCUSSED)
        | Q(state=S.HEARD, review_required=False, discussion_required=False)
    )


def _head_queries(actor: User) -> list[tuple]:
    cases = cases_visible(actor).only(*CASE_COLUMNS).order_by("updated_at", "pk")
    return [
        (
            "filing",
            "待审批立案",
            cases.filter(state=S.FILING),
            lambda c: _case_item(c, "批准立案", "register"),
            "/cases/?state=filing",
        ),
        (
            "proposal",
            "待审查处理意见",
            cases.filter(state=S.INVESTIGATED),
            lambda c: _case_item(c, "负责人审查处理意见", "propose"),
            "/cases/?state=investigated",
        ),
        (
            "discussion",
            "待集体讨论",
            cases.filter(state=S.REVIEWED, discussion_required=True, discussed_on__isnull=True),
            lambda c: _case_item(c, "集体讨论", "discuss"),
            "",
        ),
        (
            "decision",
            "待作出决定",
            cases.filter(_decisions_q()),
            lambda c: _case_item(c, "作出决定", decision_action(c)),
            "",
        ),
        (
            "sources",
            "待处理案源",
            sources_visible(actor).filter(status="pending").order_by("decision_due", "pk"),
            lambda s: Item(
                f"{s.get_origin_display()} {s.subject_name or '（待查明）'}",
                "立案或不予立案",
                "/cases/sources/",
                s.decision_due,
            ),
            "/cases/sources/",
        ),
    ]


def _repairs(actor: User) -> tuple:
    return (
        "repairs",
        "待决定的信用修复申请",
        repairs_visible(actor).filter(state="applied").order_by("pk"),
        lambda r: Item(f"信用修复申请 #{r.pk}", "决定是否准予修复", "/credit/repairs/"),
        "/credit/repairs/",
    )


def _reviewer_queries(actor: User) -> list[tuple]:
    cases = cases_visible(actor).only(*CASE_COLUMNS).order_by("updated_at", "pk")
    return [
        (
            "review",
            "待法制审核",
            cases.filter(state=S.UNDER_REVIEW),
            lambda c: _case_item(c, "法制审核", "review"),
            "/cases/?state=under_review",
        ),
    ]


def _officer_queries(actor: User) -> list[tuple]:
    mine = my_cases(actor).only(*CASE_COLUMNS).order_by("updated_at", "pk")
    return [
        (
            "steps",
            "我的案件待办环节",
            mine.filter(state__in=list(OFFICER_NEXT)),
            lambda c: _case_item(c, *OFFICER_NEXT[c.state]),
            "",
        ),
        (
            "serve",
            "待送达决定书",
            mine.filter(state=S.DECIDED),
            lambda c: _case_item(c, "送达决定书", "serve"),
            "",
        ),
        (
            "leads",
            "待审核治超线索",
            leads_visible(actor, status="pending")
            .select_related(None)
            .only("id", "plate", "excess_kg", "passed_at")
            .order_by("passed_at", "pk"),
            lambda x: Item(f"{x.plate} 超限 {x.excess_kg} 千克", "审核超限记录", f"/overload/leads/{x.pk}/"),
            "/overload/leads/?status=pending",
        ),
        (
            "inspections",
            "我的抽查任务",
            my_assignments(actor).filter(Q(record__isnull=True) | Q(record__status=RecordStatus.DRAFT)),
            lambda a: Item(
                f"{a.enterprise}",
                f"{a.task} 现场检查",
                f"/inspections/assignments/{a.pk}/record/",
                a.task.due_date,
            ),
            "/inspections/mine/",
        ),
    ]


def _complaint_queries(actor: User) -> list[tuple]:
    """投诉举报: a head's new work orders to accept (受理/不予受理), and everyone's own orders as handler."""
    groups = complaint_todos(actor)
    out = []
    if "complaints_new" in groups:
        out.append(
            (
                "complaints_new",
                "待受理投诉举报",
                groups["complaints_new"],
                lambda o: Item(
                    f"{o.number} {o.title[:20]}", "受理或不予受理", f"/complaints/{o.pk}/", o.ack_due or o.due
                ),
                "/complaints/?state=received",
            )
        )
    out.append(
        (
            "complaints_mine",
            "我承办的投诉举报",
            groups["complaints_mine"],
            lambda o: Item(
                f"{o.number} {o.title[:20]}",
                f"{o.get_state_display()}：办理、答复或回访",
                f"/complaints/{o.pk}/",
                o.due,
            ),
            "/complaints/?state=open",
        )
    )
    return out


def _people_queries(actor: User) -> list[tuple]:
    """队伍与保障: a head's overdue 风险任务 (一账两单一图), counted on the 队伍与保障 menu entry."""
    groups = people_todos(actor, today=timezone.localdate())
    if "risks_overdue" not in groups:
        return []
    return [("risks_overdue", "超期风险任务", groups["risks_overdue"],
             lambda t: Item(t.title[:30], "推进整改并记录进展", f"/people/risks/{t.pk}/", t.deadline), "/people/risks/")]


def _queries(actor: User) -> list[tuple]:
    if not is_business_user(actor):
        return []
    out: list[tuple] = []
    if actor.has_role(Role.HEAD):
        out += _head_queries(actor)
    if actor.has_role(Role.LEGAL_REVIEWER):
        out += _reviewer_queries(actor)
    if actor.has_role(Role.HEAD, Role.LEGAL_REVIEWER):
        out.append(_repairs(actor))
    if actor.has_role(Role.OFFICER):
        out += _officer_queries(actor)
    out += _complaint_queries(actor)
    out += _people_queries(actor)
    return out


def todo_groups(actor: User) -> list[Group]:
    """The groups of items waiting for the actor (empty groups left out)."""
    groups = (_group(*q) for q in _queries(actor))
    return [g for g in groups if g is not None]


# groups that are a unit's shared queue rather than the person's own items: counted on their module's menu
# entry, not on 首页 (2,000 overload leads of the bureau are not 2,000 things for each officer to do)
NAV_OF_GROUP = {"leads": "/overload/", "risks_overdue": "/people/"}


def nav_counts(actor: User) -> dict[str, int]:
    """The counts on the menu: menu URL → items waiting (首页: the person's own items)."""
    counts: dict[str, int] = {}
    for q in _queries(actor):
        url = NAV_OF_GROUP.get(q[0], "/")
        counts[url] = counts.get(url, 0) + q[2].count()
    return counts


def todo_total(actor: User) -> int:
    """How many items wait for the actor, shared queues included."""
    return sum(q[2].count() for q in _queries(actor))


def clocks_for(actor: User) -> QuerySet[CaseClock]:
    """The running legal deadlines the actor watches: a head the unit's, a reviewer those of the cases
    under review, an officer those of their cases."""
    base = CaseClock.objects.filter(scope_q(actor), status=ClockStatus.RUNNING)
    if not is_business_user(actor):
        return base.none()
    if actor.has_role(Role.HEAD):
        return base
    q = Q(pk__in=[])
    if actor.has_role(Role.LEGAL_REVIEWER):
        q |= Q(case__state=S.UNDER_REVIEW)
    if actor.has_role(Role.OFFICER):
        q |= Q(case__in=my_cases(actor).values("pk"))
    return base.filter(q)


def deadlines(actor: User, *, today: date) -> dict:
    """The actor's deadlines: overdue, due today, due within three working days; each with its article."""
    soon_end = add_workdays(today, DUE_SOON_WORKDAYS).date
    qs = clocks_for(actor).select_related("case").only(*CLOCK_COLUMNS).order_by("due", "pk")
    return {
        "overdue": list(qs.filter(due__lt=today)[:50]),
        "overdue_count": qs.filter(due__lt=today).count(),
        "today": list(qs.filter(due=today)[:50]),
        "soon": list(qs.filter(due__gt=today, due__lte=soon_end)[:50]),
        "soon_end": soon_end,
    }


def recent_cases(actor: User, *, limit: int = 8) -> list[Case]:
    """My recent cases: an officer's own, a head's or reviewer's those they last acted on."""
    if not is_business_user(actor):
        return []
    if actor.has_role(Role.OFFICER):
        qs = my_cases(actor)
    else:
        qs = cases_visible(actor).filter(steps__actor=actor).distinct()
    return list(qs.only(*CASE_COLUMNS).order_by("-updated_at", "-pk")[:limit])


def workbench(actor: User, *, today: date) -> dict:
    groups = todo_groups(actor)
    return {
        "groups": groups,
        # the person's own items, as on the 首页 menu entry; a shared queue (overload leads) shows its own count
        "todo_total": sum(g.count for g in groups if g.key not in NAV_OF_GROUP),
        "deadlines": deadlines(actor, today=today),
        "recent": recent_cases(actor),
    }


def annual_tracker(actor: User, *, today: date) -> dict:
    """The 法治政府建设年度报告 deadlines on the 工作台: the report on last year until its publication deadline
    (1 April) has passed, then this year's; submit by 1 March, publish by 1 April (reports.services.deadlines)."""
    from .models import AnnualReport
    from .services import deadlines

    year = today.year - 1 if today <= deadlines(today.year - 1)[1] else today.year
    submit_by, publish_by = deadlines(year)
    report = (
        AnnualReport.objects.filter(org=jurisdiction_of(actor.org), year=year).first()
        if actor.org_id
        else None
    )
    return {
        "year": year,
        "report": report,
        "submit_by": submit_by,
        "publish_by": publish_by,
        "submit_days": (submit_by - today).days,
        "publish_days": (publish_by - today).days,
        "submit_overdue": today > submit_by and not (report and report.submitted_on),
        "publish_overdue": today > publish_by and not (report and report.published_on),
    }
