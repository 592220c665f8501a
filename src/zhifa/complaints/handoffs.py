"""Who acts next on a work order, told by a notification: a new order → the heads of its unit; a 转办 → the
officers and heads of the receiving unit; a 回访 不满意 or a case outcome → the handler; the daily reminder
of a deadline two working days away (:mod:`.daily`). Written after commit (``notifications.notify``)."""

from __future__ import annotations

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.notifications import kinds
from zhifa.notifications.services import notify

K_NEW = kinds.declare("complaint.new", "新投诉举报工单")
K_DISPATCH = kinds.declare("complaint.dispatch", "工单转办")
K_BACK = kinds.declare("complaint.back", "工单待继续办理")
K_DEADLINE = kinds.declare("complaint.deadline", "工单期限提醒")


def unit_users(org, *roles: str) -> list[int]:
    """Active users holding one of ``roles`` in ``org`` itself or the units above it up to its bureau."""
    from zhifa.notifications.selectors import users_with_role_over

    ids: set[int] = set()
    for role in roles:
        ids |= set(users_with_role_over(org, role).values_list("pk", flat=True))
    ids |= set(User.objects.filter(org=org, roles__role__in=roles, is_active=True).values_list("pk", flat=True))
    return sorted(ids)


def order_handoff(*, order, action: str, actor) -> None:
    link = f"/complaints/{order.pk}/"
    name = f"{order.number}（{order.get_category_display()}：{order.title[:20]}）"
    if action == "receive":
        notify(users=unit_users(order.org, Role.HEAD), kind=K_NEW, title=f"新工单待受理：{name}", link=link,
               actor=actor)
    elif action == "dispatch":
        notify(users=unit_users(order.org, Role.OFFICER, Role.HEAD), kind=K_DISPATCH,
               title=f"转办工单待办理：{name}", body=f"办结期限 {order.due or '—'}", link=link, actor=actor)
    elif action in ("revisit", "case_outcome", "objection"):
        who = [order.handler_id] if order.handler_id else unit_users(order.org, Role.HEAD)
        if action == "revisit" and order.satisfaction != "unsatisfied":
            return
        title = {"revisit": "回访不满意，待重办", "case_outcome": "案件处理结果已回传，待答复",
                 "objection": "派单异议退回，待重新派单"}[action]
        notify(users=who, kind=K_BACK, title=f"{title}：{name}", link=link, actor=actor)
