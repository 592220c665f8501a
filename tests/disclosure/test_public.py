"""The public portal and open API: no login, masked rows only, search by plate/USCC/name/number."""

from __future__ import annotations

from datetime import date

import pytest

from .helpers import USCC, emit

pytestmark = pytest.mark.django_db


def test_portal_search_without_login(tree, head_user, client):
    emit(tree.squad_a1, head_user)
    emit(
        tree.squad_a1,
        head_user,
        pk=2,
        plate="粤W99999",
        subject_name="云浮市其他运输有限公司",
        subject_code="",
        doc_no="郁交罚〔2026〕13号",
    )
    for q in ("粤W12345", USCC, "通达", "郁南县通达", "郁交罚〔2026〕12号"):
        r = client.get("/public/records/", {"q": q})
        assert r.status_code == 200
        body = r.content.decode()
        assert "郁南县通达物流有限公司" in body and "云浮市其他" not in body, q
    assert client.get("/public/").status_code == 200
    assert client.get("/public/credit/").status_code == 200
    assert client.get(f"/public/bureaus/{tree.bureau_a.pk}/").status_code == 200


def test_open_api_paginated_and_cacheable(tree, head_user, client):
    for i in range(3):
        emit(tree.squad_a1, head_user, pk=i + 1)
    r = client.get("/api/v1/public/records", {"q": "粤W12345", "page_size": 2})
    assert r.status_code == 200 and "max-age" in r["Cache-Control"]
    data = r.json()
    assert data["has_next"] and len(data["items"]) == 2
    rid = data["items"][0]["id"]
    assert client.get(f"/api/v1/public/records/{rid}").json()["plate"] == "粤W12345"
    assert "/public/records" in client.get("/api/v1/openapi.json").content.decode()


def test_exports(tree, head_user, client):
    emit(tree.squad_a1, head_user)
    csv = client.get("/public/records/export.csv", {"q": "粤W12345"})
    assert csv.status_code == 200 and "行政相对人名称" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/public/records/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_export_batch_recorded(tree, head_user):
    from zhifa.disclosure.models import ExportBatch
    from zhifa.disclosure.services import disclosure_export_batch

    emit(tree.squad_a1, head_user)
    body, batch = disclosure_export_batch(actor=head_user, org=tree.squad_a1, target="信用中国", fmt="json")
    assert batch.rows == 1 and len(batch.digest) == 64 and ExportBatch.objects.count() == 1
    assert "郁交罚〔2026〕12号" in body.decode()


def test_export_batch_page(tree, head_user, auditadmin, client):
    from zhifa.disclosure.models import ExportBatch

    emit(tree.squad_a1, head_user)
    client.force_login(auditadmin)
    assert client.post("/disclosure/exports/", {"fmt": "csv"}).status_code == 403
    client.force_login(head_user)
    r = client.post("/disclosure/exports/", {"fmt": "csv", "target": "广东省信用平台"})
    assert r.status_code == 200 and "郁交罚〔2026〕12号" in r.content.decode("utf-8-sig")
    assert ExportBatch.objects.get().target == "广东省信用平台"
    assert "广东省信用平台" in client.get("/disclosure/exports/").content.decode()


def test_enforcement_items_on_the_bureau_page(tree, head_user, officer_user, client):
    client.force_login(officer_user)  # an officer may not publish for the bureau
    assert (
        client.post(
            "/disclosure/enforcement/", {"category": "执法主体", "title": "t", "content": "c"}
        ).status_code
        == 403
    )
    client.force_login(head_user)
    client.post(
        "/disclosure/enforcement/",
        {"category": "裁量基准", "title": "裁量基准（2026版）", "content": "旧文本"},
    )
    client.post(
        "/disclosure/enforcement/",
        {"category": "裁量基准", "title": "裁量基准（2026版）", "content": "新文本"},
    )
    client.logout()
    page = client.get(f"/public/bureaus/{tree.bureau_a.pk}/").content.decode()
    assert "新文本" in page and "旧文本" not in page


def test_vehicle_gets_its_own_credit_file(tree, head_user):
    from zhifa.credit.models import CreditRecord

    emit(tree.squad_a1, head_user, _subject_ref="enterprise:1")
    rec = __import__("zhifa.disclosure.models", fromlist=["DisclosureRecord"]).DisclosureRecord.objects.get()
    assert rec.subject_ref == "enterprise:1"
    assert CreditRecord.objects.filter(subject_ref="enterprise:1").count() == 1


