"""Benchmark: the JT/T 808 gateway with many concurrent simulated terminals on loopback.

    .venv/bin/python benchmarks/jt808_gateway.py [--terminals 10000] [--seconds 20] [--procs 1]

Starts the gateway (its own process, a fresh store, terminals pre-bound), connects ``--terminals`` simulated
terminals (register + authenticate), then every terminal sends 0x0200 reports back to back, each waiting for
its 0x8001, for ``--seconds`` (bounded in time). Then the gateway is stopped, its log drained into the store,
and the benchmark prints: reports sent, acknowledged and stored (zero lost = every acknowledged report is
stored), acknowledged reports per second, and the p50/p99 acknowledgement latency. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GATEWAY = """
import asyncio, contextlib, sys
from zhifa.monitoring.gateway import Binding, Gateway, use_uvloop
from zhifa.monitoring.store import Store
print("网关事件循环：" + ("uvloop" if use_uvloop() else "asyncio"), flush=True)
n = int(sys.argv[3])
b = {f"{13000000000 + i}": Binding(f"{13000000000 + i}", f"粤W{i:05d}", "yellow", 2, "A") for i in range(n)}
gw = Gateway(Store(sys.argv[1]), b, drain_every=3600)
with contextlib.suppress(KeyboardInterrupt):
    asyncio.run(gw.serve("127.0.0.1", int(sys.argv[2])))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client(port: int, first: int, count: int, seconds: float, start_at: float, out) -> None:
    from datetime import datetime

    from zhifa.monitoring import jt808
    from zhifa.monitoring.gateway import use_uvloop
    from zhifa.monitoring.terminal_sim import CST, SimTerminal

    use_uvloop()

    async def run():
        terms = [SimTerminal(str(13000000000 + i), f"粤W{i:05d}", 2) for i in range(first, first + count)]
        sem = asyncio.Semaphore(500)

        async def connect(t):
            async with sem:
                await t.connect("127.0.0.1", port)

        await asyncio.gather(*(connect(t) for t in terms))
        await asyncio.sleep(max(0.0, start_at - time.time()))
        stop = time.time() + seconds
        sent = 0

        async def pump(t):
            # a lean terminal loop (the simulator's report() decodes every reply in full): build the 0x0200
            # frame with the protocol encoder, read until the 0x8001 frame, check its result byte
            nonlocal sent
            k = 0
            base = 1740787200 + (int(t.phone) % 100000) * 10
            fr = jt808.FrameReader()
            while time.time() < stop:
                sent += 1
                ts = base + k
                body = jt808.position_body(
                    lat=23.2,
                    lon=111.5 + k * 1e-5,
                    speed_kmh=50.0,
                    heading=90,
                    when=datetime.fromtimestamp(ts, CST),
                )
                t0 = time.perf_counter()
                t.writer.write(jt808.encode(0x0200, t.phone, t._next(), body))
                frames = []
                try:
                    while not frames:
                        data = await t.reader.read(4096)
                        if not data:
                            return
                        frames = fr.feed(data)
                except (ConnectionError, OSError):
                    return
                c = jt808.unescape(frames[0][1:-1])
                if c[0:2] == b"\x80\x01" and c[-2] == 0:
                    t.acked.append(ts)
                    t.latencies.append(time.perf_counter() - t0)
                k += 1

        await asyncio.gather(*(pump(t) for t in terms))
        for t in terms:
            await t.close()
        acked = [(t.plate, ts) for t in terms for ts in t.acked]
        lat = [x for t in terms for x in t.latencies]
        return sent, acked, lat

    out.put(asyncio.run(run()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--terminals", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--procs", type=int, default=1, help="client processes")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.terminals * 2 + 1000)), hard))
    import duckdb

    from zhifa.monitoring.gateway import drain_wal
    from zhifa.monitoring.store import Store

    with tempfile.TemporaryDirectory(prefix="zhifa-gw-") as tmp:
        port = _free_port()
        gw = subprocess.Popen(
            [sys.executable, "-c", GATEWAY, tmp, str(port), str(args.terminals)],
            env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src")),
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        q: mp.Queue = mp.Queue()
        per = args.terminals // args.procs
        start_at = time.time() + 5 + args.terminals / 2000
        procs = [
            mp.Process(target=_client, args=(port, i * per, per, args.seconds, start_at, q))
            for i in range(args.procs)
        ]
        t_conn = time.time()
        for p in procs:
            p.start()
        results = [q.get() for _ in procs]
        for p in procs:
            p.join()
        gw.send_signal(signal.SIGINT)
        gw.wait(timeout=60)
        t_drain = time.perf_counter()
        drain_wal(Store(tmp), include_open=True)
        t_drain = time.perf_counter() - t_drain
        files = [str(f) for f in Path(tmp).glob("positions/month=*/bucket=*/data.parquet")]
        stored = (
            set(duckdb.connect().execute("SELECT plate, ts FROM read_parquet(?)", [files]).fetchall())
            if files
            else set()
        )
        sent = sum(r[0] for r in results)
        acked = {a for r in results for a in r[1]}
        lat = sorted(x for r in results for x in r[2])
        lost = len(acked - stored)
        p = (lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000) if lat else (lambda f: float("nan"))
        print(
            f"终端 {args.terminals} 个（客户端进程 {args.procs} 个，连接与鉴权用时 {start_at - t_conn:.0f} 秒内）"
        )
        print(
            f"发送 {sent:,} 条，确认 {len(acked):,} 条，入库 {len(stored):,} 条，已确认未入库（丢失）{lost} 条"
        )
        print(
            f"确认吞吐：{len(acked) / args.seconds:,.0f} 条/秒（目标 ≥ 20,000）；"
            f"确认时延 p50 {p(0.5):.1f} ms，p99 {p(0.99):.1f} ms；日志入库 {t_drain:.1f} 秒"
        )
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
