"""Ingest to the filesystem: digest, size, kind, custody, audit, scoping, refusals, interrupted uploads."""

from __future__ import annotations

import io

import pytest

from tests.evidence.conftest import FailingStream, payload, stored_files
from tests.factories import make_user
from zhifa.core.audit import audit_verify
from zhifa.core.crypto import DIGEST_ALGORITHM, digest_bytes
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.evidence import selectors, services
from zhifa.evidence.models import CustodyEvent, EvidenceItem
from zhifa.evidence.storage import storage_for

pytestmark = pytest.mark.django_db


def test_ingest_records_digest_size_custody_and_audit(ingest, officer_user, evidence_fs):
    data = payload(3 * 1024 * 1024 + 17)  # several chunks, not a multiple of the chunk size
    item = ingest(data, filename="../../etc/执法记录仪_20260312.MP4", content_type="video/mp4")
    assert item.filename == "执法记录仪_20260312.MP4"  # path components dropped
    assert item.size == len(data) and item.digest == digest_bytes(data)
    assert item.digest_algorithm == DIGEST_ALGORITHM and item.kind == "video"
    assert (item.target_type, item.target_id, item.step) == ("tests.record", "12", "调查取证")
    assert item.uploaded_by == officer_user and item.org == officer_user.org and item.backend == "fs"
    path = storage_for("fs").path(item.storage_key)
    assert path.read_bytes() == data and path.is_relative_to(evidence_fs)
    assert not [f for f in stored_files(evidence_fs) if ".upload-" in f]  # no temporary file left
    ev = CustodyEvent.objects.get(item=item)
    assert ev.action == "ingest" and ev.actor == officer_user and ev.detail["digest"] == item.digest
    rec = AuditRecord.objects.get(action="evidence.ingest")
    assert rec.target_id == str(item.pk) and rec.actor_id == officer_user.pk
    assert audit_verify().ok


def test_same_file_twice_gives_two_items_and_two_objects(ingest):
    data = payload(2000, seed=3)
    a, b = ingest(data), ingest(data, target=("tests.record", 13))
    assert a.digest == b.digest and a.storage_key != b.storage_key
    assert EvidenceItem.objects.filter(digest=a.digest).count() == 2


@pytest.mark.parametrize(
    "filename,content_type,kind",
    [
        ("IMG_0001.JPG", "", "photo"),
        ("询问录音.amr", "application/octet-stream", "audio"),
        ("DSCN0001.AVI", "", "video"),
        ("x", "video/mp4", "video"),
        ("询问笔录.pdf", "", "document"),
        ("勘验笔录.docx", "", "document"),
        ("称重数据.csv", "", "data"),
        ("导出.xlsx", "", "data"),
        ("unknown.bin", "", "data"),
    ],
)
def test_kind_from_content_type_or_extension(ingest, filename, content_type, kind):
    assert ingest(filename=filename, content_type=content_type).kind == kind


def test_explicit_kind_and_invalid_kind(ingest):
    assert ingest(filename="a.jpg", kind="document").kind == "document"
    with pytest.raises(DomainError) as e:
        ingest(filename="a.jpg", kind="movie")
    assert e.value.code == "evidence.invalid"


def test_scoping_other_county_and_sibling_squad_see_nothing(ingest, officer_b, tree, head_user):
    item = ingest()
    officer_a2 = make_user("officer_a2", tree.squad_a2, {"officer"})
    for outsider in (officer_b, officer_a2):
        assert not selectors.evidence_for("tests.record", 12, actor=outsider).exists()
        with pytest.raises(DomainError) as e:
            selectors.evidence_get(outsider, item.pk)
        assert e.value.status == 404
    # the bureau's head sees the squad's evidence
    assert list(selectors.evidence_for("tests.record", "12", actor=head_user)) == [item]


