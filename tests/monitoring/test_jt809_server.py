"""The JT/T 809 upper-platform server: login checks, positions through the fsynced log, kill -9 and resend."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import duckdb

from tests.monitoring.helpers import local_ts
from zhifa.monitoring.gateway import drain_wal, read_wal_file
from zhifa.monitoring.jt809.server import WAL_NAME, Jt809Server, MemoryBackend, Peer
from zhifa.monitoring.jt809.simulator import SimPlatform, SimPosition
from zhifa.monitoring.store import Store

PEERS = {
    7001: Peer(1, "甲平台", 7001, 11, "pw1", "2019"),
    7002: Peer(2, "乙平台", 7002, 12, "pw2", "2011", frozenset({"10.9.9.9"})),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stored(root) -> list[tuple]:
    files = [str(p) for p in sorted(root.glob("positions/month=*/bucket=*/data.parquet"))]
    if not files:
        return []
    return duckdb.connect().execute("SELECT plate, ts FROM read_parquet(?) ORDER BY 1, 2", [files]).fetchall()


def test_login_checks_positions_and_resend_in_process(tmp_path):
    async def scenario():
        be = MemoryBackend()
        srv = Jt809Server(Store(tmp_path), PEERS, be, drain_every=3600)
        port = free_port()
        ready = asyncio.Event()
        task = asyncio.create_task(srv.serve("127.0.0.1", port, ready=ready))
        await ready.wait()
        results = {}
        for name, sim in {
            "wrong password": SimPlatform(7001, 11, "nope"),
            "wrong user": SimPlatform(7001, 99, "pw1"),
            "ip not allowed": SimPlatform(7002, 12, "pw2", version="2011"),
            "unknown code": SimPlatform(7999, 11, "pw1"),
        }.items():
            results[name] = await sim.connect("127.0.0.1", port)
            await sim.close(logout=False)
        sim = SimPlatform(7001, 11, "pw1")
        results["ok"] = await sim.connect("127.0.0.1", port)
        await sim.wait_sub_link()  # the server opened the sub-link back and logged in with the verify code
        for k in range(6):
            sim.position(SimPosition("粤W10001", 2, local_ts(4, 9) + 30 * k, 111.5, 23.2 + k * 1e-3))
        sim.history(sim.sent)  # the whole lot again as 0x1203
        sim.keepalive()
        await sim.drain()
        await asyncio.sleep(0.3)
        await sim.close()
        await asyncio.sleep(0.1)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return results, srv, be

    results, srv, be = asyncio.run(scenario())
    assert results == {"wrong password": 4, "wrong user": 3, "ip not allowed": 1, "unknown code": 2, "ok": 0}
    assert srv.stats["positions"] == 12 and srv.stats["bad_frames"] == 0
    assert ("open", 7001, "127.0.0.1") in be.events
    assert [e for e in be.events if e[0] == "close"] == [("close", 1, "下级平台注销", 12)]
    drain_wal(Store(tmp_path), include_open=True, name=WAL_NAME, source="jt809")
    assert stored(tmp_path) == [("粤W10001", local_ts(4, 9) + 30 * k) for k in range(6)]


SERVER = """
import asyncio, sys
from zhifa.monitoring.jt809.server import Jt809Server, Peer
from zhifa.monitoring.store import Store
peers = {7001: Peer(1, "甲平台", 7001, 11, "pw1", sys.argv[3])}
asyncio.run(Jt809Server(Store(sys.argv[1]), peers, drain_every=0.5).serve("127.0.0.1", int(sys.argv[2])))
"""


def _start(root, port, version):
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port), version])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("809 服务未能启动")


def _in_log(root) -> set[tuple]:
    """Every position whose line is complete in the log (what the server made durable) or already drained."""
    got = set(stored(root))
    for f in (root / WAL_NAME).glob("wal-*"):
        got |= {(r["plate"], r["ts"]) for r in read_wal_file(f)}
    return got


def test_kill_9_loses_nothing_in_the_log_and_resend_duplicates_nothing(tmp_path):
    root, port, version = tmp_path / "store", free_port(), "2019"
    proc = _start(root, port, version)
    sim = SimPlatform(7001, 11, "pw1", version=version)

    async def first_life():
        assert await sim.connect("127.0.0.1", port) == 0
        k = 0
        t_end = time.monotonic() + 1.5  # drains (every 0.5 s) happen while the platform streams
        try:
            while True:
                for v in range(10):
                    sim.position(SimPosition(f"粤W{30000 + v}", 2, local_ts(6, 8) + k, 111.5, 23.2))
                k += 1
                await sim.drain()
                if time.monotonic() > t_end and proc.returncode is None:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait()
                await asyncio.sleep(0)
        except (ConnectionError, OSError):
            pass
        await sim.close(logout=False)

    asyncio.run(first_life())
    durable = _in_log(root)
    assert len(durable) > 100
    proc = _start(root, port, version)  # its start-up drain takes over the log the dead server left open
    try:
        assert durable <= set(stored(root))  # nothing that reached the log was lost

        async def second_life():
            again = SimPlatform(7001, 11, "pw1", version=version)
            assert await again.connect("127.0.0.1", port) == 0
            again.history(sim.sent)  # the platform 补发 everything, the durable part included
            await again.drain()
            await asyncio.sleep(0.5)
            await again.close()

        asyncio.run(second_life())
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    drain_wal(Store(root), include_open=True, name=WAL_NAME, source="jt809")
    got = stored(root)
    assert len(got) == len(set(got))  # no duplicates
    assert set(got) == {(s.plate, s.ts) for s in sim.sent}  # every sent position, once


def test_cli_simulate_against_a_server(tmp_path, capsys):
    from zhifa.cli import main

    root, port = tmp_path / "store", free_port()
    proc = _start(root, port, "2011")
    try:
        args = [
            "jt809",
            "simulate",
            "--port",
            str(port),
            "--center-id",
            "7001",
            "--user-id",
            "11",
            "--version",
            "2011",
        ]
        assert main([*args, "--password", "pw1", "--vehicles", "2", "--points", "3", "--resend"]) == 0
        out = capsys.readouterr().out
        assert "已登录上级平台" in out and "已发送 6 条实时定位（2 辆车）" in out and "已补发 6 条" in out
        assert main([*args, "--password", "wrong"]) == 1
        assert "登录被拒绝：结果 4（密码错误）" in capsys.readouterr().out
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    drain_wal(Store(root), include_open=True, name=WAL_NAME, source="jt809")
    assert len(stored(root)) == 6
