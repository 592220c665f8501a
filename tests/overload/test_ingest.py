"""Ingest: Parquet partitions, idempotency on (station_code, record_id), kill -9 and restart, row errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.overload.conftest import row, write_csv
from zhifa.overload import store
from zhifa.overload.models import IngestBatch, Lead
from zhifa.overload.services import ingest_file, ingest_records


def _stored_ids() -> list[tuple[str, str]]:
    out = []
    for p in store.part_files():
        t = pq.read_table(p, columns=["station_code", "record_id"])
        out += list(zip(t.column("station_code").to_pylist(), t.column("record_id").to_pylist(), strict=True))
    return out


def test_ingest_partitions_and_queue(tree, stations, tmp_path):
    rows = [
        row("A1"),
        row("A2", plate="粤W22222", gross=40_000),
        row("A3", plate="粤W33333", gross=49_001),
        row("A4", plate="粤W44444", at="2026-11-03T01:00:00+08:00", gross=60_000),
        row("B1", station="YN-PT-01", plate="粤W55555", gross=60_000),
    ]
    batch = ingest_file(path=write_csv(tmp_path / "in.csv", rows), actor=None, org=tree.bureau_a)
    assert (batch.received, batch.stored, batch.rejected) == (5, 5, 0)
    days = {(d.isoformat(), s) for d, s in store.partitions()}
    assert days == {("2026-11-02", "YN-NJK-01"), ("2026-11-03", "YN-NJK-01"), ("2026-11-02", "YN-PT-01")}
    # A1 and A4 are overloads; A3 within tolerance; B1's device certificate had expired: not a lead
    assert sorted(Lead.objects.values_list("record_id", flat=True)) == ["A1", "A4"]
    assert batch.leads_created == 2


def test_reingest_is_idempotent(tree, stations, tmp_path):
    f = write_csv(tmp_path / "in.csv", [row(f"R{i}", plate=f"粤W{i:05d}") for i in range(20)])
    first = ingest_file(path=f, actor=None, org=tree.bureau_a)
    again = ingest_file(path=f, actor=None, org=tree.bureau_a)
    assert (first.stored, again.stored, again.already_present) == (20, 0, 20)
    assert len(_stored_ids()) == 20 and Lead.objects.count() == 20
    # a re-sent batch overlapping by half over the API
    more = [row(f"R{i}", plate=f"粤W{i:05d}") for i in range(10, 30)]
    b = ingest_records(records=more, actor=None, org=tree.bureau_a)
    assert (b.stored, b.already_present) == (10, 10)
    ids = _stored_ids()
    assert len(ids) == len(set(ids)) == 30


def test_malformed_rows_are_rejected_with_row_and_reason(tree, stations, tmp_path):
    rows = [
        row("OK1"),
        row("", plate="粤W00001"),
        row("BAD2", at="昨天"),
        row("BAD3", gross="很重"),
        row("BAD4", station="NOPE"),
        row("BAD5", kind="拖拉机"),
    ]
    batch = ingest_file(path=write_csv(tmp_path / "in.csv", rows), actor=None, org=tree.bureau_a)
    assert (batch.stored, batch.rejected) == (1, 5)
    reasons = {e["record_id"] or f"row{e['row']}": e["reason"] for e in batch.errors}
    assert "record_id" in reasons["row3"]
    assert "ISO 8601" in reasons["BAD2"] and "数字" in reasons["BAD3"] and "未在本辖区登记" in reasons["BAD4"]
    assert [e["row"] for e in batch.errors][:4] == [3, 4, 5, 7]


def test_unknown_columns_are_kept(tree, stations, tmp_path):
    ingest_file(
        path=write_csv(tmp_path / "in.csv", [row("X1", axle_type_code="157")]), actor=None, org=tree.bureau_a
    )
    t = pq.read_table(store.part_files()[0])
    assert '"axle_type_code": "157"' in t.column("extra")[0].as_py()


def test_other_county_cannot_ingest_into_our_stations(tree, stations, officer_b, tmp_path):
    b = ingest_file(path=write_csv(tmp_path / "in.csv", [row("Z1")]), actor=officer_b, org=officer_b.org)
    assert (b.stored, b.rejected) == (0, 1)


def test_three_admins_cannot_ingest(tree, stations, sysadmin, tmp_path):
    from zhifa.core.errors import DomainError

    with pytest.raises(DomainError):
        ingest_file(path=write_csv(tmp_path / "in.csv", [row("Z1")]), actor=sysadmin, org=tree.bureau_a)


KILL_SCRIPT = r"""
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.config.settings"
django.setup()
from pathlib import Path
from django.conf import settings
settings.DATA_DIR = Path(sys.argv[1])
from zhifa.overload import store
from zhifa.overload.records import iter_raw, parse_rows, to_table
parsed = parse_rows(list(iter_raw(Path(sys.argv[2]))))
table = to_table(parsed.rows)
# one partition per hour-day: write them one after another, slowly, announcing progress
days = sorted({r["passed_at"].date() for r in parsed.rows})
import pyarrow.compute as pc, pyarrow as pa
for i, d in enumerate(days):
    mask = pc.equal(pc.cast(table.column("passed_at"), pa.date32()), pa.scalar(d, pa.date32()))
    store.write_partition(d, "YN-NJK-01", table.filter(mask))
    print(i, flush=True)
    if i == 2:
        # leave a half-written temporary file behind, as a crash in the middle of a write would
        tmp = store.partition_dir(days[i + 1], "YN-NJK-01")
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / ".tmp-crash.parquet").write_bytes(b"PAR1 half written")
        print("ready", flush=True)
        import time; time.sleep(60)
