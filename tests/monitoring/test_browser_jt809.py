"""平台对接 in headless Chromium over a real link: the 809 server and a simulated enterprise platform run in the
background; an officer signs in, sees the platform 在线, sends a 查岗 from the page and sees it answered in
time with the responder, then sends a 报警督办 on a lead and sees it 已处理完毕（按期）."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (fixture)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def linked(transactional_db, tmp_path):
    from zhifa.monitoring.jt809 import services as sv
    from zhifa.monitoring.jt809.server import Jt809Server
    from zhifa.monitoring.jt809.simulator import SimPlatform, SimPosition
    from zhifa.monitoring.models import Jt809Platform, MonthlyRun, ViolationLead
    from zhifa.monitoring.store import Store

    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    Jt809Platform.objects.create(org=tree.bureau_a, name="顺安客运企业监控平台", center_id=44530001, user_id=1001,
                                 password="Zf809a", version="2019", vehicles_expected=2)  # fmt: skip
    run = MonthlyRun.objects.create(org=tree.bureau_a, month="2026-11", engine="duckdb", out_dir="")
    start = timezone.now() - timedelta(days=1)
    ViolationLead.objects.create(run=run, org=tree.bureau_a, plate="粤W10001", plate_color="yellow", type="fatigue",
                                 start_at=start, end_at=start + timedelta(hours=5), duration_s=18000, detail="连续驾驶超时")  # fmt: skip
    peers = sv.load_peers()
    port = free_port()
    loop = asyncio.new_event_loop()
    state: dict = {}

    async def main():
        srv = Jt809Server(
            Store(tmp_path), peers, sv.DbBackend(), drain_every=3600, poll_every=0.3, seen_every=0.5
        )
        ready = asyncio.Event()
        state["task"] = asyncio.create_task(srv.serve("127.0.0.1", port, ready=ready))
        await ready.wait()
        sim = SimPlatform(44530001, 1001, "Zf809a", answer_delay=0.5)
        assert await sim.connect("127.0.0.1", port) == 0
        await sim.wait_sub_link()
        for k in range(3):
            sim.position(SimPosition("粤W10001", 2, int(time.time()) - 90 + 30 * k, 111.5, 23.2))
        await sim.drain()
        state["sim"] = sim
        state["up"].set()
        with contextlib.suppress(asyncio.CancelledError):  # stopped by the fixture's teardown
            await state["task"]

    state["up"] = threading.Event()
    th = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    th.start()
    assert state["up"].wait(30), "809 服务或模拟平台未能启动"
    yield {"officer": officer}

    async def stop():
        await state["sim"].close()
        state["task"].cancel()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
    th.join(20)
    with contextlib.suppress(Exception):
        loop.close()


@pytest.mark.browser
def test_officer_spot_checks_and_supervises_a_platform(browser_page, live_server, linked):  # noqa: F811
    page, base = browser_page, live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/monitoring/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/monitoring/")
    page.click("text=平台对接（查岗、督办）")
    page.wait_for_url("**/monitoring/jt809/")
    row = page.locator("tbody tr", has_text="顺安客运企业监控平台")
    assert "在线" in row.inner_text()

    page.click("text=平台查岗")
    page.wait_for_url("**/monitoring/jt809/spotchecks/")
    page.check("input[name=platform]")
    page.fill("input[name=question]", "请报告当前值班人员")
    page.fill("input[name=answer_minutes]", "5")
    page.click("text=发出查岗")
    assert "已向 1 个平台发出查岗" in page.locator("ul.messages").inner_text()
    for _ in range(60):  # the server sends it within a poll, the platform answers after 0.5 s
        row = page.locator("tbody tr", has_text="请报告当前值班人员")
        if "按时应答" in row.inner_text():
            break
        time.sleep(0.3)
        page.reload()
    text = page.locator("tbody tr", has_text="请报告当前值班人员").inner_text()
    assert "按时应答" in text and "值班员" in text and "值班员在岗，监控正常" in text

    page.click("text=报警督办")
    page.wait_for_url("**/monitoring/jt809/supervisions/")
    page.select_option("select[name=lead]", index=1)
    page.select_option("select[name=level]", "0")
    page.click("text=发出督办")
    assert "已向 顺安客运企业监控平台 发出报警督办" in page.locator("ul.messages").inner_text()
    for _ in range(60):
        if "已处理完毕（按期）" in page.locator("tbody tr", has_text="粤W10001").inner_text():
            break
        time.sleep(0.3)
        page.reload()
    assert "已处理完毕（按期）" in page.locator("tbody tr", has_text="粤W10001").inner_text()
    assert errors == []
