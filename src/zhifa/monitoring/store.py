"""The columnar positions store: Parquet partitions laid out for the monthly pass.

Layout under ``root`` (default ``settings.DATA_DIR / "monitoring"``)::

    positions/month=YYYY-MM/bucket=NN/data.parquet   one file per partition, sorted by plate, colour, ts
    networked/YYYY-MM.json                            vehicles online in a month (for 入网 = ever online)
    .lock                                             single writer

Idempotency on (vehicle, ts) and crash safety: an ingest normalises its batch, then for every partition it
touches writes ``existing ∪ new`` (the existing row wins on a repeated key, so a re-sent batch changes
nothing) to a temporary file in the same directory, fsyncs it and renames it over ``data.parquet``
(``rename`` is atomic on POSIX) and fsyncs the directory. A ``kill -9`` leaves every partition either
before or after its rewrite; running the same ingest again completes it without duplicating a point.
Readers never look at temporary files; the next writer removes them.

Partition month: the month of ``ts`` (Asia/Shanghai) when the time is plausible, otherwise the month of
receipt, so that a record with an invalid or future time is still counted (as unqualified) in the month
it arrived.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from zhifa.core.identifiers import PlateColor, normalise_plate, parse_plate_color

N_BUCKETS = int(os.environ.get("ZHIFA_MON_BUCKETS", "16"))
TZ_OFFSET_S = 8 * 3600  # Asia/Shanghai has had no DST since 1991

COLUMNS = [
    "plate",
    "plate_color",
    "ts",
    "lon",
    "lat",
    "speed_kmh",
    "heading",
    "altitude_m",
    "alarm",
    "status",
    "mileage_km",
    "recv_ts",
    "source",
]
SCHEMA = pa.schema(
    [
        ("plate", pa.string()),
        ("plate_color", pa.string()),
        ("ts", pa.int64()),
        ("lon", pa.float64()),
        ("lat", pa.float64()),
        ("speed_kmh", pa.float64()),
        ("heading", pa.int32()),
        ("altitude_m", pa.int32()),
        ("alarm", pa.int64()),
        ("status", pa.int64()),
        ("mileage_km", pa.float64()),
        ("recv_ts", pa.int64()),
        ("source", pa.string()),
    ]
)
OPTIONAL = ("speed_kmh", "heading", "altitude_m", "alarm", "status", "mileage_km")


def default_root() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "monitoring"


def bucket_of(plate: str, color: str, n: int = N_BUCKETS) -> int:
    return zlib.crc32(f"{plate}|{color}".encode()) % n


def month_of_epoch(ts: int) -> str:
    t = time.gmtime(ts + TZ_OFFSET_S)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}"


def month_bounds(month: str) -> tuple[int, int]:
    """Epoch seconds of the month's first instant and of the next month's, Asia/Shanghai."""
    import calendar

    y, m = (int(x) for x in month.split("-"))
    start = calendar.timegm((y, m, 1, 0, 0, 0)) - TZ_OFFSET_S
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    return start, calendar.timegm((ny, nm, 1, 0, 0, 0)) - TZ_OFFSET_S


@dataclass
class IngestResult:
    received: int = 0
    stored: int = 0  # new points written
    duplicates: int = 0  # already in the store or repeated in the batch
    rejected: int = 0
    errors: list[str] = field(default_factory=list)  # first few rejected rows, Chinese
    partitions: int = 0


class Store:
    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else default_root()

    # --- reading ---------------------------------------------------------------------------------
    @property
    def positions_dir(self) -> Path:
        return self.root / "positions"

    def month_files(self, month: str) -> list[Path]:
        return sorted((self.positions_dir / f"month={month}").glob("bucket=*/data.parquet"))

    def vehicle_files(self, plate: str, color: str, month: str) -> list[str]:
        f = self.positions_dir / f"month={month}" / f"bucket={bucket_of(plate, color):02d}" / "data.parquet"
        return [str(f)] if f.exists() else []

    def months(self) -> list[str]:
        if not self.positions_dir.exists():
            return []
        return sorted(
            p.name[6:] for p in self.positions_dir.glob("month=*") if any(p.glob("bucket=*/data.parquet"))
        )

    def vehicle_points(self, plate: str, color: str, start: int, end: int) -> list[dict]:
        """One vehicle's points in [start, end), from the partitions that can hold them."""
        b = bucket_of(plate, color)
        files = []
        m, stop = month_of_epoch(start), month_of_epoch(end - 1)
        months = [x for x in self.months() if m <= x <= stop]
        for mm in months:
            f = self.positions_dir / f"month={mm}" / f"bucket={b:02d}" / "data.parquet"
            if f.exists():
                files.append(str(f))
        if not files:
            return []
        con = duckdb.connect()
        rows = con.execute(
            "SELECT ts, lon, lat, speed_kmh, heading, status, alarm FROM read_parquet(?) "
            "WHERE plate = ? AND plate_color = ? AND ts >= ? AND ts < ? ORDER BY ts",
            [files, plate, color, start, end],
        ).fetchall()
        con.close()
        keys = ["ts", "lon", "lat", "speed_kmh", "heading", "status", "alarm"]
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def count(self, month: str | None = None) -> int:
        files = (
            self.month_files(month)
            if month
            else sorted(self.positions_dir.glob("month=*/bucket=*/data.parquet"))
        )
        if not files:
            return 0
        con = duckdb.connect()
        n = con.execute("SELECT count(*) FROM read_parquet(?)", [[str(f) for f in files]]).fetchone()[0]
        con.close()
        return int(n)

    # --- networked (入网) sidecar ------------------------------------------------------------------
    def networked_before(self, month: str) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        d = self.root / "networked"
        if d.exists():
            for f in sorted(d.glob("*.json")):
                if f.stem < month:
                    out.update(tuple(x) for x in json.loads(f.read_text("utf-8")))
        return out

    def save_online(self, month: str, vehicles: Iterable[tuple[str, str]]) -> None:
        d = self.root / "networked"
        d.mkdir(parents=True, exist_ok=True)
        _atomic_write(d / f"{month}.json", json.dumps(sorted(vehicles), ensure_ascii=False).encode("utf-8"))

    # --- writing ---------------------------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def ingest_files(self, paths: Iterable[Path | str], *, source: str = "file") -> IngestResult:
        total = IngestResult()
        for p in paths:
            r = self._ingest_relation(_file_sql(Path(p)), source=source, label=Path(p).name)
            _add(total, r)
        return total

    def ingest_table(self, table: pa.Table, *, source: str) -> IngestResult:
        return self._ingest_relation(None, source=source, table=table, label="batch")

    def _ingest_relation(
        self, from_sql: str | None, *, source: str, table: pa.Table | None = None, label: str
    ) -> IngestResult:
        res = IngestResult()
        con = duckdb.connect()
        try:
            con.execute("SET TimeZone='Asia/Shanghai'")
            if table is not None:
                con.register("raw_in", table)
                con.execute("CREATE TEMP VIEW raw AS SELECT * FROM raw_in")
            else:
                con.execute(f"CREATE TEMP VIEW raw AS SELECT * FROM {from_sql}")
            cols = {r[0]: r[1] for r in con.execute("DESCRIBE raw").fetchall()}
            missing = [c for c in ("plate", "plate_color", "ts", "lon", "lat") if c not in cols]
            if missing:
                raise ValueError(f"{label}：缺少必需的列 {', '.join(missing)}")
            now = int(time.time())
            con.execute(_normalise_sql(cols, now, source))
            res.received = con.execute("SELECT count(*) FROM norm").fetchone()[0]
            # each distinct (plate, colour) as written -> the vehicle as the store keeps it, by core.identifiers
            # (normalise_plate; colour: canonical / Chinese / JT/T 697.7 code) and its bucket: one definition,
            # applied once per distinct key, so the store only ever holds normalised plates
            keys = con.execute(
                "SELECT DISTINCT plate_raw, color_raw FROM norm WHERE ts IS NOT NULL"
            ).fetchall()
            con.execute(
                "CREATE TEMP TABLE vmap (plate_raw VARCHAR, color_raw VARCHAR, plate VARCHAR, plate_color VARCHAR,"
                " bucket INTEGER)"
            )
            vmap = []
            for plate_raw, color_raw in keys:
                plate, colour = vehicle_key(plate_raw, color_raw)
                vmap.append((plate_raw, color_raw, plate, colour, bucket_of(plate, colour)))
            _insert_many(con, "INSERT INTO vmap VALUES (?, ?, ?, ?, ?)", vmap)
            bad = con.execute("SELECT rn, ts_raw FROM norm WHERE ts IS NULL ORDER BY rn LIMIT 20").fetchall()
            res.rejected = con.execute("SELECT count(*) FROM norm WHERE ts IS NULL").fetchone()[0]
            res.errors = [
                f"{label} 第 {rn} 行：定位时间“{raw}”无法识别（应为带时区的 ISO 8601 或 Unix 秒）"
                for rn, raw in bad
            ]
            min_valid = _min_valid_epoch()
            con.execute(f"""
                CREATE TEMP TABLE batch AS
                SELECT m.plate, m.plate_color, n.ts, n.lon, n.lat, n.speed_kmh, n.heading, n.altitude_m, n.alarm,
                       n.status, n.mileage_km, n.recv_ts, n.source, m.bucket,
                       CASE WHEN n.ts >= {min_valid} AND n.ts <= n.recv_ts + 86400 THEN n.ts ELSE n.recv_ts END
                         AS part_ts
                FROM norm n JOIN vmap m
                  ON n.plate_raw = m.plate_raw AND n.color_raw IS NOT DISTINCT FROM m.color_raw
                WHERE n.ts IS NOT NULL""")
            con.execute(f"""
                CREATE TEMP TABLE staged AS
                SELECT b.*, strftime(make_timestamp((b.part_ts + {TZ_OFFSET_S}) * 1000000), '%Y-%m') AS month
                FROM batch b""")
            parts = con.execute("SELECT DISTINCT month, bucket FROM staged ORDER BY 1, 2").fetchall()
            cols_sql = ", ".join(COLUMNS)
            with self.locked():
                for month, bucket in parts:
                    pdir = self.positions_dir / f"month={month}" / f"bucket={bucket:02d}"
                    pdir.mkdir(parents=True, exist_ok=True)
                    for stale in pdir.glob(".tmp-*"):
                        stale.unlink(missing_ok=True)
                    target = pdir / "data.parquet"
                    tmp = pdir / f".tmp-{uuid.uuid4().hex}.parquet"
                    existing = (
                        f"SELECT {cols_sql}, 0 AS _o FROM read_parquet('{_q(target)}')"
                        if target.exists()
                        else None
                    )
                    new = (
                        f"SELECT {cols_sql}, 1 AS _o FROM staged "
                        f"WHERE month = '{month}' AND bucket = {int(bucket)}"
                    )
                    union = f"{existing} UNION ALL {new}" if existing else new
                    before = (
                        con.execute(f"SELECT count(*) FROM read_parquet('{_q(target)}')").fetchone()[0]
                        if target.exists()
                        else 0
                    )
                    con.execute(f"""
                        COPY (SELECT {cols_sql} FROM (
                                SELECT *, row_number() OVER (PARTITION BY plate, plate_color, ts
                                                             ORDER BY _o, recv_ts, source) AS _rn
                                FROM ({union})) WHERE _rn = 1
                              ORDER BY plate, plate_color, ts)
                        TO '{_q(tmp)}' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 122880)""")
                    after = con.execute(f"SELECT count(*) FROM read_parquet('{_q(tmp)}')").fetchone()[0]
                    _fsync_file(tmp)
                    os.replace(tmp, target)
                    _fsync_dir(pdir)
                    res.stored += after - before
                    res.partitions += 1
            res.duplicates = res.received - res.rejected - res.stored
        finally:
            con.close()
        return res


