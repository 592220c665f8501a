"""Sign-in throttling that neither reveals nor lets a stranger lock an account (issue 16 item 6; 等保 2.0
8.1.4.1 b 登录失败处理: 限制非法登录次数).

Two counters per failed attempt (see :class:`~zhifa.accounts.models.LoginThrottle`): the username from this
address, locked for ``lockout_minutes`` after ``lockout_threshold`` failures, and the address across all
usernames, locked after ``SOURCE_FACTOR`` times as many. Counts restart ``lockout_minutes`` after the first
failure of a window. A success clears the username-from-address counter only: an attacker cannot reset
the address counter by signing in to an account of their own between guesses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from zhifa.accounts.models import LoginThrottle, SecurityPolicy

SOURCE_FACTOR = 4


def keys_for(username: str, source: str) -> tuple[str, str]:
    return f"acct:{username[:150]}|{source}", f"addr:{source}"


def locked_until(username: str, source: str, now: datetime) -> datetime | None:
    """The latest lock still in force on either counter, else None."""
    rows = LoginThrottle.objects.filter(key__in=keys_for(username, source), locked_until__gt=now)
    return max((r.locked_until for r in rows), default=None)


def record_failure(username: str, source: str, policy: SecurityPolicy, now: datetime) -> bool:
    """Counts one failure on both counters; True when this failure locked the username from this address."""
    if not policy.lockout_threshold:
        return False
    window = timedelta(minutes=policy.lockout_minutes)
    acct, addr = keys_for(username, source)
    locked = False
    with transaction.atomic():
        for key, limit in ((acct, policy.lockout_threshold), (addr, policy.lockout_threshold * SOURCE_FACTOR)):
            row, created = LoginThrottle.objects.select_for_update().get_or_create(
                key=key, defaults={"failures": 0, "window_start": now}
            )
            if now - row.window_start > window:
                row.failures, row.window_start = 0, now
            row.failures = F("failures") + 1
            row.save(update_fields=["failures", "window_start"])
            row.refresh_from_db(fields=["failures"])
            if row.failures >= limit:
                row.locked_until, row.failures, row.window_start = now + window, 0, now
                row.save(update_fields=["locked_until", "failures", "window_start"])
                locked = locked or key == acct
    return locked


def clear_success(username: str, source: str) -> None:
    LoginThrottle.objects.filter(key=keys_for(username, source)[0]).delete()


def clear_username(username: str) -> int:
    """The administrator's unlock: every address's counter of this username (audited by the caller)."""
    return LoginThrottle.objects.filter(key__startswith=f"acct:{username[:150]}|").delete()[0]


def usernames_locked(now: datetime) -> set[str]:
    rows = LoginThrottle.objects.filter(key__startswith="acct:", locked_until__gt=now).values_list("key", flat=True)
    return {k[len("acct:"):].rsplit("|", 1)[0] for k in rows}