def test_open_api_pages_filters_and_etag(tree, head_user, client):
    from datetime import date

    for i in range(5):
        emit(tree.squad_a1, head_user, pk=i + 1, decided_on=date(2026, 4, 10 + i), doc_no=f"郁交罚〔2026〕{20 + i}号")
    got = []
    for page in (1, 2, 3):
        data = client.get("/api/v1/public/records", {"q": "通达", "page_size": 2, "page": page}).json()
        got += [(x["decided_on"], x["doc_no"]) for x in data["items"]]
        assert data["has_next"] == (page < 3)
    assert got == sorted(got, reverse=True) and len(set(got)) == 5  # newest first, no row twice or lost
    # every documented field of PublicRecordOut is present, dates as ISO 8601
    from zhifa.disclosure.public_api import PublicRecordOut

    item = client.get("/api/v1/public/records", {"q": "通达"}).json()["items"][0]
    assert set(item) == set(PublicRecordOut.model_fields) and item["decided_on"] == "2026-04-14"
    r = client.get("/api/v1/public/records", {"kind": "penalty", "date_from": "2026-04-11", "date_to": "2026-04-12"})
    assert [x["decided_on"] for x in r.json()["items"]] == ["2026-04-12", "2026-04-11"]
    # cacheable: the same answer again is a 304 to a client that sends its ETag
    again = client.get("/api/v1/public/records", {"q": "通达"}, HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 200  # another query, another ETag
    first = client.get("/api/v1/public/records", {"q": "通达"})
    cached = client.get("/api/v1/public/records", {"q": "通达"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert cached.status_code == 304 and not cached.content


@pytest.mark.parametrize("q", ["%", "_", "通%", "\\", "郁南县_达"])
def test_search_wildcards_are_literal(tree, head_user, client, q):
    emit(tree.squad_a1, head_user)
    assert client.get("/api/v1/public/records", {"q": q}).json()["items"] == []
    assert "郁南县通达物流有限公司" not in client.get("/public/records/", {"q": q}).content.decode()


def test_expired_record_never_shown_before_the_tick(tree, head_user, client):
    from datetime import timedelta

    from django.utils import timezone

    from zhifa.disclosure.models import PublicRecord

    emit(tree.squad_a1, head_user)
    PublicRecord.objects.update(publish_until=timezone.localdate() - timedelta(days=1))
    assert client.get("/api/v1/public/records", {"q": "粤W12345"}).json()["items"] == []
    PublicRecord.objects.update(publish_until=timezone.localdate())
    assert len(client.get("/api/v1/public/records", {"q": "粤W12345"}).json()["items"]) == 1


def test_open_api_has_its_own_middleware_chain(tree, head_user, officer_user, client, settings):
    """The open API never reads a session: a signed-in officer's cookies change nothing, no cookie is set,
    the response varies on nothing user-specific, and the security headers and request id are still there."""
    emit(tree.squad_a1, head_user)
    anon = client.get("/api/v1/public/records", {"q": "粤W12345"})
    client.force_login(officer_user)
    signed_in = client.get("/api/v1/public/records", {"q": "粤W12345"})
    for r in (anon, signed_in):
        assert r.status_code == 200 and r.json()["items"][0]["plate"] == "粤W12345"
        assert not r.cookies and "Cookie" not in r.get("Vary", "")
        assert r["X-Content-Type-Options"] == "nosniff" and r["X-Request-ID"]
        assert r["Content-Length"] == str(len(r.content))
        assert r.wsgi_request.user.is_anonymous and not hasattr(r.wsgi_request, "session")
    assert anon.content == signed_in.content
    # token-authenticated APIs outside the prefix keep the full chain: the officer's session still works
    assert client.get("/api/v1/cases").status_code == 200
    # errors on the public path keep the API's envelope
    missing = client.get("/api/v1/public/nothing-here")
    assert missing.status_code == 404 and missing.json()["message"] == "接口不存在"
    bad = client.get("/api/v1/public/records", {"page": "x"})
    assert bad.status_code == 422 and bad.json()["fields"]["page"] == "应为整数"
    # first only the probes' answer (/healthz, /readyz, /metrics: before the host check), then NUL, then public
    assert settings.MIDDLEWARE[:3] == [
        "zhifa.ops.middleware.OpsMiddleware",
        "zhifa.core.middleware.NulParameterMiddleware", "zhifa.core.middleware.PublicMiddleware",
    ]


def test_public_pages_set_no_cookie(tree, head_user, officer_user, client):
    """An anonymous portal page carries no CSRF token and sets no cookie, so its Cache-Control: public
    holds for proxies; it goes through the public chain (no session), signed in or not. A signed-in page
    still gets the token htmx sends, and the public page whose form posts (治超 lookup) keeps the full
    chain and its CSRF cookie."""
    emit(tree.squad_a1, head_user)
    client.force_login(officer_user)
    for path in ("/public/records/", "/public/", "/public/credit/", "/public/inspections/"):
        r = client.get(path, {"q": "粤W12345", "kind": "penalty"})
        assert r.status_code == 200 and not r.cookies, path
        assert not hasattr(r.wsgi_request, "session") and r.wsgi_request.user.is_anonymous, path
        assert "X-CSRFToken" not in r.content.decode() and r["X-Content-Type-Options"] == "nosniff", path
    r = client.get("/public/records/", {"q": "粤W12345", "kind": "penalty"})
    body = r.content.decode()
    assert "public" in r["Cache-Control"] and 'value="粤W12345"' in body
    assert '<option value="penalty" selected>' in body and "郁南县通达物流有限公司" in body
    assert "X-CSRFToken" in client.get("/cases/").content.decode()
    client.logout()
    lookup = client.get("/public/overload/")
    assert lookup.status_code == 200 and "csrftoken" in lookup.cookies and hasattr(lookup.wsgi_request, "session")


def test_result_rows_are_escaped_like_the_template_engine(tree, head_user, client):
    """The result table is built without the template loop: every value must still come out exactly as
    Django's escaping gives it, markup in a name or 事项 never reaching the page as markup."""
    from django.utils.html import escape

    name = '郁南县<script>alert("x")</script>&\'通达\'物流有限公司'
    violation = "违法超限运输<img src=x onerror=alert(1)>"
    emit(tree.squad_a1, head_user, subject_name=name, violation_type=violation)
    body = client.get("/public/records/", {"q": "粤W12345"}).content.decode()
    assert f">{escape(name)}</a></td>" in body and f"<td>{escape(violation)}</td>" in body
    assert "<script>alert" not in body and "<img src=x" not in body
    empty = client.get("/public/records/", {"q": "粤W99999"}).content.decode()
    assert '<td colspan="7" class="muted">没有符合条件的公示记录。</td>' in empty


def test_keyed_search_same_rows_whether_collected_first_or_not(tree, head_user, monkeypatch):
    """On PostgreSQL a search key's hits are collected through its index before sorting, falling back to
    the plain statement when there are more than KEYED_HITS of them: both paths give the same rows in the
    same order, page by page (on SQLite the plain statement is the only path)."""
    from zhifa.disclosure import selectors

    for i in range(7):
        emit(tree.squad_a1, head_user, pk=i + 1, doc_no=f"郁交罚〔2026〕{i + 1}号", decided_on=date(2026, 3, 1 + i % 3))
    pages = lambda: [  # noqa: E731
        [r.doc_no for r in selectors.public_search(q="郁南县通达", offset=o, limit=3)] for o in (0, 3, 6, 9)
    ]
    collected = pages()
    monkeypatch.setattr(selectors, "KEYED_HITS", 2)  # 7 hits > 2: the fallback
    assert pages() == collected
    newest_first = sorted(range(1, 8), key=lambda n: (1 + (n - 1) % 3, n), reverse=True)  # date, then id
    assert sum(collected, []) == [f"郁交罚〔2026〕{n}号" for n in newest_first]
    assert collected[3] == [] and selectors.public_search(q="郁南县没有这家", limit=3) == []


def test_search_form_keeps_the_chosen_kind_selected(client):
    """The 类别 options come from a tag, not a template loop: the chosen one stays selected, the rest not."""
    from zhifa.disclosure.models import DisclosureKind

    body = client.get("/public/records/", {"kind": DisclosureKind.PERMIT}).content.decode()
    options = body.split('<select name="kind">', 1)[1].split("</select>", 1)[0]
    assert options.count("<option") == len(DisclosureKind.choices) + 1  # and 全部
    assert f'<option value="{DisclosureKind.PERMIT}" selected>' in options and options.count("selected") == 1
    assert '<option value="">全部</option>' in options
    assert "selected" not in client.get("/public/records/").content.decode().split('<select name="kind">')[1].split("</select>")[0]


def test_exports_neutralise_formulas(tree, head_user, client):
    """Issue 16 item 1: an enterprise named like a formula is text in the public CSV and XLSX."""
    import csv as csvmod
    import io

    from openpyxl import load_workbook

    hyperlink = '=HYPERLINK("http://evil.example","点击查看")'
    emit(tree.squad_a1, head_user, subject_name=hyperlink, penalty_content="=cmd|' /C calc'!A0")
    body = client.get("/public/records/export.csv").content.decode("utf-8-sig")
    cells = [c for row in csvmod.reader(io.StringIO(body)) for c in row]
    assert "'" + hyperlink in cells and hyperlink not in cells
    assert not any(c[:1] and c[:1] in "=+@" for c in cells)
    ws = load_workbook(io.BytesIO(client.get("/public/records/export.xlsx").content)).worksheets[0]
    values = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in values)
    assert "'" + hyperlink in [c.value for c in values]
