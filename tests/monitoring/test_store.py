"""Idempotent, crash-safe ingest into the Parquet store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from tests.monitoring.helpers import local_ts
from zhifa.monitoring.simulate import build_track, drive, table
from zhifa.monitoring.store import Store

CSV = """plate,plate_color,ts,lon,lat,speed_kmh,heading,altitude_m,alarm,status
粤W12345,黄色,2025-03-01T08:00:00+08:00,111.5,23.2,50,90,10,0,3
粤W12345,2,1740787230,111.51,23.2,50,90,10,0,3
粤W12345,yellow,不是时间,111.51,23.2,50,90,10,0,3
粤W54321,yellow,2025-03-01T00:10:00Z,111.51,23.2,,,,,
"""


def keys(store: Store) -> list[tuple]:
    files = [str(p) for p in sorted(store.positions_dir.glob("month=*/bucket=*/data.parquet"))]
    if not files:
        return []
    return (
        duckdb.connect()
        .execute("SELECT plate, plate_color, ts FROM read_parquet(?) ORDER BY 1, 2, 3", [files])
        .fetchall()
    )


def test_csv_formats_and_rejected_rows(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(CSV, encoding="utf-8")
    store = Store(tmp_path / "st")
    res = store.ingest_files([f])
    assert (res.received, res.stored, res.rejected) == (4, 3, 1)
    assert "第 4 行" in res.errors[0]
    assert keys(store) == [
        ("粤W12345", "yellow", 1740787200),
        ("粤W12345", "yellow", 1740787230),
        ("粤W54321", "yellow", 1740787800),
    ]


def test_ingest_is_idempotent_on_vehicle_and_time(tmp_path):
    store = Store(tmp_path / "st")
    pts = build_track("粤W12345", "yellow", local_ts(3, 8), [drive(60)])
    f1, f2 = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pq.write_table(table(pts[:80]), f1)
    pq.write_table(table(pts[40:]), f2)  # overlaps 40 points
    r1 = store.ingest_files([f1])
    r2 = store.ingest_files([f2])
    r3 = store.ingest_files([f1, f2])
    assert (r1.stored, r2.stored, r2.duplicates, r3.stored) == (80, len(pts) - 80, 40, 0)
    got = keys(store)
    assert len(got) == len(set(got)) == len(pts)
    assert got == sorted(got)


def test_kill_9_mid_ingest_loses_and_duplicates_nothing(tmp_path):
    rows = []
    for i in range(300):
        rows += build_track(f"粤W{10000 + i}", "yellow", local_ts(3, 8), [drive(100)], interval_s=30)
    src = tmp_path / "big.parquet"
    pq.write_table(table(rows), src)
    root = tmp_path / "st"
    code = (
        "import sys; from zhifa.monitoring.store import Store; "
        f"Store({str(root)!r}).ingest_files([{str(src)!r}])"
    )
    env = dict(os.environ, ZHIFA_MON_BUCKETS="64")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    # kill once the first partitions have been replaced, i.e. in the middle of the partition loop
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(root.glob("positions/month=*/bucket=*/data.parquet"))) < 3:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(list(root.glob("positions/month=*/bucket=*/data.parquet")))
    assert partial >= 1
    os.environ["ZHIFA_MON_BUCKETS"] = "64"
    try:
        import zhifa.monitoring.store as st

        old = st.N_BUCKETS
        st.N_BUCKETS = 64
        res = Store(root).ingest_files([src])
    finally:
        st.N_BUCKETS = old
        os.environ.pop("ZHIFA_MON_BUCKETS", None)
    got = keys(Store(root))
    assert len(got) == len(rows) == len(set(got))
    assert res.stored + res.duplicates == len(rows)
    assert not list(Path(root).glob("positions/**/.tmp-*"))  # stale temporaries cleared by the next writer
