"""Django's PostgreSQL backend with the connection health check skipped for a connection that was working
moments ago (what HikariCP calls the alive-bypass window, 500 ms by default there).

With persistent connections (``ZHIFA_DB_CONN_MAX_AGE``) and health checks on, Django sends ``SELECT 1``
before the first query of every request: a round trip that cost 0.08–0.11 ms of Python and 0.05–0.08 ms
of the backend's CPU per request, a sixth of the portal search's own database time. A connection that
ended a request without an error less than ``ZHIFA_DB_ALIVE_BYPASS_MS`` ago is taken as alive; one idle
for longer — when a restart of PostgreSQL or a dropped link may have gone unnoticed — is checked as
before. The cost of the window: a connection killed within it fails the one request that uses it next
(Django then drops it, and the next request connects anew), as with health checks off.

Used when DATABASE_URL is postgres:// (see ``zhifa.config.settings``)."""

from __future__ import annotations

import os
import time

from django.db.backends.postgresql import base

#: Seconds after a request that ended without a database error during which the connection is not checked.
ALIVE_BYPASS_S = int(os.environ.get("ZHIFA_DB_ALIVE_BYPASS_MS", "500")) / 1000


class DatabaseWrapper(base.DatabaseWrapper):
    _alive_at: float | None = None  # when a request last ended with this connection working

    def close_if_unusable_or_obsolete(self):
        # Called at the start and at the end of every request. Only at the end can health_check_done be
        # True (the start of a request resets it): the connection served this request.
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self._alive_at = time.monotonic()
        super().close_if_unusable_or_obsolete()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and not self.health_check_done
            and self._alive_at is not None
            and time.monotonic() - self._alive_at < ALIVE_BYPASS_S
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def connect(self):
        self._alive_at = None
        super().connect()
