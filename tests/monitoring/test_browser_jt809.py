"""平台对接 in headless Chromium: an officer signs in, reads a platform's month (平台连通率, 查岗响应率 with a
late answer), sends a 查岗 and a 报警督办 on a lead from the pages and finds them queued for the link.
(The link itself — server, simulated platform, replies judged — is tested end to end in test_jt809_flow.py;
a server thread beside the live server cannot share the in-memory SQLite test database.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (fixture)


@pytest.fixture
def county(transactional_db):
    from zhifa.monitoring.models import Jt809Platform, Jt809Session, MonthlyRun, SpotCheck, ViolationLead

    tree = make_org_tree()
    make_user("officer_a", tree.squad_a1, {"officer"})
    pl = Jt809Platform.objects.create(org=tree.bureau_a, name="顺安客运企业监控平台", center_id=44530001, user_id=1001,
                                      password="Zf809a", version="2019", vehicles_expected=2)  # fmt: skip
    tz = timezone.get_current_timezone()
    a = datetime(2026, 3, 1, tzinfo=tz)
    Jt809Session.objects.create(platform=pl, peer_ip="10.0.0.1", started_at=a, last_seen_at=a + timedelta(days=31),
                                ended_at=a + timedelta(days=31) - timedelta(hours=1), positions=1000)  # fmt: skip
    sc = SpotCheck.objects.create(org=tree.bureau_a, platform=pl, question="三月查岗", answer_seconds=600, status="late",
                                  sent_at=a + timedelta(days=3), answered_at=a + timedelta(days=3, seconds=900),
                                  delay_s=900, responder="陈丽", answer="在岗")  # fmt: skip
    SpotCheck.objects.filter(pk=sc.pk).update(created_at=a + timedelta(days=3))
    run = MonthlyRun.objects.create(org=tree.bureau_a, month="2026-11", engine="duckdb", out_dir="")
    start = timezone.now() - timedelta(days=1)
    ViolationLead.objects.create(run=run, org=tree.bureau_a, plate="粤W10001", plate_color="yellow", type="fatigue",
                                 start_at=start, end_at=start + timedelta(hours=5), duration_s=18000, detail="连续驾驶超时")  # fmt: skip
    return pl


@pytest.mark.browser
def test_officer_reads_a_platform_and_sends_a_spotcheck_and_a_supervision(browser_page, live_server, county):  # noqa: F811
    from zhifa.monitoring.models import SpotCheck, Supervision

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
    page.fill("input[name=month]", "2026-03")
    page.click("text=查询")
    row = page.locator("tbody tr", has_text="顺安客运企业监控平台").inner_text()
    assert "离线" in row and f"{round(100 * (31 * 24 - 1) / (31 * 24), 2)}%" in row and "1 小时 0 分" in row
    assert "0.0%" in row and "900.0 秒" in row  # the one 查岗 was answered late

    page.click("text=平台查岗")
    page.wait_for_url("**/monitoring/jt809/spotchecks/")
    assert "超时应答" in page.locator("tbody tr", has_text="三月查岗").inner_text()
    page.check("input[name=platform]")
    page.fill("input[name=question]", "请报告当前值班人员")
    page.fill("input[name=answer_minutes]", "5")
    page.click("text=发出查岗")
    assert "已向 1 个平台发出查岗" in page.locator("ul.messages").inner_text()
    assert "待发送" in page.locator("tbody tr", has_text="请报告当前值班人员").inner_text()
    assert SpotCheck.objects.get(question="请报告当前值班人员").answer_seconds == 300

    page.click("text=报警督办")
    page.wait_for_url("**/monitoring/jt809/supervisions/")
    page.select_option("select[name=lead]", index=1)
    page.select_option("select[name=level]", "0")
    page.click("text=发出督办")
    assert "已向 顺安客运企业监控平台 发出报警督办" in page.locator("ul.messages").inner_text()
    row = page.locator("tbody tr", has_text="粤W10001").inner_text()
    assert "待发送" in row and "紧急" in row
    sv = Supervision.objects.get()
    assert sv.lead.plate == "粤W10001" and sv.level == 0 and sv.deadline > timezone.now()
    assert errors == []
