"""Done when (issue 7): a registered vehicle with a bound terminal, the JT/T 808 gateway running, and
``zhifa jt808 simulate`` sending its positions — the points are on the vehicle's track page."""

from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager

import pytest

from tests.monitoring.test_gateway import free_port
from zhifa.cli import main
from zhifa.monitoring import services
from zhifa.monitoring.gateway import Gateway, drain_wal, load_bindings
from zhifa.monitoring.store import Store
from zhifa.monitoring.terminal_sim import route
from zhifa.registry.models import Vehicle

START = "2025-03-04T09:00:00+08:00"


@contextmanager
def running_gateway(store: Store):
    """The real gateway in this process, on its own event loop in a thread; stopped (log closed) on exit."""
    gw = Gateway(store, load_bindings(), drain_every=3600)
    port = free_port()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    task: dict = {}

    async def serve():
        up = asyncio.Event()
        task["t"] = asyncio.create_task(gw.serve("127.0.0.1", port, ready=up))
        await up.wait()
        ready.set()
        try:
            await task["t"]
        except asyncio.CancelledError:
            pass

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert ready.wait(30), "网关未能启动"
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(task["t"].cancel)
        thread.join(30)
        loop.close()


@pytest.fixture
def coach(tree, officer_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the store the track page reads: $DATA_DIR/monitoring
    v = Vehicle.objects.create(
        org=tree.bureau_a, plate="粤W12345", plate_color="yellow", vehicle_type="coach"
    )
    services.terminal_bind(terminal_no="13800000001", vehicle=v, actor=officer_user, auth_code="SIMAUTH1")
    return v


def simulate(port: int, *extra: str) -> int:
    return main(["jt808", "simulate", "--port", str(port), "--plate", "粤W12345", *extra])


def test_simulated_terminal_lands_on_the_track_page(client, officer_user, coach, capsys):
    store = Store()
    with running_gateway(store) as port:
        rc = simulate(
            port,
            *("--terminal-no", "13800000001", "--plate-color", "2", "--edition", "2019"),
            *("--points", "12", "--batch", "5", "--interval", "30", "--start", START),
        )
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "0x8100 结果 0（成功），鉴权码 SIMAUTH1" in out
    assert out.count("0x0200 位置信息汇报") == 12 and out.count("→ 0x8001 结果 0") == 14  # auth + 12 + batch
    assert "0x0704 定位数据批量上传（盲区补报 5 条" in out and "网关确认 17 条" in out
    assert drain_wal(store) == 17  # the stopped gateway's closed log into the Parquet store

    client.force_login(officer_user)
    r = client.get(f"/monitoring/vehicles/{coach.pk}/?date=2025-03-04")
    assert r.status_code == 200
    track = r.context["data"]  # what the page's Leaflet script draws (json_script in the page)
    sent = route(17, start_ts=int(_epoch(START)), interval_s=30, lon=111.52, lat=23.23)
    assert [p[3] for p in track["points"]] == [f"09:{m:02d}:{s:02d}" for m, s in _clock(17)]
    assert [(p[0], p[1]) for p in track["points"]] == [(f.lat, f.lon) for f in sent]
    assert not any(p[2] for p in track["points"])  # a plausible route: no drift point
    assert track["gaps"] == [] and r.context["n_points"] == 17


def test_refused_registration_exits_non_zero(coach, capsys):
    with running_gateway(Store()) as port:
        assert simulate(port, "--terminal-no", "13900000009") == 1  # not bound
        err = capsys.readouterr().err
        assert "注册或鉴权被网关拒绝" in err and "结果 4：数据库中无该终端" in err
        assert simulate(port, "--terminal-no", "13800000001", "--plate-color", "蓝色") == 1  # not its vehicle
        assert "结果 2：数据库中无该车辆" in capsys.readouterr().err
    assert simulate(port, "--terminal-no", "13800000001") == 1  # gateway stopped
    assert "无法连接网关" in capsys.readouterr().err
    assert simulate(port, "--terminal-no", "1380000000X") == 2
    assert "终端手机号" in capsys.readouterr().err


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()


def _clock(n: int):
    return [divmod(i * 30, 60) for i in range(n)]
