"""Benchmark: the monthly KPI + violation pass over a generated month, against two baselines in the same run.

    .venv/bin/python benchmarks/monitor_metrics.py [--points 20000000] [--vehicles 2000] [--pandas-vehicles 200]
        [--dir DIR [--reuse]] [--out OUT] [--no-pandas] [--zones N]

(``--dir DIR --reuse`` runs again on the month generated in DIR; ``--out`` writes the four output files, to
compare them byte for byte between two versions of the code; ``--zones N`` adds a 路段限速 layer of N zones
over the generated area, to measure its cost: without it the pass has no zone to look up.)

1. generates a month (trips of 30-s points, daily rest stops, a long stop, overnight gaps, offline gaps, drift
   spikes, unpositioned records, overspeed) straight into the store layout (month / vehicle bucket, sorted by
   vehicle and time);
2. scan: DuckDB reads every stored column of every point (``SELECT count(*), sum(...)`` over all columns);
3. metrics: the DuckDB engine computes every KPI and violation (engine.compute, the production path);
4. baseline: a straightforward pandas ``groupby("plate").apply`` computing the same kind of per-vehicle
   figures (checks, drift, gaps, mileage, fatigue stretches), on ``--pandas-vehicles`` vehicles' points
   (its points/second rate is what is compared);
5. prints points/second of each, the ratios (target: metrics ≥ 0.2 × scan, ≥ 10 × pandas) and peak memory
   (ru_maxrss of this process; target < 4 GB).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import zlib
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

MONTH = "2025-03"


def generate(root: Path, points: int, vehicles: int, buckets: int) -> list[str]:
    import duckdb

    from zhifa.monitoring.store import month_bounds

    start, _ = month_bounds(MONTH)
    per_v = points // vehicles
    per_day = max(1, per_v // 31)
    con = duckdb.connect()
    con.execute("SET memory_limit='2GB'")
    con.execute("CREATE TABLE veh (v INTEGER, plate VARCHAR, bucket INTEGER)")
    con.executemany(
        "INSERT INTO veh VALUES (?, ?, ?)",
        [(i, f"粤W{i:05d}", zlib.crc32(f"粤W{i:05d}|yellow".encode()) % buckets) for i in range(vehicles)],
    )
    pos = root / "positions"
    pos.mkdir(parents=True, exist_ok=True)
    # k: point of the day; a 25-minute rest after 2/3 of the day's points, a 3-hour drive before it
    con.execute(f"""
        COPY (
          SELECT plate, 'yellow' AS plate_color, CAST(ts AS BIGINT) AS ts,
            CAST(CASE WHEN h % 4999 = 7 THEN lon + 0.5 ELSE lon END AS DOUBLE) AS lon,
            CAST(CASE WHEN h % 4999 = 7 THEN lat + 0.3 ELSE lat END AS DOUBLE) AS lat,
            CAST(speed_kmh AS DOUBLE) AS speed_kmh, CAST(h % 360 AS INTEGER) AS heading, CAST(50 + h % 40 AS INTEGER) AS altitude_m,
            CAST(0 AS BIGINT) AS alarm, CAST(CASE WHEN h % 997 = 3 THEN 1 ELSE 3 END AS BIGINT) AS status,
            CAST(NULL AS DOUBLE) AS mileage_km, CAST(ts + 3 AS BIGINT) AS recv_ts, 'bench' AS source,
            '{MONTH}' AS month, printf('%02d', bucket) AS bucket
          FROM (
            SELECT veh.plate, veh.bucket, d.day, k.k,
              {start} + d.day * 86400 + 6 * 3600 + (veh.v % 7) * 600 + k.k * 30
                + CASE WHEN k.k >= {per_day * 2 // 3} THEN 1500 ELSE 0 END AS ts,
              111.0 + (veh.v % 50) * 0.02 + (CASE WHEN d.day % 2 = 0 THEN k.k ELSE {per_day} - k.k END) * 0.0049
                AS lon,
              22.8 + (veh.v % 40) * 0.015 AS lat,
              CASE WHEN k.k % 97 < 3 AND veh.v % 5 = 0 THEN 108.0
                   WHEN k.k % 150 > 140 THEN 0.0 ELSE 55.0 + (k.k % 20) END AS speed_kmh,
              hash(veh.v, d.day, k.k) AS h
            FROM veh, range(31) d(day), range({per_day}) k(k)
            WHERE NOT (veh.v % 11 = 0 AND k.k BETWEEN 100 AND 140)
          ) x
          ORDER BY bucket, plate, ts
        ) TO '{pos}' (FORMAT PARQUET, PARTITION_BY (month, bucket), COMPRESSION ZSTD, OVERWRITE_OR_IGNORE)""")
    # the store's layout: one file per partition, sorted by vehicle and time (the partitioned COPY above
    # writes its chunks in no particular order)
    files = []
    for d in sorted(pos.glob("month=*/bucket=*")):
        parts = sorted(str(f) for f in d.glob("*.parquet"))
        target = d / "data.parquet"
        tmp = d / ".sorted.parquet"
        con.execute(
            f"COPY (SELECT * FROM read_parquet({parts!r}, hive_partitioning=false) ORDER BY plate, plate_color, ts) "
            f"TO '{tmp}' (FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 122880)"
        )
        for f in parts:
            Path(f).unlink()
        tmp.rename(target)
        files.append(str(target))
    con.close()
    return files


def scan(files: list[str]) -> tuple[int, float]:
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    n = con.execute(
        "SELECT count(*), sum(length(plate)), sum(length(plate_color)), sum(ts), sum(lon), sum(lat), sum(speed_kmh), "
        "sum(heading), sum(altitude_m), sum(alarm), sum(status), sum(mileage_km), sum(recv_ts), sum(length(source)) "
        "FROM read_parquet(?, hive_partitioning=false)",
        [files],
    ).fetchone()[0]
    dt = time.perf_counter() - t0
    con.close()
    return int(n), dt


def pandas_baseline(files: list[str], vehicles: int) -> tuple[int, float]:
    import numpy as np
    import pandas as pd
    import pyarrow.dataset as ds

    plates = [f"粤W{i:05d}" for i in range(vehicles)]
    t_read = time.perf_counter()
    df = ds.dataset(files).to_table(filter=ds.field("plate").isin(plates)).to_pandas()
    _ = t_read

    def per_vehicle(g: pd.DataFrame) -> pd.Series:
        g = g.sort_values("ts")
        bad = (
            (g.lon == 0)
            | (g.lat == 0)
            | (g.lon < 73)
            | (g.lon > 136)
            | (g.lat < 3)
            | (g.lat > 54)
            | (g.speed_kmh < 0)
            | (g.speed_kmh > 160)
            | (g.heading < 0)
            | (g.heading > 359)
            | ((g.status // 2) % 2 == 0)
        )
        q = g[~bad]
        lat, lon, ts = np.radians(q.lat.values), np.radians(q.lon.values), q.ts.values
        dlat, dlon = np.diff(lat), np.diff(lon)
        a = np.sin(dlat / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(dlon / 2) ** 2
        dist = 2 * 6371008.8 * np.arcsin(np.sqrt(np.minimum(a, 1)))
        dt = np.diff(ts)
        v = np.where(dt > 0, dist / np.maximum(dt, 1) * 3.6, 0)
        drift = int(((v[:-1] > 200) & (v[1:] > 200)).sum())
        incomplete = (dt > 300) & (dist > 2000)
        speed0 = q.speed_kmh.values[:-1]
        driving = np.where(dt <= 600, speed0 >= 5, dist * 3.6 >= 5 * dt)
        # continuous-driving stretches, a Python loop as one would write it
        stretch, rest, fatigue = 0, 0, 0
        for d_, s_ in zip(driving, dt, strict=True):
            if d_:
                if rest >= 1200:
                    stretch = 0
                rest = 0
                stretch += s_
                if stretch > 14400:
                    fatigue += 1
                    stretch = 0
            else:
                rest += s_
        over = (q.speed_kmh.values > 100).sum()
        return pd.Series(
            {
                "records": len(g),
                "qualified": len(q),
                "drift": drift,
                "total_m": dist.sum(),
                "complete_m": dist[~incomplete].sum(),
                "fatigue": fatigue,
                "over": int(over),
            }
        )

    t0 = time.perf_counter()
    out = df.groupby("plate").apply(per_vehicle)
    dt = time.perf_counter() - t0
    return int(out["records"].sum()), dt


def bench_zones(n: int) -> list:
    """``n`` rectangular zones, 0.1° × 0.05°, in rows of 20 from (111.0 E, 22.8 N): the generated vehicles'
    area; expressway, one-lane highway and urban road in turn (100, 70 and 50 km/h for the coaches)."""
    from zhifa.monitoring.zones import ZoneSpec

    out = []
    for i in range(n):
        x, y = 111.0 + 0.1 * (i % 20), 22.8 + 0.05 * (i // 20)
        ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.05], [x, y + 0.05], [x, y]]
        kind = ("expressway", "highway_one_lane", "urban_one_lane")[i % 3]
        out.append(ZoneSpec(f"Z{i:05d}", kind, {"type": "Polygon", "coordinates": [ring]}))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=20_000_000)
    ap.add_argument("--vehicles", type=int, default=2000)
    ap.add_argument("--pandas-vehicles", type=int, default=200)
    ap.add_argument("--buckets", type=int, default=16)
    ap.add_argument("--dir", help="work directory (default: a temporary one)")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="复用 --dir 中已生成的数据 / reuse the month already generated in --dir",
    )
    ap.add_argument(
        "--out", help="另将四个输出文件写入此目录（用于比对） / also write the four output files here"
    )
    ap.add_argument("--no-pandas", action="store_true", help="跳过 pandas 基线 / skip the pandas baseline")
    ap.add_argument(
        "--zones", type=int, default=0, help="路段限速区域数（默认 0） / speed-limit zones to add"
    )
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.config.settings")
    from zhifa.monitoring import engine as eng
    from zhifa.monitoring.rules import rules_for

    tmp = None
    if args.dir:
        root = Path(args.dir)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="zhifa-bench-")
        root = Path(tmp.name)
    t0 = time.perf_counter()
    if args.reuse and args.dir:
        files = sorted(str(f) for f in (root / "positions").glob("month=*/bucket=*/data.parquet"))
        print(f"复用已生成数据：{len(files)} 个分区")
    else:
        files = generate(root, args.points, args.vehicles, args.buckets)
        print(f"生成：{time.perf_counter() - t0:.1f} 秒，{len(files)} 个分区")
    n, t_scan = scan(files)
    print(f"扫描（读取全部列）：{n:,} 点，{t_scan:.2f} 秒，{n / t_scan:,.0f} 点/秒")
    vehicles = [
        eng.VehicleInfo(
            f"粤W{i:05d}", "yellow", ["coach", "charter", "dangerous"][i % 3], f"企业{i % 40}", "郁南县", 1
        )
        for i in range(args.vehicles)
    ]
    rules = rules_for(date(2025, 3, 1))
    # the compiled pass: loaded from numba's cache (compiled on the first run after an install or a change of
    # kernel.py, a few seconds) once per process; timed on its own, not in the figure below
    t0 = time.perf_counter()
    from zhifa.monitoring import definitions as d

    d.warm_up(rules)
    t_load = time.perf_counter() - t0
    kernel = "numba 编译内核" if d.kernel() is not None else "NumPy（未使用 numba）"
    print(f"载入计算内核（{kernel}，每个进程一次，不计入下面的指标时间）：{t_load:.2f} 秒")
    zones = bench_zones(args.zones)
    if zones:
        print(f"路段限速：{len(zones)} 个区域")
    res = eng.compute(files, vehicles, rules, month=MONTH, zones=zones)
    t_kpi = res.seconds
    print(
        f"指标+违规（DuckDB）：{t_kpi:.2f} 秒，{n / t_kpi:,.0f} 点/秒；违规 {len(res.violations)} 起；"
        f"比率 {res.summary['rates']}"
    )
    if args.out:
        eng.write_outputs(res, Path(args.out))
    if args.no_pandas:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        print(
            f"比值：指标/扫描 = {(t_scan / t_kpi):.3f}（目标 ≥ 0.2；含内核载入 {t_scan / (t_kpi + t_load):.3f}）；"
            f"峰值内存：{peak:.2f} GB"
        )
        return 0
    pn, t_pd = pandas_baseline(files, args.pandas_vehicles)
    print(
        f"pandas groupby-apply 基线（{args.pandas_vehicles} 辆车）：{pn:,} 点，{t_pd:.2f} 秒，{pn / t_pd:,.0f} 点/秒"
    )
    ratio_scan = (n / t_kpi) / (n / t_scan)
    ratio_pd = (n / t_kpi) / (pn / t_pd)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"比值：指标/扫描 = {ratio_scan:.3f}（目标 ≥ 0.2）；指标/pandas = {ratio_pd:.1f}×（目标 ≥ 10×）")
    cold = t_kpi + t_load
    print(
        f"含内核载入（新进程首次计算）：指标/扫描 = {t_scan / cold:.3f}；"
        f"指标/pandas = {(n / cold) / (pn / t_pd):.1f}×"
    )
    print(f"峰值内存：{peak:.2f} GB（目标 < 4 GB）")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
