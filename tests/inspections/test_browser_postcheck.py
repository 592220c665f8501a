"""A 双随机 task on the 告知承诺事后核查名录 in headless Chromium: the head chooses the list on the plan page,
commits, draws and reveals on the task page; only the enterprises whose post-check is due are drawn; once a
record is submitted the application says 承诺属实, and the published draw file still replays with
``zhifa inspections replay``. Screenshot: /tmp/zf-postcheck-task.png."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.factories import PASSWORD
from tests.inspections.test_postcheck_source import pledges  # noqa: F401  (fixture)
from tests.inspections.test_services import submit
from tests.test_browser import browser_page  # noqa: F401  (fixture)
from zhifa.inspections.models import Assignment, TargetSource
from zhifa.permits.enums import PostCheck


@pytest.mark.browser
def test_a_postcheck_task_in_the_browser(
    transactional_db,
    browser_page,  # noqa: F811
    live_server,
    county,
    pledges,  # noqa: F811
    tmp_path,
):
    page = browser_page
    plan_url = f"{live_server.url}/inspections/plans/{county.plan.pk}/"
    page.goto(plan_url)
    page.fill("input[name=username]", "head_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(plan_url)
    page.select_option("select[name=target_source]", label="告知承诺事后核查名录")
    page.fill("input[name=ratio]", "100")
    page.click("text=创建任务")
    page.wait_for_url(plan_url)
    assert "抽查任务已创建" in page.locator(".messages").inner_text()
    task = county.plan.tasks.order_by("-pk").first()
    assert task.target_source == TargetSource.POSTCHECKS

    task_url = f"{live_server.url}/inspections/tasks/{task.pk}/"
    page.goto(task_url)
    assert "告知承诺事后核查名录" in page.locator("dl.detail").inner_text()
    page.check("input[name=mode][value=single]")
    page.click("form.commit-form button[type=submit]")
    page.wait_for_url(task_url)
    page.click("form[action='draw/'] button")
    page.wait_for_url(task_url)
    page.click("form[action='reveal/'] button")
    page.wait_for_url(task_url)
    text = page.locator("main").inner_text()
    e = county.enterprises
    assert e[0].name in text and e[3].name in text
    assert e[5].name not in text and e[7].name not in text  # not yet due; checked already
    page.screenshot(path="/tmp/zf-postcheck-task.png", full_page=True)

    submit(Assignment.objects.get(task=task, enterprise=e[0]), None, on=county.today)
    page.goto(f"{live_server.url}/permits/{pledges['due'].pk}/")
    assert PostCheck.TRUE.label in page.locator("main").inner_text()

    body = page.request.get(task_url + "draw.json").text()
    (tmp_path / "draw.json").write_text(body, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(tmp_path / "draw.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "验证通过" in out.stderr
