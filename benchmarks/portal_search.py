"""Portal search latency with a million public records and 50 concurrent clients on loopback.

    ZHIFA_DATA_DIR=/tmp/zf-bench .venv/bin/python benchmarks/portal_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zf_bench_disclosure ZHIFA_DATA_DIR=/tmp/zf-bench-pg \\
        .venv/bin/python benchmarks/portal_search.py --create-db --drop-db

1. loads N published records (DisclosureRecord + its masked PublicRecord) into the database the settings
   point at (SQLite under ZHIFA_DATA_DIR, or the scratch PostgreSQL database of DATABASE_URL, which
   ``--create-db`` creates and ``--drop-db`` drops at the end); resumable, in atomic batches;
2. serves the real application with ``zhifa serve`` (gunicorn, one process per core by default) in a child
   process on 127.0.0.1, and runs C concurrent keep-alive clients (asyncio, one process) that search
   /api/v1/public/records by plate, 统一社会信用代码, name and decision number for a bounded time;
3. prints p50/p95 per query type and overall, the server's CPU time per request (its processes only;
   PostgreSQL's are not counted) and the client's share of a core — for the open API with 1 and C
   clients and for the search page (/public/records/, rendered HTML) with C clients — and the same
   searches run in-process without HTTP (the database + serialisation part) as a baseline in the same
   run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package when run as a script

from benchmarks.scratch import add_server_options, pg_admin, pg_dbname  # noqa: E402


def _load(n: int) -> float:
    from django.db import connection, transaction

    from zhifa.accounts.enums import OrgKind
    from zhifa.accounts.models import Org
    from zhifa.disclosure.models import DisclosureRecord, PublicRecord
    from zhifa.disclosure.selectors import name_key

    org = Org.objects.filter(kind=OrgKind.BUREAU).first()
    if org is None:
        from zhifa.accounts.services import org_create

        org = org_create(name="基准测试县交通运输局", kind=OrgKind.BUREAU, parent=None, actor=None)
    have = PublicRecord.objects.count()
    DisclosureRecord.objects.filter(id__gt=have).delete()
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous=OFF")
    batch = 20_000
    for start in range(have, n, batch):
        recs, pubs = [], []
        for i in range(start, min(start + batch, n)):
            d = date(2023, 1, 1) + timedelta(days=i % 1200)
            recs.append(
                DisclosureRecord(
                    id=i + 1,
                    org=org,
                    kind="penalty",
                    source_type="bench",
                    source_id=str(i),
                    source_repr=f"b{i}",
                    decided_on=d,
                    publish_due=d,
                    state="published",
                    published_on=d,
                )
            )
            pubs.append(
                PublicRecord(
                    record_id=i + 1,
                    org=org,
                    kind="penalty",
                    name=_name(i),
                    name_key=name_key(_name(i)),
                    code=_uscc(i),
                    plate=_plate(i),
                    doc_no=_doc(i),
                    decided_on=d,
                    published_on=d,
                    publish_until=None,  # still published (as permits are): every row is a search hit
                    title=f"{_name(i)} · {_doc(i)}",
                    data={
                        "subject_name": _name(i),
                        "doc_no": _doc(i),
                        "violation_type": "违法超限运输",
                        "facts": "货车超限运输",
                        "penalty_content": "罚款人民币3000元",
                    },
                )
            )
        with transaction.atomic():
            DisclosureRecord.objects.bulk_create(recs)
            PublicRecord.objects.bulk_create(pubs)
        if (start // batch) % 10 == 0:
            print(f"  loaded {min(start + batch, n)} / {n}", flush=True)
    PublicRecord.objects.filter(publish_until__isnull=False).update(publish_until=None)  # older runs
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return time.perf_counter() - t0


def _name(i: int) -> str:
    return f"郁南县{i % 50000}号运输有限公司"


def _uscc(i: int) -> str:
    return f"91445322{i:09d}X"[:18]


def _plate(i: int) -> str:
    return f"粤W{i % 100000:05d}"


def _doc(i: int) -> str:
    return f"郁交罚〔{2023 + (i % 1200) // 365}〕{i}号"


def _queries(n: int):
    return {
        "plate": lambda r: _plate(r.randrange(min(n, 100000))),
        "uscc": lambda r: _uscc(r.randrange(n)),
        "name": lambda r: f"郁南县{r.randrange(min(n, 50000))}号",
        "name_key": lambda r: f"{r.randrange(min(n, 50000))}号运输",  # without the region words
        "doc_no": lambda r: _doc(r.randrange(n)),
    }


def _pct(vs: list[float], q: int) -> float:
    return statistics.quantiles(vs, n=100)[q - 1] * 1000 if len(vs) > 2 else float("nan")


def _report(title: str, lat: dict[str, list[float]]) -> None:
    print(title)
    allv = [v for vs in lat.values() for v in vs]
    for k, vs in lat.items():
        print(f"  {k:7s} n={len(vs):6d}  p50={_pct(vs, 50):7.1f} ms  p95={_pct(vs, 95):7.1f} ms")
    print(
        f"  overall n={len(allv):6d}  p50={_pct(allv, 50):7.1f} ms  p95={_pct(allv, 95):7.1f} ms", flush=True
    )


ENDPOINTS = {
    # path, and how a body shows at least one hit
    # (a byte test, not json.loads: the client shares the machine's cores with the server)
    "api": ("/api/v1/public/records?", lambda body: body.startswith(b'{"page":') and b'"items":[{' in body),
    "page": ("/public/records/?", lambda body: b'<a href="/public/records/' in body),
}


def _http_run(port: int, n: int, clients: int, seconds: float, endpoint: str = "api") -> tuple[dict, int]:
    """C concurrent keep-alive clients as asyncio tasks on raw HTTP/1.1 (benchmarks.httpclient)."""
    import asyncio

    from benchmarks.httpclient import CLIENT_ERRORS, Connection

    queries = _queries(n)
    lat: dict[str, list[float]] = {k: [] for k in queries}
    errors = [0]
    prefix, hit = ENDPOINTS[endpoint]

    async def client(seed: int, stop: float) -> None:
        r = random.Random(seed)
        conn = Connection(port)
        await conn.open()
        while time.monotonic() < stop:
            kind = r.choice(list(queries))
            path = prefix + urllib.parse.urlencode({"q": queries[kind](r)})
            t = time.perf_counter()
            try:
                resp = await conn.request("GET", path)
            except CLIENT_ERRORS:
                errors[0] += 1
                await conn.reconnect()
                continue
            if resp.status != 200 or not hit(resp.body):
                errors[0] += 1
            lat[kind].append(time.perf_counter() - t)
        conn.close()

    async def run() -> None:
        stop = time.monotonic() + seconds
        await asyncio.gather(*(client(i, stop) for i in range(clients)))

    asyncio.run(run())
    return lat, errors[0]


def _inprocess_run(n: int, clients: int, seconds: float) -> dict:
    from django.db import connections

    from zhifa.disclosure.public_api import _out
    from zhifa.disclosure.selectors import public_search

    queries = _queries(n)
    lat: dict[str, list[float]] = {k: [] for k in queries}
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        r = random.Random(seed)
        while time.monotonic() < stop:
            kind = r.choice(list(queries))
            t = time.perf_counter()
            rows = public_search(q=queries[kind](r), limit=21)
            json.dumps([_out(x) for x in rows[:20]], default=str)
            lat[kind].append(time.perf_counter() - t)
        connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (the gunicorn arbiter and its workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    total = 0.0
    for p in pids:
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _machine_times() -> tuple[float, float, float]:
    """(busy, idle, steal) seconds of the whole machine since boot, from /proc/stat: steal is time the
    hypervisor gave this VM's cores to others, the main source of run-to-run noise on a small VM."""
    tick = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(v) for v in open("/proc/stat").readline().split()[1:9]
    )
    return (user + nice + system + irq + softirq) / tick, (idle + iowait) / tick, steal / tick


