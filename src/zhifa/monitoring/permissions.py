"""Who may act on 两客一危 data: business roles (三员分立: no administrator), within their jurisdiction."""

from __future__ import annotations

from zhifa.accounts.enums import BUSINESS_ROLES
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of

from .errors import MonitoringError


def require_business_role(actor: User | None) -> None:
    """``actor`` None is the system (a command, a job)."""
    if actor is not None and not actor.has_role(*BUSINESS_ROLES):
        raise MonitoringError.NOT_BUSINESS.error()


def in_jurisdiction(actor: User, org: Org) -> bool:
    return actor.org_id is not None and org.is_within(jurisdiction_of(actor.org))


def require_within(actor: User | None, org: Org, what: str) -> None:
    if actor is not None and not in_jurisdiction(actor, org):
        raise MonitoringError.OUT_OF_SCOPE.error(what=what)
