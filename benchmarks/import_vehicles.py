"""Benchmark: import 100,000 vehicles from CSV (issue 2), against a baseline measured in the same run.

    .venv/bin/python benchmarks/import_vehicles.py [--rows 100000]        # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/import_vehicles.py

Prints: the baseline (plain ``bulk_create`` of the same, already-clean rows: the cost of merely writing
them), the full import (read CSV, validate plate/colour/type per row, resolve owners, upsert by natural
key, audit), the re-import of the same file (all rows unchanged), and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PROVINCE = "粤"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "0123456789"


def plates(n: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    while len(seen) < n:
        office = rng.choice("ABCDEFGHJKLMNPQRSTUVWXY")
        serial = "".join(rng.choice(LETTERS + DIGITS) for _ in range(5))
        seen.add(f"{PROVINCE}{office}{serial}")
    return sorted(seen)


def main() -> int:
    return bench_main(run, __doc__)


def bench_main(run_fn, doc: str) -> int:
    """``--rows N`` (default 100,000), a temporary data directory, Django's settings, and a scratch PostgreSQL
    database when ``DATABASE_URL`` names one; then ``run_fn(args, tmp)`` (shared by the import benchmarks)."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhifa-bench-"))
    os.environ.setdefault("ZHIFA_DATA_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    scratch = _scratch_postgres()  # never touches the database DATABASE_URL names
    try:
        return run_fn(args, tmp)
    finally:
        if scratch:
            scratch()


def _scratch_postgres():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    name = f"zhifa_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return drop


def run(args, tmp: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from zhifa.accounts import services as acc
    from zhifa.core.imports import run_import
    from zhifa.registry.models import Vehicle

    bureau = acc.org_create(name="基准测试局", kind="bureau", parent=None, actor=None)
    rng = random.Random(100)
    ps = plates(args.rows, rng)
    types = ["普通货车", "重型货车", "半挂牵引车", "客运班车", "出租汽车"]
    csv_path = tmp / "vehicles.csv"
    with csv_path.open("w", encoding="utf-8") as f:
        f.write("车牌号,车牌颜色,车辆类型,轴数,总质量,道路运输证号\n")
        for i, p in enumerate(ps):
            t = types[i % len(types)]
            f.write(f"{p},{'蓝色' if t == '出租汽车' else '黄色'},{t},{2 + i % 5},{10000 + i % 39000},"
                    f"445322{i:06d}\n")

    # Baseline: write the same rows with a plain bulk_create (no parsing, validation or upsert logic).
    type_codes = {"普通货车": "truck", "重型货车": "heavy_truck", "半挂牵引车": "tractor", "客运班车": "coach",
                  "出租汽车": "taxi"}
    objs = [Vehicle(org=bureau, plate=p, plate_color="blue" if types[i % 5] == "出租汽车" else "yellow",
                    vehicle_type=type_codes[types[i % 5]], axle_count=2 + i % 5, gross_mass_kg=10000 + i % 39000,
                    transport_cert_no=f"445322{i:06d}") for i, p in enumerate(ps)]
    t0 = time.perf_counter()
    with transaction.atomic():
        Vehicle.objects.bulk_create(objs, batch_size=2000)
    base = time.perf_counter() - t0
    Vehicle.objects.all().delete()

    t0 = time.perf_counter()
    job = run_import("vehicles", csv_path, actor=None, org=bureau)
    full = time.perf_counter() - t0
    assert job.created == args.rows and job.failed == 0, job.message

    t0 = time.perf_counter()
    job2 = run_import("vehicles", csv_path, actor=None, org=bureau)
    again = time.perf_counter() - t0
    assert job2.unchanged == args.rows, job2.message

    n = args.rows
    print(f"数据库: {connection.vendor}; 行数: {n}")
    print(f"baseline bulk_create:      {base:7.2f} s  {n / base:10,.0f} rows/s")
    print(f"full import (new rows):    {full:7.2f} s  {n / full:10,.0f} rows/s  ratio to baseline {base / full:.2f}")
    print(f"re-import (all unchanged): {again:7.2f} s  {n / again:10,.0f} rows/s  ratio to baseline {base / again:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
