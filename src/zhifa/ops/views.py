"""The 等保 self-assessment page (安全管理员 only; everyone else signed in gets 403)."""

from __future__ import annotations

from django.shortcuts import render

from zhifa.accounts.enums import Role
from zhifa.accounts.views_admin import role_required
from zhifa.ops import dengbao


@role_required(Role.SECADMIN)
def dengbao_page(request):
    return render(request, "ops/dengbao.html", {"rows": dengbao.rows(), "duties": dengbao.OPERATOR_DUTIES})
