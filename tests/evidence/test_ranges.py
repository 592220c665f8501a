"""Download and playback with HTTP Range requests (RFC 9110 §14): 206, Content-Range, suffix ranges, 416."""

from __future__ import annotations

import pytest

from tests.evidence.conftest import payload
from tests.factories import make_user
from zhifa.evidence.http import Unsatisfiable, parse_range
from zhifa.evidence.models import CustodyEvent

pytestmark = pytest.mark.django_db

SIZE = 3 * 1024 * 1024 + 123  # more than one storage chunk


@pytest.fixture
def video(ingest):
    data = payload(SIZE, seed=11)
    return ingest(data, filename="执法记录仪.mp4", content_type="video/mp4"), data


def body(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


@pytest.mark.parametrize(
    "header,expected",
    [
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),  # suffix longer than the file: the whole file
        ("bytes=990-5000", (990, 999)),  # end past the file is clamped
        ("bytes=999-999", (999, 999)),
        ("items=0-5", None),  # another unit: ignored
        ("bytes=0-1,5-6", None),  # multi-range: ignored, the whole file is sent
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    ["bytes=1000-", "bytes=1000-1001", "bytes=9-3", "bytes=-0", "bytes=abc", "bytes=-", "bytes=1-2-3"],
)
def test_parse_range_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


def test_empty_file_has_no_satisfiable_range():
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-1", 0)


def test_full_download_is_an_attachment_with_accept_ranges(client, officer_user, video):
    item, data = video
    client.force_login(officer_user)
    r = client.get(f"/evidence/{item.pk}/download")
    assert r.status_code == 200 and r["Accept-Ranges"] == "bytes" and int(r["Content-Length"]) == SIZE
    assert r["Content-Type"] == "application/octet-stream" and r["Content-Disposition"].startswith(
        "attachment"
    )
    assert "filename*=utf-8''" in r["Content-Disposition"] and r["ETag"] == f'"{item.digest}"'
    assert body(r) == data
    assert CustodyEvent.objects.filter(item=item, action="download", actor=officer_user).count() == 1


def test_first_bytes_middle_and_suffix(client, officer_user, video):
    item, data = video
    client.force_login(officer_user)
    url = f"/evidence/{item.pk}/play"
    r = client.get(url, HTTP_RANGE="bytes=0-99")
    assert r.status_code == 206 and body(r) == data[:100]
    assert r["Content-Range"] == f"bytes 0-99/{SIZE}" and r["Content-Length"] == "100"
    assert r["Content-Type"] == "video/mp4" and r["Content-Disposition"].startswith("inline")
    # the middle, across a storage chunk boundary
    start, end = 1024 * 1024 - 10, 2 * 1024 * 1024 + 10
    r = client.get(url, HTTP_RANGE=f"bytes={start}-{end}")
    assert r.status_code == 206 and body(r) == data[start : end + 1]
    assert r["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    r = client.get(url, HTTP_RANGE="bytes=-100")
    assert r.status_code == 206 and body(r) == data[-100:]
    assert r["Content-Range"] == f"bytes {SIZE - 100}-{SIZE - 1}/{SIZE}"
    r = client.get(url, HTTP_RANGE=f"bytes={SIZE - 5}-")  # what a <video> sends when seeking to the end
    assert r.status_code == 206 and body(r) == data[-5:]
    ranges = list(
        CustodyEvent.objects.filter(item=item, action="range_read").values_list("detail", flat=True)
    )
    assert ranges == [
        {"range": "0-99"},
        {"range": f"{start}-{end}"},
        {"range": f"{SIZE - 100}-{SIZE - 1}"},
        {"range": f"{SIZE - 5}-{SIZE - 1}"},
    ]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", "bytes=500-100", "bytes=-0", "bytes=x-y"])
def test_invalid_range_is_416(client, officer_user, video, header):
    item, _ = video
    client.force_login(officer_user)
    r = client.get(f"/evidence/{item.pk}/download", HTTP_RANGE=header)
    assert r.status_code == 416 and r["Content-Range"] == f"bytes */{SIZE}"
    assert not CustodyEvent.objects.filter(item=item, action__in=["download", "range_read"]).exists()


def test_if_range_with_another_validator_sends_the_whole_file(client, officer_user, video):
    item, data = video
    client.force_login(officer_user)
    r = client.get(f"/evidence/{item.pk}/download", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert r.status_code == 200 and len(body(r)) == SIZE
    r = client.get(f"/evidence/{item.pk}/download", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{item.digest}"')
    assert r.status_code == 206 and body(r) == data[:10]


def test_head_sends_headers_only_and_logs_nothing(client, officer_user, video):
    item, _ = video
    client.force_login(officer_user)
    r = client.head(f"/evidence/{item.pk}/play")
    assert r.status_code == 200 and r["Content-Length"] == str(SIZE) and r["Accept-Ranges"] == "bytes"
    assert CustodyEvent.objects.filter(item=item).count() == 1  # the ingest only


def test_html_is_never_served_inline(client, officer_user, ingest):
    item = ingest(b"<script>alert(1)</script>", filename="x.html", content_type="text/html")
    client.force_login(officer_user)
    r = client.get(f"/evidence/{item.pk}/play")
    assert r["Content-Type"] == "application/octet-stream" and r["Content-Disposition"].startswith(
        "attachment"
    )
    assert "sandbox" in r["Content-Security-Policy"]


def test_other_county_sibling_squad_and_admins_cannot_download(client, video, officer_b, tree, sysadmin):
    item, _ = video
    for user, status in (
        (officer_b, 404),
        (make_user("officer_a2", tree.squad_a2, {"officer"}), 404),
        (sysadmin, 403),
    ):
        client.force_login(user)
        for suffix in ("download", "play"):
            r = client.get(f"/evidence/{item.pk}/{suffix}", HTTP_RANGE="bytes=0-9")
            assert r.status_code == status
    client.logout()
    assert client.get(f"/evidence/{item.pk}/download").status_code == 302  # to the login page
    assert CustodyEvent.objects.filter(item=item).count() == 1


def test_missing_object_is_410_not_a_crash(client, officer_user, video):
    from zhifa.evidence.storage import storage_for

    item, _ = video
    path = storage_for("fs").path(item.storage_key)
    path.chmod(0o600)
    path.unlink()
    client.force_login(officer_user)
    assert client.get(f"/evidence/{item.pk}/download").status_code == 410
