"""In headless Chromium: a head publishes a 以案释法 from the 普法 page and the portal shows it, reached from the
portal's nav, without the party's personal data; an officer attaches an activity photo (a disguised file is
refused first) and a plan's document, and downloads the photo back."""

from __future__ import annotations

import pytest

from tests.cases.conftest import kit, step, to_state  # noqa: F401  (the case kit fixture)
from tests.factories import make_org_tree, make_user
from tests.people.conftest import file_records
from tests.people.test_browser_people import _login
from tests.people.test_pufa import SECRETS, _story
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)


@pytest.mark.browser
def test_a_head_publishes_a_story_and_the_portal_shows_it(transactional_db, browser_page, live_server, kit):  # noqa: F811
    page, url = browser_page, live_server.url
    story = _story(kit)
    _login(page, url, "head_a")
    page.goto(f"{url}/people/pufa/")
    with page.expect_navigation():
        page.click("button:text-is('在门户公开')")
    assert "已在门户公开" in page.inner_text("body")
    assert page.locator("button:text-is('撤回公开')").count() == 1
    page.goto(f"{url}/public/")
    page.click("nav >> text=以案释法")
    page.wait_for_url(f"{url}/public/pufa/cases/")
    page.click(f"text={story.title}")
    page.wait_for_url(f"{url}/public/pufa/cases/{story.pk}/")
    body = page.inner_text("body")
    assert "未随车携带道路运输证" in body and "释法说理" in body
    for secret in SECRETS:
        assert secret not in body


@pytest.mark.browser
def test_an_officer_attaches_activity_photos_and_a_plan_document(
    transactional_db,
    browser_page,  # noqa: F811
    live_server,
    tmp_path,
):
    tree = make_org_tree()
    make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    file_records(tree.bureau_a, head)
    photo, fake = tmp_path / "宣讲现场.png", tmp_path / "伪装.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"p" * 800)
    fake.write_bytes(b"%PDF-1.7\n" + b"x" * 800)
    page, url = browser_page, live_server.url
    _login(page, url, "officer_a")
    page.goto(f"{url}/people/pufa/")
    form = page.locator("#activities ~ div form[enctype='multipart/form-data']").first
    form.locator("input[type=file]").set_input_files(str(fake))
    with page.expect_navigation():
        form.locator("button").click()
    assert "不是普法活动可接收的类型（JPEG 图片、PNG 图片）" in page.inner_text("body")
    form = page.locator("#activities ~ div form[enctype='multipart/form-data']").first
    form.locator("input[type=file]").set_input_files(str(photo))
    with page.expect_navigation():
        form.locator("button").click()
    assert "已上传“宣讲现场.png”" in page.inner_text("body")
    href = page.locator("a.file", has_text="宣讲现场.png").get_attribute("href")
    got = page.request.get(f"{url}{href}")
    assert got.status == 200 and got.body() == photo.read_bytes()
    page.goto(f"{url}/people/emergency/")
    doc = tmp_path / "预案2026.pdf"
    doc.write_bytes(b"%PDF-1.7\n" + b"plan " * 400)
    form = page.locator("#plans form").first
    form.locator("input[type=file]").set_input_files(str(doc))
    with page.expect_navigation():
        form.locator("button").click()
    assert page.locator("#plans a.file", has_text="预案2026.pdf").count() == 1
