"""Run the definitions (definitions.py) on DuckDB (default, embedded) or Apache Spark, and shape the outputs.

Both engines execute the very same SQL steps; everything after the SQL (rates, CSV and JSON formatting) is
plain Python over integer counts, so the two engines' files are byte-identical for the same input.
No Django here: the CLI, the platform and the benchmarks all call :func:`compute`.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from . import definitions as d
from .rules import Rules

CST = timezone(timedelta(hours=8), "Asia/Shanghai")

VEH_COLUMNS = [
    "plate",
    "plate_color",
    "vehicle_type",
    "enterprise",
    "county",
    "required",
    "night_exempt",
    "networked_before",
]


@dataclass(frozen=True)
class VehicleInfo:
    plate: str
    plate_color: str
    vehicle_type: str = ""
    enterprise: str = ""
    county: str = ""
    required: int = 0
    night_exempt: int = 0
    networked_before: int = 0

    def row(self) -> tuple:
        return (
            self.plate,
            self.plate_color,
            self.vehicle_type,
            self.enterprise,
            self.county,
            int(self.required),
            int(self.night_exempt),
            int(self.networked_before),
        )


@dataclass
class MetricsResult:
    month: str
    engine: str
    vehicles: list[dict] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    enterprises: list[dict] = field(default_factory=list)
    counties: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    seconds: float = 0.0


# --- engines ------------------------------------------------------------------------------------------
#
# Both engines evaluate the record-level SQL of definitions.py and feed the same rows to the one track pass
# (definitions.track_pass); raw() turns the pass's arrays into the rows shape() expects.

VEHICLE_MONTH_COLS = VEH_COLUMNS[:6] + ["networked_before"] + list(d.VEHICLE_STATS)
TOTALS_COLS = ["records", "qualified"] + [f"n_{n}" for n, _ in d.CHECKS]
VIOLATION_COLS = ["plate", "plate_color", "type", "t_start", "t_end", "duration_s", "max_speed_kmh", "val"]


def _vehicles_sorted(vehicles: list[VehicleInfo]) -> list[VehicleInfo]:
    """Unique by (plate, colour), in (plate, colour) order: the position is the ``vid`` the definitions use,
    and the store's partitions are sorted in the same order, so a bucket arrives already sorted by vid."""
    seen: dict[tuple[str, str], VehicleInfo] = {}
    for v in vehicles:
        seen.setdefault((v.plate, v.plate_color), v)
    return [seen[k] for k in sorted(seen)]


def _veh_arrow(vs: list[VehicleInfo]):
    import pyarrow as pa

    cols = {c: [v.row()[i] for v in vs] for i, c in enumerate(VEH_COLUMNS)}
    cols["vid"] = list(range(len(vs)))
    return pa.table(
        cols,
        schema=pa.schema(
            [(c, pa.string()) for c in VEH_COLUMNS[:5]]
            + [(c, pa.int64()) for c in VEH_COLUMNS[5:]]
            + [("vid", pa.int64())]
        ),
    )


