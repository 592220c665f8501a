"""Reads of accounts data, and the organisational scoping every other selector builds on.

The rule (Sentry's "scope every read by the actor"): an actor sees their own unit and its sub-units;
a superior unit sees its subordinates; nobody sees a sibling's records by guessing an id. Regulated
subjects are shared across the whole jurisdiction (the county bureau and everything under it), so a
squad officer can look up any vehicle of the county but not of the next county.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from zhifa.accounts.enums import ADMIN_ROLES, OfficerStatus, OrgKind, ReviewStatus, Role
from zhifa.accounts.lookups import CERTIFICATE_PREREQUISITE
from zhifa.accounts.models import Certificate, Officer, Org, User

JURISDICTION_KINDS = (OrgKind.BUREAU, OrgKind.COUNTY, OrgKind.CITY, OrgKind.PROVINCE)


def org_subtree(org: Org) -> QuerySet[Org]:
    return Org.objects.filter(path__startswith=org.path)


def jurisdiction_of(org: Org) -> Org:
    """The nearest unit at or above ``org`` that holds regulatory jurisdiction (the 交通运输局 for a
    brigade or squad; the unit itself when it is a bureau or above)."""
    node = org
    while node.kind not in JURISDICTION_KINDS and node.parent_id:
        node = node.parent
    return node


def scope_q(actor: User, *, org_field: str = "org", jurisdiction: bool = False) -> Q:
    """A filter limiting rows to the actor's units; nothing for an actor without a unit."""
    if actor is None or not actor.is_authenticated or actor.org_id is None:
        return Q(pk__in=[])
    root = jurisdiction_of(actor.org) if jurisdiction else actor.org
    return Q(**{f"{org_field}__path__startswith": root.path})


def is_business_user(actor: User) -> bool:
    """三员 see no business data by default (security.md B1 "What this means for the application")."""
    return actor.is_authenticated and actor.has_role(Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)


def is_admin_user(actor: User) -> bool:
    return actor.is_authenticated and bool(actor.role_codes() & {r.value for r in ADMIN_ROLES})


def orgs_visible(actor: User) -> QuerySet[Org]:
    return Org.objects.filter(_org_self_q(actor))


def _org_self_q(actor: User) -> Q:
    if actor is None or not actor.is_authenticated or actor.org_id is None:
        return Q(pk__in=[])
    return Q(path__startswith=actor.org.path)


def users_visible(actor: User) -> QuerySet[User]:
    return User.objects.filter(scope_q(actor)).select_related("org").prefetch_related("roles")


def officers_visible(actor: User) -> QuerySet[Officer]:
    return Officer.objects.filter(scope_q(actor)).select_related("org", "user")


# --- certificates -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Eligibility:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    certificate: Certificate | None = None

    def __bool__(self) -> bool:
        return self.ok


def certificate_problem(cert: Certificate, on: date) -> str:
    """Why a certificate does not authorise enforcement on ``on`` ("" when it does).

    《行政处罚法》第四十二条: penalties are enforced by officers holding enforcement certificates;
    《交通运输行政执法证件管理规定》: a certificate not yet valid, expired, failed at 年审, suspended
    (暂扣) or withdrawn (收缴) gives no authority.
    """
    if cert.withdrawn_on and cert.withdrawn_on <= on:
        return f"执法证 {cert.number} 已于 {cert.withdrawn_on:%Y-%m-%d} 收缴"
    if on < cert.valid_from:
        return f"执法证 {cert.number} 自 {cert.valid_from:%Y-%m-%d} 起才生效"
    if on > cert.valid_to:
        return f"执法证 {cert.number} 已于 {cert.valid_to:%Y-%m-%d} 过期"
    if cert.review_status in (ReviewStatus.FAILED, ReviewStatus.SUSPENDED):
        return f"执法证 {cert.number} {ReviewStatus(cert.review_status).label}"
    return ""


def officer_can_enforce(officer: Officer, *, on: date) -> Eligibility:
    """May this officer perform an enforcement act on ``on``? The one check every module uses."""
    if officer.status != OfficerStatus.ACTIVE and (officer.left_on is None or officer.left_on <= on):
        return Eligibility(False, [f"{officer.name} 已{OfficerStatus(officer.status).label}，不得从事执法活动"])
    reasons = []
    for cert in officer.certificates.all():
        problem = certificate_problem(cert, on)
        if not problem:
            prerequisite = CERTIFICATE_PREREQUISITE(officer, on)  # e.g. the annual 学法考试 passed (rule data)
            if prerequisite:
                return Eligibility(False, [prerequisite], cert)
            return Eligibility(True, [], cert)
        reasons.append(problem)
    return Eligibility(False, reasons or [f"{officer.name} 未取得执法证，不得从事执法活动（《行政处罚法》第四十二条）"])


def certificates_expiring(actor: User, *, on: date, within_days: int = 60) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(
            officer__in=officers_visible(actor).filter(status=OfficerStatus.ACTIVE),
            withdrawn_on__isnull=True,
            valid_to__gte=on,
            valid_to__lte=on + timedelta(days=within_days),
        )
        .select_related("officer", "officer__org")
        .order_by("valid_to")
    )


@dataclass(frozen=True)
class CertRate:
    active: int
    certified: int

    @property
    def rate(self) -> float:
        return self.certified / self.active if self.active else 0.0


def certified_rate(actor: User, *, on: date, org: Org | None = None) -> CertRate:
    """持证上岗率: active officers of the unit (and sub-units) holding a certificate valid on ``on``."""
    officers = officers_visible(actor).filter(status=OfficerStatus.ACTIVE).prefetch_related("certificates")
    if org is not None:
        officers = officers.filter(org__path__startswith=org.path)
    total = certified = 0
    for officer in officers:
        total += 1
        certified += bool(officer_can_enforce(officer, on=on))
    return CertRate(total, certified)


def org_by_name_or_id(value: str) -> tuple[Org | None, str]:
    """A unit named on the command line (``--org``): its numeric id, its full name, or the one unit whose
    name contains the text. Returns (org, "") or (None, the Chinese problem)."""
    value = (value or "").strip()
    if value.isdigit():
        org = Org.objects.filter(pk=int(value)).first()
        return (org, "") if org else (None, f"单位 {value} 不存在")
    found = list(Org.objects.filter(name=value)[:2]) or list(
        Org.objects.filter(name__contains=value).order_by("path")[:6]
    )
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"单位“{value}”不存在"
    names = "、".join(f"{o.name}（{o.pk}）" for o in found[:5])
    return None, f"单位“{value}”不唯一，请用全称或编号：{names}"
