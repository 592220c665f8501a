"""One probe per thing the platform depends on, shared by ``/readyz``, ``/metrics`` and ``zhifa check
--deploy``. Each answers a :class:`Probe`: ``ok`` True / False, or None when the thing is not configured
(未配置) and is skipped; ``detail`` in Chinese is for the operator (the CLI), never for an anonymous caller.

The job queue's probe asks ``jobs.queue`` and ``jobs.selectors``; the backup's ``ops.backup.backup_last``.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

NOT_CONFIGURED = "未配置"


@dataclass(frozen=True)
class Probe:
    ok: bool | None  # None: not configured, skipped
    detail: str
    value: float | None = None  # a number worth exporting (seconds, a count, a timestamp)
    extra: dict | None = None


# --- database -------------------------------------------------------------------------------------


def database_probe() -> Probe:
    from django.db import connection

    try:
        connection.ensure_connection()
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as e:  # noqa: BLE001 - any driver error means "not ready"
        return Probe(False, f"数据库无法连接：{type(e).__name__}")
    return Probe(True, f"数据库可连接（{connection.vendor}）")


_migrations_ok_until = 0.0


def migrations_probe(*, cache_seconds: float = 60.0) -> Probe:
    """Every migration applied (Django's MigrationExecutor plan is empty). Loading the migration graph costs
    tens of milliseconds, so a positive answer is kept ``cache_seconds`` (a new release restarts the server)."""
    global _migrations_ok_until
    if time.monotonic() < _migrations_ok_until:
        return Probe(True, "数据库迁移已全部执行")
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as e:  # noqa: BLE001
        return Probe(False, f"无法读取迁移状态：{type(e).__name__}")
    if plan:
        return Probe(False, f"有 {len(plan)} 个数据库迁移尚未执行，请运行：zhifa migrate", float(len(plan)))
    _migrations_ok_until = time.monotonic() + cache_seconds
    return Probe(True, "数据库迁移已全部执行")


# --- storage --------------------------------------------------------------------------------------


def directory_probe(path: Path, label: str) -> Probe:
    """``path`` exists and a file can be created, written, fsynced and removed in it."""
    probe = Path(path) / f".probe-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as f:
            f.write(b"ok")
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
    except OSError as e:
        return Probe(False, f"{label}（{path}）不可写：{e.strerror or type(e).__name__}")
    return Probe(True, f"{label}（{path}）可写")


def data_dir_probe() -> Probe:
    return directory_probe(Path(settings.DATA_DIR), "数据目录 ZHIFA_DATA_DIR")


def evidence_store_probe() -> Probe:
    """The store new evidence goes to (``ZHIFA_STORAGE``): a small object written, sized and removed."""
    from zhifa.evidence import storage

    key = f"_probe/{os.getpid()}-{uuid.uuid4().hex}"
    try:
        store = storage.default_storage()
        store.write(key, [b"ok"])
        size = store.size(key)
        store.discard(key)
    except Exception as e:  # noqa: BLE001 - filesystem or S3 error alike
        detail = getattr(e, "message", "") or type(e).__name__
        return Probe(False, f"证据存储不可写：{detail}")
    if size != 2:
        return Probe(False, "证据存储写入后读不回")
    return Probe(True, f"证据存储可写（{store.describe()}）")


# --- job queue -----------------------------------------------------------------------------------


def queue_probe() -> Probe:
    """The job queue's broker answers (``ZHIFA_JOBS_URL``: the SQLite file or Redis; ``jobs.queue.ping``);
    ``value`` the messages waiting in the broker, ``extra`` the Job records per status."""
    from zhifa.jobs import queue
    from zhifa.jobs.selectors import jobs_by_status

    try:
        reason = queue.ping()
    except ValueError as e:  # a URL the queue does not understand
        return Probe(False, str(e))
    if reason:
        return Probe(False, reason)
    try:
        counts = jobs_by_status()
        pending = float(queue.pending_count())
    except Exception as e:  # noqa: BLE001 - the database or broker went away between the two calls
        return Probe(False, f"任务队列状态无法读取：{type(e).__name__}")
    return Probe(True, f"任务队列可用（{queue.broker_description()}）", pending, counts)


# --- backups --------------------------------------------------------------------------------------


def last_backup_probe(*, max_age_hours: float = 26.0) -> Probe:
    """The last successful backup (``ops.backup.backup_last``), ``value`` its end in epoch seconds; none
    configured (``ZHIFA_BACKUP_DIR`` empty and never run) is 未配置; older than ``max_age_hours`` fails."""
    from zhifa.ops.backup import backup_last

    last = backup_last()
    if last is None:
        if not settings.BACKUP_DIR:
            return Probe(None, f"备份：{NOT_CONFIGURED}（ZHIFA_BACKUP_DIR 为空，且从未运行 zhifa backup）")
        return Probe(False, "尚无成功的备份，请检查每日备份任务或运行 zhifa backup")
    try:
        ts = datetime.fromisoformat(str(last["finished_at"])).timestamp()
    except (KeyError, ValueError):
        return Probe(False, "备份记录无法读取，请运行 zhifa backup")
    age_h = (time.time() - ts) / 3600
    if age_h > max_age_hours:
        return Probe(False, f"最近一次成功备份在 {age_h:.0f} 小时前（{last.get('dir', '')}）", ts)
    return Probe(True, f"最近一次成功备份在 {age_h:.1f} 小时前", ts)


# --- clock ----------------------------------------------------------------------------------------

TIME_ERROR = 5  # adjtimex(2): the kernel's clock is not synchronised (STA_UNSYNC)


def clock_probe() -> Probe:
    """The kernel's NTP state (adjtimex(2) with no change requested, as ``timedatectl`` and ``ntpstat`` read
    it): chrony, ntpd or systemd-timesyncd keeping the clock clears TIME_ERROR. Audit times, legal deadlines
    and TOTP codes depend on it."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return Probe(None, f"时钟同步：{NOT_CONFIGURED}（仅在 Linux 上检查）")
    try:
        buf = ctypes.create_string_buffer(512)  # struct timex, modes = 0: read only
        state = ctypes.CDLL(None, use_errno=True).adjtimex(buf)
    except (OSError, AttributeError):
        return Probe(None, f"时钟同步：{NOT_CONFIGURED}（无法读取内核时钟状态）")
    if state == TIME_ERROR or state < 0:
        return Probe(False, "系统时钟未与时间服务器同步")
    return Probe(True, "系统时钟已同步")


# --- ingest and gateways --------------------------------------------------------------------------

GATEWAYS = ("jt808", "wim")
GATEWAY_STALE_SECONDS = 60.0


def gateway_status(name: str) -> dict | None:
    """The gateway's last status file (core.procstatus), with ``age_s``; None when it never wrote one."""
    from zhifa.core.procstatus import status_read

    status = status_read(f"gateway-{name}")
    if status is None:
        return None
    status["age_s"] = max(0.0, time.time() - float(status.get("updated_at", 0)))
    return status


def wim_ingest_lag() -> float | None:
    """Seconds since weigh-in-motion records last arrived with something new (overload IngestBatch)."""
    from zhifa.overload.models import IngestBatch

    last = IngestBatch.objects.filter(stored__gt=0).order_by("-created_at").values_list("created_at", flat=True).first()
    return None if last is None else max(0.0, time.time() - last.timestamp())


def positions_ingest_lag() -> float | None:
    """Seconds since the positions store last changed (the newest partition file of its latest month)."""
    from zhifa.monitoring.store import Store

    store = Store()
    months = store.months()
    if not months:
        return None
    newest = max((f.stat().st_mtime for f in store.month_files(months[-1])), default=None)
    return None if newest is None else max(0.0, time.time() - newest)
