"""The audit chain detects every edit, deletion, insertion and reordering, and the database refuses
UPDATE/DELETE through the application."""

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.cli import main as cli
from zhifa.core.audit import audit_record, audit_verify
from zhifa.core.models import AuditHead, AuditRecord

pytestmark = pytest.mark.django_db


def _chain(n=5, actor=None):
    return [audit_record(action="test.event", actor=actor, target_type="test", target_id=i,
                         detail={"i": i}) for i in range(1, n + 1)]


def _raw(sql_sqlite: str, sql_pg: str, params=()):
    """Tamper as someone with direct database access would: switch the guard triggers off first."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS core_auditrecord_no_update")
            cur.execute("DROP TRIGGER IF EXISTS core_auditrecord_no_delete")
            cur.execute(sql_sqlite, params)
        else:
            cur.execute("ALTER TABLE core_auditrecord DISABLE TRIGGER USER")
            cur.execute(sql_pg, params)
            cur.execute("ALTER TABLE core_auditrecord ENABLE TRIGGER USER")


def test_intact_chain_verifies_and_links(head_user):
    recs = _chain(4, actor=head_user)
    assert [r.seq for r in recs][-4:] == list(range(recs[0].seq, recs[0].seq + 4))
    assert recs[1].prev_hash == recs[0].hash
    assert recs[0].actor_name == "head_a" and "执法部门负责人" in recs[0].actor_roles
    result = audit_verify()
    assert result.ok and result.checked == AuditRecord.objects.count()
    assert AuditHead.objects.get(pk=1).hash == recs[-1].hash


def test_orm_update_and_delete_are_refused_by_the_database():
    rec = _chain(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=rec.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=rec.pk).delete()
    assert AuditRecord.objects.get(pk=rec.pk).action == "test.event"


def test_edited_record_is_detected_and_named(capsys):
    recs = _chain(5)
    target = recs[2]
    _raw("UPDATE core_auditrecord SET reason = 'edited' WHERE seq = %s",
         "UPDATE core_auditrecord SET reason = 'edited' WHERE seq = %s", [target.seq])
    result = audit_verify()
    assert not result.ok and result.broken_seq == target.seq and "篡改" in result.message
    assert cli(["audit", "verify"]) == 1
    assert f"第 {target.seq} 条" in capsys.readouterr().out


def test_deleted_middle_record_is_detected():
    recs = _chain(5)
    _raw("DELETE FROM core_auditrecord WHERE seq = %s", "DELETE FROM core_auditrecord WHERE seq = %s",
         [recs[1].seq])
    result = audit_verify()
    assert not result.ok and result.broken_seq == recs[1].seq and "删除" in result.message


def test_deleted_last_record_is_detected_by_the_head():
    recs = _chain(3)
    _raw("DELETE FROM core_auditrecord WHERE seq = %s", "DELETE FROM core_auditrecord WHERE seq = %s",
         [recs[-1].seq])
    result = audit_verify()
    assert not result.ok and "末尾" in result.message


def test_swapped_records_are_detected():
    recs = _chain(4)
    a, b = recs[1], recs[2]
    # Swap the contents of two rows (keep seq in place) — a reordering of events.
    for src, dst in ((a, b), (b, a)):
        _raw("UPDATE core_auditrecord SET detail = %s, target_id = %s, hash = %s, prev_hash = %s WHERE seq = %s",
             "UPDATE core_auditrecord SET detail = %s, target_id = %s, hash = %s, prev_hash = %s WHERE seq = %s",
             [__import__("json").dumps(src.detail), src.target_id, src.hash, src.prev_hash, dst.seq])
    result = audit_verify()
    assert not result.ok and result.broken_seq == a.seq


def test_forged_row_with_recomputed_plain_hash_is_detected():
    """An attacker who edits a row and recomputes an unkeyed digest still fails: the chain is an HMAC."""
    from zhifa.core.crypto import digest_bytes

    recs = _chain(2)
    _raw("UPDATE core_auditrecord SET reason = 'x', hash = %s WHERE seq = %s",
         "UPDATE core_auditrecord SET reason = 'x', hash = %s WHERE seq = %s",
         [digest_bytes(b"forged"), recs[0].seq])
    assert not audit_verify().ok


def test_cli_verify_ok(capsys):
    _chain(2)
    assert cli(["audit", "verify"]) == 0
    assert "审计链完整" in capsys.readouterr().out


def test_failed_action_is_recorded_with_outcome(officer_user):
    rec = audit_record(action="auth.login", actor=officer_user, success=False, reason="密码错误")
    assert not rec.success and rec.reason == "密码错误" and rec.org_name == "第一中队"


def test_deleted_chain_head_is_detected():
    _chain(2)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_audithead")
    result = audit_verify()
    assert not result.ok and "链头" in result.message


# --- the head anchored outside the table (issue 16 item 7) ---------------------------------------------


def _wipe():
    _raw("DELETE FROM core_auditrecord", "DELETE FROM core_auditrecord")
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_audithead")


def test_wiped_chain_fails_against_the_anchor_file(capsys):
    _chain(3)
    assert cli(["audit", "verify"]) == 0  # anchors seq 3
    assert "尚无外部锚点" in capsys.readouterr().out
    _wipe()
    assert cli(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "审计链被截断或清空" in out and "第 3 条" in out and "库中只有 0 条" in out


def test_truncated_tail_and_head_rewritten_fail_against_the_anchor():
    from zhifa.core.audit import audit_anchor_write, audit_head

    recs = _chain(4)
    assert audit_anchor_write(audit_head())
    # the last two rows deleted and the head rolled back to the second: consistent inside the database
    _raw("DELETE FROM core_auditrecord WHERE seq > 2", "DELETE FROM core_auditrecord WHERE seq > 2")
    AuditHead.objects.filter(pk=1).update(seq=2, hash=recs[1].hash)
    result = audit_verify()
    assert not result.ok and "外部锚点记录链头为第 4 条" in result.message


def test_a_witness_head_passed_back_with_expect(capsys):
    _chain(2)
    assert cli(["audit", "verify", "--head"]) == 0
    head_line = capsys.readouterr().out.strip().splitlines()[-1]
    witnessed = head_line.rsplit("：", 1)[1]
    assert witnessed.startswith("2:") and len(witnessed) == 66
    assert cli(["audit", "verify", "--expect", witnessed]) == 0
    capsys.readouterr()
    assert cli(["audit", "verify", "--expect", "2:" + "0" * 64]) == 1  # a chain rebuilt under the witness
    assert "与外部锚点的哈希不符" in capsys.readouterr().out
    assert cli(["audit", "verify", "--expect", "2:xyz"]) != 0
