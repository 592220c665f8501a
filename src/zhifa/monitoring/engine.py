"""Run the definition (definitions.py) on the embedded engine (``duckdb``, default) or Apache Spark, and shape
the outputs.

Both engines hand their batches of records to the same pass (definitions.bucket_pass, compiled with numba
when installed): the embedded engine one store bucket per core, read straight from its Parquet file with
Arrow's reader (plates stay dictionary-encoded; DuckDB, which writes and maintains the store, would first
turn every plate into a string: twice the reading time), Spark one partition by vehicle per task through
``mapInArrow``. Everything after the pass (rates, CSV and JSON formatting) is plain Python over integer
counts, so the two engines' files are byte-identical for the same input.
No Django here: the CLI, the platform and the benchmarks all call :func:`compute`.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from zhifa.core.exports import spreadsheet_row

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
# Both engines hand the records, a store bucket or a Spark partition at a time, to the one pass of
# definitions.py (bucket_pass); _merge() turns the pass's arrays into the rows shape() expects.


def _vehicles_sorted(vehicles: list[VehicleInfo]) -> list[VehicleInfo]:
    """Unique by (plate, colour), in (plate, colour) order: the position is the ``vid`` the definitions use,
    and the store's partitions are sorted in the same order, so a bucket arrives already sorted by vid."""
    seen: dict[tuple[str, str], VehicleInfo] = {}
    for v in vehicles:
        seen.setdefault((v.plate, v.plate_color), v)
    return [seen[k] for k in sorted(seen)]


class _Setup:
    """What every batch's pass needs: the vehicles in ``vid`` order, their look-up and parameters."""

    def __init__(self, vehicles: list[VehicleInfo], rules: Rules, start: int, end: int, zones=None):
        self.vs = _vehicles_sorted(vehicles)
        self.index = {(v.plate, v.plate_color): i for i, v in enumerate(self.vs)}
        self.vt = d.VehicleTable([v.vehicle_type for v in self.vs], [v.night_exempt for v in self.vs], rules)
        self.rules, self.start, self.end = rules, start, end
        # 路段限速 (zones.ZoneSpec list): their limits for these vehicles' types; None: the vehicle types' limits
        self.zones = None
        if zones:
            from .zones import ZoneTable

            self.zones = ZoneTable(list(zones)).for_vehicles(self.vt.categories, rules)

    def run(self, t, **kw) -> dict:
        return d.bucket_pass(
            t, self.index, self.vt, self.rules, start=self.start, end=self.end, zones=self.zones, **kw
        )

    def rows(self, vio: dict) -> list[dict]:
        return violation_rows(self.vs, vio, self.zones)


def _merge(vs: list[VehicleInfo], parts: list[dict], zones=None) -> dict:
    """The pass outputs of every batch → per-vehicle stats, the violations in (plate, colour, start, type)
    order and the records without plate or colour, as columns for shape()."""
    import numpy as np

    stats = np.zeros((len(d.VEHICLE_STATS), len(vs)), dtype=np.int64)
    seen = np.zeros(len(vs), dtype=np.int64)
    unnamed = np.zeros(len(d.UNNAMED_STATS), dtype=np.int64)
    for p in parts:
        pv = p["vehicles"]
        seen[pv["vid"]] += 1
        for i, k in enumerate(d.VEHICLE_STATS):
            stats[i, pv["vid"]] += pv[k]
        unnamed += p["unnamed"]
    if (seen > 1).any():
        raise _SplitVehicle
    # (plate, colour, start, type) order: vid is the (plate, colour) rank; lexsort is stable, as the sort of
    # tuples it replaced
    rows = [
        r for p in parts for r in (p["rows"] if "rows" in p else violation_rows(vs, p["violations"], zones))
    ]
    rank = {t: i for i, t in enumerate(sorted(d.VIOLATION_TYPES))}

    def key(name, f=lambda x: x):
        return np.concatenate([np.asarray(f(p["violations"][name]), dtype=np.int64) for p in parts] or [[]])

    vid = key("vid").astype(np.int64)
    o = np.lexsort((key("type", lambda ts: [rank[t] for t in ts]), key("t_start"), vid)).tolist()
    return {
        "vehicles": vs,
        "stats": dict(zip(d.VEHICLE_STATS, stats.tolist(), strict=True)),
        "violations": [rows[i] for i in o],
        "violation_vids": vid[o].tolist(),
        "unnamed": dict(zip(d.UNNAMED_STATS, unnamed.tolist(), strict=True)),
    }


