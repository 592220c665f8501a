"""Benchmark: import 100,000 12345 work orders from CSV (issue 18), against baselines measured in the same run.

    .venv/bin/python benchmarks/complaints_import.py [--rows 100000]        # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/complaints_import.py

Prints rows/s of: the plain CSV parse of the same file (the floor of reading it), a plain ``bulk_create`` of
the same orders already built (the cost of merely writing them), the full import (read, validate each row,
encrypt the complainant's name and phone (SM4), count its clock on the statutory calendar, number it,
write it and its timeline line, audit), and the re-import of the same file (every row unchanged); and each
one's ratio to the baselines.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_vehicles import bench_main  # noqa: E402  (arguments, data directory, scratch database)

HEADER = ["工单编号", "受理时间", "诉求类型", "诉求标题", "诉求内容", "来电人", "联系电话", "被反映对象", "事发地点"]
KINDS = ["投诉", "举报", "咨询", "建议", "求助"]
TOPICS = ["出租车拒载", "班车超员", "黑车拉客", "货车超限", "道路运输证年审", "公交车不按站停靠"]


def write_file(path: Path, n: int) -> None:
    rng = random.Random(18)
    start = date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            d = start + timedelta(days=rng.randint(0, 364))
            topic = rng.choice(TOPICS)
            w.writerow([f"GD12345-{i:08d}", f"{d:%Y-%m-%d} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}",
                        rng.choice(KINDS), topic, f"市民反映{topic}问题，请核查处理。", "张三" if i % 3 else "",
                        f"138{i:08d}" if i % 3 else "", "", "郁南县城"])


def main() -> int:
    return bench_main(run, __doc__)


def run(args, tmp: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)

    from zhifa.accounts import services as acc
    from zhifa.complaints.models import OrderEvent, WorkOrder
    from zhifa.core.imports import run_import

    bureau = acc.org_create(name="基准测试局", kind="bureau", parent=None, actor=None)
    n = args.rows
    path = tmp / "12345.csv"
    write_file(path, n)

    t0 = time.perf_counter()
    with path.open(encoding="utf-8") as f:
        parsed = sum(1 for _ in csv.reader(f)) - 1
    parse = time.perf_counter() - t0
    assert parsed == n

    objs = [WorkOrder(org=bureau, received_org=bureau, number=f"B{i:09d}", tracking_code=f"T{i:09d}", channel="12345",
                      external_no=f"B-{i}", track="h12345", category="complaint", title="基准", content="基准",
                      received_on=date(2025, 6, 1)) for i in range(n)]
    t0 = time.perf_counter()
    with transaction.atomic():
        WorkOrder.objects.bulk_create(objs, batch_size=2000)
    write = time.perf_counter() - t0
    WorkOrder.objects.all().delete()

    t0 = time.perf_counter()
    job = run_import("complaints_12345", path, actor=None, org=bureau)
    full = time.perf_counter() - t0
    assert job.created == n and job.failed == 0, job.message
    assert OrderEvent.objects.count() == n

    t0 = time.perf_counter()
    job2 = run_import("complaints_12345", path, actor=None, org=bureau)
    again = time.perf_counter() - t0
    assert job2.unchanged == n, job2.message

    print(f"数据库: {connection.vendor}; 行数: {n}")
    print(f"baseline CSV parse:        {parse:7.2f} s  {n / parse:10,.0f} rows/s")
    print(f"baseline bulk_create:      {write:7.2f} s  {n / write:10,.0f} rows/s")
    for label, t in (("full import (new rows):   ", full), ("re-import (all unchanged):", again)):
        print(f"{label} {t:7.2f} s  {n / t:10,.0f} rows/s  ratio to bulk_create {write / t:.2f}, "
              f"to CSV parse {parse / t:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
