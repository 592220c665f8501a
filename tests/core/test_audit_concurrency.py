"""Concurrent writers keep one linear audit chain (the head row is locked while appending)."""

import threading

import pytest
from django.db import connection

from zhifa.core.audit import audit_record, audit_verify
from zhifa.core.models import AuditHead, AuditRecord


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_appends_form_one_chain():
    # Start without a chain head, as on a fresh or flushed database: the first appenders race to create it.
    AuditHead.objects.all().delete()
    errors = []

    def worker(k):
        try:
            for i in range(25):
                audit_record(action="test.parallel", target_type="t", target_id=f"{k}-{i}")
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(AuditRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 101))
    assert audit_verify().ok