def violation_rows(vs: list[VehicleInfo], vio: dict, zones=None) -> list[dict]:
    """One batch's violations (the pass's arrays, in its order) as the dicts MetricsResult.violations
    holds. The embedded engine makes them in its worker threads, beside the other buckets' passes.
    ``zones``: the ZoneTable the pass used (an overspeed's ``detail`` names its zone, road class and limit)."""
    import numpy as np

    speeds = np.asarray(vio["max_speed_kmh"], dtype=np.float64).tolist()
    rounded = {x: round(x, 1) for x in set(speeds) if x == x}  # few distinct speeds
    n = len(speeds)
    zone = np.asarray(vio["zone"], dtype=np.int64).tolist() if "zone" in vio and n else [-1] * n
    rows = []
    for i, kind, a, b, dur, m, x, z in zip(
        np.asarray(vio["vid"], dtype=np.int64).tolist(),
        list(vio["type"]),
        np.asarray(vio["t_start"], dtype=np.int64).tolist(),
        np.asarray(vio["t_end"], dtype=np.int64).tolist(),
        np.asarray(vio["duration_s"], dtype=np.int64).tolist(),
        [None if x != x else rounded[x] for x in speeds],
        [None if x != x else x for x in np.asarray(vio["val"], dtype=np.float64).tolist()],
        zone,
        strict=True,
    ):
        v = vs[i]
        if zones is not None and kind == "overspeed":
            text = _overspeed_text(zones, z, v.vehicle_type, m, x, dur)
        else:
            text = _detail_text(kind, m, x)(dur)
        rows.append(
            {
                "plate": v.plate,
                "plate_color": v.plate_color,
                "type": kind,
                "start_ts": a,
                "end_ts": b,
                "duration_s": dur,
                "max_speed_kmh": m,
                "val": x,
                "detail": text,
            }
        )
    return rows


def _overspeed_text(zones, z: int, vehicle_type: str, vmax: float, val: float, dur: int) -> str:
    """An overspeed's ``detail`` where a 路段限速 layer is configured: the zone (name, road class) or the
    vehicle type's limit outside every zone, the limit applied, and the day limit when the coaches' night
    ratio lowered it."""
    c = zones.categories.index(vehicle_type)
    if z >= 0:
        spec = zones.specs[z]
        day = float(zones.lim[z, c])
        where = f"路段“{spec.name}”（{spec.label}）"
    else:
        day = zones.fallback[c]
        where = "不在路段限速图层内，按车型"
    night = f"（夜间客车按日间限速 {day:g} km/h 的80%计）" if val < day else ""
    return f"{where}限速 {val:g} km/h{night}，最高 {vmax:.1f} km/h，持续 {dur} 秒"


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


def read_records(files: list[str], filters=None):
    """The columns the pass reads, from Parquet files in the store's schema, plates and colours
    dictionary-encoded as they are stored (one string per distinct plate instead of one per record).
    One thread per call: the engine runs one bucket per core."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .store import SCHEMA

    kw = {
        "columns": d.READ_COLUMNS,
        "read_dictionary": list(d.RECORD_COLUMNS),
        "use_threads": False,
        "pre_buffer": False,
    }
    tables = [pq.read_table(f, filters=filters, **kw) for f in files]
    if not tables:
        return SCHEMA.empty_table().select(d.READ_COLUMNS)
    return pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]


def run_duckdb(
    files: list[str],
    vehicles: list[VehicleInfo],
    rules: Rules,
    *,
    start: int,
    end: int,
    threads: int | None = None,
    zones=None,
) -> dict:
    """The embedded engine (``--engine duckdb``): one vehicle bucket at a time (``threads`` buckets in
    parallel), each read straight from its Parquet file and passed through the definition in one go, its
    violations formatted in the same thread, then merged."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    threads = int(threads or os.environ.get("ZHIFA_MON_THREADS") or os.cpu_count() or 1)
    su = _Setup(vehicles, rules, start, end, zones)

    def one(group: list[str]) -> dict:
        res = su.run(read_records(group))
        res["rows"] = su.rows(res["violations"])
        return res

    # the buckets start at once; meanwhile this thread loads (or compiles) the numba pass
    groups = _file_groups(files) if files else [[]]
    # largest buckets first: the last ones to finish are small, so the cores finish together
    size = [sum(Path(f).stat().st_size for f in g) for g in groups]
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(groups)))) as ex:
        futures = {i: ex.submit(one, groups[i]) for i in sorted(range(len(groups)), key=lambda i: -size[i])}
        d.warm_up(rules)
        parts = [futures[i].result() for i in range(len(groups))]
    try:
        return _merge(su.vs, parts, su.zones)
    except _SplitVehicle:
        return _merge(su.vs, [one(list(files))], su.zones)


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
        ("zone", "bigint"),
    ]
)


