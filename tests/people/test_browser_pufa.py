"""In headless Chromium: a head publishes a 以案释法 from the 普法 page and the portal shows it, reached from the
portal's nav, without the party's personal data."""

from __future__ import annotations

import pytest

from tests.cases.conftest import kit, step, to_state  # noqa: F401  (the case kit fixture)
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