def _insert_many(con, sql: str, rows: list) -> None:
    if rows:
        con.executemany(sql, rows)


def _add(total: IngestResult, r: IngestResult) -> None:
    total.received += r.received
    total.stored += r.stored
    total.duplicates += r.duplicates
    total.rejected += r.rejected
    total.partitions += r.partitions
    total.errors.extend(r.errors[: max(0, 50 - len(total.errors))])


def _min_valid_epoch() -> int:
    import calendar

    from .rules import BASE_PARAMS

    year = int(os.environ.get("ZHIFA_MON_MIN_VALID_YEAR", BASE_PARAMS["min_valid_year"].value))
    return calendar.timegm((year, 1, 1, 0, 0, 0)) - TZ_OFFSET_S


def vehicle_key(plate: object, color: object) -> tuple[str, str]:
    """A (plate, colour) as written → the (plate, colour) the store keeps its points under: the plate by
    core.identifiers.normalise_plate, the colour by parse_plate_color (unknown when unreadable)."""
    return normalise_plate(plate), _colour(color)


def _colour(raw: str | None) -> str:
    if raw is None or not str(raw).strip():
        return PlateColor.UNKNOWN.value
    try:
        return parse_plate_color(str(raw).strip(), code_set="jtt697").value
    except ValueError:
        return PlateColor.UNKNOWN.value


