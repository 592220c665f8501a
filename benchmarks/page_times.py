"""Benchmark (issue 15 item 10): every page a person opens in daily work, at demo scale, against a budget.

    ZHIFA_DATA_DIR=/path/to/loaded/demo .venv/bin/python benchmarks/page_times.py [--repeat 5] [--budget-ms 300]
    .venv/bin/python benchmarks/page_times.py --load 1.0      # loads the demo county into a scratch directory first

Signs in as each demo account (officer, reviewer, head, sysadmin, secadmin, auditadmin) and as the anonymous
public, discovers the pages with the crawl of ``tests/crawl`` (three hops from the start page, links and GET
forms, at most two instances of one URL shape), then times every HTML page it reached: one warm-up request,
then the median of ``--repeat``. Prints the slowest ``--top`` pages with their milliseconds, their query
count and their ratio to a baseline measured in the same run (the login page: session, middleware and a
template, no data), and exits 1 when any page is over the budget.

In-process with Django's test client, not over HTTP against ``zhifa serve``: the budget is what a page
costs the server to answer (views, queries, templates), the crawl that finds the pages already runs on the
test client, and on a two-core machine an HTTP client would take CPU from the server it measures. The
loopback cost of ``zhifa serve`` under load is what ``benchmarks/mixed_load.py`` measures. DEBUG is off, as
in production (no query log in the timed runs); the query count comes from a separate, untimed request.
Downloads (DOCX, CSV, XLSX: not an HTML page) are not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package when run as a script
from benchmarks.scratch import add_demo_option, demo_django  # noqa: E402

ROLES = ("officer", "reviewer", "head", "sysadmin", "secadmin", "auditadmin")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="timed requests per page (median)")
    ap.add_argument("--budget-ms", type=float, default=300.0, help="exit 1 when a page's median is above this")
    ap.add_argument("--top", type=int, default=20, help="how many of the slowest pages to print")
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--max-pages", type=int, default=150, help="pages per account")
    ap.add_argument("--who", default="", help="comma-separated demo accounts (default: one per role, and public)")
    add_demo_option(ap)
    args = ap.parse_args()
    status = demo_django(args, prefix="zhifa-pages-")
    if status:
        return status
    from django.db import connection
    from django.test import Client
    from tests.crawl.crawler import crawl

    from zhifa.accounts.models import User

    def median_ms(client: Client, url: str) -> float:
        client.get(url)  # warm: template loading, the first query of a table
        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            samples.append(time.perf_counter() - t)
        return statistics.median(samples) * 1000

    def query_count(client: Client, url: str) -> int:
        seen: list[str] = []

        def count(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        return len(seen)

    baseline = median_ms(Client(), "/login/")
    health = median_ms(Client(), "/healthz")
    print(f"基线：登录页 /login/ {baseline:.1f} ms；/healthz {health:.1f} ms（{connection.vendor}，每页 {args.repeat} 次取中位数）")

    # one account per role (officer2 and reviewer_city see the same pages as officer and reviewer)
    who = [w for w in args.who.split(",") if w] or [*ROLES, "public"]
    rows: list[tuple[float, int, str, str]] = []  # (ms, queries, who, url)
    for name in who:
        client = Client()
        if name != "public":
            client.force_login(User.objects.get(username=name))
        found = crawl(client, ("/public/",) if name == "public" else ("/",), depth=args.depth,
                      max_pages=args.max_pages, per_shape=2)
        pages = [p.url for p in found.pages if p.status == 200 and p.content_type.startswith("text/html")]
        for url in pages:
            rows.append((median_ms(client, url), query_count(client, url), name, url))
        slowest = max((r for r in rows if r[2] == name), default=None)
        print(f"{name}: {len(pages)} 个页面" + (f"，最慢 {slowest[0]:.0f} ms {slowest[3]}" if slowest else ""), flush=True)

    rows.sort(reverse=True)
    print(f"\n最慢的 {min(args.top, len(rows))} 个页面（共 {len(rows)} 个）：")
    print(f"{'ms':>8} {'×基线':>7} {'查询':>5}  账号        页面")
    for ms, n, name, url in rows[: args.top]:
        print(f"{ms:8.1f} {ms / baseline:7.1f} {n:5d}  {name:<11} {url}")
    over = [r for r in rows if r[0] > args.budget_ms]
    if over:
        print(f"\n{len(over)} 个页面超过 {args.budget_ms:.0f} ms 的预算", file=sys.stderr)
        return 1
    print(f"\n全部 {len(rows)} 个页面都在 {args.budget_ms:.0f} ms 以内")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
