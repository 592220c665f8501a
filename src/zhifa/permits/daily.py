"""The daily reminder of the permit clocks: 补正 notice (Art 32), decision (Art 42/45), certificate (Art 44),
告知承诺 post-check and 差评 rectification, whose day falls within ``notifications.daily.reminder_window_end``
or has passed. Each goes once per deadline (idempotent by key) to who acts: the staff member who last handled
the application (谁办理谁负责; the 差评's 整改责任人), or the heads over its unit when nobody has yet.
Registered with ``notifications.daily`` in the AppConfig (``zhifa notifications tick``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from zhifa.accounts.enums import Role
from zhifa.notifications import kinds
from zhifa.notifications.daily import reminder_window_end
from zhifa.notifications.selectors import users_with_role_over
from zhifa.notifications.services import notify

from . import rules
from .enums import State
from .models import Application, Rating

K_CLOCK = kinds.declare("permit.deadline", "行政许可办理期限提醒")
K_POSTCHECK = kinds.declare("permit.postcheck", "告知承诺事后核查提醒")
K_FIX = kinds.declare("permit.rating_fix", "差评整改期限提醒")

# an unanswered application older than this is past its five-day correction window for good (deemed accepted)
_CORRECTION_LOOKBACK = timedelta(days=30)


def _handler(app: Application) -> list[int]:
    last = app.steps.exclude(actor=None).order_by("-on", "-pk").values_list("actor", flat=True).first()
    if last:
        return [last]
    return list(users_with_role_over(app.org, Role.HEAD).values_list("pk", flat=True))


def _due_items(on: date, horizon: date) -> Iterator[tuple[Application, str, date, str, str]]:
    """(application, what, due, kind, link) for every clock that ends by ``horizon``."""
    submitted = Application.objects.filter(
        state=State.SUBMITTED, correction_on=None, received_on__gte=on - _CORRECTION_LOOKBACK
    )
    for app in submitted.select_related("org"):
        due = rules.correction_due(app.received_on).due
        if due <= horizon:
            yield app, "补正告知期限", due, K_CLOCK, f"/permits/{app.pk}/"
    for app in Application.objects.filter(state=State.ACCEPTED, decision_due__lte=horizon).select_related(
        "org"
    ):
        yield app, "许可决定期限", app.decision_due, K_CLOCK, f"/permits/{app.pk}/"
    for app in Application.objects.filter(state=State.GRANTED).select_related("org"):
        due = rules.issue_due(app.decided_on).due
        if due <= horizon:
            yield app, "发证期限", due, K_CLOCK, f"/permits/{app.pk}/"
    postchecks = Application.objects.filter(
        pledge=True, postcheck="", state__in=[State.GRANTED, State.ISSUED], postcheck_due__lte=horizon
    )
    for app in postchecks.select_related("org"):
        yield app, "告知承诺事后核查期限", app.postcheck_due, K_POSTCHECK, "/permits/postchecks/"


def remind(*, on: date) -> int:
    """Send the reminders due on ``on``; returns how many deadlines were announced."""
    horizon = reminder_window_end(on)
    sent = 0
    for app, what, due, kind, link in _due_items(on, horizon):
        _send(_handler(app), kind, f"许可申请 {app.number} {what}", due, on, link, f"permit:{app.pk}:{what}")
        sent += 1
    bad = Rating.objects.filter(fixed_on=None, fix_due__lte=horizon).select_related("application__org")
    for r in bad:
        users = [r.owner_id] if r.owner_id else _handler(r.application)
        what = f"许可申请 {r.application.number} 差评整改期限"
        _send(users, K_FIX, what, r.fix_due, on, "/permits/ratings/", f"permit-rating:{r.pk}")
        sent += 1
    return sent


def _send(users: list[int], kind: str, what: str, due: date, on: date, link: str, key: str) -> None:
    late = "已超期" if due < on else "即将届满"
    notify(
        users=users, kind=kind, title=f"{what}{late}（{due:%Y-%m-%d}）", link=link, key=f"{key}:{due:%Y%m%d}"
    )
