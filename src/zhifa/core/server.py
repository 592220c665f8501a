"""The gunicorn worker `zhifa serve` runs (see ``zhifa.cli._serve``).

A threaded gunicorn worker keeps every connection it accepts, and a keep-alive client stays with it for
good. Left to chance the processes end up with uneven shares — measured with benchmarks/portal_search.py,
50 persistent clients split 16/34 over two processes, and the clients of the busier one waited twice as
long. Two things even this out:

* each process publishes how many connections it holds in a table of shared memory, and accepts a new
  connection only while it holds no more than the least loaded of its siblings (``Worker.worker_connections``);
* after ``ZHIFA_KEEPALIVE_REQUESTS`` requests a connection is closed (as nginx's ``keepalive_requests``), so
  long-lived clients come back and are placed again.

Both build on internals of gunicorn's gthread worker, not on a public API (see :func:`missing_internals`):
present in gunicorn 27 (the event loop that calls ``wait_for_and_dispatch_events``), absent from 23, whose
loop waits on futures instead. Each process checks them when it starts; when one is missing it logs a
warning and runs as gunicorn's plain gthread worker, so an upgrade or downgrade of gunicorn can cost the
balancing but never a worker that does not serve.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import struct
import time

import gunicorn
from gunicorn.http.message import Request
from gunicorn.workers.gthread import ThreadWorker

from zhifa.core.procstatus import pid_alive

#: Requests served on one keep-alive connection before the response says ``Connection: close``. 0 = no limit.
KEEPALIVE_REQUESTS = int(os.environ.get("ZHIFA_KEEPALIVE_REQUESTS", "100"))

_SLOTS = 16  # worker processes at most (zhifa serve starts at most 8; a replacement takes a free slot)
_SLOT = struct.Struct("qqd")  # pid, open connections, when last written (CLOCK_MONOTONIC, machine-wide)
_STALE_S = 5.0  # a slot not written for this long is a dead or hung process (workers write ~20 times a second)
_TURN_S = 0.05  # longest sleep of a worker's loop, so a process that became the least loaded accepts again soon
# Created when gunicorn loads this module in the arbiter, before it forks: shared by every worker.
_TABLE = mmap.mmap(-1, _SLOT.size * _SLOTS)
_CLAIM = multiprocessing.Lock()


def claim_slot(pid: int, now: float) -> int | None:
    """A free slot of the table for process ``pid`` (one whose process is gone or silent), or None."""
    with _CLAIM:
        for i in range(_SLOTS):
            owner, _conns, seen = _SLOT.unpack_from(_TABLE, i * _SLOT.size)
            if owner == 0 or owner == pid or now - seen > _STALE_S or not pid_alive(owner):
                _SLOT.pack_into(_TABLE, i * _SLOT.size, pid, 0, now)
                return i
    return None


def accept_limit(slot: int, pid: int, conns: int, now: float, ceiling: int) -> int:
    """Publish ``conns`` in ``slot`` and return how many connections this process may hold before it stops
    accepting: one more than the least loaded live process, so it accepts only while it is among the least
    loaded (at most ``ceiling``, gunicorn's worker_connections)."""
    _SLOT.pack_into(_TABLE, slot * _SLOT.size, pid, conns, now)
    least = conns
    for i in range(_SLOTS):
        owner, held, seen = _SLOT.unpack_from(_TABLE, i * _SLOT.size)
        if owner and now - seen <= _STALE_S:
            least = min(least, held)
    return min(ceiling, least + 1)


def _names(func) -> set[str]:
    """Names (attributes included) the code of ``func`` uses; empty when it is not Python code."""
    code = getattr(func, "__code__", None)
    return set(code.co_names) if code is not None else set()


def missing_internals(worker_class: type) -> list[str]:
    """The gunicorn internals :class:`Worker` relies on that ``worker_class`` (with the gunicorn installed)
    lacks, each as "where: what"; empty when all are there."""
    run, init = getattr(worker_class, "run", None), getattr(worker_class, "__init__", None)
    inherited = [k for k in worker_class.__mro__ if k is not Worker and issubclass(k, ThreadWorker)]
    checks = [
        # the accept gate: worker_connections is set once, then compared with nr_conns on every turn
        ("__init__", "worker_connections", "worker_connections" in _names(init)),
        ("run", "worker_connections", "worker_connections" in _names(run)),
        ("run", "nr_conns", "nr_conns" in _names(run)),
        # the turn: the loop waits for its events through this method, which Worker shortens
        ("run", "wait_for_and_dispatch_events", "wait_for_and_dispatch_events" in _names(run)),
        (
            "ThreadWorker",
            "wait_for_and_dispatch_events",
            any("wait_for_and_dispatch_events" in vars(k) for k in inherited),
        ),
        # the keep-alive limit: a request's must_close makes its response close the connection
        ("http.message.Request.should_close", "must_close", "must_close" in _names(Request.should_close)),
    ]
    return [f"{where}: {what}" for where, what, ok in checks if not ok]


class Worker(ThreadWorker):
    """gunicorn's threaded worker, balanced with its siblings and with a keep-alive request limit."""

    _slot: int | None = None
    _balanced = False  # set when the process starts: the internals it needs are there

    @property
    def worker_connections(self) -> int:
        # read by gunicorn on every turn of the worker's loop: can it accept another connection?
        if self._slot is None:
            return self._ceiling
        return accept_limit(self._slot, self.pid, self.nr_conns, time.monotonic(), self._ceiling)

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._ceiling = value

    def init_process(self):
        self.check_internals()
        super().init_process()

    def check_internals(self) -> bool:
        """Balance and limit keep-alive requests when gunicorn has what that needs; otherwise warn the
        operator and serve as the plain gthread worker."""
        missing = missing_internals(type(self))
        self._balanced = not missing
        if missing:
            self.log.warning(
                "gunicorn %s 的 gthread 工作进程缺少 zhifa 所需的内部接口（%s）：本进程按普通 gthread 工作进程运行，"
                "不在进程间均衡连接，也不限制单个长连接的请求数",
                gunicorn.__version__,
                "；".join(missing),
            )
        else:
            self._slot = claim_slot(os.getpid(), time.monotonic())
        return self._balanced

    def wait_for_and_dispatch_events(self, timeout):
        # gunicorn sleeps up to 1 s between turns; a process that stopped accepting while it held more
        # than its siblings must see soon that it is the least loaded again, or nobody accepts meanwhile
        if self._balanced:
            timeout = min(timeout, _TURN_S)
        return super().wait_for_and_dispatch_events(timeout)

    def handle_request(self, req, conn):
        if self._balanced and KEEPALIVE_REQUESTS:
            served = getattr(conn, "zhifa_served", 0) + 1
            conn.zhifa_served = served
            if served >= KEEPALIVE_REQUESTS:
                req.must_close = True  # the response says "Connection: close" and the worker closes after it
        return super().handle_request(req, conn)