"""


def test_kill_9_mid_ingest_then_restart(tree, stations, tmp_path, data_dir):
    rows = [
        row(f"K{d}-{i}", plate=f"粤W{d}{i:04d}", at=f"2026-11-{d:02d}T10:{i % 60:02d}:00+08:00")
        for d in range(1, 8)
        for i in range(50)
    ]
    f = write_csv(tmp_path / "kill.csv", rows)
    script = tmp_path / "writer.py"
    script.write_text(KILL_SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ZHIFA_DATA_DIR"] = str(tmp_path / "other")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data_dir), str(f)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    try:
        for line in proc.stdout:
            if line.strip() == "ready":
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert len(_stored_ids()) == 150  # three whole partitions, nothing of the fourth
    assert any(store.root().glob("*/*/.tmp-*"))
    time.sleep(0)  # nothing to wait for: the rename is atomic
    batch = ingest_file(path=f, actor=None, org=tree.bureau_a)
    assert (batch.stored, batch.already_present) == (200, 150)
    ids = _stored_ids()
    assert len(ids) == len(set(ids)) == 350
    assert not any(store.root().glob("*/*/.tmp-*"))
    # every overload got its lead, including those of the partitions the killed run wrote
    assert Lead.objects.count() == 350
    assert IngestBatch.objects.count() == 1


def test_a_station_day_of_33000_overloads_queues_every_lead(tree, stations):
    # issue 16 item 5: over ~32,766 hits of one station the upsert's IN list passed SQLite's variable limit
    # (PostgreSQL's 65,535 parameters broke the INSERT): records stored, no lead, no batch, every rerun alike
    from django.db import connection

    if connection.vendor == "sqlite":  # SQLite's own default limit (Debian builds raise it to 250,000)
        import sqlite3

        connection.ensure_connection()
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    n = 33_000
    records = [row(f"H{i}", plate=f"粤W{i:05d}", at=f"2026-11-02T{i % 24:02d}:{i % 60:02d}:00+08:00")
               for i in range(n)]
    batch = ingest_records(records=records, actor=None, org=tree.bureau_a)
    assert (batch.stored, batch.rejected, batch.leads_created) == (n, 0, n)
    assert Lead.objects.count() == n
    again = ingest_records(records=records[:1000], actor=None, org=tree.bureau_a)
    assert (again.already_present, again.leads_created) == (1000, 0) and Lead.objects.count() == n
