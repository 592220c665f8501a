"""The gunicorn worker `zhifa serve` runs (see ``zhifa.cli._serve``)."""

from __future__ import annotations

import os

from gunicorn.workers.gthread import ThreadWorker

#: Requests served on one keep-alive connection before the server answers ``Connection: close`` (as
#: nginx's ``keepalive_requests`` and Apache's ``MaxKeepAliveRequests`` do). Each worker process keeps
#: the connections it accepted; a client that never lets go would stay on one process however busy it
#: is. Closing after this many requests makes long-lived clients reconnect now and then, and the
#: reconnection lands on whichever process accepts first — the least busy — so load spreads over the
#: processes (benchmarks/portal_search.py: with 50 persistent clients the split between two processes
#: had been 16/34, and the clients of the busier one waited twice as long). 0 = no limit.
KEEPALIVE_REQUESTS = int(os.environ.get("ZHIFA_KEEPALIVE_REQUESTS", "100"))


class Worker(ThreadWorker):
    """gunicorn's threaded worker with a per-connection request limit (``KEEPALIVE_REQUESTS``)."""

    def handle_request(self, req, conn):
        served = getattr(conn, "zhifa_served", 0) + 1
        conn.zhifa_served = served
        if KEEPALIVE_REQUESTS and served >= KEEPALIVE_REQUESTS:
            req.must_close = True  # the response says "Connection: close" and the worker closes after it
        return super().handle_request(req, conn)
