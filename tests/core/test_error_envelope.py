"""One error envelope: a query parameter refused by NulParameterMiddleware (before any view) is answered by the
API's own error handler, so it cannot differ from the 422 the API gives for a parameter that fails validation."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def _envelope(r) -> dict:
    assert r.status_code == 422, r.content
    return {
        "content_type": r["Content-Type"],
        "keys": sorted(r.json()),
        "code": r.json()["code"],
        # the body as the API's renderer writes it (key order, escaping, separators)
        "rendered_like_the_api": r.content == json.dumps(r.json()).encode(),
    }


@pytest.mark.parametrize(
    "path, bad",
    [
        ("/api/v1/public/records", "page=abc"),  # the open API's chain
        ("/api/v1/registry/vehicles", "page=abc"),
        ("/api/v1/core/calendar/add-days", "start=2025-13-01&n=x"),
    ],
)
def test_nul_refusal_has_the_shape_of_a_validation_422(client, officer_user, path, bad):
    client.force_login(officer_user)
    invalid = client.get(f"{path}?{bad}")  # a normal 422: the API's schema validation
    nul = client.get(f"{path}?page=1%00")
    assert _envelope(nul) == _envelope(invalid)
    body = nul.json()
    assert body["fields"] == {"page": "不能含有空字符（NUL）"}
    assert body["message"] == "请求参数有误：page不能含有空字符（NUL）"
    # the message is built the same way for both: "请求参数有误：" + each field and its reason
    normal = invalid.json()
    assert normal["message"] == "请求参数有误：" + "；".join(f"{k}{v}" for k, v in normal["fields"].items())


def test_nul_on_a_page_is_the_error_page(client, officer_user):
    client.force_login(officer_user)
    r = client.get("/monitoring/leads/?q=%00")
    assert r.status_code == 422 and r["Content-Type"].startswith("text/html")
    assert "请求参数有误：q不能含有空字符（NUL）" in r.content.decode()


def test_nul_in_a_json_body_is_a_422_naming_the_field(client, reviewer_user):
    """A JSON body with a NUL in a string (schemathesis found it: 500 on PostgreSQL, which cannot store it)
    is refused before any view, with the field's path; a body without one goes on to the view."""
    import json

    client.force_login(reviewer_user)
    body = {"code": "福建", "name": "source_file", "legal_basis": "第\x00条", "items": [{"x": "a\x00"}]}
    r = client.post("/api/v1/inspections/items", json.dumps(body), content_type="application/json")
    assert r.status_code == 422
    assert r.json()["fields"] == {"legal_basis": "不能含有空字符（NUL）", "items[0].x": "不能含有空字符（NUL）"}
    r = client.post("/api/v1/inspections/items", json.dumps({"code": "福建"}), content_type="application/json")
    assert "空字符" not in r.content.decode()  # no NUL: on to the view and its own schema