def test_three_administrators_neither_see_nor_upload(ingest, sysadmin, auditadmin):
    ingest()
    assert not selectors.evidence_visible(auditadmin).exists()
    with pytest.raises(DomainError) as e:
        ingest(actor=sysadmin)
    assert e.value.code == "evidence.not_business" and e.value.status == 403


def test_cannot_file_evidence_for_a_unit_outside_ones_own(ingest, tree):
    with pytest.raises(DomainError) as e:
        ingest(org=tree.squad_b1)
    assert e.value.code == "evidence.out_of_scope"
    assert not EvidenceItem.objects.exists()


def test_bad_targets_are_refused(ingest, tree, officer_user):
    with pytest.raises(DomainError):
        ingest(target=("Cases Case", 1))
    with pytest.raises(DomainError):
        ingest(target=("tests.record", ""))


def test_registered_target_must_exist_and_owns_the_evidence(ingest, tree, officer_user, head_user):
    from zhifa.evidence.targets import register_target, unregister_target

    register_target("tests.thing", lambda tid: tree.squad_a1 if tid == "1" else None)
    try:
        with pytest.raises(DomainError) as e:
            ingest(target=("tests.thing", 2))
        assert e.value.code == "evidence.target_not_found"
        with pytest.raises(DomainError) as e:  # filed under another unit than the target's
            ingest(target=("tests.thing", 1), actor=head_user, org=tree.bureau_a)
        assert e.value.code == "evidence.invalid"
        assert services.target_org("tests.thing", "1", default=tree.bureau_a) == tree.squad_a1
        assert ingest(target=("tests.thing", 1), actor=head_user, org=tree.squad_a1).org == tree.squad_a1
    finally:
        unregister_target("tests.thing")


def test_interrupted_upload_leaves_no_file_and_no_row(ingest, officer_user, evidence_fs):
    data = payload(3 * 1024 * 1024)
    for exc in (ConnectionResetError("客户端断开"), RuntimeError("处理中出错")):
        stream = FailingStream(data, fail_after=2 * 1024 * 1024 + 5, exc=exc)
        with pytest.raises((DomainError, RuntimeError)):
            services.evidence_ingest(
                stream,
                filename="a.mp4",
                content_type="video/mp4",
                target_type="tests.record",
                target_id=12,
                step="调查取证",
                org=officer_user.org,
                actor=officer_user,
            )
    assert stored_files(evidence_fs) == []
    assert not EvidenceItem.objects.exists() and not CustodyEvent.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="evidence.").exists()


def test_short_body_empty_file_and_digest_mismatch_store_nothing(ingest, officer_user, evidence_fs):
    data = payload(4096)
    with pytest.raises(DomainError) as e:
        ingest(data, expected_size=5000)
    assert e.value.code == "evidence.incomplete"
    with pytest.raises(DomainError) as e:
        ingest(data, expected_size=4000)
    assert e.value.code == "evidence.incomplete"
    with pytest.raises(DomainError) as e:
        services.evidence_ingest(
            io.BytesIO(b""),
            filename="a.jpg",
            content_type="image/jpeg",
            target_type="tests.record",
            target_id=1,
            step="",
            org=officer_user.org,
            actor=officer_user,
        )
    assert e.value.code == "evidence.empty"
    with pytest.raises(DomainError) as e:
        ingest(data, expected_digest="0" * 64)
    assert e.value.code == "evidence.digest_mismatch"
    assert stored_files(evidence_fs) == [] and not EvidenceItem.objects.exists()
    assert ingest(data, expected_size=4096, expected_digest=digest_bytes(data).upper()).size == 4096


def test_size_limit(ingest, monkeypatch, evidence_fs):
    monkeypatch.setenv("ZHIFA_EVIDENCE_MAX_GB", str(1 / 1024))  # 1 MiB
    with pytest.raises(DomainError) as e:
        ingest(payload(1024 * 1024 + 1))
    assert e.value.code == "evidence.too_large" and e.value.status == 413
    assert stored_files(evidence_fs) == []
    assert ingest(payload(1024 * 1024)).size == 1024 * 1024


