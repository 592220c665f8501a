"""后台任务 in a real browser: the 系统管理员's page lists the schedule with each job's last run and the history;
a failed scheduled job's page shows the reason, and 重新运行 makes a new run that ends 已完成. Another user
cannot open the page (403) nor the job (404)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.cases.test_browser_case import _login
from tests.factories import make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.mark.browser
def test_sysadmin_follows_and_reruns_a_failed_job(browser_page, live_server, transactional_db):  # noqa: F811
    from zhifa.jobs.models import Job

    tree = make_org_tree()
    make_user("sys_a", tree.bureau_a, {"sysadmin"})
    make_user("officer_a", tree.squad_a1, {"officer"})
    now = timezone.now()
    failed = Job.objects.create(kind="disclosure.tick", label="双公示每日处理（公示、期满停止公示、名单期满移出）",
                                status="failed", scheduled=True, attempts=2, max_attempts=2, unique_key="x@1",
                                started_at=now, finished_at=now,
                                error="已尝试 2 次仍未完成：执行进程 host:1 意外中止（无心跳）")
    page, url = browser_page, live_server.url
    _login(page, url, "sys_a")
    page.click("nav >> text=后台任务")
    page.wait_for_load_state()
    assert page.title().startswith("后台任务")
    schedule = page.locator("table").first.inner_text()
    assert "双公示每日处理" in schedule and "每日" in schedule and "失败" in schedule and "尚未运行" in schedule
    page.click(f"a[href='/jobs/{failed.pk}/'] >> nth=0")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "意外中止（无心跳）" in body and "尝试次数" in body
    page.click("button:has-text('重新运行')")
    page.wait_for_load_state()
    new = Job.objects.exclude(pk=failed.pk).get()
    assert page.url.endswith(f"/jobs/{new.pk}/")
    assert "已重新提交为任务" in page.inner_text("main") and "已完成" in page.inner_text("#job-progress")
    assert new.actor_name == "sys_a"

    _login(page, url, "officer_a")
    assert page.goto(f"{url}/jobs/").status == 403
    assert page.goto(f"{url}/jobs/{new.pk}/").status == 404
