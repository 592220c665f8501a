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


def add_demo_option(ap: argparse.ArgumentParser) -> None:
    ap.add_argument(
        "--load",
        type=float,
        default=0.0,
        metavar="SCALE",
        help="load the demo county at this scale into a scratch ZHIFA_DATA_DIR first",
    )


def demo_django(args, *, prefix: str) -> int:
    """Set up Django on the loaded demo (``ZHIFA_DATA_DIR`` / ``DATABASE_URL``) or, with ``--load``, on a
    scratch directory loaded now; DEBUG off as in production. 0 when ready, else the exit status (2) after
    saying why in Chinese."""
    import sys
    import tempfile
    import time
    from pathlib import Path

    if args.load:
        os.environ["ZHIFA_DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    elif not os.environ.get("ZHIFA_DATA_DIR") and not os.environ.get("DATABASE_URL"):
        print("请设置 ZHIFA_DATA_DIR 指向已载入演示数据的目录，或使用 --load 规模", file=sys.stderr)
        return 2
    os.environ["ZHIFA_DEBUG"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from zhifa.demo.loader import demo_loaded, load_demo

    call_command("migrate", verbosity=0)
    if args.load:
        t0 = time.perf_counter()
        load_demo(scale=args.load, progress=lambda m: None)
        print(f"载入演示数据（规模 {args.load}）：{time.perf_counter() - t0:.0f} 秒")
    if not demo_loaded():
        print("数据库中没有演示数据：先运行 zhifa demo --no-serve，或使用 --load 规模", file=sys.stderr)
        return 2
    return 0