def test_a_failed_database_write_removes_the_stored_object(ingest, monkeypatch, evidence_fs):
    def boom(**kw):
        raise RuntimeError("数据库写入失败")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        ingest()
    assert stored_files(evidence_fs) == [] and not EvidenceItem.objects.exists()


def test_void_needs_head_or_reviewer_and_a_reason(ingest, head_user, reviewer_user, officer_user):
    item = ingest()
    with pytest.raises(DomainError) as e:
        services.evidence_void(item=item, actor=officer_user, reason="传错文件")
    assert e.value.code == "evidence.void_not_allowed"
    with pytest.raises(DomainError) as e:
        services.evidence_void(item=item, actor=head_user, reason="  ")
    assert e.value.code == "evidence.reason_required"
    item = services.evidence_void(item=item, actor=head_user, reason="重复上传")
    assert item.is_void and item.void_reason == "重复上传"
    assert storage_for("fs").size(item.storage_key) == item.size  # the file stays
    with pytest.raises(DomainError) as e:
        services.evidence_void(item=item, actor=reviewer_user, reason="再次")
    assert e.value.code == "evidence.already_void"
    assert list(CustodyEvent.objects.filter(item=item).values_list("action", flat=True)) == ["ingest", "void"]


def test_void_by_head_of_other_county_is_refused(ingest, tree):
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    with pytest.raises(DomainError) as e:
        services.evidence_void(item=ingest(), actor=head_b, reason="x")
    assert e.value.code == "evidence.out_of_scope"


def test_delete_is_refused_citing_article_47_and_the_attempt_is_logged(ingest, head_user):
    item = ingest()
    with pytest.raises(DomainError) as e:
        services.evidence_delete_request(item=item, actor=head_user, reason="不需要了")
    assert e.value.code == "evidence.no_delete" and "第四十七条" in e.value.message
    ev = CustodyEvent.objects.get(item=item, action="delete_request")
    assert ev.actor == head_user and ev.detail["result"] == "refused"
    assert AuditRecord.objects.get(action="evidence.delete_request").success is False
    with pytest.raises(DomainError):
        item.delete()
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_custody_events_are_append_only(ingest):
    ev = CustodyEvent.objects.get(item=ingest())
    ev.actor_name = "别人"
    with pytest.raises(ValueError):
        ev.save()
    with pytest.raises(ValueError):
        ev.delete()


def test_access_records_ip_and_request_id_from_context(ingest, officer_user):
    from zhifa.core.context import RequestContext, bound

    item = ingest()
    with bound(RequestContext(request_id="rid-1", ip="10.1.2.3", user_agent="ua", channel="web")):
        services.evidence_access(item=item, action="download", actor=officer_user)
    ev = CustodyEvent.objects.get(item=item, action="download")
    assert (ev.ip, ev.request_id, ev.channel) == ("10.1.2.3", "rid-1", "web")
    assert AuditRecord.objects.get(action="evidence.download").ip == "10.1.2.3"


def test_case_evidence_events_carry_the_case_id_for_the_case_timeline(
    ingest, tree, officer_user, monkeypatch
):
    from zhifa.evidence import targets

    monkeypatch.setitem(targets._RESOLVERS, "cases.case", lambda tid: tree.squad_a1 if tid == "12" else None)
    item = ingest(target=("cases.case", 12))
    services.evidence_access(item=item, action="play", actor=officer_user)
    recs = AuditRecord.objects.filter(action__startswith="evidence.").order_by("seq")
    assert [(r.action, r.detail["case_id"], r.detail["step"]) for r in recs] == [
        ("evidence.ingest", 12, "调查取证"),
        ("evidence.play", 12, "调查取证"),
    ]
    with pytest.raises(DomainError) as e:
        ingest(target=("cases.case", 13))
    assert e.value.code == "evidence.target_not_found"
