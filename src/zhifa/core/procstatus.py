"""Status files of long-running processes other than the web server (the JT/T 808 gateway, later a WIM
gateway): each writes a small JSON file now and then, and the web process's health and metrics pages read it
(``ops.metrics``). A gateway is a separate process with its counters in memory; a file under
``DATA_DIR/run/`` is the least machinery that lets another process see them.

The write is atomic (temporary file + rename), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


def status_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "run"


def status_write(name: str, data: dict, *, directory: Path | None = None) -> None:
    """Writes ``data`` (plus ``updated_at``, epoch seconds, and ``pid``) as ``<name>.json``."""
    d = directory or status_dir()
    d.mkdir(parents=True, exist_ok=True)
    payload = {**data, "updated_at": time.time(), "pid": os.getpid()}
    tmp = d / f".{name}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(tmp, d / f"{name}.json")


def status_read(name: str, *, directory: Path | None = None) -> dict | None:
    """The last status ``name`` wrote, or None when it never did (or the file is unreadable)."""
    path = (directory or status_dir()) / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` of this host still there (signal 0: exists, whoever owns it)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
