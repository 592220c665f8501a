"""Logout is the one authentication event Django raises outside our login service."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from zhifa.core.audit import audit_record


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", "") if request is not None else ""
        audit_record(action="auth.logout", actor=user, target=user, reason=reason)
