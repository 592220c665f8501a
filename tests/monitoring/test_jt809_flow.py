"""查岗 and 报警督办 end to end over a real link: the simulated enterprise platform logs in, streams positions,
the server stores them; an officer's 查岗 is answered late and judged late, a 督办 answered in time. Then the
sweeps (unanswered 查岗, overdue 督办 → the lead's case source) and the verifiable daily draw."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import date, timedelta

import duckdb
import pytest
from django.utils import timezone

from tests.monitoring.helpers import local_ts
from zhifa.cases.models import CaseSource
from zhifa.core.errors import DomainError
from zhifa.monitoring.gateway import drain_wal
from zhifa.monitoring.jt809 import services as sv_
from zhifa.monitoring.jt809.server import WAL_NAME, Jt809Server
from zhifa.monitoring.jt809.simulator import SimPlatform, SimPosition
from zhifa.monitoring.models import (
    Jt809Platform,
    Jt809Session,
    LeadStatus,
    MonthlyRun,
    SpotCheck,
    SpotCheckStatus,
    Supervision,
    SupervisionStatus,
    ViolationLead,
)
from zhifa.monitoring.store import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_lead(org) -> ViolationLead:
    run = MonthlyRun.objects.create(org=org, month="2025-03", engine="duckdb", out_dir="")
    start = timezone.now() - timedelta(days=2)
    return ViolationLead.objects.create(run=run, org=org, plate="粤W10001", plate_color="yellow", type="fatigue",
                                        start_at=start, end_at=start + timedelta(hours=5), duration_s=18000,
                                        detail="连续驾驶 4 小时 10 分")  # fmt: skip


def platform(org, version="2019", center_id=7101) -> Jt809Platform:
    return Jt809Platform.objects.create(org=org, name=f"郁南甲客运监控平台{center_id}", center_id=center_id, user_id=21,
                                        password="pw21", version=version, vehicles_expected=3)  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("version", ["2019", "2011"])
def test_link_positions_late_spotcheck_and_supervision_on_time(tmp_path, officer_user, version):
    pl = platform(officer_user.org, version)
    lead = make_lead(officer_user.org)

    async def scenario():
        srv = Jt809Server(Store(tmp_path), await asyncio.to_thread(sv_.load_peers), sv_.DbBackend(),
                          drain_every=3600, poll_every=0.2, seen_every=0.5)  # fmt: skip
        port = free_port()
        ready = asyncio.Event()
        task = asyncio.create_task(srv.serve("127.0.0.1", port, ready=ready))
        await ready.wait()
        sim = SimPlatform(7101, 21, "pw21", version=version, answer_delay=2.5)
        assert await sim.connect("127.0.0.1", port) == 0
        await sim.wait_sub_link()
        for k in range(5):
            for v in range(3):
                sim.position(
                    SimPosition(f"粤W1000{v + 1}", 2, local_ts(5, 9) + 30 * k, 111.5 + v / 100, 23.2)
                )
        await sim.drain()
        (sc,) = await asyncio.to_thread(sv_.spotcheck_send, actor=officer_user, platforms=[pl],
                                        question="请报告值班人员", answer_seconds=1)  # fmt: skip
        sup = await asyncio.to_thread(sv_.supervision_create, actor=officer_user, platform=pl, lead=lead,
                                      deadline=timezone.now() + timedelta(hours=1), level=0)  # fmt: skip

        def settled():
            return (SpotCheck.objects.get(pk=sc.pk).answered_at is not None
                    and Supervision.objects.get(pk=sup.pk).closed_at is not None)  # fmt: skip

        async with asyncio.timeout(20):
            while not await asyncio.to_thread(settled):
                await asyncio.sleep(0.2)
        await sim.close()
        await asyncio.sleep(0.3)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return sc.pk, sup.pk, sim

    sc_pk, sup_pk, sim = asyncio.run(scenario())
    sc = SpotCheck.objects.get(pk=sc_pk)
    assert sc.status == SpotCheckStatus.LATE and sc.delay_s >= 2
    assert sc.answer == "值班员在岗，监控正常" and sc.get_status_display() == "超时应答"
    assert sim.spotchecks[0]["content"] == "请报告值班人员"
    if version == "2019":
        assert sc.responder == "值班员" and sim.spotchecks[0]["answer_time"] == 1
    sup = Supervision.objects.get(pk=sup_pk)
    assert sup.status == SupervisionStatus.DONE and sup.on_time
    assert sim.supervisions[0]["supervision_id"] == sup.pk and sim.supervisions[0]["vehicle_no"] == "粤W10001"
    (session,) = Jt809Session.objects.filter(platform=pl)
    assert session.end_reason == "下级平台注销" and session.positions == 15 and session.sub_link_ok
    drain_wal(Store(tmp_path), include_open=True, name=WAL_NAME, source="jt809")
    files = [str(p) for p in tmp_path.glob("positions/month=*/bucket=*/data.parquet")]
    assert duckdb.connect().execute(
        "SELECT count(*), count(DISTINCT plate) FROM read_parquet(?)", [files]
    ).fetchone() == (15, 3)


def test_sweeps_unanswered_and_overdue_to_case_source(officer_user):
    pl = platform(officer_user.org)
    lead = make_lead(officer_user.org)
    (sc,) = sv_.spotcheck_send(actor=officer_user, platforms=[pl], question="在岗吗", answer_seconds=60)
    sup = sv_.supervision_create(
        actor=officer_user, platform=pl, lead=lead, deadline=timezone.now() + timedelta(hours=2)
    )
    later = timezone.now() + timedelta(minutes=2)
    assert sv_.spotcheck_sweep(later) == 1
    sc.refresh_from_db()
    assert sc.status == SpotCheckStatus.UNANSWERED
    assert sv_.supervision_sweep(timezone.now()) == 0  # not yet due
    assert sv_.supervision_sweep(timezone.now() + timedelta(hours=3)) == 1
    sup.refresh_from_db()
    lead.refresh_from_db()
    assert sup.status == SupervisionStatus.OVERDUE and sup.escalated.startswith("已转案源")
    assert (
        lead.status == LeadStatus.CASE
        and CaseSource.objects.filter(pk=lead.case_source_id, origin="monitoring").exists()
    )


def test_refusals_name_the_field(officer_user, sysadmin):
    pl = platform(officer_user.org)
    with pytest.raises(DomainError, match="应答时限"):
        sv_.spotcheck_send(actor=officer_user, platforms=[pl], question="在岗吗", answer_seconds=0)
    with pytest.raises(DomainError, match="查岗问题"):
        sv_.spotcheck_send(actor=officer_user, platforms=[pl], question=" ")
    with pytest.raises(DomainError, match="截止时间"):
        sv_.supervision_create(
            actor=officer_user, platform=pl, lead=make_lead(officer_user.org), deadline=timezone.now()
        )
    with pytest.raises(DomainError):  # 三员 do no business
        sv_.spotcheck_send(actor=sysadmin, platforms=[pl], question="在岗吗")


def test_daily_draw_is_verifiable_and_idempotent(officer_user):
    a, b = platform(officer_user.org, center_id=7201), platform(officer_user.org, center_id=7202)
    secret = sv_.daily_secret(officer_user.org, date(2026, 3, 2))
    plan = sv_.draw_plan(
        secret, org_code=str(officer_user.org.pk), day=date(2026, 3, 2), center_ids=[7202, 7201], n=4
    )
    assert plan == sv_.draw_plan(
        secret, org_code=str(officer_user.org.pk), day=date(2026, 3, 2), center_ids=[7201, 7202], n=4
    )
    assert plan != sv_.draw_plan(
        secret, org_code=str(officer_user.org.pk), day=date(2026, 3, 3), center_ids=[7201, 7202], n=4
    )
    assert all(8 * 3600 <= x["second"] < 20 * 3600 and x["center_id"] in (7201, 7202) for x in plan)
    checks = sv_.spotcheck_draw(org=officer_user.org, day=date(2026, 3, 2), n=4)
    assert [c.platform.center_id for c in checks] == [x["center_id"] for x in plan]
    assert [timezone.localtime(c.send_after).hour * 3600 + timezone.localtime(c.send_after).minute * 60
            + timezone.localtime(c.send_after).second for c in checks] == [x["second"] for x in plan]  # fmt: skip
    assert all(c.scheduled and "commit=" in c.draw_ref for c in checks)
    assert (
        sv_.spotcheck_draw(org=officer_user.org, day=date(2026, 3, 2), n=4) == checks
    )  # same day: same draw
    assert {a.pk, b.pk} >= {c.platform_id for c in checks}
