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
VIEW_STEPS = {"chk"}  # cheap projections: not materialised


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
    import duckdb

    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads={int(threads)}")
        if memory_limit:
            con.execute(f"SET memory_limit='{memory_limit}'")
        con.execute("SET preserve_insertion_order=false")
        _duck_inputs(con, files, vehicles)
        for name, sql in d.steps(rules, start=start, end=end):
            kind = "VIEW" if name in VIEW_STEPS else "TABLE"
            con.execute(f"CREATE TEMP {kind} {name} AS {sql}")
        out = {}
        for name in d.OUTPUTS:
            order = f" ORDER BY {d.ORDER[name]}" if name in d.ORDER else ""
            out[name] = con.execute(f"SELECT * FROM {name}{order}").fetchall()
            out[name + "_cols"] = [c[0] for c in con.description]
        return out
    finally:
        con.close()


def _duck_inputs(con, files: list[str], vehicles: list[VehicleInfo]) -> None:
    import pyarrow as pa

    from .store import SQL_TYPES

    if files:
        flist = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
        con.execute(f"CREATE TEMP VIEW pos AS SELECT * FROM read_parquet({flist}, hive_partitioning=false)")
    else:
        cols = ", ".join(f"{c} {t}" for c, t in SQL_TYPES.items())
        con.execute(f"CREATE TEMP TABLE pos ({cols})")
    vt = pa.table(
        {c: [v.row()[i] for v in vehicles] for i, c in enumerate(VEH_COLUMNS)},
        schema=pa.schema(
            [(c, pa.string()) for c in VEH_COLUMNS[:5]] + [(c, pa.int64()) for c in VEH_COLUMNS[5:]]
        ),
    )
    con.register("veh_in", vt)
    con.execute("CREATE TEMP TABLE veh AS SELECT * FROM veh_in")
    con.unregister("veh_in")


def spark_session(master: str = "local[2]", app: str = "zhifa-monitoring"):
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def run_spark(
    files: list[str], vehicles: list[VehicleInfo], rules: Rules, *, start: int, end: int, spark=None
) -> dict[str, list[tuple]]:
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    from .store import SCHEMA

    spark = spark or spark_session()
    if files:
        pos = spark.read.parquet(*files)
    else:
        pos = spark.createDataFrame([], _spark_schema(SCHEMA))
    pos.createOrReplaceTempView("pos")
    vschema = StructType(
        [StructField(c, StringType()) for c in VEH_COLUMNS[:5]]
        + [StructField(c, LongType()) for c in VEH_COLUMNS[5:]]
    )
    spark.createDataFrame([v.row() for v in vehicles], vschema).createOrReplaceTempView("veh")
    cached = []
    try:
        for name, sql in d.steps(rules, start=start, end=end):
            df = spark.sql(sql)
            if name not in VIEW_STEPS:
                df = df.cache()
                cached.append(df)
            df.createOrReplaceTempView(name)
        out = {}
        for name in d.OUTPUTS:
            order = f" ORDER BY {d.ORDER[name]}" if name in d.ORDER else ""
            df = spark.sql(f"SELECT * FROM {name}{order}")
            out[name] = [tuple(r) for r in df.collect()]
            out[name + "_cols"] = df.columns
        return out
    finally:
        for df in cached:
            df.unpersist()


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
    """One vehicle's points with drift flags and its segments (with the complete flag), for the track page:
    the same definition steps as the monthly pass, on the vehicle's partitions only."""
    import duckdb

    con = duckdb.connect()
    try:
        _duck_inputs(con, files, [vehicle])
        for name, sql in d.steps(rules, start=start, end=end):
            if name in ("chk", "q", "d1", "seg"):
                con.execute(f"CREATE TEMP {'VIEW' if name in VIEW_STEPS else 'TABLE'} {name} AS {sql}")
        pts = con.execute("SELECT ts, lon, lat, speed_kmh, drift FROM d1 ORDER BY ts").fetchall()
        segs = con.execute(
            "SELECT t0, t1, dist_m, complete FROM seg WHERE complete = 0 ORDER BY t0"
        ).fetchall()
        return {
            "points": [{"ts": t, "lon": lo, "lat": la, "speed": s, "drift": dr} for t, lo, la, s, dr in pts],
            "gaps": [{"t0": a, "t1": b, "dist_m": m} for a, b, m, _ in segs],
        }
    finally:
        con.close()
