"""The columnar store of raw WIM records: Parquet partitions by day and station under
``settings.DATA_DIR / "overload" / "raw" / "day=YYYY-MM-DD" / "station=CODE" / part-*.parquet``.

Crash safety and idempotency on ``(station_code, record_id)``:

* a partition is written under an exclusive file lock; rows whose record id the partition already holds
  (or that repeat within the batch) are dropped, so a re-sent batch adds nothing;
* the new rows go to a temporary file in the same directory, which is flushed, fsynced and then renamed
  to ``part-<digest>.parquet`` (``rename`` is atomic on POSIX): a reader or a ``kill -9`` sees either the
  whole part or none of it. Readers only read ``part-*.parquet``; stale temporary files are removed by
  the next writer of the partition.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings

from .records import SCHEMA


def root() -> Path:
    return Path(settings.DATA_DIR) / "overload" / "raw"


def partition_dir(day: date, station_code: str) -> Path:
    return root() / f"day={day.isoformat()}" / f"station={quote(station_code, safe='')}"


def part_files(day: date | None = None, station_code: str | None = None) -> list[Path]:
    base = root()
    if not base.exists():
        return []
    day_glob = f"day={day.isoformat()}" if day else "day=*"
    st_glob = f"station={quote(station_code, safe='')}" if station_code else "station=*"
    return sorted(base.glob(f"{day_glob}/{st_glob}/part-*.parquet"))


def partitions() -> list[tuple[date, str]]:
    out = set()
    for p in part_files():
        out.add((date.fromisoformat(p.parent.parent.name[4:]), unquote(p.parent.name[8:])))
    return sorted(out)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _existing_ids(directory: Path) -> set[str]:
    ids: set[str] = set()
    for p in sorted(directory.glob("part-*.parquet")):
        ids.update(pq.read_table(p, columns=["record_id"]).column("record_id").to_pylist())
    return ids


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class StoreResult:
    received: int = 0
    stored: int = 0
    already_present: int = 0
    partitions: list[tuple[date, str]] = field(default_factory=list)


def write_partition(day: date, station_code: str, table: pa.Table) -> tuple[int, int]:
    """Append ``table`` (rows of one day and station) idempotently; returns (stored, already present)."""
    directory = partition_dir(day, station_code)
    with _locked(directory):
        for stale in directory.glob(".tmp-*"):
            stale.unlink(missing_ok=True)
        seen = _existing_ids(directory)
        keep, ids = [], []
        for i, rid in enumerate(table.column("record_id").to_pylist()):
            if rid in seen:
                continue
            seen.add(rid)
            keep.append(i)
            ids.append(rid)
        if not keep:
            return 0, table.num_rows
        new = table.take(pa.array(keep, pa.int64())).sort_by(
            [("passed_at", "ascending"), ("record_id", "ascending")]
        )
        name = "part-" + hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:24] + ".parquet"
        tmp = directory / f".tmp-{uuid.uuid4().hex}.parquet"
        with open(tmp, "wb") as fh:
            pq.write_table(new, fh, compression="zstd")
            fh.flush()
            os.fsync(fh.fileno())
        os.rename(tmp, directory / name)
        _fsync_dir(directory)
        return len(keep), table.num_rows - len(keep)


def store_table(table: pa.Table) -> StoreResult:
    """Split a table of stored-form records by (day, station) and write each partition."""
    res = StoreResult(received=table.num_rows)
    if not table.num_rows:
        return res
    table = table.cast(SCHEMA)
    days = pc.cast(table.column("passed_at"), pa.date32())
    keys = sorted(
        {(d, s) for d, s in zip(days.to_pylist(), table.column("station_code").to_pylist(), strict=True)}
    )
    for day, station in keys:
        mask = pc.and_(
            pc.equal(days, pa.scalar(day, pa.date32())), pc.equal(table.column("station_code"), station)
        )
        stored, present = write_partition(day, station, table.filter(mask))
        res.stored += stored
        res.already_present += present
        res.partitions.append((day, station))
    return res


def files_for(station_code: str, days: list[date], *, with_previous_day: bool = True) -> list[str]:
    """Part files of ``station_code`` on ``days`` (and the day before each, for the dedupe window)."""
    wanted = set(days)
    if with_previous_day:
        wanted |= {d - timedelta(days=1) for d in days}
    out: list[str] = []
    for d in sorted(wanted):
        out.extend(str(p) for p in part_files(d, station_code))
    return out


def read_records(station_code: str, day: date) -> pa.Table:
    files = part_files(day, station_code)
    if not files:
        return SCHEMA.empty_table()
    return pa.concat_tables([pq.read_table(p, schema=SCHEMA) for p in files])


def all_files() -> list[str]:
    return [str(p) for p in part_files()]
