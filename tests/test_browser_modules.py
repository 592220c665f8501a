"""A screenshot of each module's main page (issue 15 "done when"), taken in headless Chromium as the role
that works there, on a small seeded county (a coach, its enterprise, a month of 两客一危 run). Each page
answers, has its heading, raises no script error, and is saved as <ZHIFA_SCREENSHOT_DIR>/<nn>-<module>.png
— an artifact for people to look at (CI uploads the directory), never committed. Default directory:
zhifa-screenshots under the system temp dir."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.cases.test_browser_case import _login
from tests.factories import make_user
from tests.monitoring.test_browser_pages import county  # noqa: F401  (fixture)
from tests.test_browser import browser_page  # noqa: F401  (fixture)

# (module, its main page, the role's user in the fixture)
MODULES = [
    ("工作台", "/", "head_a"),
    ("执法办案", "/cases/", "head_a"),
    ("监管对象", "/registry/", "head_a"),
    ("执法文书", "/documents/", "head_a"),
    ("全过程记录", "/evidence/", "head_a"),
    ("双随机", "/inspections/", "head_a"),
    ("治超", "/overload/", "head_a"),
    ("动态监控", "/monitoring/", "officer_a"),
    ("双公示与信用", "/disclosure/", "head_a"),
    ("投诉举报", "/complaints/", "head_a"),
    ("行政许可", "/permits/", "head_a"),
    ("后台任务", "/jobs/", "sysadmin_a"),
]


def screenshot_dir() -> Path:
    d = Path(os.environ.get("ZHIFA_SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "zhifa-screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.mark.browser
def test_each_module_main_page_is_screenshotted(browser_page, live_server, county):  # noqa: F811
    from zhifa.accounts.models import Org

    bureau = Org.objects.get(name="郁南县交通运输局")
    make_user("head_a", bureau, {"head"})
    make_user("sysadmin_a", bureau, {"sysadmin"})
    page, base, out = browser_page, live_server.url, screenshot_dir()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    who = None
    for n, (module, path, username) in enumerate(MODULES, start=1):
        if username != who:
            _login(page, base, username)
            who = username
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, (module, response and response.status)
        assert page.locator("main h1").count() >= 1, module
        page.wait_for_load_state("networkidle")
        shot = out / f"{n:02d}-{module}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, module  # a drawn page, not a blank one
    assert errors == []
