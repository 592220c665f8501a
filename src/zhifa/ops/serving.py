"""What ``zhifa serve`` does for metrics before it forks its worker processes. Kept apart from
``ops.metrics``: prometheus-client picks in-memory or per-process-file values when it is first imported, so
the directory must be set before anything imports it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_prepare(directory: Path) -> None:
    """A fresh per-process metrics directory (unless the operator set ``PROMETHEUS_MULTIPROC_DIR``)."""
    if os.environ.get(MULTIPROC_ENV):
        Path(os.environ[MULTIPROC_ENV]).mkdir(parents=True, exist_ok=True)
        return
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(directory)


def child_exit(server, worker) -> None:
    """gunicorn's ``child_exit`` hook: a dead worker's live gauges are dropped (its counters stay summed)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
