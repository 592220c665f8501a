"""Mixed workload: officers' pages, the public portal and the API under 50 simulated users at once.

    .venv/bin/python benchmarks/mixed_load.py [--users 50 --seconds 30 --scale 0.02]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zf_bench_load .venv/bin/python benchmarks/mixed_load.py \\
        --create-db --drop-db

1. loads the demo county (``zhifa demo --no-serve --scale X``) into a scratch installation: a temporary
   ZHIFA_DATA_DIR (SQLite), or the PostgreSQL database of DATABASE_URL (``--create-db`` creates it,
   ``--drop-db`` drops it at the end), and creates an API token with ``zhifa token create``;
2. serves it with ``zhifa serve`` (gunicorn, DEBUG off) in a child process on a free port of 127.0.0.1;
3. baseline: one client walks every page of the mix sequentially, one request at a time;
4. load: N simulated users (asyncio tasks on keep-alive HTTP/1.1 connections, benchmarks.httpclient) for
   S seconds, without think time: 40 % signed-in staff (officer, officer2, reviewer, head; each signs in
   through /login/ with the CSRF token like a browser, then walks 工作台, cases — following a case link
   from the list — registry lists, 双随机, 治超, 动态监控, notifications), 40 % anonymous portal visitors
   (/public/ pages, searches, a record found through the list) and 20 % API clients (Bearer token,
   GET on /api/v1/…, a case id taken from the list);
5. prints per page: requests, errors, p50, p95, max (ms), the single-user p95 and the ratio of the two,
   and the overall requests/s. An error is a status other than the page's own (200; 302 for the sign-in
   post), a connection error, or a 200 page that is the Chinese error page. Exit 1 on any error, listing
   the first failing URLs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the benchmarks package when run as a script

from benchmarks.httpclient import CLIENT_ERRORS, Connection  # noqa: E402
from benchmarks.scratch import add_server_options, pg_admin, pg_dbname  # noqa: E402

ERROR_PAGE = b'class="error-page"'  # core/templates/core/error.html, rendered with status 200 by nobody
STAFF_ACCOUNTS = ("officer", "officer2", "reviewer", "head")
API_ACCOUNT = "head"
SEARCHES = ("郁南县", "新兴县", "李", "有限公司", "粤W", "郁交罚〔2026〕5号")


@dataclass(frozen=True)
class Page:
    group: str  # staff | portal | api
    name: str  # the row of the table
    path: str  # a path, or a pattern with {id} filled from the ids a listing gave (see LINKS)


PAGES = (
    Page("staff", "工作台", "/"),
    Page("staff", "案件列表", "/cases/"),
    Page("staff", "案件详情", "/cases/{case}/"),
    Page("staff", "办案期限", "/cases/deadlines/"),
    Page("staff", "车辆库", "/registry/vehicles/"),
    Page("staff", "企业库", "/registry/enterprises/"),
    Page("staff", "双随机", "/inspections/"),
    Page("staff", "治超待审核", "/overload/leads/"),
    Page("staff", "动态监控", "/monitoring/"),
    Page("staff", "通知", "/notifications/"),
    Page("portal", "公示首页", "/public/"),
    Page("portal", "公示列表", "/public/records/"),
    Page("portal", "公示检索", "/public/records/?q={q}"),
    Page("portal", "公示详情", "/public/records/{record}/"),
    Page("portal", "信用评价", "/public/credit/"),
    Page("portal", "双随机公示", "/public/inspections/"),
    Page("portal", "治超查询", "/public/overload/"),
    Page("api", "API 当前用户", "/api/v1/accounts/me"),
    Page("api", "API 案件", "/api/v1/cases"),
    Page("api", "API 案件详情", "/api/v1/cases/{apicase}"),
    Page("api", "API 车辆", "/api/v1/registry/vehicles"),
    Page("api", "API 治超线索", "/api/v1/overload/leads"),
    Page("api", "API 公示检索", "/api/v1/public/records?q={q}"),
)
SIGN_IN = Page("staff", "登录", "/login/")
GROUP_LABELS = {"staff": "执法人员", "portal": "公众门户", "api": "接口"}
# where a page's ids come from: placeholder -> (listing page, regular expression over its body)
LINKS = {
    "case": ("/cases/", re.compile(rb'href="/cases/(\d+)/"')),
    "record": ("/public/records/", re.compile(rb'href="/public/records/(\d+)/"')),
    "apicase": ("/api/v1/cases", re.compile(rb'"id":\s*(\d+)')),
}


# --- the scratch installation ---------------------------------------------------------------------


def child_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of the ``zhifa`` child processes: this installation's settings only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DATABASE_URL", "PYTEST", "COV_"))}
    env.update(PYTHONPATH=str(ROOT / "src"), ZHIFA_DATA_DIR=str(data_dir), ZHIFA_STORAGE="fs",
               DJANGO_SETTINGS_MODULE="zhifa.config.settings", ZHIFA_LOG_LEVEL="ERROR", ZHIFA_DEBUG="0",
               ZHIFA_ALLOWED_HOSTS="127.0.0.1,localhost")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def zhifa(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "zhifa.cli", *args], env=env, capture_output=True, text=True,
                          timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"zhifa {' '.join(args)} 失败：{done.stdout}{done.stderr}")
    return done.stdout


@dataclass(frozen=True)
class Credentials:
    password: str  # of the demo accounts, as `zhifa demo` prints it (zhifa.demo.loader.DEMO_PASSWORD)
    token: str  # an API token of API_ACCOUNT


def prepare(env: dict[str, str], *, scale: float) -> Credentials:
    """Load the demo county into the installation ``env`` names; the demo's password and an API token."""
    out = zhifa(env, "demo", "--no-serve", "--scale", str(scale))
    m = re.search(r"密码均为 (\S+?)）", out)
    if m is None:
        raise RuntimeError(f"zhifa demo 的输出中没有演示账户密码：{out}")
    return Credentials(m.group(1), zhifa(env, "token", "create", API_ACCOUNT, "负载测试").strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(env: dict[str, str], *, workers: int, threads: int) -> Iterator[int]:
    """``zhifa serve`` in a child process on a free loopback port, until the block ends."""
    import http.client

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "zhifa.cli", "serve", "--port", str(port), "--workers", str(workers),
         "--threads", str(threads)],
        env=env,
    )
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"zhifa serve 已退出（{server.returncode}）")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/public/")
                c.getresponse().read()
                c.close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the simulated users --------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # page name -> seconds
    errors: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # "<status> <path>" of the first errors
    requests: int = 0

    def add(self, name: str, seconds: float) -> None:
        self.latencies.setdefault(name, []).append(seconds)
        self.requests += 1

    def fail(self, name: str, what: str) -> None:
        self.errors[name] = self.errors.get(name, 0) + 1
        self.requests += 1
        if len(self.failures) < 20:
            self.failures.append(f"{name}: {what}")

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


