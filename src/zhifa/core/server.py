"""The gunicorn worker `zhifa serve` runs (see ``zhifa.cli._serve``).

A threaded gunicorn worker keeps every connection it accepts, and a keep-alive client stays with it for
good. Left to chance the processes end up with uneven shares — measured with benchmarks/portal_search.py,
50 persistent clients split 16/34 over two processes, and the clients of the busier one waited twice as
long. Two things even this out:

* each process publishes how many connections it holds in a table of shared memory, and accepts a new
  connection only while it holds no more than the least loaded of its siblings (``Worker.worker_connections``);
* after ``ZHIFA_KEEPALIVE_REQUESTS`` requests a connection is closed (as nginx's ``keepalive_requests``), so
  long-lived clients come back and are placed again.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import struct
import time

from gunicorn.workers.gthread import ThreadWorker

#: Requests served on one keep-alive connection before the response says ``Connection: close``. 0 = no limit.
KEEPALIVE_REQUESTS = int(os.environ.get("ZHIFA_KEEPALIVE_REQUESTS", "100"))

_SLOTS = 16  # worker processes at most (zhifa serve starts at most 8; a replacement takes a free slot)
_SLOT = struct.Struct("qqd")  # pid, open connections, when last written (CLOCK_MONOTONIC, machine-wide)
_STALE_S = 5.0  # a slot not written for this long is a dead or hung process (workers write ~20 times a second)
_TURN_S = 0.05  # longest sleep of a worker's loop, so a process that became the least loaded accepts again soon
# Created when gunicorn loads this module in the arbiter, before it forks: shared by every worker.
_TABLE = mmap.mmap(-1, _SLOT.size * _SLOTS)
_CLAIM = multiprocessing.Lock()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim_slot(pid: int, now: float) -> int | None:
    """A free slot of the table for process ``pid`` (one whose process is gone or silent), or None."""
    with _CLAIM:
        for i in range(_SLOTS):
            owner, _conns, seen = _SLOT.unpack_from(_TABLE, i * _SLOT.size)
            if owner == 0 or owner == pid or now - seen > _STALE_S or not _alive(owner):
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


class Worker(ThreadWorker):
    """gunicorn's threaded worker, balanced with its siblings and with a keep-alive request limit."""

    _slot: int | None = None

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
        self._slot = claim_slot(os.getpid(), time.monotonic())
        super().init_process()

    def wait_for_and_dispatch_events(self, timeout):
        # gunicorn sleeps up to 1 s between turns; a process that stopped accepting while it held more
        # than its siblings must see soon that it is the least loaded again, or nobody accepts meanwhile
        return super().wait_for_and_dispatch_events(min(timeout, _TURN_S))

    def handle_request(self, req, conn):
        served = getattr(conn, "zhifa_served", 0) + 1
        conn.zhifa_served = served
        if KEEPALIVE_REQUESTS and served >= KEEPALIVE_REQUESTS:
            req.must_close = True  # the response says "Connection: close" and the worker closes after it
        return super().handle_request(req, conn)
