"""The menu with the 工作台 count: the role's navigation (accounts) and, on 首页, how many items wait for the
signed-in business user (counted only when the page renders the menu)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from zhifa.accounts.context_processors import navigation as role_navigation
from zhifa.accounts.selectors import is_business_user


def navigation(request):
    ctx = role_navigation(request)
    user = getattr(request, "user", None)
    if ctx.get("nav_items") and user is not None and user.is_authenticated and is_business_user(user):
        from .selectors import todo_total

        total = SimpleLazyObject(lambda: todo_total(user))
        for item in ctx["nav_items"]:
            if item["url"] == "/":
                item["badge"] = total
    return ctx
