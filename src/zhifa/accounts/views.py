"""Sign-in, sign-out and password change pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhifa.accounts import services
from zhifa.core.errors import DomainError
from zhifa.core.middleware import client_ip


def login_view(request):
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        try:
            user = services.login_attempt(username=username, password=request.POST.get("password", ""),
                                          totp=request.POST.get("totp", ""), source=client_ip(request))
        except DomainError as e:
            error = e.message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            nxt = request.POST.get("next") or request.GET.get("next") or "/"
            if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                nxt = "/"
            return redirect(nxt)
    return render(request, "accounts/login.html", {"error": error, "username": username,
                                                   "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "已安全退出")
    return redirect("/login/")


@login_required
def password_change_view(request):
    errors = []
    if request.method == "POST":
        new = request.POST.get("new_password", "")
        if new != request.POST.get("new_password2", ""):
            errors.append("两次输入的新密码不一致")
        else:
            try:
                services.password_change(user=request.user, old_password=request.POST.get("old_password", ""),
                                         new_password=new)
            except DomainError as e:
                errors.append(e.message)
            else:
                from django.contrib.auth import update_session_auth_hash

                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改")
                return redirect("/")
    from zhifa.accounts.security import PolicyPasswordValidator

    return render(request, "accounts/password_change.html",
                  {"errors": errors, "help": PolicyPasswordValidator().get_help_text()})
