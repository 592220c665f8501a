"""Issue 16 item 8: huge paging values, huge integers and dates at the edge of the calendar are refused
with 422 and a Chinese message (API) or a Chinese page, never a 500 — anonymous endpoints included.

The API cases are generated from the OpenAPI schema: every GET operation, every integer parameter set
to 10**25 and every date parameter to year 1 and year 9999, as anonymous and as a business user."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_user

HUGE = str(10**25)


def _get_operations():
    from zhifa.config.api import api

    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = op.get("parameters", [])
        yield path, params


def _resolve(schema_fragment: dict) -> dict:
    if "anyOf" in schema_fragment:
        for s in schema_fragment["anyOf"]:
            if s.get("type") != "null":
                return s
    return schema_fragment


def _cases():
    out = []
    for path, params in _get_operations():
        kinds = {p["name"]: (p["in"], _resolve(p.get("schema", {}))) for p in params}
        base_path, base_query = path, {}
        for name, (where, s) in kinds.items():
            filler = "1" if s.get("type") == "integer" else "2026-01-01" if s.get("format") == "date" else "x"
            if where == "path":
                base_path = base_path.replace("{" + name + "}", filler)
            elif p_required(params, name):
                base_query[name] = filler
        for name, (where, s) in kinds.items():
            values = []
            if s.get("type") == "integer":
                values = [HUGE, "-" + HUGE]
            elif s.get("format") in ("date", "date-time"):
                values = ["0001-01-01", "9999-12-31"]
            for v in values:
                if where == "path":
                    url = path.replace("{" + name + "}", v)
                    for other, (w2, s2) in kinds.items():
                        if w2 == "path" and other != name:
                            url = url.replace("{" + other + "}", "1" if s2.get("type") == "integer" else "x")
                    out.append((url, dict(base_query)))
                else:
                    out.append((base_path, {**base_query, name: v}))
    return out


def p_required(params, name):
    return any(p["name"] == name and p.get("required") for p in params)


CASES = _cases()


def _assert_refused_cleanly(resp, where: str):
    assert resp.status_code < 500, f"{where} → {resp.status_code}: {resp.content[:300]!r}"
    assert b"Traceback" not in resp.content, where
    if resp.status_code == 422:
        body = json.loads(resp.content)
        assert body["code"] and any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


@pytest.mark.django_db
def test_api_never_answers_500_to_huge_integers_or_edge_dates(client, tree):
    """Every GET of the API, anonymous and signed in, with data in the tables (an empty table hides an
    OFFSET overflow)."""
    from tests.disclosure.helpers import emit

    assert len(CASES) > 40
    client.raise_request_exception = False
    user = make_user("probe_head", tree.bureau_a, {"head", "officer"})
    for pk in (1, 2):
        emit(tree.squad_a1, user, pk=pk)
    failures = []
    for logged_in in (False, True):
        if logged_in:
            client.force_login(user)
        for url, query in CASES:
            try:
                _assert_refused_cleanly(client.get(url, query), f"{url} {query} login={logged_in}")
            except AssertionError as e:
                failures.append(str(e).splitlines()[0])
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_portal_page_beyond_any_list_is_a_chinese_400(client, tree):
    from tests.disclosure.helpers import emit

    emit(tree.squad_a1, make_user("probe_head2", tree.bureau_a, {"head"}))
    client.raise_request_exception = False
    r = client.get("/public/records/", {"page": HUGE})
    assert r.status_code == 400 and "page 应在 1 到" in r.content.decode()
    assert client.get("/public/records/", {"page": "2"}).status_code == 200
    assert client.get("/public/records/", {"page": "abc"}).status_code == 200  # unreadable: the first page


@pytest.mark.django_db
def test_expiring_within_beyond_the_calendar_is_422(client, officer_user):
    client.force_login(officer_user)
    r = client.get("/api/v1/registry/licences", {"expiring_within": "99999999"})
    assert r.status_code == 422 and r.json()["fields"] == {"expiring_within": "超出范围"}
    assert client.get("/api/v1/registry/licences", {"expiring_within": "30"}).status_code == 200


def _boom(request):
    raise RuntimeError("secret internals")


urlpatterns = None  # set below: the platform's URLs plus two views that fail
handler500 = "zhifa.core.views.error_500"


def _urls():
    from django.urls import path

    from zhifa.config import urls

    return [path("api/v1-boom/", _boom), path("boom/", _boom), *urls.urlpatterns]


@pytest.mark.django_db
def test_no_traceback_in_a_response_outside_debug(client, settings):
    """The error handlers (page and API) answer a failure with a Chinese message only."""
    import sys

    module = sys.modules[__name__]
    module.urlpatterns = _urls()
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client.raise_request_exception = False
    for url in ("/api/v1-boom/", "/boom/"):
        r = client.get(url)
        body = r.content.decode()
        message = r.json()["message"] if url.startswith("/api/") else body
        assert r.status_code == 500 and "系统内部错误" in message
        assert "Traceback" not in body and "secret internals" not in body and "RuntimeError" not in body
