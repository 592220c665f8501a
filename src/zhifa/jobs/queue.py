"""The broker: Huey, with SQLite storage under ZHIFA_DATA_DIR by default and Redis in production
(``ZHIFA_JOBS_URL=redis://host:6379/0``).

Huey carries two messages only: "run job N" and the scheduler's minute tick. What a job is, its state,
progress and result live in the database (:class:`~zhifa.jobs.models.Job`), so a lost message costs a
delay (the recovery sweep enqueues it again), never a job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

_lock = threading.Lock()
# what the two messages do: set by zhifa.jobs.services (which sends them), so the broker knows no job logic
_HANDLERS: dict[str, Callable] = {}
_huey = None
_huey_key: tuple | None = None


def broker_description() -> str:
    url = settings.JOBS_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        return f"Redis（{_redacted(url)}）"
    return f"SQLite（{_sqlite_path()}）"


def _redacted(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _sqlite_path() -> Path:
    url = settings.JOBS_URL
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    return Path(settings.DATA_DIR) / "jobs.sqlite3"


def handle(message: str, fn: Callable) -> None:
    """Name the function a message runs (``run_job`` with the job id; ``minute`` with nothing)."""
    _HANDLERS[message] = fn


def huey():
    """The process's Huey instance (rebuilt when the settings it was built from change, as in tests)."""
    global _huey, _huey_key
    key = (settings.JOBS_URL, str(settings.DATA_DIR))
    with _lock:
        if _huey is None or _huey_key != key:
            _huey, _huey_key = _build(), key
        return _huey


def _build():
    from huey import RedisHuey, SqliteHuey, crontab

    url = settings.JOBS_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        h = RedisHuey("zhifa", url=url, results=False, utc=True)
    elif not url or url.startswith("sqlite:///"):
        path = _sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        h = SqliteHuey("zhifa", filename=str(path), results=False, utc=True, timeout=30)
    else:
        raise ValueError(f"ZHIFA_JOBS_URL 无法识别：{url}（应为空、sqlite:///路径 或 redis://主机:端口/库）")

    @h.task(name="zhifa.run_job")
    def run_job(job_id: int) -> None:
        with _connections():
            _HANDLERS["run_job"](job_id)

    @h.periodic_task(crontab(minute="*"), name="zhifa.minute")
    def minute() -> None:
        with _connections():
            _HANDLERS["minute"]()

    h.zhifa_run_job = run_job
    return h


@contextmanager
def _connections():
    """A consumer thread's database connections are fresh at the start and closed at the end of a task."""
    from django.db import close_old_connections, connections

    close_old_connections()
    try:
        yield
    finally:
        connections.close_all()


def enqueue(job_id: int) -> None:
    """Wake a worker for job ``job_id``; raises when the broker cannot be reached."""
    huey().zhifa_run_job(job_id)


def pending_count() -> int:
    """Messages waiting in the broker (for /metrics and /readyz)."""
    return int(huey().pending_count())


def ping() -> str | None:
    """None when the broker answers, else the reason in Chinese."""
    try:
        huey().pending_count()
    except Exception as e:  # any broker error is "not reachable" to the caller
        return f"任务队列不可用（{broker_description()}）：{type(e).__name__}: {e}"[:300]
    return None
