"""Background jobs of 两客一危 (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import job, periodic


@job("monitoring.monthly_run", label="两客一危月度统计", max_attempts=2)
def monthly_run(ctx, *, month: str, org_id: int, engine: str = "duckdb") -> dict:
    """The month's KPIs and violations (re-runnable: the same month replaces its run in one transaction)."""
    from zhifa.accounts.models import Org
    from zhifa.core.errors import DomainError
    from zhifa.jobs.services import JobFailed
    from zhifa.monitoring import services

    ctx.progress(0, 1, f"正在统计 {month}（{engine}）", force=True)
    try:
        run = services.monthly_run(org=Org.objects.get(pk=org_id), month=month, actor=ctx.actor, engine=engine)
    except DomainError as e:
        raise JobFailed(e.message) from e
    ctx.progress(1, 1, "统计完成", force=True)
    return {"url": f"/monitoring/runs/{month}/", "summary": f"{month} 月度统计已完成", "run": run.pk}


@periodic("monitoring.jt809_sweep", label="平台查岗与报警督办到期处理", every=5)
def jt809_sweep(ctx) -> dict:
    """查岗 whose answer time ran out → 未应答; 督办 past the deadline → the lead's next step."""
    from zhifa.monitoring.jt809.services import spotcheck_sweep, supervision_sweep

    n1, n2 = spotcheck_sweep(), supervision_sweep()
    return {"summary": f"未应答查岗 {n1} 次，逾期督办 {n2} 件"}


@periodic("monitoring.jt809_draw", label="每日随机平台查岗抽取", every="daily")
def jt809_draw(ctx) -> dict:
    """Each unit with active 809 platforms draws today's random 查岗 (ZHIFA_JT809_DAILY_SPOTCHECKS a day)."""
    from django.conf import settings
    from django.utils import timezone

    from zhifa.accounts.models import Org
    from zhifa.monitoring.jt809.services import spotcheck_draw
    from zhifa.monitoring.models import Jt809Platform

    n = int(settings.JT809_DAILY_SPOTCHECKS)
    if n <= 0:
        return {"summary": "未启用每日随机查岗"}
    orgs = Org.objects.filter(pk__in=Jt809Platform.objects.filter(active=True).values("org"))
    total = sum(len(spotcheck_draw(org=o, day=timezone.localdate(), n=n)) for o in orgs)
    return {"summary": f"已抽取随机查岗 {total} 次"}
