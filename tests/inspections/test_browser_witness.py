"""A two-witness draw in headless Chromium: the head commits with two witnesses, one witness types a value
on a phone (no login) with the code shown on the task page, the head types the other's value on their
behalf, draws and reveals; the public page labels the draw 多方见证随机 with masked witness names, and
its file replays. Screenshots: /tmp/zf-witness-phone.png, /tmp/zf-witness-task.png."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.factories import PASSWORD
from tests.test_browser import browser_page  # noqa: F401  (fixture)


@pytest.mark.browser
def test_two_witness_draw_in_the_browser(transactional_db, browser_page, live_server, county, tmp_path):  # noqa: F811
    page = browser_page
    task_url = f"{live_server.url}/inspections/tasks/{county.task.pk}/"
    page.goto(task_url)
    page.fill("input[name=username]", "head_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(task_url)
    assert page.locator("input[name=mode][value=multi]").is_checked()
    page.click("form.commit-form button[type=submit]")
    page.wait_for_url(task_url)
    assert "承诺值已公布" in page.locator(".messages").inner_text()
    codes = page.locator("code.token").all_inner_texts()
    assert len(codes) == 2
    pre = page.request.get(task_url + "draw.json").json()
    assert pre["witnesses"] == [None, None] and pre["secret"] is None

    # the witness's phone: another browser context, not signed in
    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    pp = phone.new_page()
    pp.goto(f"{live_server.url}/inspections/witness/")
    pp.fill("input[name=code]", codes[0].lower())
    pp.click("button[type=submit]")
    pp.wait_for_url(f"{live_server.url}/inspections/witness/*/")
    assert "W1 · 纪检监察" in pp.locator("dl.detail").inner_text()
    pp.fill("input[name=name]", "王建国")
    pp.fill("input[name=value]", "８８１２")
    pp.click("button[type=submit]")
    assert pp.locator("h1").inner_text() == "已记录，谢谢"
    assert "8812" in pp.locator("dl.detail").inner_text()
    pp.screenshot(path="/tmp/zf-witness-phone.png", full_page=True)
    phone.close()

    page.goto(task_url)
    assert page.locator("code.token").count() == 1  # W1's code is spent
    page.fill("input[aria-label='W2 见证人姓名']", "林小燕")
    page.fill("input[aria-label='W2 取值']", "林七")
    page.click("form[action='contribute/'] button")
    page.wait_for_url(task_url)
    page.click("form[action='draw/'] button")
    page.wait_for_url(task_url)
    page.click("form[action='reveal/'] button")
    page.wait_for_url(task_url)
    assert "任何人可复算验证" in page.locator(".messages").inner_text()
    page.screenshot(path="/tmp/zf-witness-task.png", full_page=True)

    public = page.context.browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/public/inspections/tasks/{county.task.pk}/")
    text = public.locator("main").inner_text()
    assert "多方见证随机" in text and "王**" in text and "林**" in text and "王建国" not in text
    body = public.request.get(f"{live_server.url}/public/inspections/tasks/{county.task.pk}/draw.json").text()
    (tmp_path / "pre.json").write_text(json.dumps(pre, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "draw.json").write_text(body, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(tmp_path / "draw.json"),
         "--against", str(tmp_path / "pre.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    public.goto(f"{live_server.url}/public/inspections/method/")
    assert public.locator("h1").inner_text() == "双随机抽取方法与验证"