class User:
    """One simulated person: a keep-alive connection with its cookies, the ids it has seen in listings."""

    def __init__(self, group: str, port: int, stats: Stats, creds: Credentials, *, seed: int, account: str = ""):
        self.group, self.stats, self.creds, self.account = group, stats, creds, account
        self.conn = Connection(port)
        self.rng = random.Random(seed)
        self.ids: dict[str, list[str]] = {}
        self.pages = [p for p in PAGES if p.group == group]

    async def fetch(self, page: Page, path: str, *, method: str = "GET", body: bytes = b"",
                    expect: int = 200) -> bytes | None:
        headers = {"Authorization": f"Bearer {self.creds.token}"} if self.group == "api" else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t = time.perf_counter()
        try:
            resp = await self.conn.request(method, path, headers=headers, body=body)
        except CLIENT_ERRORS as e:
            self.stats.fail(page.name, f"连接错误 {type(e).__name__} {path}")
            await self.conn.reconnect()
            return None
        elapsed = time.perf_counter() - t
        if resp.status != expect:
            self.stats.fail(page.name, f"{resp.status} {method} {path} {resp.headers.get('location', '')}".rstrip())
            return None
        if resp.status == 200 and ERROR_PAGE in resp.body:
            self.stats.fail(page.name, f"200 错误页 {path}")
            return None
        self.stats.add(page.name, elapsed)
        for key, (listing, pattern) in LINKS.items():
            if path.split("?")[0] == listing:
                found = [m.decode() for m in pattern.findall(resp.body)]
                if found:
                    self.ids[key] = found
        return resp.body

    async def sign_in(self) -> bool:
        form = await self.fetch(SIGN_IN, "/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form or b"")
        if m is None:
            return False
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": m.group(1).decode(), "username": self.account,
                                       "password": self.creds.password}).encode()
        return await self.fetch(SIGN_IN, "/login/", method="POST", body=body, expect=302) is not None

    def path_for(self, page: Page) -> tuple[Page, str]:
        """The page's path with its placeholders filled; a page whose ids are not known yet is replaced by
        its listing (the user follows the list first, as a person would)."""
        path = page.path.replace("{q}", urllib.parse.quote(self.rng.choice(SEARCHES)))
        for key, (listing, _pattern) in LINKS.items():
            if "{" + key + "}" in path:
                if not self.ids.get(key):
                    return next(p for p in self.pages if p.path == listing), listing
                path = path.replace("{" + key + "}", self.rng.choice(self.ids[key]))
        return page, path

    async def step(self, page: Page) -> None:
        await self.fetch(*self.path_for(page))

    async def run(self, stop: float) -> None:
        while time.monotonic() < stop:
            await self.step(self.rng.choice(self.pages))
        self.conn.close()


