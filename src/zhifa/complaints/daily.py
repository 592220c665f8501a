"""The daily reminder of work orders whose deadline (受理告知 or 办结) is two working days away or passed:
the handler (or the unit's heads) is told once per deadline. Registered with ``notifications.daily`` in
the AppConfig: the worker's daily job ``notifications.daily`` (or ``zhifa notifications tick``) runs it."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from zhifa.accounts.enums import Role
from zhifa.notifications.daily import reminder_window_end
from zhifa.notifications.services import notify

from .enums import State
from .handoffs import K_DEADLINE, unit_users
from .models import WorkOrder


def remind(*, on: date) -> int:
    """Tell who acts on each open order with a deadline within two working days; idempotent per deadline."""
    horizon = reminder_window_end(on)
    open_states = [State.RECEIVED, State.ACCEPTED, State.DISPATCHED, State.HANDLING]
    qs = WorkOrder.objects.filter(state__in=open_states).filter(
        Q(due__lte=horizon) | Q(state=State.RECEIVED, ack_due__lte=horizon)
    ).select_related("org")
    sent = 0
    for o in qs.iterator():
        ack = o.state == State.RECEIVED and o.ack_due and o.ack_due <= horizon
        due = o.ack_due if ack else o.due
        what = "告知受理期限" if ack else "办结期限"
        users = [o.handler_id] if o.handler_id else unit_users(o.org, Role.HEAD)
        late = "已超期" if due < on else "即将届满"
        notify(users=users, kind=K_DEADLINE, title=f"工单 {o.number} {what}{late}（{due:%Y-%m-%d}）",
               link=f"/complaints/{o.pk}/", key=f"complaint:{o.pk}:{what}:{due:%Y%m%d}")
        sent += 1
    return sent
