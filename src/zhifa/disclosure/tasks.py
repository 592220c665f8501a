"""Background jobs of 双公示 (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import periodic


@periodic("disclosure.tick", label="双公示每日处理（公示、期满停止公示、名单期满移出）", every="daily")
def tick(ctx) -> dict:
    from django.utils import timezone

    from zhifa.disclosure.services import disclosure_tick

    on = timezone.localdate()
    r = disclosure_tick(on=on)
    return {"summary": f"{on:%Y-%m-%d}：公示 {r['published']} 条，期满停止公示 {r['expired']} 条，"
                       f"名单期满移出 {r['lists_ended']} 个", **r}