def mix(users: int) -> list[str]:
    """The group of each simulated user: 40 % staff, 40 % portal, the rest API clients (at least one each)."""
    staff = max(1, round(users * 0.4))
    portal = max(1, round(users * 0.4))
    return ["staff"] * staff + ["portal"] * portal + ["api"] * max(1, users - staff - portal)


def run_load(port: int, creds: Credentials, *, users: int, seconds: float) -> tuple[Stats, float]:
    """N simulated users for S seconds; returns the statistics and the measured wall time. The staff sign in
    first, all at once (their sign-ins are in the table), then every user runs for S seconds."""
    stats = Stats()

    async def load() -> float:
        sims = [User(g, port, stats, creds, seed=i, account=STAFF_ACCOUNTS[i % len(STAFF_ACCOUNTS)])
                for i, g in enumerate(mix(users))]
        staff = [u for u in sims if u.group == "staff"]
        signed = await asyncio.gather(*(u.sign_in() for u in staff))
        sims = [u for u in sims if u not in staff] + [u for u, ok in zip(staff, signed, strict=True) if ok]
        t0 = time.monotonic()
        await asyncio.gather(*(u.run(t0 + seconds) for u in sims))
        return time.monotonic() - t0

    return stats, asyncio.run(load())


def run_baseline(port: int, creds: Credentials, *, rounds: int) -> Stats:
    """The single-user baseline: one client of each group in turn, each request alone on the server,
    ``rounds`` walks through every page of its group (after a walk that warms the server, not counted)."""
    stats, warm = Stats(), Stats()

    async def walk() -> None:
        for i, group in enumerate(("staff", "portal", "api")):
            u = User(group, port, warm, creds, seed=i, account=STAFF_ACCOUNTS[0])
            for r in range(rounds + 1):
                u.stats = stats if r else warm
                if group == "staff" and r <= 1 and not await u.sign_in():
                    break
                for page in u.pages:
                    await u.step(page)
            u.conn.close()

    asyncio.run(walk())
    for name, n in warm.errors.items():  # a page that fails only when cold fails all the same
        stats.errors[name] = stats.errors.get(name, 0) + n
    stats.failures[:0] = warm.failures
    return stats