def main() -> int:
    ap = argparse.ArgumentParser(description="双公示门户检索基准 / portal search benchmark")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30, help="每轮测量时长 / measuring time per run")
    add_server_options(ap)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.config.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and args.create_db:
        pg_admin(url, f'DROP DATABASE IF EXISTS "{pg_dbname(url)}"')
        pg_admin(url, f'CREATE DATABASE "{pg_dbname(url)}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    secs = _load(args.records)
    print(f"{connection.vendor}: {args.records} records ready (load {secs:.0f} s)", flush=True)

    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen(  # the server as deployed: `zhifa serve` (gunicorn, DEBUG off)
        [
            sys.executable,
            "-m",
            "zhifa.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env={**os.environ, "ZHIFA_ALLOWED_HOSTS": "127.0.0.1,localhost", "ZHIFA_DEBUG": "0"},
    )
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/api/v1/public/records?q=x")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        _http_run(port, args.records, args.clients, 3)  # warm-up
        for endpoint, clients in (("api", 1), ("api", args.clients), ("page", args.clients)):
            server_cpu, client_cpu, machine = _cpu_seconds(server.pid), time.process_time(), _machine_times()
            lat, errors = _http_run(port, args.records, clients, args.seconds, endpoint)
            n = sum(len(v) for v in lat.values())
            server_cpu, client_cpu = _cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
            busy, idle, steal = (b - a for a, b in zip(machine, _machine_times(), strict=True))
            _report(
                f"HTTP {ENDPOINTS[endpoint][0].rstrip('?')}, zhifa serve {args.workers}×{args.threads}, "
                f"{clients} client(s), {args.seconds:.0f} s, {n / args.seconds:.0f} req/s, errors {errors}; "
                f"server CPU {1000 * server_cpu / max(n, 1):.2f} ms/request, "
                f"client CPU {100 * client_cpu / args.seconds:.0f} % of a core; machine busy "
                f"{100 * busy / max(busy + idle + steal, 1e-9):.0f} %, stolen by the host "
                f"{100 * steal / max(busy + idle + steal, 1e-9):.0f} %",
                lat,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(
        "baseline: the same searches in-process (database + JSON, no HTTP), 1 thread",
        _inprocess_run(args.records, 1, min(args.seconds, 10)),
    )
    if url.startswith("postgres") and args.drop_db:
        from django.db import connections

        connections.close_all()
        pg_admin(url, f'DROP DATABASE IF EXISTS "{pg_dbname(url)}"')
        print("scratch database dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
