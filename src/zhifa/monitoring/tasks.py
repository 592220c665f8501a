"""Background jobs of 两客一危 (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import job


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
