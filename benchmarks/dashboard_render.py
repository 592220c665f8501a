"""Benchmark (issue 22): the 指挥中心 dashboard's render time at demo scale, against the 工作台 home page measured
in the same run as the baseline.

    ZHIFA_DATA_DIR=/path/to/loaded/demo .venv/bin/python benchmarks/dashboard_render.py [--repeat 9]
    .venv/bin/python benchmarks/dashboard_render.py --load 1.0      # loads the demo county into a scratch dir first

Signs in as the demo's 执法部门负责人 (``head``) with Django's test client (in-process: what the page costs the
server), makes one warm-up request per URL, then prints the median of ``--repeat`` requests in milliseconds
with its ratio to the home page: the dashboard page (server render), its JSON (the self-refresh), and the
map's latest positions (loaded by the page after it renders). The issue's target is 300 ms for the page;
the figure is printed, never turned into an exit status.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

URLS = [
    ("工作台首页（基准）", "/"),
    ("指挥中心页面", "/reports/dashboard/"),
    ("指挥中心刷新数据", "/reports/dashboard.json"),
    ("地图车辆最新位置", "/reports/dashboard/positions.json"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=9, help="timed requests per URL (median)")
    ap.add_argument(
        "--load",
        type=float,
        default=0.0,
        metavar="SCALE",
        help="load the demo county at this scale into a scratch ZHIFA_DATA_DIR first",
    )
    args = ap.parse_args()
    if args.load:
        os.environ["ZHIFA_DATA_DIR"] = tempfile.mkdtemp(prefix="zhifa-dash-")
    elif not os.environ.get("ZHIFA_DATA_DIR") and not os.environ.get("DATABASE_URL"):
        print("请设置 ZHIFA_DATA_DIR 指向已载入演示数据的目录，或使用 --load 规模", file=sys.stderr)
        return 2
    os.environ["ZHIFA_DEBUG"] = "0"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from zhifa.accounts.models import User
    from zhifa.demo.loader import demo_loaded, load_demo

    call_command("migrate", verbosity=0)
    if not demo_loaded():
        if not args.load:
            print("该目录尚未载入演示数据；请使用 --load 规模", file=sys.stderr)
            return 2
        load_demo(scale=args.load, progress=lambda m: None)
    client = Client()
    client.force_login(User.objects.get(username="head"))
    times: dict[str, float] = {}
    for _label, url in URLS:
        r = client.get(url)  # warm-up (templates, caches)
        if r.status_code != 200:
            print(f"{url} 返回 {r.status_code}", file=sys.stderr)
            return 2
        samples = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - t0) * 1000)
        times[url] = statistics.median(samples)
    base = times["/"]
    print(f"{'页面':<16}{'中位数（毫秒）':>14}{'与基准之比':>12}")
    for label, url in URLS:
        print(f"{label:<16}{times[url]:>14.1f}{times[url] / base:>12.2f}")
    print(f"（目标：指挥中心页面 300 毫秒以内；本次 {times['/reports/dashboard/']:.1f} 毫秒）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
