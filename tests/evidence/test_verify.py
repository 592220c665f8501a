"""Verification: re-hash stored objects; a flipped byte or a missing file is reported (exit 1)."""

from __future__ import annotations

import os

import pytest

from tests.evidence.conftest import payload
from zhifa.cli import main
from zhifa.evidence import services
from zhifa.evidence.models import CustodyEvent
from zhifa.evidence.storage import storage_for

pytestmark = pytest.mark.django_db


def flip_byte(path, offset: int) -> None:
    os.chmod(path, 0o600)
    with open(path, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0x01]))


def test_verify_ok_flipped_byte_and_missing_file(ingest, officer_user):
    good = ingest(payload(50_000, seed=1))
    flipped = ingest(payload(50_000, seed=2), target=("tests.record", 13))
    missing = ingest(payload(1000, seed=3), target=("tests.record", 13))
    assert services.evidence_verify(item=good, actor=officer_user).ok
    flip_byte(storage_for("fs").path(flipped.storage_key), 31_337)
    storage_for("fs").discard(missing.storage_key)
    o = services.evidence_verify(item=flipped, actor=officer_user)
    assert not o.ok and o.status == "digest_mismatch" and "摘要不符" in o.message
    o = services.evidence_verify(item=missing, actor=officer_user)
    assert not o.ok and o.status == "missing"
    results = list(
        CustodyEvent.objects.filter(action="verify").order_by("id").values_list("detail", flat=True)
    )
    assert results == [{"result": "ok"}, {"result": "digest_mismatch"}, {"result": "missing"}]


def test_truncated_file_is_a_size_mismatch(ingest, officer_user):
    item = ingest(payload(10_000))
    path = storage_for("fs").path(item.storage_key)
    os.chmod(path, 0o600)
    os.truncate(path, 9_999)
    assert services.evidence_verify(item=item, actor=officer_user).status == "size_mismatch"


def test_verify_by_another_county_is_refused(ingest, officer_b):
    from zhifa.core.errors import DomainError

    with pytest.raises(DomainError):
        services.evidence_verify(item=ingest(), actor=officer_b)


def test_cli_verify_exit_codes_and_target_filter(ingest, capsys):
    a = ingest(payload(20_000, seed=4))
    b = ingest(payload(20_000, seed=5), target=("tests.record", 99))
    assert main(["evidence", "verify"]) == 0
    assert "共校验 2 件证据材料，全部完整" in capsys.readouterr().out
    flip_byte(storage_for("fs").path(b.storage_key), 0)
    assert main(["evidence", "verify", "--target", "tests.record:12"]) == 0  # b is not in this target
    capsys.readouterr()
    assert main(["evidence", "verify"]) == 1
    captured = capsys.readouterr()
    assert f"证据 #{b.pk}" in captured.out and "摘要不符" in captured.out and "1 件异常" in captured.err
    storage_for("fs").discard(a.storage_key)
    assert main(["evidence", "verify", "--id", str(a.pk)]) == 1
    assert "缺失" in capsys.readouterr().out
    ev = CustodyEvent.objects.filter(item=a, action="verify").last()
    assert ev.channel == "cli" and ev.actor is None and ev.actor_name == "命令行（系统）"
    assert main(["evidence", "verify", "--target", "tests.record:"]) == 2