def _merge(vs: list[VehicleInfo], parts: list[dict], unnamed: dict) -> dict[str, list]:
    """The pass outputs of every batch → vehicle_month, violations and totals rows."""
    import numpy as np

    stats = {k: np.zeros(len(vs), dtype=np.int64) for k in d.VEHICLE_STATS}
    seen = np.zeros(len(vs), dtype=np.int64)
    vio: dict[str, list] = {k: [] for k in d.VIOLATION_FIELDS}
    for p in parts:
        pv = p["vehicles"]
        seen[pv["vid"]] += 1
        for k in d.VEHICLE_STATS:
            stats[k][pv["vid"]] += pv[k]
        for k in d.VIOLATION_FIELDS:
            vio[k].append(p["violations"][k])
    if (seen > 1).any():
        raise _SplitVehicle
    vm = []
    for i, v in enumerate(vs):
        row = v.row()
        vm.append(row[:6] + (row[7],) + tuple(int(stats[k][i]) for k in d.VEHICLE_STATS))
    vrows = []
    if parts:
        cols = {k: np.concatenate(vio[k]) for k in d.VIOLATION_FIELDS}
        for j in range(len(cols["vid"])):
            v = vs[int(cols["vid"][j])]
            ms, val = float(cols["max_speed_kmh"][j]), float(cols["val"][j])
            vrows.append(
                (
                    v.plate,
                    v.plate_color,
                    str(cols["type"][j]),
                    int(cols["t_start"][j]),
                    int(cols["t_end"][j]),
                    int(cols["duration_s"][j]),
                    None if ms != ms else ms,
                    None if val != val else val,
                )
            )
    vrows.sort(key=lambda x: (x[0], x[1], x[3], x[2]))
    tot = [int(stats[k].sum()) + int(unnamed.get(k) or 0) for k in TOTALS_COLS]
    return {
        "vehicle_month": vm,
        "vehicle_month_cols": VEHICLE_MONTH_COLS,
        "violations": vrows,
        "violations_cols": VIOLATION_COLS,
        "totals": [tuple(tot)],
        "totals_cols": TOTALS_COLS,
    }


class _SplitVehicle(Exception):
    """A vehicle's records were found in two batches (files not laid out by vehicle bucket)."""


def _file_groups(files: list[str]) -> list[list[str]]:
    """Store partitions grouped by vehicle bucket (a vehicle's records all lie in one bucket); any other
    input is one group."""
    groups: dict[str, list[str]] = {}
    for f in files:
        b = Path(f).parent.name
        if not b.startswith("bucket="):
            return [list(files)]
        groups.setdefault(b, []).append(f)
    return [groups[k] for k in sorted(groups)]


