"""Background jobs of the reports (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import job


def _failed(params: dict) -> None:
    """The bulletin whose generation failed for good shows 生成失败 (the job's page says why)."""
    from .models import Bulletin, BulletinState

    pk = (params or {}).get("bulletin")
    Bulletin.objects.filter(pk=pk, state=BulletinState.GENERATING).update(state=BulletinState.FAILED)


@job("reports.bulletin", label="生成月度通报", max_attempts=2, on_give_up=_failed)
def bulletin(ctx, *, bulletin: int) -> dict:
    from .bulletins import bulletin_build

    return bulletin_build(ctx, bulletin)
