"""The S3 backend against a real S3 API endpoint (moto's standalone server over HTTP on 127.0.0.1).

Covers a small object (one PUT), a multipart upload (5 MiB parts), ranged reads for playback, an
upload interrupted mid-stream (the multipart upload is aborted: no object, no pending upload, no row),
and verification of a tampered and a missing object.
"""

from __future__ import annotations

import pytest

from tests.evidence.conftest import FailingStream, payload
from zhifa.cli import main
from zhifa.core.crypto import digest_bytes
from zhifa.core.errors import DomainError
from zhifa.evidence import services
from zhifa.evidence.models import CustodyEvent, EvidenceItem

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


def objects(client, bucket) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def pending_uploads(client, bucket) -> list:
    return client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])


def test_small_and_multipart_uploads_land_in_the_bucket(s3, ingest, evidence_fs):
    client, bucket = s3
    small = payload(100_000, seed=1)
    item = ingest(small)
    assert item.backend == "s3" and item.digest == digest_bytes(small)
    key = "evidence/" + item.storage_key
    assert client.get_object(Bucket=bucket, Key=key)["Body"].read() == small
    big = payload(12 * MiB + 321, seed=2)  # three parts: 5 + 5 + 2 MiB
    item = ingest(big, filename="执法记录仪.mp4", content_type="video/mp4")
    head = client.head_object(Bucket=bucket, Key="evidence/" + item.storage_key)
    assert head["ContentLength"] == len(big) and head["ETag"].strip('"').endswith("-3")  # a multipart object
    assert item.digest == digest_bytes(big) and item.size == len(big)
    assert pending_uploads(client, bucket) == []
    assert not evidence_fs.exists()  # nothing went to the filesystem


def test_ranged_playback_from_s3(s3, client, officer_user, ingest):
    data = payload(6 * MiB, seed=3)
    item = ingest(data, filename="v.mp4", content_type="video/mp4")
    client.force_login(officer_user)
    r = client.get(f"/evidence/{item.pk}/play", HTTP_RANGE=f"bytes={5 * MiB - 10}-{5 * MiB + 9}")
    assert r.status_code == 206 and b"".join(r.streaming_content) == data[5 * MiB - 10 : 5 * MiB + 10]
    assert r["Content-Range"] == f"bytes {5 * MiB - 10}-{5 * MiB + 9}/{len(data)}"
    r = client.get(f"/evidence/{item.pk}/play", HTTP_RANGE="bytes=-100")
    assert b"".join(r.streaming_content) == data[-100:]
    r = client.get(f"/evidence/{item.pk}/download")
    assert r.status_code == 200 and b"".join(r.streaming_content) == data
    r = client.get(f"/evidence/{item.pk}/play", HTTP_RANGE=f"bytes={len(data)}-")
    assert r.status_code == 416


@pytest.mark.parametrize("fail_after", [11 * MiB + 7, 3 * MiB])  # after two uploaded parts; before the first
def test_interrupted_upload_leaves_no_object_no_pending_upload_and_no_row(s3, officer_user, fail_after):
    client, bucket = s3
    # the endpoint does report multipart uploads left open (so the empty list below means "aborted")
    probe = client.create_multipart_upload(Bucket=bucket, Key="probe")["UploadId"]
    assert [u["UploadId"] for u in pending_uploads(client, bucket)] == [probe]
    client.abort_multipart_upload(Bucket=bucket, Key="probe", UploadId=probe)
    stream = FailingStream(payload(12 * MiB, seed=4), fail_after=fail_after)
    with pytest.raises(DomainError) as e:
        services.evidence_ingest(
            stream,
            filename="v.mp4",
            content_type="video/mp4",
            target_type="tests.record",
            target_id=12,
            step="调查取证",
            org=officer_user.org,
            actor=officer_user,
        )
    assert e.value.code == "evidence.interrupted"
    assert objects(client, bucket) == [] and pending_uploads(client, bucket) == []
    assert not EvidenceItem.objects.exists() and not CustodyEvent.objects.exists()


def test_verify_detects_tampered_and_missing_objects_in_s3(s3, ingest, officer_user, capsys):
    client, bucket = s3
    data = payload(7 * MiB, seed=6)
    tampered = ingest(data)
    missing = ingest(payload(1000, seed=7))
    assert main(["evidence", "verify"]) == 0
    capsys.readouterr()
    flipped = bytearray(data)
    flipped[4 * MiB] ^= 0x01
    client.put_object(Bucket=bucket, Key="evidence/" + tampered.storage_key, Body=bytes(flipped))
    client.delete_object(Bucket=bucket, Key="evidence/" + missing.storage_key)
    assert main(["evidence", "verify"]) == 1
    out = capsys.readouterr().out
    assert (
        f"证据 #{tampered.pk}" in out and "摘要不符" in out and f"证据 #{missing.pk}" in out and "缺失" in out
    )


def test_fs_items_stay_readable_after_switching_to_s3(monkeypatch, ingest, officer_user, s3_endpoint, s3):
    # the s3 fixture switched the environment; write one item on the filesystem first
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    fs_item = ingest(payload(3000, seed=8))
    monkeypatch.setenv("ZHIFA_STORAGE", "s3")
    s3_item = ingest(payload(3000, seed=9))
    assert (fs_item.backend, s3_item.backend) == ("fs", "s3")
    assert services.evidence_verify(item=fs_item, actor=officer_user).ok
    assert services.evidence_verify(item=s3_item, actor=officer_user).ok
