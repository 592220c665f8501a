"""The menu with the 工作台 counts: the role's navigation (accounts) with, on 首页, how many of the signed-in
business user's own items wait, and on a module's entry its shared queue (治超: leads to review). Counted
once per page, only when the page renders the menu."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from zhifa.accounts.context_processors import navigation as role_navigation
from zhifa.accounts.selectors import is_business_user


def navigation(request):
    ctx = role_navigation(request)
    user = getattr(request, "user", None)
    if ctx.get("nav_items") and user is not None and user.is_authenticated and is_business_user(user):
        from .selectors import NAV_OF_GROUP, nav_counts

        counts = SimpleLazyObject(lambda: nav_counts(user))
        for item in ctx["nav_items"]:
            if item["url"] == "/" or item["url"] in NAV_OF_GROUP.values():
                item["badge"] = _Count(counts, item["url"])
    return ctx


class _Count:
    """One menu entry's count, read from the page's counts when the template shows it."""

    def __init__(self, counts, url: str) -> None:
        self.counts, self.url = counts, url

    def __bool__(self) -> bool:
        return bool(self.counts.get(self.url))

    def __str__(self) -> str:
        return str(self.counts.get(self.url, 0))
