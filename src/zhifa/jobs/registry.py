"""What jobs exist: each app declares its own in ``tasks.py`` (imported when the jobs app is ready).

    from zhifa.jobs.registry import job, periodic

    @job("monitoring.monthly_run", label="两客一危月度统计")
    def monthly_run(ctx, *, month: str, org_id: int, engine: str) -> dict:
        ctx.progress(0, 3, "读取定位数据")
        ...
        return {"url": f"/monitoring/runs/{month}/", "summary": "…"}

    @periodic("disclosure.tick", label="双公示每日处理", every="daily")
    def tick(ctx) -> dict: ...

A job function takes a :class:`~zhifa.jobs.services.JobContext` and keyword parameters (JSON values) and
returns a small JSON result (``url`` a page showing the result, ``summary`` one line in Chinese). It must
be idempotent: a retry after a crash runs it again from the start, so it writes in transactions or to
a temporary name renamed at the end, never a half result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


class UnknownJob(LookupError):
    pass


@dataclass(frozen=True)
class Schedule:
    """When a periodic job is due. ``every``: ``daily`` (at the configured hour, ZHIFA_JOBS_DAILY_HOUR),
    ``weekly`` (Mondays at that hour), ``hourly``, or a number of minutes."""

    every: str | int

    def period_key(self, now: datetime, daily_hour: int) -> str | None:
        """The period ``now`` falls in, once its run is due; None before the first due time of the day."""
        if self.every == "daily":
            return f"{now:%Y-%m-%d}" if now.hour >= daily_hour else None
        if self.every == "weekly":
            monday = (now - timedelta(days=now.weekday())).date()
            if now.weekday() == 0 and now.hour < daily_hour:
                return None
            return f"{monday:%Y-%m-%d}/W"
        if self.every == "hourly":
            return f"{now:%Y-%m-%dT%H}"
        minutes = int(self.every)
        slot = (now.hour * 60 + now.minute) // minutes
        return f"{now:%Y-%m-%d}/{minutes}m{slot}"

    @property
    def label(self) -> str:
        return {"daily": "每日", "weekly": "每周一", "hourly": "每小时"}.get(str(self.every), f"每 {self.every} 分钟")


@dataclass(frozen=True)
class JobSpec:
    name: str
    label: str
    func: Callable
    max_attempts: int = 3
    schedule: Schedule | None = None
    on_give_up: Callable | None = None  # called with (params) when the job fails for good (clean-up)


_REGISTRY: dict[str, JobSpec] = {}


def _register(spec: JobSpec) -> None:
    old = _REGISTRY.get(spec.name)
    if old is not None and old.func is not spec.func:
        raise ValueError(f"job {spec.name} declared twice")
    _REGISTRY[spec.name] = spec


def job(name: str, *, label: str, max_attempts: int = 3, on_give_up: Callable | None = None):
    def decorator(func: Callable) -> Callable:
        _register(JobSpec(name, label, func, max_attempts, None, on_give_up))
        return func

    return decorator


def periodic(name: str, *, label: str, every: str | int, max_attempts: int = 2):
    if not (every in ("daily", "weekly", "hourly") or (isinstance(every, int) and 1 <= every <= 1440)):
        raise ValueError(f"bad schedule {every!r}")

    def decorator(func: Callable) -> Callable:
        _register(JobSpec(name, label, func, max_attempts, Schedule(every)))
        return func

    return decorator


def spec_for(name: str) -> JobSpec:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownJob(name) from None


def all_specs() -> list[JobSpec]:
    return sorted(_REGISTRY.values(), key=lambda s: s.name)


def periodic_specs() -> list[JobSpec]:
    return [s for s in all_specs() if s.schedule is not None]
