"""The home page: the 工作台 (what waits for me, my deadlines, my recent cases) and the unit's counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.selectors import certificates_expiring, certified_rate, is_business_user
from zhifa.registry import selectors as registry

from .selectors import annual_tracker, workbench


@login_required
def home(request):
    user = request.user
    ctx = {"business": is_business_user(user)}
    if ctx["business"]:
        today = timezone.localdate()
        rate = certified_rate(user, on=today)
        ctx.update(
            work=workbench(user, today=today),
            today=today,
            counts=[
                ("企业", registry.enterprises_visible(user).count(), "/registry/enterprises/"),
                ("车辆", registry.vehicles_visible(user).count(), "/registry/vehicles/"),
                ("从业人员", registry.person_search(user, qualified=True).count(), "/registry/persons/"),
                ("证照", registry.licences_visible(user).count(), "/registry/licences/"),
                ("在岗执法人员", rate.active, "/officers/"),
            ],
            rate=rate,
            expiring=certificates_expiring(user, on=today, within_days=60)[:20],
            annual=annual_tracker(user, today=today)
            if user.has_role(Role.HEAD, Role.LEGAL_REVIEWER)
            else None,
        )
    return render(request, "reports/home.html", ctx)
