"""Pages and API: scoping (officer_b gets 404), steps over the API, the optimistic lock as 409."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.cases.conftest import new_case, step, to_state
from tests.factories import PASSWORD
from zhifa.cases.workflow.check import case_check_run

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_case_pages_render_and_scope(client, kit, officer_b):
    c = to_state(kit, "notified")
    login(client, kit.officer_user)
    r = client.get("/cases/")
    assert r.status_code == 200 and c.number in r.content.decode()
    r = client.get(f"/cases/{c.pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and "陈述申辩" in body and "办案期限" in body
    assert client.get("/cases/deadlines/").status_code == 200
    assert client.get(f"/cases/{c.pk}/file/").status_code == 200
    assert client.get(f"/cases/{c.pk}/step/record/").status_code == 200
    client.logout()
    login(client, officer_b)
    assert client.get(f"/cases/{c.pk}/").status_code == 404
    assert c.number not in client.get("/cases/").content.decode()
    assert client.get(f"/api/v1/cases/{c.pk}").status_code == 404


def test_admin_roles_get_403(client, kit, sysadmin):
    login(client, sysadmin)
    assert client.get("/cases/").status_code == 403


def test_page_action_refusal_shows_message(client, kit):
    c = to_state(kit, "proposed")
    login(client, kit.head)
    r = client.post(f"/cases/{c.pk}/act/decide/", {"version": c.version}, follow=True)
    assert "第六十二条" in r.content.decode()
    c.refresh_from_db()
    assert c.state == "proposed"


def test_api_step_and_conflict(client, kit):
    c = new_case(kit)
    login(client, kit.head)
    r = client.post(
        f"/api/v1/cases/{c.pk}/register", json.dumps({"version": c.version}), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "investigating" and "assign_officers" in r.json()["next_actions"]
    stale = c.version
    r = client.post(
        f"/api/v1/cases/{c.pk}/extend",
        json.dumps({"version": stale, "reason": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["message"] == "数据已被他人修改，请刷新后重试"
    r = client.get(f"/api/v1/cases/{c.pk}/clocks")
    assert "行政处罚法" in r.json()[0]["article"] and "第六十条" in r.json()[0]["article"]
    r = client.get("/api/v1/openapi.json")
    assert "/api/v1/cases/{pk}/decide" in r.json()["paths"]


def test_api_source_accept_needs_head(client, kit):
    login(client, kit.officer_user)
    r = client.post(
        "/api/v1/cases/sources",
        json.dumps({"origin": "overload", "facts": "超限 20%", "external_ref": "W-1"}),
        content_type="application/json",
    )
    sid = r.json()["id"]
    r = client.post(f"/api/v1/cases/sources/{sid}/accept", json.dumps({}), content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "cases.head_approval"
    client.logout()
    login(client, kit.head)
    r = client.post(
        f"/api/v1/cases/sources/{sid}/accept",
        json.dumps({"violation_name": "违法超限运输"}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["state"] == "investigating"
    r = client.post(
        f"/api/v1/cases/sources/{sid}/close", json.dumps({"reason": "重复"}), content_type="application/json"
    )
    assert r.status_code == 409


def test_case_check_veto_and_file_export(client, kit):
    c = to_state(kit, "notified", fine_fen=100000)
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)
    r = case_check_run(case=c, actor=kit.head, save=False)
    assert not r.passed and any(f["code"] == "service" and f["where"] == "送达" for f in r.findings)
    login(client, kit.officer_user)
    r = client.get(f"/cases/{c.pk}/file/?download=1")
    z = zipfile.ZipFile(io.BytesIO(r.content))
    names = z.namelist()
    assert "00-卷内目录.html" in names and "全过程记录.csv" in names and "清单摘要.txt" in names
    toc = z.read("00-卷内目录.html").decode()
    assert toc.index("立案登记表") < toc.index("违法行为通知书") < toc.index("行政处罚决定书")


def test_login_password_constant():
    assert PASSWORD


def test_every_link_on_the_case_page_opens(client, kit):
    """The case page's links (documents, evidence, case file, steps…) lead somewhere for its officer:
    the document links once led to /documents/<id>/ and the evidence upload to /evidence/upload/ (404)."""
    import re

    c = to_state(kit, "notified")
    login(client, kit.officer_user)
    body = client.get(f"/cases/{c.pk}/").content.decode()
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', body)) - {"/logout/"})
    assert any(link.startswith("/documents/") for link in links)
    assert f"/evidence/t/cases.case/{c.pk}/" in links
    broken = []
    for link in links:
        if "format=pdf" in link:  # DOCX→PDF needs LibreOffice: 503 with a Chinese message where absent
            continue
        status = client.get(link.replace("&amp;", "&")).status_code
        if status >= 400:
            broken.append((link, status))
    assert not broken