def _q(p: Path) -> str:
    return str(p).replace("'", "''")


def _file_sql(path: Path) -> str:
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{_q(path)}')"
    if suffix in (".csv", ".txt"):
        return f"read_csv('{_q(path)}', header=true, all_varchar=true)"
    raise ValueError(f"不支持的文件类型“{path.suffix}”：请提供 .csv 或 .parquet 文件")


def _num(cols: dict, name: str, sql_type: str) -> str:
    if name not in cols:
        return f"CAST(NULL AS {sql_type})"
    return f"TRY_CAST(NULLIF(trim(CAST({name} AS VARCHAR)), '') AS {sql_type})"


def _normalise_sql(cols: dict, now: int, source: str) -> str:
    ts_type = cols["ts"].upper()
    if any(t in ts_type for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL")):
        ts_expr = "CAST(floor(ts) AS BIGINT)"
    elif "TIMESTAMP" in ts_type:
        ts_expr = "CAST(epoch(CAST(ts AS TIMESTAMPTZ)) AS BIGINT)"
    else:
        ts_expr = (
            "CASE WHEN regexp_full_match(trim(ts), '[0-9]+(\\.[0-9]+)?') "
            "THEN CAST(floor(CAST(trim(ts) AS DOUBLE)) AS BIGINT) "
            "ELSE CAST(epoch(TRY_CAST(replace(trim(ts), ' ', 'T') AS TIMESTAMPTZ)) AS BIGINT) END"
        )
    recv = "TRY_CAST(recv_ts AS BIGINT)" if "recv_ts" in cols else str(now)
    src = "source" if "source" in cols else f"'{source}'"
    return f"""
        CREATE TEMP TABLE norm AS
        SELECT row_number() OVER () + 1 AS rn,
               coalesce(CAST(plate AS VARCHAR), '') AS plate_raw,
               CAST(plate_color AS VARCHAR) AS color_raw,
               CAST(ts AS VARCHAR) AS ts_raw,
               {ts_expr} AS ts,
               {_num(cols, "lon", "DOUBLE")} AS lon, {_num(cols, "lat", "DOUBLE")} AS lat,
               {_num(cols, "speed_kmh", "DOUBLE")} AS speed_kmh, {_num(cols, "heading", "INTEGER")} AS heading,
               {_num(cols, "altitude_m", "INTEGER")} AS altitude_m, {_num(cols, "alarm", "BIGINT")} AS alarm,
               {_num(cols, "status", "BIGINT")} AS status, {_num(cols, "mileage_km", "DOUBLE")} AS mileage_km,
               CAST(coalesce({recv}, {now}) AS BIGINT) AS recv_ts, {src} AS source
        FROM raw"""


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def points_table(rows: list[dict], *, source: str) -> pa.Table:
    """An Arrow batch in the store's input shape from dicts (API, gateway)."""
    now = int(time.time())
    data = {c: [r.get(c) for r in rows] for c in COLUMNS if c not in ("recv_ts", "source")}
    data["recv_ts"] = [r.get("recv_ts") or now for r in rows]
    data["source"] = [source] * len(rows)
    data["plate_color"] = [None if v is None else str(v) for v in data["plate_color"]]
    return pa.table(data, schema=SCHEMA)
