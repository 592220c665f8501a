"""The bell: the signed-in user's unread count on every page (one indexed COUNT, only when rendered)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
