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
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.scratch import add_demo_option, demo_django  # noqa: E402

URLS = [
    ("工作台首页（基准）", "/"),
    ("指挥中心页面", "/reports/dashboard/"),
    ("指挥中心刷新数据", "/reports/dashboard.json"),
    ("地图车辆最新位置", "/reports/dashboard/positions.json"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=9, help="timed requests per URL (median)")
    add_demo_option(ap)
    args = ap.parse_args()
    status = demo_django(args, prefix="zhifa-dash-")
    if status:
        return status
    from django.test import Client

    from zhifa.accounts.models import User

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
