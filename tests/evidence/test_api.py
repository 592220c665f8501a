"""REST API: streamed PUT upload, list/detail/custody, ranged download, verify, void, refused delete."""

from __future__ import annotations

import pytest
from django.http import HttpRequest

from tests.evidence.conftest import payload, stored_files
from zhifa.accounts import services as acc
from zhifa.core.crypto import digest_bytes
from zhifa.evidence.models import CustodyEvent, EvidenceItem

pytestmark = pytest.mark.django_db

UPLOAD = "/api/v1/evidence/upload?target_type=tests.record&target_id=12&step=调查取证&filename=执法记录仪.mp4"


def _auth(user) -> dict:
    raw = acc.api_token_create(user=user, name="测试", actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def no_request_body(monkeypatch):
    """Fail the test if anything reads ``request.body`` (which would hold the whole upload in memory)."""

    def forbidden(self):
        raise AssertionError("request.body 被读取：上传必须流式读取")

    monkeypatch.setattr(HttpRequest, "body", property(forbidden))


def test_put_upload_streams_the_body(client, officer_user, no_request_body, evidence_fs):
    data = payload(2 * 1024 * 1024 + 5, seed=21)
    r = client.put(UPLOAD, data=data, content_type="video/mp4", **_auth(officer_user))
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["digest"] == digest_bytes(data) and out["size"] == len(data) and out["kind"] == "video"
    assert out["target_type"] == "tests.record" and out["target_id"] == "12" and out["step"] == "调查取证"
    assert out["filename"] == "执法记录仪.mp4" and out["uploaded_by"] == officer_user.display_name
    ev = CustodyEvent.objects.get(item_id=out["id"])
    assert ev.channel == "api" and ev.ip == "127.0.0.1"


def test_put_upload_with_wrong_digest_or_no_file_name_stores_nothing(client, officer_user, evidence_fs):
    auth = _auth(officer_user)
    r = client.put(UPLOAD + "&digest=" + "ab" * 32, data=b"12345", content_type="video/mp4", **auth)
    assert r.status_code == 422 and r.json()["code"] == "evidence.digest_mismatch"
    r = client.put(
        UPLOAD.replace("&filename=执法记录仪.mp4", ""), data=b"12345", content_type="video/mp4", **auth
    )
    assert r.status_code == 422 and "filename" in r.json()["fields"]
    r = client.put(UPLOAD, data=b"", content_type="video/mp4", **auth)
    assert r.status_code == 422 and r.json()["code"] == "evidence.empty"
    assert not EvidenceItem.objects.exists() and stored_files(evidence_fs) == []


def test_put_upload_shorter_than_content_length_stores_nothing(client, officer_user, evidence_fs):
    """A client that disconnects mid-body: the WSGI input ends before Content-Length bytes arrived."""
    import io

    data = payload(100_000)
    env = {"CONTENT_LENGTH": str(len(data) + 1000), "wsgi.input": io.BytesIO(data)}
    r = client.generic("PUT", UPLOAD, data=b"", content_type="video/mp4", **_auth(officer_user), **env)
    assert r.status_code == 400 and r.json()["code"] == "evidence.incomplete"
    assert not EvidenceItem.objects.exists() and stored_files(evidence_fs) == []


def test_list_detail_custody_and_scoping(client, officer_user, officer_b, ingest):
    item = ingest()
    auth = _auth(officer_user)
    r = client.get("/api/v1/evidence/?target_type=tests.record&target_id=12", **auth)
    assert r.status_code == 200 and r.json()["count"] == 1 and r.json()["items"][0]["id"] == item.pk
    r = client.get(f"/api/v1/evidence/{item.pk}", **auth)
    assert r.status_code == 200 and r.json()["digest"] == item.digest
    r = client.get(f"/api/v1/evidence/{item.pk}/custody", **auth)
    assert [e["action"] for e in r.json()] == ["ingest", "view"]
    assert r.json()[1]["action_label"] == "查看"
    other = _auth(officer_b)
    assert client.get("/api/v1/evidence/?target_type=tests.record&target_id=12", **other).json()["count"] == 0
    for url in (
        f"/api/v1/evidence/{item.pk}",
        f"/api/v1/evidence/{item.pk}/custody",
        f"/api/v1/evidence/{item.pk}/download",
    ):
        r = client.get(url, **other)
        assert r.status_code == 404 and r.json()["code"] == "common.not_found"
    assert client.post(f"/api/v1/evidence/{item.pk}/verify", **other).status_code == 404
    assert client.get("/api/v1/evidence/").status_code == 401


def test_ranged_download_over_the_api(client, officer_user, ingest):
    data = payload(10_000, seed=5)
    item = ingest(data)
    r = client.get(f"/api/v1/evidence/{item.pk}/download", HTTP_RANGE="bytes=-100", **_auth(officer_user))
    assert r.status_code == 206 and b"".join(r.streaming_content) == data[-100:]
    assert r["Content-Range"] == "bytes 9900-9999/10000"
    r = client.get(f"/api/v1/evidence/{item.pk}/download", HTTP_RANGE="bytes=10000-", **_auth(officer_user))
    assert r.status_code == 416


def test_verify_void_and_delete_over_the_api(client, officer_user, head_user, ingest):
    item = ingest()
    r = client.post(f"/api/v1/evidence/{item.pk}/verify", **_auth(officer_user))
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["status"] == "ok"
    r = client.post(
        f"/api/v1/evidence/{item.pk}/void",
        data={"reason": "误传"},
        content_type="application/json",
        **_auth(officer_user),
    )
    assert r.status_code == 403 and r.json()["code"] == "evidence.void_not_allowed"
    r = client.post(
        f"/api/v1/evidence/{item.pk}/void",
        data={"reason": "误传"},
        content_type="application/json",
        **_auth(head_user),
    )
    assert r.status_code == 200 and r.json()["void_reason"] == "误传"
    r = client.delete(f"/api/v1/evidence/{item.pk}?reason=清理", **_auth(head_user))
    assert r.status_code == 403 and r.json()["code"] == "evidence.no_delete"
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert CustodyEvent.objects.filter(item=item, action="delete_request").exists()


def test_admin_token_is_refused(client, sysadmin):
    r = client.put(UPLOAD, data=b"123", content_type="video/mp4", **_auth(sysadmin))
    assert r.status_code == 403 and r.json()["code"] == "evidence.not_business"


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/evidence/upload" in paths and "/api/v1/evidence/{pk}/download" in paths
