"""Benchmark: the case list page with 100,000 cases, against a baseline measured in the same run.

    .venv/bin/python benchmarks/case_list.py [--rows 100000] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zf_bench .venv/bin/python benchmarks/case_list.py

Rows are generated with ``bulk_create`` (not through the workflow: this measures reading). Timed per
request, median of ``--repeat``:

* baseline: a bare ``SELECT`` of the same 30 columns-rows page (``Case.objects.order_by(...)[:30]``), plus
  ``count()``, without scoping or rendering;
* selector: ``cases.selectors.case_search`` for the squad officer (scoped), first page + count;
* page: ``GET /cases/`` through the test client (session, middleware, template) as the officer, first page;
* search: ``GET /cases/?q=某运输`` (party-name substring search) and a state filter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    os.environ.setdefault("ZHIFA_DATA_DIR", tempfile.mkdtemp(prefix="zhifa-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from tests.factories import make_org_tree, make_user

    from zhifa.cases.models import Case
    from zhifa.cases.selectors import case_search

    if Case.objects.exists():
        print("数据库中已有案件，请使用空库运行基准测试", file=sys.stderr)
        return 2
    tree = make_org_tree()
    officer = make_user("bench_officer", tree.squad_a1, {"officer"})
    orgs = [tree.squad_a1, tree.squad_a2, tree.squad_b1]
    states = ["investigating", "notified", "decided", "served", "closed", "archived"]
    t0 = time.perf_counter()
    batch = []
    base = date(2025, 1, 1)
    for i in range(args.rows):
        d = base + timedelta(days=i % 600)
        batch.append(
            Case(
                org=orgs[i % 3],
                number=f"郁交案〔BENCH〕{i}号",
                state=states[i % len(states)],
                party_kind="org",
                party_name=f"某运输有限公司{i % 5000}",
                violation_name="违法超限运输",
                facts="基准测试数据",
                occurred_on=d,
                discovered_on=d,
                registered_on=d,
                limit_due=d + timedelta(days=90),
                proposed_fine_fen=100000,
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    print(f"生成 {args.rows} 件案件：{time.perf_counter() - t0:.1f} 秒（{connection.vendor}）")

    def timed(fn) -> float:
        fn()
        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t)
        return statistics.median(samples) * 1000

    def baseline():
        qs = Case.objects.order_by("-created_at", "-id")
        qs.count()
        list(qs.values_list("id", "number", "party_name", "violation_name", "state", "procedure")[:30])

    def selector():
        qs = case_search(officer)
        qs.count()
        list(qs[:30])

    client = Client()
    client.force_login(officer)

    def page():
        assert client.get("/cases/").status_code == 200

    def search():
        assert client.get("/cases/", {"q": "公司42", "state": "closed"}).status_code == 200

    b = timed(baseline)
    results = [
        ("基线：裸 SELECT 第一页 + count", b),
        ("选择器（按单位范围）", timed(selector)),
        ("案件列表页 GET /cases/", timed(page)),
        ("检索 + 状态筛选", timed(search)),
    ]
    for label, ms in results:
        print(f"{label:<28} {ms:8.1f} ms   {ms / b:6.1f} × 基线")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
