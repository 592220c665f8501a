"""Writes of notifications: :func:`notify` (the seam every app calls) and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import channels
from .kinds import is_declared
from .models import Notification

TITLE_MAX = 200


def _user_id(u: Any) -> int | None:
    if u is None:
        return None
    return int(getattr(u, "pk", u))


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    actor: Any = None,
    key: str = "",
) -> None:
    """Tell ``users`` (users or user ids) that something waits for them.

    The rows are written after the caller's transaction commits (at once outside a transaction), so a
    refused or rolled-back hand-off tells nobody. The actor is not told of their own act. With a ``key``
    a person gets the notification once: calling again with the same key adds nothing (reminders).
    ``link`` is a path on this site (``/cases/12/step/review/``): where the action is done."""
    if not is_declared(kind):
        raise ValueError(f"undeclared notification kind {kind!r}")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"notification link must be a local path, not {link!r}")
    actor_id = _user_id(actor)
    ids = sorted({i for i in (_user_id(u) for u in users) if i is not None and i != actor_id})
    if not ids:
        return
    fields = {
        "kind": kind,
        "title": title.strip()[:TITLE_MAX],
        "body": body.strip(),
        "link": link,
        "actor_name": str(actor) if actor is not None else "",
        "key": key[:120],
    }
    transaction.on_commit(lambda: _write(ids, fields), robust=True)


def _write(user_ids: list[int], fields: dict) -> list[Notification]:
    key = fields["key"]
    if key:
        have = set(Notification.objects.filter(user_id__in=user_ids, key=key).values_list("user_id", flat=True))
        user_ids = [i for i in user_ids if i not in have]
    if not user_ids:
        return []
    rows = [Notification(user_id=i, **fields) for i in user_ids]
    # ignore_conflicts: two ticks racing on the same key leave one row (the partial unique constraint)
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    if key or any(r.pk is None for r in rows):  # no ids returned: read back the rows just written
        created = list(
            Notification.objects.filter(user_id__in=user_ids, kind=fields["kind"], key=key)
            .select_related("user")
            .order_by("user_id", "-id")
            .distinct()
        )
        latest: dict[int, Notification] = {}
        for n in created:
            latest.setdefault(n.user_id, n)
        created = list(latest.values())
    else:
        created = rows
    channels.deliver(created)
    return created


def notification_mark_read(*, user: Any, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs (a 404 for the view)."""
    n = Notification.objects.filter(pk=notification_id, user=user).first()
    if n is not None and n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_keep_latest_unread(*, keep: int) -> int:
    """Marks read all but each person's ``keep`` newest unread notifications; returns how many. For a
    history replayed at once (the demo county's cases, walked through their steps on load): a person
    then starts with the few latest hand-offs unread, as after a normal working day, not hundreds."""
    now, marked = timezone.now(), 0
    for user_id in Notification.objects.filter(read_at__isnull=True).values_list("user_id", flat=True).distinct():
        newest = Notification.objects.filter(user_id=user_id, read_at__isnull=True).values_list("id", flat=True)
        older = list(newest[keep:])
        marked += Notification.objects.filter(id__in=older).update(read_at=now)
    return marked
