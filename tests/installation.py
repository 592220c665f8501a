"""A throw-away zhifa installation for tests that run the platform in subprocesses (kill -9 tests).

Its own data directory and its own database: a file-backed SQLite database, or, on a PostgreSQL run
(``DATABASE_URL`` set), a fresh PostgreSQL database dropped afterwards. Migrated before use."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])  # the repository: subprocess scripts may import tests.*
SRC = str(Path(ROOT) / "src")


class Installation:
    def __init__(self, root: Path, database_url: str, query):
        self.root, self.database_url, self.query = root, database_url, query

    def env(self, broker: str = "") -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
        env.update(DATABASE_URL=self.database_url, ZHIFA_DATA_DIR=str(self.root), ZHIFA_JOBS_URL=broker,
                   PYTHONPATH=os.pathsep.join([SRC, ROOT, env.get("PYTHONPATH", "")]),
                   DJANGO_SETTINGS_MODULE="zhifa.config.settings", ZHIFA_JOBS_LEASE_SECONDS="60")
        return env

    def run(self, broker: str, *args: str, code: str | None = None) -> str:
        cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "zhifa.cli", *args]
        out = subprocess.run(cmd, env=self.env(broker), capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout

    def worker(self, broker: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "zhifa.cli", "worker", "--workers", "1"], env=self.env(broker),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@contextlib.contextmanager
def installation_at(root: Path, prefix: str):
    """A migrated installation under ``root``; a PostgreSQL database is named ``<prefix>_<random>``."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base = url.rsplit("/", 1)[0]
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        db_url = f"{base}/{name}"

        def query(sql):
            with psycopg.connect(db_url) as c:
                return c.execute(sql).fetchall()
    else:
        name = None
        db_url = f"sqlite:///{root / 'zhifa.sqlite3'}"

        def query(sql):
            with sqlite3.connect(root / "zhifa.sqlite3", timeout=30) as c:
                return c.execute(sql).fetchall()

    inst = Installation(root, db_url, query)
    inst.run("", "migrate")
    try:
        yield inst
    finally:
        if name:
            import psycopg

            with psycopg.connect(url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
