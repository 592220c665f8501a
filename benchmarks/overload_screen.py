"""Benchmark of the 治超 screening engine (issue 6, Performance).

    .venv/bin/python benchmarks/overload_screen.py [--rows 10000000] [--file /tmp/zf-bench/wim.parquet]

1. Generates (once; reused while the row count matches) a Parquet file of ``--rows`` WIM records in the
   stored schema: four stations over 30 days, 2–7 axles, gross masses around the limits, some
   unreadable plates, repeated passages and re-sent record ids.
2. In ONE child process (so that its peak RSS is the screening's, not the generator's), measures:
   * the plain scan: DuckDB reads every column of the file and hands the rows to the client as Arrow
     record batches (an aggregate-only scan is printed for reference);
   * the screening: the production query (:func:`zhifa.overload.screening.screening_sql`), every output
     column of issue 6 §3 (verdict, limit, tolerance, excess, rule and reason text) handed to the client
     the same way — on the stored form, whose record ids are unique (the raw-file mode, which also looks
     for repeated ids, is printed for reference);
   and prints both rates, their ratio (must be ≥ 0.25) and the child's peak memory (must be < 2 GB).
A test never asserts these times; this script exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GENERATE = """
COPY (
  WITH g AS (
    SELECT i, hash(i) AS h, hash(i * 7919) AS h2,
           CASE WHEN hash(i) % 100 < 8 THEN 2 WHEN hash(i) % 100 < 20 THEN 3 WHEN hash(i) % 100 < 30 THEN 4
                WHEN hash(i) % 100 < 40 THEN 5 WHEN hash(i) % 100 < 95 THEN 6 ELSE 7 END AS axles
    FROM range({rows}) t(i)
  ), v AS (
    SELECT *, CASE WHEN axles IN (2, 3) AND h2 % 3 = 0 THEN 'truck' WHEN axles = 2 THEN 'truck'
                   WHEN axles = 3 THEN 'truck' WHEN axles = 4 AND h2 % 2 = 0 THEN 'truck' ELSE 'combination' END AS kind,
           CASE axles WHEN 2 THEN 18000 WHEN 3 THEN 25000 WHEN 4 THEN 31000 WHEN 5 THEN 43000 ELSE 49000 END AS nominal
    FROM g
  ), w AS (
    SELECT *, CAST(nominal * (0.55 + (h2 % 6000) / 10000.0) AS INTEGER) AS gross FROM v
  )
  SELECT
    'R' || i AS record_id,  -- unique per station, as in the idempotent store
    'BM-' || (h % 4) AS station_code,
    CAST(1 + h % 2 AS SMALLINT) AS lane,
    TIMESTAMP '2026-10-01 00:00:00' + to_microseconds(CAST(i * (2592000000000 // {rows}) AS BIGINT)) AS passed_at,
    '粤' || chr(65 + CAST(h2 % 8 AS INTEGER)) || lpad(CAST(h % 90000 + 10000 AS VARCHAR), 5, '0') AS plate,
    (i % 250) <> 0 AS plate_valid,
    'yellow' AS plate_color,
    CAST(axles AS SMALLINT) AS axle_count,
    kind AS vehicle_kind,
    CAST(gross AS INTEGER) AS gross_kg,
    list_transform(range(axles), lambda x: CAST(gross // axles AS INTEGER)) AS axle_weights_kg,
    list_transform(range(axles - 1), lambda x: CAST(1300 + (h2 % 600) AS INTEGER)) AS axle_spacings_mm,
    axles >= 6 AND h % 10 = 0 AS drive_axle_single,
    CAST(CASE WHEN h % 20 = 0 THEN 1 ELSE 0 END AS SMALLINT) AS single_tyre_axles,
    h % 50 = 0 AS wide_tyre,
    h % 3 = 0 AS air_suspension,
    CAST(40 + h % 50 AS FLOAT) AS speed_kmh,
    '5' AS device_class,
    ['wim://' || i || '/front.jpg', 'wim://' || i || '/side.jpg'] AS images,
    '' AS extra
  FROM w
) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)
"""

SCAN = """SELECT count(record_id), count(station_code), max(passed_at), count(plate), count_if(plate_valid),
  count(plate_color), sum(axle_count), count(vehicle_kind), sum(gross_kg), sum(len(axle_weights_kg)),
  sum(len(axle_spacings_mm)), count_if(drive_axle_single), sum(single_tyre_axles), count_if(wide_tyre),
  count_if(air_suspension), count(device_class)
FROM read_parquet('{path}')"""


def _stations():
    from zhifa.overload.screening import StationInfo

    ok = (date(2026, 1, 1), date(2027, 1, 1))
    return [
        StationInfo("BM-0", "5", "BM-C0", *ok),
        StationInfo("BM-1", "2", "BM-C1", *ok),
        StationInfo("BM-2", "10", "BM-C2", *ok),
        StationInfo("BM-3", "5", "BM-C3", date(2025, 10, 1), date(2026, 10, 15)),
    ]  # expires mid-month


def generate(path: Path, rows: int) -> None:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    t = time.perf_counter()
    con.execute(GENERATE.format(rows=rows, path=str(tmp)))
    os.replace(tmp, path)
    (path.with_suffix(".rows")).write_text(str(rows))
    print(
        f"已生成 {rows:,} 条记录：{path}（{path.stat().st_size / 1e6:.0f} MB，{time.perf_counter() - t:.1f} 秒）"
    )


def _drain(con, sql: str) -> tuple[int, float]:
    """Run ``sql`` and pull every result row to the client as Arrow record batches."""
    t = time.perf_counter()
    n = 0
    for batch in con.sql(sql).to_arrow_reader(1 << 17):
        n += batch.num_rows
    return n, time.perf_counter() - t


def measure(path: Path, threads: int | None) -> dict:
    from zhifa.overload.screening import Params, connect, output_select, parquet_source, screening_sql

    con = connect(_stations(), memory_limit="1GB", threads=threads)
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{path.parent / 'spill'}'")
    src = parquet_source([str(path)])
    _drain(con, f"SELECT * FROM read_parquet('{path}')")  # warm the OS page cache once for every run
    # baseline: DuckDB merely scans the file — every column read, decoded and handed over as Arrow
    rows, scan_s = _drain(con, f"SELECT * FROM read_parquet('{path}')")
    t = time.perf_counter()
    con.execute(SCAN.format(path=path)).fetchall()
    agg_scan_s = time.perf_counter() - t

    params = Params(
        tolerance_bp={"0.2": 20, "0.5": 50, "1": 100, "2": 200, "5": 500, "10": 1000}, dedupe_minutes=60
    )
    # screening of the store (record ids unique by construction): every output column to the client
    n, screen_s = _drain(con, output_select(screening_sql(src, params, unique_ids=True), ordered=False))
    assert n == rows
    # the same on a raw file (the CLI), where repeated record ids must also be found
    _, raw_s = _drain(con, output_select(screening_sql(src, params, unique_ids=False), ordered=False))
    verdicts = con.execute(
        f"SELECT verdict, count(*) FROM ({screening_sql(src, params, unique_ids=True)}) GROUP BY 1"
    ).fetchall()
    con.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": rows,
        "scan_s": scan_s,
        "agg_scan_s": agg_scan_s,
        "screen_s": screen_s,
        "raw_s": raw_s,
        "scan_rate": rows / scan_s,
        "agg_scan_rate": rows / agg_scan_s,
        "screen_rate": rows / screen_s,
        "raw_rate": rows / raw_s,
        "ratio": scan_s / screen_s,
        "agg_ratio": agg_scan_s / screen_s,
        "peak_mb": peak_kb / 1024,
        "verdicts": {v[0]: v[1] for v in verdicts},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description="治超筛查基准测试 / overload screening benchmark")
    ap.add_argument("--rows", type=int, default=10_000_000, help="记录数 / rows (default 10,000,000)")
    ap.add_argument("--file", default="/tmp/zf-bench/wim.parquet", help="Parquet 文件 / file")
    ap.add_argument("--threads", type=int, default=None, help="DuckDB 线程数 / threads (default: all cores)")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    path = Path(args.file)
    if args.measure:
        print(json.dumps(measure(path, args.threads)))
        return 0
    marker = path.with_suffix(".rows")
    if not (path.exists() and marker.exists() and marker.read_text() == str(args.rows)):
        generate(path, args.rows)
    cmd = [sys.executable, __file__, "--measure", "--file", str(path)]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print(f"记录数 {r['rows']:,}")
    print(f"DuckDB 直接扫描（全部列读出为 Arrow）：{r['scan_s']:.2f} 秒，{r['scan_rate']:,.0f} 条/秒")
    print(f"筛查（全部输出列读出为 Arrow）：{r['screen_s']:.2f} 秒，{r['screen_rate']:,.0f} 条/秒")
    print(f"比值（筛查/扫描）：{r['ratio']:.3f}（要求 ≥ 0.25）")
    print(
        f"参考：DuckDB 聚合扫描（不输出行）{r['agg_scan_rate']:,.0f} 条/秒，对它的比值 {r['agg_ratio']:.3f}；"
        f"原始文件筛查（另查重复流水号）{r['raw_rate']:,.0f} 条/秒"
    )
    print(f"筛查进程峰值内存：{r['peak_mb']:,.0f} MB（要求 < 2048 MB）")
    print("结论分布：" + "，".join(f"{k} {v:,}" for k, v in sorted(r["verdicts"].items())))
    ok = r["ratio"] >= 0.25 and r["peak_mb"] < 2048
    print("达标" if ok else "未达标")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