def _duck_con(threads: int, memory_limit: str | None):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads={int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit='{memory_limit}'")
    return con


def _flist(files: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _duck_pos(con, files: list[str]) -> None:
    from .store import SQL_TYPES

    if files:
        con.execute(
            f"CREATE TEMP VIEW pos AS SELECT * FROM read_parquet({_flist(files)}, hive_partitioning=false)"
        )
    else:
        cols = ", ".join(f"{c} {t}" for c, t in SQL_TYPES.items())
        con.execute(f"CREATE TEMP TABLE pos ({cols})")


def _points_cols(t, index: dict) -> dict:
    """Arrow records (points_sql) → the track pass's arrays, known vehicles only."""
    import numpy as np

    vid = d.vehicle_ids(t.column("plate"), t.column("plate_color"), index)
    cols = {c: t.column(c).to_numpy() for c in ("ts", "lon", "lat", "speed_kmh", "fm")}
    cols["vid"] = vid
    if (vid < 0).any():
        keep = np.flatnonzero(vid >= 0)
        cols = {k: v[keep] for k, v in cols.items()}
    return cols


def _duck_points(con, rules: Rules, index: dict) -> dict:
    return _points_cols(con.sql(d.points_sql(rules)).to_arrow_table(), index)


def run_duckdb(
    files: list[str],
    vehicles: list[VehicleInfo],
    rules: Rules,
    *,
    start: int,
    end: int,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> dict[str, list[tuple]]:
    """One vehicle bucket at a time (``threads`` buckets in parallel, one DuckDB thread each): read the
    bucket's records with their check mask, run the track pass on them, then merge."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    threads = int(threads or os.environ.get("ZHIFA_MON_THREADS") or os.cpu_count() or 1)
    memory_limit = memory_limit or os.environ.get("ZHIFA_MON_DUCKDB_MEMORY") or "1GB"
    vs = _vehicles_sorted(vehicles)
    vt = d.VehicleTable([v.vehicle_type for v in vs], [v.night_exempt for v in vs], rules)
    veh = _veh_arrow(vs)
    index = {(v.plate, v.plate_color): i for i, v in enumerate(vs)}

    def one(group: list[str]) -> dict:
        con = _duck_con(1, memory_limit)
        try:
            _duck_pos(con, group)
            cols = _duck_points(con, rules, index)
        finally:
            con.close()
        return d.track_pass(cols, vt, rules, start=start, end=end)

    # the buckets start at once; meanwhile this thread loads (or compiles) the numba pass, then DuckDB counts
    # the unnamed records (it releases the GIL)
    groups = _file_groups(files) if files else [[]]
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(groups)))) as ex:
        futures = [ex.submit(one, g) for g in groups]
        d.warm_up(rules)
        con = _duck_con(threads, memory_limit)
        try:
            con.register("veh", veh)
            _duck_pos(con, files)
            unnamed = dict(zip(TOTALS_COLS, con.execute(d.unnamed_sql(rules)).fetchone(), strict=True))
        finally:
            con.close()
        parts = [f.result() for f in futures]
    try:
        return _merge(vs, parts, unnamed)
    except _SplitVehicle:
        return _merge(vs, [one(list(files))], unnamed)


def spark_session(master: str = "local[2]", app: str = "zhifa-monitoring"):
    import os
    import sys

    from pyspark.sql import SparkSession

    # the Python workers run the track pass: they need this interpreter's packages (numpy, pyarrow, zhifa)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


_SPARK_OUT = (
    [("kind", "string"), ("vid", "bigint")]
    + [(k, "bigint") for k in d.VEHICLE_STATS]
    + [
        ("type", "string"),
        ("t_start", "bigint"),
        ("t_end", "bigint"),
        ("duration_s", "bigint"),
        ("max_speed_kmh", "double"),
        ("val", "double"),
    ]
)


def _spark_pass(rules: Rules, vt, index: dict, start: int, end: int):
    """The function Spark's Python workers run on each partition (all records of its vehicles)."""

    def run(batches):
        import numpy as np
        import pyarrow as pa

        tables = [pa.Table.from_batches([b]) for b in batches]
        if not tables:
            return
        t = pa.concat_tables(tables)
        cols = _points_cols(t, index)
        if len(cols["vid"]) == 0:
            return
        res = d.track_pass(cols, vt, rules, start=start, end=end)
        pv, vi = res["vehicles"], res["violations"]
        nv, nvio = len(pv["vid"]), len(vi["vid"])
        out = {
            "kind": ["v"] * nv + ["x"] * nvio,
            "vid": np.concatenate([pv["vid"], vi["vid"]]).astype(np.int64),
        }
        for k in d.VEHICLE_STATS:
            out[k] = pa.array(list(pv[k]) + [None] * nvio, type=pa.int64())
        out["type"] = pa.array([None] * nv + [str(x) for x in vi["type"]], type=pa.string())
        for k in ("t_start", "t_end", "duration_s"):
            out[k] = pa.array([None] * nv + [int(x) for x in vi[k]], type=pa.int64())
        for k in ("max_speed_kmh", "val"):
            out[k] = pa.array([None] * nv + [None if x != x else float(x) for x in vi[k]], type=pa.float64())
        yield from pa.table(out).to_batches()

    return run


def run_spark(
    files: list[str], vehicles: list[VehicleInfo], rules: Rules, *, start: int, end: int, spark=None
) -> dict[str, list[tuple]]:
    import numpy as np

    from .store import SCHEMA

    spark = spark or spark_session()
    if files:
        pos = spark.read.parquet(*files)
    else:
        pos = spark.createDataFrame([], _spark_schema(SCHEMA))
    pos.createOrReplaceTempView("pos")
    vs = _vehicles_sorted(vehicles)
    vt = d.VehicleTable([v.vehicle_type for v in vs], [v.night_exempt for v in vs], rules)
    spark.createDataFrame(_veh_arrow(vs).to_pandas()).createOrReplaceTempView("veh")
    unnamed = dict(zip(TOTALS_COLS, spark.sql(d.unnamed_sql(rules)).collect()[0], strict=True))
    schema = ", ".join(f"{n} {t}" for n, t in _SPARK_OUT)
    pts = spark.sql(d.points_sql(rules))
    parts_n = max(1, int(spark.conf.get("spark.sql.shuffle.partitions", "2")))
    index = {(v.plate, v.plate_color): i for i, v in enumerate(vs)}
    part_fn = _spark_pass(rules, vt, index, start, end)
    rows = pts.repartition(parts_n, "plate", "plate_color").mapInArrow(part_fn, schema).collect()
    veh_rows = [r for r in rows if r["kind"] == "v"]
    vio_rows = [r for r in rows if r["kind"] == "x"]
    part = {
        "vehicles": {
            "vid": np.array([r["vid"] for r in veh_rows], dtype=np.int64),
            **{k: np.array([r[k] for r in veh_rows], dtype=np.int64) for k in d.VEHICLE_STATS},
        },
        "violations": {
            "vid": np.array([r["vid"] for r in vio_rows], dtype=np.int64),
            "type": np.array([r["type"] for r in vio_rows], dtype=object),
            **{
                k: np.array([r[k] for r in vio_rows], dtype=np.int64)
                for k in ("t_start", "t_end", "duration_s")
            },
            **{
                k: np.array([np.nan if r[k] is None else r[k] for r in vio_rows], dtype=np.float64)
                for k in ("max_speed_kmh", "val")
            },
        },
    }
    return _merge(vs, [part], unnamed)


def _spark_schema(schema):
    from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, StructField, StructType

    m = {"string": StringType(), "int64": LongType(), "double": DoubleType(), "int32": IntegerType()}
    return StructType([StructField(f.name, m[str(f.type)]) for f in schema])


# --- shaping ------------------------------------------------------------------------------------------


def rate(n: int, den: int) -> float | None:
    return None if not den else round(100.0 * n / den, 2)


def iso(ts: int | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(int(ts), tz=UTC).astimezone(CST).isoformat()


def _hm(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    return f"{h}小时{rem // 60:02d}分{rem % 60:02d}秒"


def violation_detail(v: dict) -> str:
    t, val = v["type"], v["val"]
    if t == "overspeed":
        return f"限速 {val:g} km/h，最高 {v['max_speed_kmh']:.1f} km/h，持续 {v['duration_s']} 秒"
    if t == "fatigue":
        return f"连续驾驶 {_hm(v['duration_s'])}，日间限 {_hm(int(val))}，其间无不少于20分钟的休息"
    if t == "night_fatigue":
        return f"夜间连续驾驶 {_hm(v['duration_s'])}，夜间限 {_hm(int(val))}"
    if t == "daily_fatigue":
        return f"24小时内累计驾驶最多 {_hm(v['duration_s'])}，限 {_hm(int(val))}"
    if t == "coach_night_run":
        return f"凌晨2时至5时行驶 {_hm(v['duration_s'])}"
    if t == "offline_move":
        return f"离线 {_hm(v['duration_s'])}，期间位移 {int(val)} 米"
    return ""


def _agg(rows: list[dict]) -> dict:
    req = [r for r in rows if r["required"]] or rows
    networked = [r for r in req if r["networked"]]
    online = [r for r in req if r["online"]]
    records = sum(r["records"] for r in req)
    qualified = sum(r["qualified"] for r in req)
    total_m = sum(r["total_m"] for r in req)
    complete_m = sum(r["complete_m"] for r in req)
    drifting = sum(1 for r in online if r["drift_points"] > 0)
    return {
        "vehicles_required": len(req),
        "networked": len(networked),
        "online": len(online),
        "records": records,
        "qualified": qualified,
        "total_km": round(total_m / 1000, 3),
        "complete_km": round(complete_m / 1000, 3),
        "drifting": drifting,
        "networked_rate": rate(len(networked), len(req)),
        "online_rate": rate(len(online), len(networked)),
        "quality_rate": rate(qualified, records),
        "completeness_rate": rate(complete_m, total_m),
        "drift_rate": rate(drifting, len(online)),
    }


def shape(raw: dict, *, month: str, engine: str, rules: Rules) -> MetricsResult:
    res = MetricsResult(month=month, engine=engine)
    vcols = raw["vehicle_month_cols"]
    for row in raw["vehicle_month"]:
        r = dict(zip(vcols, row, strict=True))
        for k in vcols:
            if k not in ("plate", "plate_color", "vehicle_type", "enterprise", "county"):
                r[k] = int(r[k] or 0)
        r["online"] = int(r["qualified"] > 0)
        r["networked"] = int(bool(r["networked_before"]) or r["online"])
        r["drifting"] = int(r["drift_points"] > 0 and r["online"])
        res.vehicles.append(r)
    vio_cols = raw["violations_cols"]
    for row in raw["violations"]:
        v = dict(zip(vio_cols, row, strict=True))
        v = {
            "plate": v["plate"],
            "plate_color": v["plate_color"],
            "type": v["type"],
            "start_ts": int(v["t_start"]),
            "end_ts": int(v["t_end"]),
            "duration_s": int(v["duration_s"]),
            "max_speed_kmh": None if v["max_speed_kmh"] is None else round(float(v["max_speed_kmh"]), 1),
            "val": None if v["val"] is None else float(v["val"]),
        }
        v["detail"] = violation_detail(v)
        res.violations.append(v)
    res.violations.sort(key=lambda v: (v["plate"], v["plate_color"], v["start_ts"], v["type"]))
    by_vehicle: dict[tuple, int] = {}
    for v in res.violations:
        by_vehicle[(v["plate"], v["plate_color"])] = by_vehicle.get((v["plate"], v["plate_color"]), 0) + 1
    for r in res.vehicles:
        r["violations"] = by_vehicle.get((r["plate"], r["plate_color"]), 0)
    groups: dict[tuple, list[dict]] = {}
    counties: dict[str, list[dict]] = {}
    for r in res.vehicles:
        if r["enterprise"] or r["required"]:
            groups.setdefault((r["enterprise"], r["county"]), []).append(r)
        counties.setdefault(r["county"], []).append(r)
    for (ent, county), rows in sorted(groups.items()):
        a = _agg(rows)
        a.update(
            enterprise=ent or "（未登记企业）", county=county, violations=sum(x["violations"] for x in rows)
        )
        res.enterprises.append(a)
    for county, rows in sorted(counties.items()):
        a = _agg(rows)
        a.update(county=county or "（未登记）", violations=sum(x["violations"] for x in rows))
        res.counties.append(a)
    tot = dict(zip(raw["totals_cols"], raw["totals"][0], strict=True)) if raw["totals"] else {}
    overall = _agg(res.vehicles)
    records_all = int(tot.get("records") or 0)
    qualified_all = int(tot.get("qualified") or 0)
    failed = {n: int(tot.get(f"n_{n}") or 0) for n, _ in d.CHECKS}
    by_type: dict[str, int] = {}
    for v in res.violations:
        by_type[v["type"]] = by_type.get(v["type"], 0) + 1
    res.summary = {
        "month": month,
        "rates": {
            "入网率": overall["networked_rate"],
            "上线率": overall["online_rate"],
            "数据合格率": rate(qualified_all, records_all),
            "轨迹完整率": overall["completeness_rate"],
            "漂移率": overall["drift_rate"],
        },
        "counts": {
            "vehicles_required": overall["vehicles_required"],
            "networked": overall["networked"],
            "online": overall["online"],
            "drifting": overall["drifting"],
            "records": records_all,
            "qualified": qualified_all,
            "total_km": overall["total_km"],
            "complete_km": overall["complete_km"],
            "violations": len(res.violations),
        },
        "failed_checks": failed,
        "violations_by_type": dict(sorted(by_type.items())),
        "rules": {"version": rules.version, "params": rules.values()},
    }
    return res


def compute(
    files: list[str],
    vehicles: list[VehicleInfo],
    rules: Rules,
    *,
    month: str,
    engine: str = "duckdb",
    spark=None,
    threads: int | None = None,
) -> MetricsResult:
    from .store import month_bounds

    start, end = month_bounds(month)
    t0 = time.perf_counter()
    if engine == "spark":
        raw = run_spark(files, vehicles, rules, start=start, end=end, spark=spark)
    elif engine == "duckdb":
        raw = run_duckdb(files, vehicles, rules, start=start, end=end, threads=threads)
    else:
        raise ValueError(f"未知的计算引擎“{engine}”，应为 duckdb 或 spark")
    res = shape(raw, month=month, engine=engine, rules=rules)
    res.seconds = time.perf_counter() - t0
    return res


VEHICLE_CSV = (
    [
        "plate",
        "plate_color",
        "vehicle_type",
        "enterprise",
        "county",
        "required",
        "networked",
        "online",
        "records",
        "qualified",
    ]
    + [f"n_{n}" for n, _ in d.CHECKS]
    + ["drift_points", "drifting", "total_m", "complete_m", "driving_s", "online_days", "violations"]
)
ENTERPRISE_CSV = [
    "enterprise",
    "county",
    "vehicles_required",
    "networked",
    "online",
    "networked_rate",
    "online_rate",
    "records",
    "qualified",
    "quality_rate",
    "total_km",
    "complete_km",
    "completeness_rate",
    "drifting",
    "drift_rate",
    "violations",
]
VIOLATION_CSV = ["plate", "plate_color", "type", "start", "end", "duration_s", "max_speed_kmh", "detail"]


def write_outputs(res: MetricsResult, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []

    def _csv(name, header, rows):
        p = out / name
        with open(p, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow(["" if r.get(h) is None else r.get(h) for h in header])
        paths.append(p)

    _csv("vehicle_month.csv", VEHICLE_CSV, res.vehicles)
    _csv("enterprise_month.csv", ENTERPRISE_CSV, res.enterprises)
    _csv(
        "violations.csv",
        VIOLATION_CSV,
        [dict(v, start=iso(v["start_ts"]), end=iso(v["end_ts"])) for v in res.violations],
    )
    p = out / "summary.json"
    p.write_text(
        json.dumps(dict(res.summary, counties=res.counties), ensure_ascii=False, indent=2, sort_keys=False),
        encoding="utf-8",
    )
    paths.append(p)
    return paths


def track_detail(files: list[str], vehicle: VehicleInfo, rules: Rules, *, start: int, end: int) -> dict:
    """One vehicle's points with drift flags and its incomplete segments (gaps), for the track page: the
    same definition as the monthly pass, on the vehicle's partitions only."""
    vt = d.VehicleTable([vehicle.vehicle_type], [vehicle.night_exempt], rules)
    con = _duck_con(1, None)
    try:
        _duck_pos(con, files)
        cols = _duck_points(con, rules, {(vehicle.plate, vehicle.plate_color): 0})
    finally:
        con.close()
    res = d.track_pass(cols, vt, rules, start=start, end=end, detail=True)
    p, s = res["points"], res["segments"]
    gaps = [i for i in range(len(s["t0"])) if not s["complete"][i]]
    return {
        "points": [
            {
                "ts": int(p["ts"][i]),
                "lon": float(p["lon"][i]),
                "lat": float(p["lat"][i]),
                "speed": float(p["speed_kmh"][i]),
                "drift": int(p["drift"][i]),
            }
            for i in range(len(p["ts"]))
        ],
        "gaps": [{"t0": int(s["t0"][i]), "t1": int(s["t1"][i]), "dist_m": int(s["dist_m"][i])} for i in gaps],
    }