def _spark_pass(su: _Setup):
    """The function Spark's Python workers run on each partition (all records of its vehicles): the same
    pass as the embedded engine's, its three outputs as rows of kind ``v`` (vehicle), ``x`` (violation) and
    ``u`` (the records without plate or colour)."""

    def run(batches):
        import numpy as np
        import pyarrow as pa

        tables = [pa.Table.from_batches([b]) for b in batches]
        if not tables:
            return
        res = su.run(pa.concat_tables(tables))
        pv, vi, un = res["vehicles"], res["violations"], res["unnamed"]
        nv, nvio = len(pv["vid"]), len(vi["vid"])
        out = {
            "kind": ["v"] * nv + ["x"] * nvio + ["u"],
            "vid": np.concatenate([pv["vid"], vi["vid"], [-1]]).astype(np.int64),
        }
        unnamed = dict(zip(d.UNNAMED_STATS, un.tolist(), strict=True))
        for k in d.VEHICLE_STATS:
            out[k] = pa.array(list(pv[k]) + [None] * nvio + [unnamed.get(k, 0)], type=pa.int64())
        out["type"] = pa.array([None] * nv + [str(x) for x in vi["type"]] + [None], type=pa.string())
        for k in ("t_start", "t_end", "duration_s"):
            out[k] = pa.array([None] * nv + [int(x) for x in vi[k]] + [None], type=pa.int64())
        for k in ("max_speed_kmh", "val"):
            vals = [None if x != x else float(x) for x in vi[k]]
            out[k] = pa.array([None] * nv + vals + [None], type=pa.float64())
        out["zone"] = pa.array([None] * nv + [int(x) for x in vi["zone"]] + [None], type=pa.int64())
        yield from pa.table(out).to_batches()

    return run


def run_spark(
    files: list[str],
    vehicles: list[VehicleInfo],
    rules: Rules,
    *,
    start: int,
    end: int,
    spark=None,
    zones=None,
) -> dict:
    import numpy as np

    from .store import SCHEMA

    spark = spark or spark_session()
    if files:
        pos = spark.read.parquet(*files)
    else:
        pos = spark.createDataFrame([], _spark_schema(SCHEMA))
    su = _Setup(vehicles, rules, start, end, zones)
    schema = ", ".join(f"{n} {t}" for n, t in _SPARK_OUT)
    parts_n = max(1, int(spark.conf.get("spark.sql.shuffle.partitions", "2")))
    pts = pos.select(*d.READ_COLUMNS).repartition(parts_n, "plate", "plate_color")
    rows = pts.mapInArrow(_spark_pass(su), schema).collect()
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
                for k in ("t_start", "t_end", "duration_s", "zone")
            },
            **{
                k: np.array([np.nan if r[k] is None else r[k] for r in vio_rows], dtype=np.float64)
                for k in ("max_speed_kmh", "val")
            },
        },
        "unnamed": np.array(
            [sum(r[k] for r in rows if r["kind"] == "u") for k in d.UNNAMED_STATS], dtype=np.int64
        ),
    }
    return _merge(su.vs, [part], su.zones)


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


def isos(ts: list[int]) -> list[str]:
    """:func:`iso` of many epoch seconds at once (Asia/Shanghai has had no DST since 1991)."""
    import numpy as np

    local = np.asarray(ts, dtype=np.int64) + d.TZ  # CST, UTC+8
    return [s + "+08:00" for s in np.datetime_as_string(local.astype("datetime64[s]"), unit="s").tolist()]


