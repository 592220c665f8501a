"""REST API: token auth, scoping, the error envelope, and no 500 on generated input."""

import json
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import fake_uscc
from zhifa.accounts import services as acc
from zhifa.registry import services as reg

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(officer_user):
    return acc.api_token_create(user=officer_user, name="测试", actor=officer_user)[1]


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def vehicle_a(head_user):
    u = fake_uscc(random.Random(1))
    reg.subject_save(kind="enterprises", data={"uscc": u, "name": "郁南物流", "business_type": "货运"},
                     actor=head_user)
    reg.subject_save(kind="vehicles", data={"plate": "粤W12345", "plate_color": "黄色", "vehicle_type": "重型货车",
                                            "enterprise_uscc": u}, actor=head_user)
    from zhifa.registry.models import Vehicle

    return Vehicle.objects.get(plate="粤W12345")


def test_openapi_is_published(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and "/api/v1/registry/vehicles" in r.json()["paths"]


def test_the_portal_links_a_chinese_api_page_that_needs_no_cdn(client):
    """Issue 15: the portal's 开放接口 link was a 404 (/api/v1/docs). It is a page of our own now."""
    portal = client.get("/public/").content.decode()
    assert 'href="/api/v1/docs"' in portal
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    page = r.content.decode()
    assert "开放接口说明" in page and "双公示查询" in page and "/api/v1/public/records" in page
    assert "cdn" not in page.lower() and 'src="http' not in page


def test_unauthenticated_gets_chinese_envelope(client):
    r = client.get("/api/v1/registry/vehicles")
    assert r.status_code == 401
    assert r.json() == {"code": "common.unauthenticated", "message": "未登录或令牌无效", "fields": {}}


def test_revoked_token_is_refused(client, officer_user):
    tok, raw = acc.api_token_create(user=officer_user, name="t", actor=officer_user)
    assert client.get("/api/v1/accounts/me", **_auth(raw)).status_code == 200
    acc.api_token_revoke(token=tok, actor=officer_user)
    assert client.get("/api/v1/accounts/me", **_auth(raw)).status_code == 401


def test_vehicle_search_and_detail_scoped(client, token, vehicle_a, officer_b):
    r = client.get("/api/v1/registry/vehicles?q=W123", **_auth(token))
    assert r.status_code == 200 and r.json()["count"] == 1
    item = r.json()["items"][0]
    assert item["plate"] == "粤W12345" and item["plate_color_label"] == "黄色" and item["enterprise_name"] == "郁南物流"
    other = acc.api_token_create(user=officer_b, name="b", actor=officer_b)[1]
    r = client.get(f"/api/v1/registry/vehicles/{vehicle_a.pk}", **_auth(other))
    assert r.status_code == 404 and r.json()["code"] == "common.not_found"
    assert client.get("/api/v1/registry/vehicles", **_auth(other)).json()["count"] == 0


def test_admin_accounts_see_no_business_data(client, sysadmin, vehicle_a):
    raw = acc.api_token_create(user=sysadmin, name="s", actor=sysadmin)[1]
    r = client.get("/api/v1/registry/vehicles", **_auth(raw))  # refused outright (三员分立), not an empty list
    assert r.status_code == 403 and r.json()["code"] == "common.forbidden" and "粤W12345" not in r.text


def test_put_reports_field_errors_in_chinese(client, token):
    r = client.put("/api/v1/registry/vehicles", data=json.dumps({"plate": "粤WI2345", "plate_color": "黄色",
                                                                 "vehicle_type": "普通货车"}),
                   content_type="application/json", **_auth(token))
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "registry.invalid" and "plate" in body["fields"] and "I" in body["message"]


def test_put_creates_then_unchanged(client, token):
    payload = json.dumps({"plate": "粤W54321", "plate_color": "蓝色", "vehicle_type": "出租汽车"})
    r1 = client.put("/api/v1/registry/vehicles", data=payload, content_type="application/json", **_auth(token))
    r2 = client.put("/api/v1/registry/vehicles", data=payload, content_type="application/json", **_auth(token))
    assert (r1.json()["result"], r2.json()["result"]) == ("created", "unchanged")


def test_validate_endpoint(client, token):
    r = client.post("/api/v1/core/validate", data=json.dumps({"kind": "idcard", "values": ["11010519491231002X",
                                                                                            "110105194912310021"]}),
                    content_type="application/json", **_auth(token))
    assert [x["ok"] for x in r.json()] == [True, False]


def test_calendar_endpoint_explains(client, token):
    r = client.get("/api/v1/core/calendar/add-workdays?start=2026-09-30&n=1", **_auth(token))
    assert r.status_code == 200 and r.json()["date"] == "2026-10-08"  # 10-01..07 holiday
    r = client.get("/api/v1/core/calendar/add-workdays?start=2026-13-01&n=1", **_auth(token))
    assert r.status_code == 422 and r.json()["code"] == "common.invalid" and "start" in r.json()["fields"]


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                           max_leaves=8)
bodies = st.one_of(json_values, st.dictionaries(
    st.sampled_from(["plate", "plate_color", "vehicle_type", "axle_count", "uscc", "name", "business_type", "idcard",
                     "kind", "number", "valid_from", "valid_to", "gross_mass_kg", "enterprise_uscc"]),
    st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=8))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["vehicles", "enterprises", "persons", "licences", "nonsense"]), body=bodies)
def test_generated_bodies_never_500(client, token, kind, body):
    r = client.put(f"/api/v1/registry/{kind}", data=json.dumps(body), content_type="application/json",
                   **_auth(token))
    assert r.status_code in (200, 404, 409, 422), r.content
    data = r.json()
    if r.status_code != 200:
        assert set(data) == {"code", "message", "fields"} and data["message"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=40))
@example(raw="\x00")  # PostgreSQL's text cannot hold NUL (found by this test on PostgreSQL)
@example(raw="粤W\x0012345")
def test_generated_query_strings_never_500(client, token, raw):
    from urllib.parse import quote

    for url in (f"/api/v1/registry/vehicles?q={quote(raw)}&page=1", f"/api/v1/registry/persons?q={quote(raw)}",
                f"/api/v1/core/calendar/add-days?start={quote(raw)}&n=3"):
        r = client.get(url, **_auth(token))
        assert r.status_code in (200, 422), (url, r.content)
        if "\x00" in raw:  # PostgreSQL cannot hold NUL in text: refused before any query, on both databases
            assert r.status_code == 422 and "空字符" in r.json()["message"], url
