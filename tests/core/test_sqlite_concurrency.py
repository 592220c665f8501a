"""Issue 16 item 4: "database is locked" on SQLite with concurrent writers. A transaction that reads before
it writes (every case step reads the case, then numbers a document) starts DEFERRED by default; when two
such transactions both hold a read lock, the one that upgrades to write gets SQLITE_BUSY at once — the busy
timeout cannot help, because waiting would deadlock. ``transaction_mode = IMMEDIATE`` takes the write lock
at BEGIN, so writers queue on the busy timeout instead.

Run for real: the migrated test database is copied to a file and a separate process, configured by the
project's own settings, numbers documents from 4 threads at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]

WORKER = textwrap.dedent(
    """
    import os, sys, threading, time
    import django
    django.setup()
    from django.db import connection, transaction
    from zhifa.accounts.models import Org
    from zhifa.documents.numbering import number_allocate

    pk = int(sys.argv[1])
    got, errors = [], []
    start = threading.Barrier(4)

    def work():
        start.wait()
        for _ in range(20):
            try:
                with transaction.atomic():
                    issuer = Org.objects.get(pk=pk)  # a read first, as every case step does
                    time.sleep(0.002)
                    got.append(number_allocate(issuer=issuer, doc_type="penalty_decision", year=2026))
            except Exception as e:
                errors.append(type(e).__name__ + ": " + str(e))
        connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(got), len(set(got)), max(got) if got else 0, len(errors), errors[:1])
    """
)


def test_four_concurrent_writers_never_see_database_is_locked(tree, tmp_path: Path):
    from django.conf import settings

    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    issuer = tree.bureau_a
    target = tmp_path / "zhifa.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as dest:
        connection.connection.backup(dest)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}", "DJANGO_SETTINGS_MODULE": "zhifa.config.settings",
           "ZHIFA_DATA_DIR": str(tmp_path)}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", WORKER, str(issuer.pk)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    got, distinct, top, errors, first = out.stdout.strip().split(" ", 4)
    assert errors == "0", first  # no "database is locked"
    assert (got, distinct, top) == ("80", "80", "80")  # every number issued once, none skipped
