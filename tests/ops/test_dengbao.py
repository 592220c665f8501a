"""等保自评 page: the 安全管理员 sees every control with its clause, the setting's current value and the test
that shows it (each listed test file exists), plus the operator's duties; everyone else gets 403."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import PASSWORD, make_org_tree, make_user
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)
from zhifa.ops import dengbao

ROOT = Path(__file__).resolve().parents[2]


def test_every_listed_test_file_exists():
    listed = [t for c in dengbao.CONTROLS for t in c.tests]
    assert listed
    missing = [t for t in listed if not (ROOT / t).is_file()]
    assert not missing, missing


def test_controls_cover_the_issue_list():
    names = " ".join(c.control for c in dengbao.CONTROLS)
    for word in ("身份鉴别", "访问控制", "安全审计", "数据完整性", "数据保密性", "数据备份恢复", "入侵防范"):
        assert word in names, word
    for c in dengbao.CONTROLS:
        assert re.match(r"8\.1\.[45]\.\d+", c.clause), c.clause
        assert c.does and c.settings and c.tests, c.control


@pytest.mark.django_db
def test_secadmin_sees_the_page_others_do_not(client, top_secadmin, secadmin, sysadmin, auditadmin, officer_user):
    from zhifa.accounts import services
    from zhifa.accounts.models import SecurityPolicy

    services.policy_update(actor=top_secadmin, **{
        f: getattr(SecurityPolicy(), f) for f in services.POLICY_FIELDS} | {"lockout_threshold": 4})
    for user in (top_secadmin, secadmin):
        client.force_login(user)
        r = client.get("/security/dengbao/")
        assert r.status_code == 200
        page = r.content.decode()
        assert "等保自评" in page and "8.1.4.3" in page and "运营单位的责任" in page
        assert "连续失败锁定次数：<strong>4 次</strong>" in page  # the policy's current value
        assert "tests/core/test_audit.py" in page
        assert 'href="/security/dengbao/"' in page  # in the menu
        assert "change-me" not in page
    for user in (sysadmin, auditadmin, officer_user):
        client.force_login(user)
        assert client.get("/security/dengbao/").status_code == 403
        assert 'href="/security/dengbao/"' not in client.get("/").content.decode()
    client.logout()
    assert client.get("/security/dengbao/").status_code == 302


@pytest.mark.browser
def test_dengbao_page_in_the_browser(browser_page, live_server, transactional_db):  # noqa: F811
    tree = make_org_tree()
    make_user("secadmin_top", tree.province, {"secadmin"})
    page, url = browser_page, live_server.url
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", "secadmin_top")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.click("nav >> text=等保自评")
    page.wait_for_url(f"{url}/security/dengbao/")
    rows = page.locator("table.dengbao tbody tr")
    assert rows.count() == len(dengbao.CONTROLS)
    first = rows.nth(0).inner_text()
    assert "身份鉴别" in first and "8.1.4.1" in first and "密码最小长度：8 位" in first
    assert "tests/accounts/test_login_throttle.py" in first
    assert page.locator("table.duties tbody tr").count() == len(dengbao.OPERATOR_DUTIES)
    # the table fits the tablet's width (it scrolls inside its box, never the page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path="/tmp/zf-dengbao.png", full_page=True)
