"""Reads of notifications (always the actor's own) and who acts next in a unit."""

from __future__ import annotations

from django.db.models import QuerySet

from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of

from .models import Notification


def unread_count(user: User) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def users_with_role_over(org: Org, role: str) -> QuerySet[User]:
    """Active users holding ``role`` in ``org`` or a unit above it, up to its 交通运输局 (the jurisdiction):
    the heads or legal reviewers who act on a squad's case. A city's reviewer is not one of them."""
    top = jurisdiction_of(org).path
    parts = [p for p in org.path.strip("/").split("/") if p]
    paths = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    paths = [p for p in paths if p.startswith(top)]
    return User.objects.filter(org__path__in=paths, roles__role=role, is_active=True).distinct()