# --- the report -----------------------------------------------------------------------------------


def pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def report(stats: Stats, baseline: Stats, *, seconds: float, users: int) -> str:
    rows = [SIGN_IN, *PAGES]
    lines = [f"{'分组':<6}{'页面':<12}{'请求':>7}{'错误':>6}{'p50':>9}{'p95':>9}{'max':>9}{'单用户p95':>11}{'倍数':>7}"]
    for page in rows:
        lat = stats.latencies.get(page.name, [])
        base = pct(baseline.latencies.get(page.name, []), 95)
        p95 = pct(lat, 95)
        lines.append(
            f"{GROUP_LABELS[page.group]:<5}{page.name:<10}{len(lat) + stats.errors.get(page.name, 0):>9}"
            f"{stats.errors.get(page.name, 0):>8}{pct(lat, 50):>9.1f}{p95:>9.1f}{max(lat, default=0) * 1000:>9.1f}"
            f"{base:>11.1f}{p95 / base if base == base and base > 0 else float('nan'):>7.1f}"
        )
    total = [v for name, vs in stats.latencies.items() if name != SIGN_IN.name for v in vs]
    base_all = [v for name, vs in baseline.latencies.items() if name != SIGN_IN.name for v in vs]
    n = len(total) + sum(k for name, k in stats.errors.items() if name != SIGN_IN.name)
    lines.append(
        f"合计（登录之后的 {seconds:.1f} 秒）：{users} 个模拟用户，{n} 个请求，每秒 {n / seconds:.1f} 个，"
        f"错误 {stats.error_count}；p95 {pct(total, 95):.1f} ms，单用户 p95 {pct(base_all, 95):.1f} ms"
    )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description="混合负载基准 / mixed-workload benchmark")
    ap.add_argument("--users", type=int, default=50, help="模拟用户数 / simulated users")
    ap.add_argument("--seconds", type=float, default=30, help="负载时长 / load duration")
    ap.add_argument("--scale", type=float, default=0.02, help="演示数据规模 / demo county scale")
    ap.add_argument("--rounds", type=int, default=5, help="单用户基线轮数 / single-user baseline walks")
    add_server_options(ap)
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "") or None
    if url and not url.startswith("postgres"):
        url = None
    if url and args.create_db:
        pg_admin(url, f'DROP DATABASE IF EXISTS "{pg_dbname(url)}" WITH (FORCE)')
        pg_admin(url, f'CREATE DATABASE "{pg_dbname(url)}"')
    try:
        with tempfile.TemporaryDirectory(prefix="zhifa-load-") as tmp:
            env = child_env(Path(tmp), url)
            t = time.monotonic()
            creds = prepare(env, scale=args.scale)
            print(f"{'PostgreSQL' if url else 'SQLite'}：演示县（规模 {args.scale}）已载入，"
                  f"{time.monotonic() - t:.0f} 秒", flush=True)
            with serving(env, workers=args.workers, threads=args.threads) as port:
                baseline = run_baseline(port, creds, rounds=args.rounds)
                stats, elapsed = run_load(port, creds, users=args.users, seconds=args.seconds)
            print(f"zhifa serve {args.workers}×{args.threads}")
            print(report(stats, baseline, seconds=elapsed, users=args.users))
            if baseline.error_count or stats.error_count:
                print("失败的请求（前 20 个）：")
                for line in (baseline.failures + stats.failures)[:20]:
                    print("  " + line)
                return 1
            return 0
    finally:
        if url and args.drop_db:
            pg_admin(url, f'DROP DATABASE IF EXISTS "{pg_dbname(url)}" WITH (FORCE)')
            print("scratch database dropped")


if __name__ == "__main__":
    sys.exit(main())
