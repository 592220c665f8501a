"""What permits hears and provides for 双随机 (``inspections``, an app of the same layer: neither imports the
other). The seams are found by name (``core.lookups.named`` / ``core.events.named``); inspections declares
them and comes first in INSTALLED_APPS.

* lookup ``permits.postchecks_due``: the 告知承诺事后核查名录 a task may draw from = :func:`selectors.postchecks_due`;
* event ``inspections.record_submitted``: the record of a target drawn from that list is the post-check —
  passed: 承诺属实; not passed: 核查不通过（待认定）, and the 法制审核人员 and 负责人 are told to decide (撤销
  or not, 行政许可法第六十九条第二款), which stays theirs (:func:`services.postcheck_record`).
"""

from __future__ import annotations

from zhifa.accounts.enums import Role
from zhifa.core import events, lookups
from zhifa.notifications import kinds
from zhifa.notifications.selectors import users_with_role_over
from zhifa.notifications.services import notify

from . import selectors, services

K_POSTCHECK_FAILED = kinds.declare("permits.postcheck_failed", "告知承诺事后核查不通过")


def on_record_submitted(
    *, record, bureau, uscc, drawn_on, inspected_on, passed, summary, from_postchecks, actor
) -> int:
    """Record the post-check of each application that put ``uscc`` on the task's list (due on the draw date,
    not done); returns how many. In the inspection's transaction: the record and the post-check agree."""
    if not from_postchecks or not uscc:
        return 0
    apps = list(selectors.postchecks_due(bureau, on=drawn_on).filter(applicant_uscc=uscc))
    for app in apps:
        services.postcheck_inspected(app=app, on=inspected_on, passed=passed, note=summary, actor=actor)
        if not passed:
            staff = set()
            for role in (Role.LEGAL_REVIEWER, Role.HEAD):
                staff.update(users_with_role_over(app.org, role))
            notify(
                users=staff,
                kind=K_POSTCHECK_FAILED,
                title=f"告知承诺事后核查不通过：{app.number} {app.applicant}，请认定承诺是否属实",
                body=f"{summary}。承诺不实的，依行政许可法第六十九条第二款撤销许可并记入信用记录。",
                link=f"/permits/{app.pk}/",
                actor=actor,
                key=f"permits.postcheck_failed:{app.pk}",
            )
    return len(apps)


def connect() -> None:
    lookups.named("permits.postchecks_due").provide(selectors.postchecks_due)
    events.subscribe(events.named("inspections.record_submitted"), on_record_submitted)
