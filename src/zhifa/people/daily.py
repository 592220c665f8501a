"""Daily reminders of 队伍与保障 (run by ``notifications.daily`` / ``zhifa notifications tick``): an 应急预案
whose 修订期限 is within ``PLAN_NOTICE_DAYS`` days or passed, and a 风险任务 whose 完成期限 is within the
platform's reminder horizon (``notifications.daily.reminder_window_end``) or passed, told once per deadline
to the heads of the unit (消息提醒 on the 工作台)."""

from __future__ import annotations

from datetime import date, timedelta

from zhifa.accounts.enums import Role
from zhifa.notifications.daily import reminder_window_end
from zhifa.notifications.kinds import declare
from zhifa.notifications.selectors import users_with_role_over
from zhifa.notifications.services import notify

from .enums import RiskStatus
from .models import EmergencyPlan, RiskTask

K_PLAN_REVIEW = declare("people.plan_review", "应急预案修订提醒")
K_RISK_DUE = declare("people.risk_due", "风险任务期限提醒")
PLAN_NOTICE_DAYS = 30  # local choice: a month to prepare the revision of a plan


def remind(*, on: date) -> int:
    sent = 0
    for plan in EmergencyPlan.objects.filter(
        review_due__lte=on + timedelta(days=PLAN_NOTICE_DAYS)
    ).select_related("org"):
        late = "已超期" if plan.review_due < on else "即将到期"
        notify(
            users=users_with_role_over(plan.org, Role.HEAD),
            kind=K_PLAN_REVIEW,
            title=f"应急预案《{plan.name}》修订期限{late}（{plan.review_due:%Y-%m-%d}）",
            link="/people/emergency/",
            key=f"people:plan:{plan.pk}:{plan.review_due:%Y%m%d}",
        )
        sent += 1
    horizon = reminder_window_end(on)
    for task in (
        RiskTask.objects.exclude(status=RiskStatus.DONE).filter(deadline__lte=horizon).select_related("org")
    ):
        late = "已超期" if task.deadline < on else "即将届满"
        notify(
            users=users_with_role_over(task.org, Role.HEAD),
            kind=K_RISK_DUE,
            title=f"风险任务“{task.title}”完成期限{late}（{task.deadline:%Y-%m-%d}）",
            link=f"/people/risks/{task.pk}/",
            key=f"people:risk:{task.pk}:{task.deadline:%Y%m%d}",
        )
        sent += 1
    return sent
