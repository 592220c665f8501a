"""Background jobs of the notifications app (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import periodic


@periodic("notifications.daily", label="每日提醒（法定期限、证件到期等）", every="daily")
def daily(ctx) -> dict:
    """Every registered daily producer (notifications.daily); each is idempotent per day."""
    from django.utils import timezone

    from zhifa.notifications.daily import run_daily

    on = timezone.localdate()
    results = run_daily(on=on)
    total = sum(n for _label, n in results)
    detail = "；".join(f"{label} {n} 条" for label, n in results)
    return {"summary": f"{on:%Y-%m-%d} 发送提醒 {total} 条（{detail}）", "sent": total}
