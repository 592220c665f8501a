"""Navigation by role: each user sees the modules their role may use."""

from __future__ import annotations

from zhifa.accounts.enums import Role

# (label, url, roles that see it; empty = every signed-in user). Modules still to come are listed with
# url None so the menu shows the platform's whole shape (greyed out) from day one.
NAV = [
    ("首页", "/", ()),
    ("监管对象", "/registry/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("执法人员", "/officers/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("数据导入", "/imports/", (Role.LEGAL_REVIEWER, Role.HEAD)),
    ("执法文书", "/documents/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("规则库", "/rules/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("全过程记录", "/evidence/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("执法办案", "/cases/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("双随机抽查", "/inspections/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("治超", "/overload/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("动态监控", "/monitoring/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("投诉举报", "/complaints/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("行政许可", "/permits/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("队伍与保障", "/people/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("法制工作", "/legal/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("双公示与信用", "/disclosure/", (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)),
    ("指挥中心与报告", "/reports/dashboard/", (Role.LEGAL_REVIEWER, Role.HEAD)),
    ("工作日历", "/calendar/", ()),
    ("账户管理", "/admin/users/", (Role.SYSADMIN,)),
    ("单位管理", "/admin/orgs/", (Role.SYSADMIN,)),
    ("后台任务", "/jobs/", (Role.SYSADMIN,)),
    ("安全策略", "/security/policy/", (Role.SECADMIN,)),
    ("等保自评", "/security/dengbao/", (Role.SECADMIN,)),
    ("审计日志", "/audit/", (Role.AUDITADMIN,)),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [{"label": label, "url": url, "active": bool(url) and url != "/" and request.path.startswith(url)}
             for label, url, roles in NAV if not roles or user.has_role(*roles)]
    return {"nav_items": items}
