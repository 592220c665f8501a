"""What the loopback benchmarks share besides their HTTP client: the server's and the scratch PostgreSQL
database's command-line options, and creating or dropping that database."""

from __future__ import annotations

import argparse
import os
import urllib.parse


def add_server_options(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="服务进程数 / server processes")
    ap.add_argument("--threads", type=int, default=4, help="每进程线程数 / threads per server process")
    ap.add_argument("--create-db", action="store_true", help="create the scratch PostgreSQL database")
    ap.add_argument("--drop-db", action="store_true", help="drop the scratch PostgreSQL database at the end")


def pg_admin(url: str, sql: str) -> None:
    """Run ``sql`` on the server of ``url``, connected to its maintenance database."""
    import psycopg

    admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def pg_dbname(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")