def _hm(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    return f"{h}小时{rem // 60:02d}分{rem % 60:02d}秒"


_DETAIL = {  # type: text before the duration, text after it (from the violation's value)
    "fatigue": ("连续驾驶 ", lambda val: f"，日间限 {_hm(int(val))}，其间无不少于20分钟的休息"),
    "night_fatigue": ("夜间连续驾驶 ", lambda val: f"，夜间限 {_hm(int(val))}"),
    "daily_fatigue": ("24小时内累计驾驶最多 ", lambda val: f"，限 {_hm(int(val))}"),
    "coach_night_run": ("凌晨2时至5时行驶 ", lambda val: ""),
    "offline_move": ("离线 ", lambda val: f"，期间位移 {int(val)} 米"),
}


@lru_cache(maxsize=4096)
def _detail_text(kind: str, max_speed_kmh: float | None, val: float | None):
    """The ``detail`` text of a violation (maximum speed rounded to 0.1 km/h) as a function of its duration:
    the rest repeats (one limit, a few distinct speeds)."""
    if kind == "overspeed":
        head = f"限速 {val:g} km/h，最高 {max_speed_kmh:.1f} km/h，持续 "
        return lambda dur: f"{head}{dur} 秒"
    if kind not in _DETAIL:
        return lambda dur: ""
    head, tail = _DETAIL[kind][0], _DETAIL[kind][1](val)
    return lambda dur: f"{head}{_hm(dur)}{tail}"


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
    vs, st = raw["vehicles"], raw["stats"]
    per_vehicle = [0] * len(vs)
    for i in raw["violation_vids"]:
        per_vehicle[i] += 1
    for i, v in enumerate(vs):
        row = v.row()
        r = dict(zip(VEH_COLUMNS[:6], row[:6], strict=True))
        r["networked_before"] = row[7]
        for k in d.VEHICLE_STATS:
            r[k] = st[k][i]
        r["online"] = int(r["qualified"] > 0)
        r["networked"] = int(bool(r["networked_before"]) or r["online"])
        r["drifting"] = int(r["drift_points"] > 0 and r["online"])
        r["violations"] = per_vehicle[i]
        res.vehicles.append(r)
    res.violations = raw["violations"]
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
    # the whole input: the vehicles' records and those without plate or colour
    tot = {k: sum(st[k]) + n for k, n in raw["unnamed"].items()}
    overall = _agg(res.vehicles)
    records_all = tot["records"]
    qualified_all = tot["qualified"]
    failed = {n: tot[f"n_{n}"] for n, _ in d.CHECKS}
    by_type = Counter(v["type"] for v in res.violations)
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
    zones=None,
) -> MetricsResult:
    """The month's metrics and violations on ``engine``; ``zones``: the 路段限速 layer (zones.ZoneSpec list,
    e.g. zone_services.zones_in_force), None or empty: the vehicle types' limits everywhere."""
    from .store import month_bounds

    start, end = month_bounds(month)
    t0 = time.perf_counter()
    if engine == "spark":
        raw = run_spark(files, vehicles, rules, start=start, end=end, spark=spark, zones=zones)
    elif engine == "duckdb":
        raw = run_duckdb(files, vehicles, rules, start=start, end=end, threads=threads, zones=zones)
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

    # each file under a temporary name renamed when complete: a run killed mid-write (a worker stopped)
    # leaves the previous file whole, never half of the new one
    def _csv(name, header, rows):
        p = out / name
        part = out / (name + ".part")
        with open(part, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow(spreadsheet_row(r.get(h) for h in header))
        part.replace(p)
        paths.append(p)

    _csv("vehicle_month.csv", VEHICLE_CSV, res.vehicles)
    _csv("enterprise_month.csv", ENTERPRISE_CSV, res.enterprises)
    starts = isos([v["start_ts"] for v in res.violations])
    ends = isos([v["end_ts"] for v in res.violations])
    _csv(
        "violations.csv",
        VIOLATION_CSV,
        [dict(v, start=a, end=b) for v, a, b in zip(res.violations, starts, ends, strict=True)],
    )
    p = out / "summary.json"
    part = out / "summary.json.part"
    part.write_text(
        json.dumps(dict(res.summary, counties=res.counties), ensure_ascii=False, indent=2, sort_keys=False),
        encoding="utf-8",
    )
    part.replace(p)
    paths.append(p)
    return paths


def track_detail(files: list[str], vehicle: VehicleInfo, rules: Rules, *, start: int, end: int) -> dict:
    """One vehicle's points with drift flags and its incomplete segments (gaps), for the track page: the
    same definition as the monthly pass, on the vehicle's records only."""
    su = _Setup([vehicle], rules, start, end)
    t = read_records(
        files, filters=[("plate", "=", vehicle.plate), ("plate_color", "=", vehicle.plate_color)]
    )
    res = su.run(t, detail=True)
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
