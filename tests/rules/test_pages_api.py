"""规则库 pages and API: business roles read, the 法制审核人员 publishes versions, the 三员 get 403."""

from __future__ import annotations

import pytest

from zhifa.accounts import services as acc
from zhifa.core.models import AuditRecord
from zhifa.rules.models import ViolationVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_list_search_and_detail_for_an_officer(catalogue, login, officer_user):
    c = login(officer_user)
    r = c.get("/rules/", {"q": "超限"})
    body = r.content.decode()
    assert r.status_code == 200 and "ZC-001" in body and "DY-001" not in body
    r = c.get("/rules/violations/ZC-001/")
    body = r.content.decode()
    assert r.status_code == 200
    for text in (
        "超限运输车辆行驶公路管理规定",
        "第四十三条",
        "裁量基准",
        "免罚情形",
        "版本历史",
        "首违不罚",
    ):
        assert text in body
    assert "修订（发布新版本）" not in body  # officers read only
    assert c.get("/rules/violations/NOPE/").status_code == 404
    assert c.get("/rules/bases/", {"q": "道路运输条例"}).status_code == 200
    r = c.get("/rules/params/")
    assert r.status_code == 200 and "decision_time_limit" in r.content.decode()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin"])
def test_admins_get_403_on_pages_and_api(catalogue, login, who, request):
    c = login(request.getfixturevalue(who))
    for url in (
        "/rules/",
        "/rules/violations/DY-001/",
        "/rules/bases/",
        "/rules/params/",
        "/rules/violations/DY-001/new-version/",
    ):
        assert c.get(url).status_code == 403, url
    for url in (
        "/api/v1/rules/violations",
        "/api/v1/rules/violations/DY-001",
        "/api/v1/rules/bases",
        "/api/v1/rules/params/decision_time_limit",
    ):
        r = c.get(url)
        assert r.status_code == 403 and r.json()["code"] == "rules.forbidden", url


def test_officer_cannot_open_or_post_the_version_form(catalogue, login, officer_user):
    c = login(officer_user)
    assert c.get("/rules/violations/DY-016/new-version/").status_code == 403
    r = c.post("/rules/violations/DY-016/new-version/", {"effective_from": "2030-01-01", "reason": "x"})
    assert r.status_code == 403
    assert ViolationVersion.objects.filter(violation__code="DY-016").count() == 1


def test_reviewer_publishes_a_version_from_the_page(catalogue, login, rule_reviewer):
    c = login(rule_reviewer)
    page = c.get("/rules/violations/DY-016/new-version/")
    assert page.status_code == 200 and "发布新版本" in page.content.decode()
    form = {
        "effective_from": "2030-01-01",
        "reason": "省裁量基准修订",
        "name": "不按规定维护和检测运输车辆",
        "min_yuan": "1000",
        "max_yuan": "5000",
        "other_sanctions": "责令改正",
        "tier_no_penalty_conditions": "首次违法并及时改正",
        "tier_no_penalty_min": "0",
        "tier_no_penalty_max": "0",
        "tier_general_conditions": "一般情形",
        "tier_general_min": "1500",
        "tier_general_max": "3500",
    }
    r = c.post("/rules/violations/DY-016/new-version/", form)
    assert r.status_code == 302
    new = ViolationVersion.objects.filter(violation__code="DY-016").order_by("-effective_from").first()
    assert str(new.effective_from) == "2030-01-01" and new.reason == "省裁量基准修订"
    assert [t["tier"] for t in new.tiers] == ["no_penalty", "general"]
    assert new.tiers[1]["min_fen"] == 150000
    detail = c.get("/rules/violations/DY-016/", {"on": "2030-02-01"}).content.decode()
    assert "省裁量基准修订" in detail and "1500元 至 3500元" in detail
    # a tier above the legal maximum is refused with the reason and nothing is written
    form.update(effective_from="2031-01-01", tier_general_max="9000")
    r = c.post("/rules/violations/DY-016/new-version/", form)
    assert r.status_code == 422 and "超出法定最高罚款" in r.content.decode()
    assert ViolationVersion.objects.filter(violation__code="DY-016").count() == 2
    assert AuditRecord.objects.filter(action="rules.violation.version_create").count() == 1


def test_api_list_detail_params(catalogue, client, officer_user):
    raw = acc.api_token_create(user=officer_user, name="测试", actor=officer_user)[1]
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    r = client.get("/api/v1/rules/violations", {"q": "网约车"}, **h)
    assert r.status_code == 200 and r.json()["count"] >= 3
    d = client.get("/api/v1/rules/violations/ZC-001", **h).json()
    assert d["penalty_kind"] == "per_unit" and 43 in [b["article"] for b in d["penalised"]] and d["history"]
    p = client.get("/api/v1/rules/params/summary_fine_max_person", **h).json()
    assert p["value"] == 20000 and p["unit"] == "fen" and "第五十一条" in p["article"]
    p = client.get("/api/v1/rules/params/payment_period", **h).json()
    assert (p["value"], p["day_type"]) == (15, "calendar")
    assert client.get("/api/v1/rules/params/nope", **h).status_code == 404
    r = client.get("/api/v1/rules/check/overload-fine", {"excess_kg": 2001}, **h).json()
    assert r["fine_fen"] == 100000 and not r["warning"]
    r = client.get("/api/v1/rules/check/summary-procedure", {"fine_fen": 20100, "party_kind": "person"}, **h)
    assert r.json()["allowed"] is False
    r = client.get("/api/v1/rules/violations/DY-004/tiers/general", **h).json()
    assert (r["min_fen"], r["max_fen"]) == (74000, 146000)
    assert client.get("/api/v1/rules/bases/RTR2023-64", **h).json()["label"] == "第六十四条"
    # officers cannot publish versions through the API either
    r = client.post(
        "/api/v1/rules/violations/DY-004/versions",
        {"effective_from": "2030-01-01", "reason": "x"},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 403


def test_api_reviewer_publishes_and_unauthenticated_is_401(catalogue, client, rule_reviewer):
    assert client.get("/api/v1/rules/violations").status_code == 401
    raw = acc.api_token_create(user=rule_reviewer, name="测试", actor=rule_reviewer)[1]
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    r = client.post(
        "/api/v1/rules/violations/DY-004/versions",
        {"effective_from": "2030-01-01", "reason": "测试修订", "max_fen": 200000},
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200, r.content
    assert r.json()["effective_from"] == "2030-01-01"
    d = client.get("/api/v1/rules/violations/DY-004", {"on": "2030-01-02"}, **h).json()
    assert d["reason"] == "测试修订" and len(d["history"]) == 2
