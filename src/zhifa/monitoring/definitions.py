"""THE definition of every monthly metric and violation, written once and run unchanged by both engines.

One pass over a batch of records (:func:`bucket_pass`): a store bucket for the embedded engine (DuckDB
engine, default), a partition by vehicle for Spark (``mapInArrow``). Same records in, same code: the two
engines' outputs are byte-identical. The pass reads the store's columns as Arrow arrays, plates and
colours as dictionary codes (each distinct (plate, colour) is looked up once: ``vid``, the vehicle's rank
in (plate, colour) order, or none), and

1. **record level**: every record's failed checks as one bit mask (:func:`plate_fails`,
   :func:`value_fails`, bit *k* = the *k*-th entry of :data:`CHECKS`), counted per vehicle and, for the
   records without plate or colour, per batch (:data:`UNNAMED_STATS`: they count in the whole input's
   数据合格率; records of other plates, another county's vehicles in a shared store, do not);
2. **track level**: a vehicle's qualified points of the month, sorted by time (the store keeps them so:
   no sort; any other input is put in that order first), are walked once: drift points, segments,
   mileage, driving, rests and stretches, 24-hour driving, overspeed, coach night runs, offline moves.

When numba is installed both levels are compiled loops (kernel.py), one pass over the records and one over
the points, used by both engines; without it (or with ``ZHIFA_MON_NUMBA=0``) the NumPy arrays below, with
identical results (the check functions are the same code in both; tests/monitoring/test_kernel.py compares
the rest).

Times are epoch seconds and local clock time is computed arithmetically (Asia/Shanghai = UTC+8, no DST), so
no time zone setting matters. Distances are rounded to whole metres per segment (half away from zero), so
sums are exact integers.

Inputs: the records (store schema, see store.SCHEMA; :data:`READ_COLUMNS` are read), the vehicles counted
(registry vehicles that must be connected, plus any other plate seen) and the rules.

Definitions (thresholds from rules.py, each with its source):

* record checks — each failed check counted by name (:data:`CHECKS`); a record is qualified
  (合格) when it fails none;
* drift point (漂移点) — a qualified point whose implied speed from the previous qualified point *and*
  to the next one both exceed ``drift_speed_kmh`` (a spike), or from the previous one when it is the
  last point; a vehicle drifts (漂移车辆) when it has one;
* segment — two consecutive qualified non-drift points; incomplete (不完整) when its time gap exceeds
  ``track_gap_s`` *and* its distance exceeds ``track_gap_m``; 轨迹完整率 = complete metres ÷ all metres;
* driving — a segment is driving when its start point's speed is at least ``driving_speed_kmh``
  (segments up to ``max_point_gap_s`` long) or, for a longer gap, when the implied average speed is;
  a rest (有效停车) is a run of non-driving segments lasting at least ``min_rest_s``; a rest ends a
  continuous-driving stretch, shorter stops neither end it nor count as driving time (segments are
  contiguous, so the non-driving time between two driving segments is the later one's start minus the
  earlier one's end);
* ``fatigue`` stretch driving time > ``day_continuous_max_s``; ``night_fatigue`` driving time inside the
  night window within one stretch > ``night_continuous_max_s``; ``daily_fatigue`` driving time in the
  24 h ending at a driving segment > ``daily_max_s`` (consecutive such segments are one episode);
* ``overspeed`` consecutive points over their limit (coaches at night: × the ratio) for at least
  ``overspeed_min_s``; a point's limit is that of the 路段限速 zone containing it (zones.py: the posted
  limit, else the road class default of rules.ROAD_CLASSES; overlapping zones: the lowest), else its
  vehicle type's; the violation keeps the lowest limit of the episode and its zone;
  ``coach_night_run`` driving between 02:00 and 05:00 by a coach without an exemption, at least
  ``coach_night_min_s`` in the night; ``offline_move`` a dangerous-goods vehicle whose consecutive points
  are more than ``offline_s`` apart and ``offline_move_m`` apart.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from .record_checks import plate_fails, value_fails  # noqa: F401  (value_fails: also d.value_fails)
from .rules import Rules

if TYPE_CHECKING:
    from .zones import ZoneTable

CHECKS = [
    ("plate_missing", "车牌号缺失"),
    ("plate_color_invalid", "车牌颜色缺失或无效"),
    ("coord_missing", "经纬度缺失"),
    ("coord_zero", "经纬度为零"),
    ("coord_outside_china", "经纬度超出中国范围"),
    ("time_invalid", "定位时间无效"),
    ("time_future", "定位时间晚于接收时间"),
    ("speed_out_of_range", "速度超出范围"),
    ("heading_out_of_range", "方向超出0–359"),
    ("altitude_out_of_range", "海拔超出范围"),
    ("not_positioned", "状态位未定位"),
]
CHECK_LABELS = dict(CHECKS)

VIOLATION_TYPES = {
    "overspeed": "超速行驶",
    "fatigue": "疲劳驾驶（日间连续驾驶超过4小时）",
    "night_fatigue": "疲劳驾驶（夜间连续驾驶超过2小时）",
    "daily_fatigue": "24小时累计驾驶超过8小时",
    "coach_night_run": "客车凌晨2时至5时违规运行",
    "offline_move": "危险货物运输车辆离线位移",
}

TZ = 28800  # seconds east of UTC (Asia/Shanghai)


def _types(csv: str) -> set[str]:
    return {t.strip() for t in str(csv).split(",") if t.strip()}


# --- part 1: record level ----------------------------------------------------------------------------

# the store columns the pass reads; ``(name, fill)``: the value a missing one is read as (SQL ``COALESCE``)
RECORD_COLUMNS = ("plate", "plate_color")
NUMERIC_COLUMNS = (
    ("ts", 0),
    ("recv_ts", 0),
    ("lon", 0.0),
    ("lat", 0.0),
    ("speed_kmh", 0.0),
    ("heading", 0),
    ("altitude_m", 0),
    ("status", 0),
)
READ_COLUMNS = list(RECORD_COLUMNS) + [n for n, _ in NUMERIC_COLUMNS]


def check_limits(r: Rules) -> tuple:
    """The thresholds of :func:`value_fails` from the rule data: earliest valid time, future tolerance,
    altitude range, longitude and latitude range, speed limit."""
    import calendar

    min_valid = calendar.timegm((int(r.min_valid_year), 1, 1, 0, 0, 0)) - TZ
    return (
        min_valid,
        int(r.future_tolerance_s),
        int(r.altitude_min_m),
        int(r.altitude_max_m),
        float(r.lon_min),
        float(r.lon_max),
        float(r.lat_min),
        float(r.lat_max),
        float(r.speed_max_kmh),
    )


# THE qualified-record checks are record_checks.py: bit *k* of a record's mask set when it fails the *k*-th
# check of CHECKS.


class Chunk:
    """One batch of records as arrays: plates and colours as dictionary codes (``pidx``/``cidx``) with
    look-up tables ``[p, c]`` (``vlut``: the vehicle's ``vid`` or -1; ``blut``: :func:`plate_fails`; the
    last row and column stand for a missing plate or colour), and each numeric column as ``(values, ok)``
    (``ok`` None when no value is missing)."""

    __slots__ = ("pidx", "cidx", "vlut", "blut", "cols")

    def __init__(self, pidx, cidx, vlut, blut, cols):
        self.pidx, self.cidx, self.vlut, self.blut, self.cols = pidx, cidx, vlut, blut, cols

    def __len__(self) -> int:
        return len(self.pidx)

    def take(self, o: np.ndarray) -> Chunk:
        cols = {k: (v[o], None if ok is None else ok[o]) for k, (v, ok) in self.cols.items()}
        return Chunk(self.pidx[o], self.cidx[o], self.vlut, self.blut, cols)

    def values(self) -> list:
        """The arguments of :func:`value_fails` but the limits."""
        return [x for name, _ in NUMERIC_COLUMNS for x in self.cols[name]]

    def vid(self) -> np.ndarray:
        return self.vlut[self.pidx, self.cidx]

    def fails(self, lim: tuple) -> np.ndarray:
        """The check mask of every record, as arrays."""
        args = [True if x is None else x for x in self.values()]
        return np.asarray(self.blut[self.pidx, self.cidx] | value_fails(*args, *lim), dtype=np.int64)


def _codes(arr) -> tuple[np.ndarray, list]:
    """Dictionary codes of a string column (a missing value → one past the dictionary) and the dictionary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    words = arr.dictionary.to_pylist()
    idx = arr.indices
    if idx.null_count:
        idx = pc.fill_null(idx, len(words))
    return idx.to_numpy(zero_copy_only=False), words + [None]


def record_chunks(t, index: dict[tuple[str, str], int]) -> list[Chunk]:
    """An Arrow table with the store's columns → :class:`Chunk` arrays, one per record batch, without
    copying the numeric columns (plates stay dictionary-encoded: one look-up per distinct plate, not per
    record). ``index``: (plate, colour) → ``vid`` of the vehicles counted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = []
    for b in t.select(READ_COLUMNS).to_batches():
        if b.num_rows == 0:
            continue
        pidx, plates = _codes(b.column("plate"))
        cidx, colors = _codes(b.column("plate_color"))
        vlut = np.array([[index.get((p, c), -1) for c in colors] for p in plates], dtype=np.int64)
        pbad = np.array([p is None or p == "" for p in plates], dtype=np.bool_)
        cbad = np.array([c is None or c in ("", "unknown") for c in colors], dtype=np.bool_)
        blut = np.asarray(plate_fails(pbad[:, None], cbad[None, :]), dtype=np.int64)
        cols = {}
        for name, fill in NUMERIC_COLUMNS:
            a = b.column(name)
            want = (
                pa.float64() if isinstance(fill, float) else (a.type if a.type == pa.int32() else pa.int64())
            )
            if a.type != want:
                a = a.cast(want)
            ok = None
            if a.null_count:
                ok = a.is_valid().to_numpy(zero_copy_only=False)
                a = pc.fill_null(a, fill)
            cols[name] = (a.to_numpy(zero_copy_only=False), ok)
        out.append(Chunk(pidx, cidx, vlut, blut, cols))
    return out


def canonical_chunk(t, index: dict[tuple[str, str], int], lim: tuple) -> Chunk:
    """All records of ``t`` (not empty) as one chunk in the canonical order (vehicle, time; ties broken by
    every other column the pass reads): the order of a store partition, for input in any order."""
    (c,) = record_chunks(t.select(READ_COLUMNS).unify_dictionaries().combine_chunks(), index)
    key = [c.cols[n][0] for n in ("speed_kmh", "lat", "lon", "ts")]
    return c.take(np.lexsort([c.fails(lim)] + key + [c.vid()]))


# --- part 2: track level, one vectorised pass over sorted points ---------------------------------------

VEHICLE_STATS = (
    ["records", "qualified", "online_days"]
    + [f"n_{n}" for n, _ in CHECKS]
    + ["drift_points", "total_m", "complete_m", "driving_s"]
)
VIOLATION_FIELDS = ("vid", "type", "t_start", "t_end", "duration_s", "max_speed_kmh", "val", "zone")


class VehicleTable:
    """Per-vehicle parameters the track pass needs, indexed by ``vid``."""

    def __init__(self, vehicle_types: list[str], night_exempt: list[int], r: Rules):
        lim = {
            "coach": float(r.limit_coach_kmh),
            "charter": float(r.limit_charter_kmh),
            "dangerous": float(r.limit_dangerous_kmh),
        }
        coach = _types(r.coach_night_types)
        self.n = len(vehicle_types)
        self.limit = np.array(
            [lim.get(t, float(r.limit_default_kmh)) for t in vehicle_types], dtype=np.float64
        )
        self.coach = np.array([t in coach for t in vehicle_types], dtype=bool)
        self.night_run = self.coach & ~np.array([bool(x) for x in night_exempt], dtype=bool)
        self.dangerous = np.array([t == "dangerous" for t in vehicle_types], dtype=bool)
        # vehicle categories for the 路段限速 zones: the distinct types, and each vehicle's index into them
        self.categories = sorted(set(vehicle_types))
        ci = {t: i for i, t in enumerate(self.categories)}
        self.cat = np.array([ci[t] for t in vehicle_types], dtype=np.int64)


def _haversine(lon1, lat1, lon2, lat2, cos1, cos2):
    """Metres between points (mean Earth radius 6,371,008.8 m); ``cos1``/``cos2`` = cos of the latitudes."""
    a = np.sin(np.radians(lat2 - lat1) / 2.0)
    a *= a
    b = np.sin(np.radians(lon2 - lon1) / 2.0)
    b *= b
    b *= cos1
    b *= cos2
    a += b
    np.sqrt(a, out=a)
    np.minimum(a, 1.0, out=a)
    np.arcsin(a, out=a)
    a *= 2 * 6371008.8
    return a


def _in_window(minute, start: int, end: int):
    if start <= end:
        return (minute >= start) & (minute < end)
    return (minute >= start) | (minute < end)


def _tod_min(ts):
    return ((ts + TZ) % 86400) // 60


def _starts(*keys) -> np.ndarray:
    """Indices where any of the (sorted) key arrays changes, the first index included."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    chg = np.zeros(n, dtype=bool)
    chg[0] = True
    for k in keys:
        chg[1:] |= k[1:] != k[:-1]
    return np.flatnonzero(chg)


def _ends(starts: np.ndarray, n: int) -> np.ndarray:
    return np.append(starts[1:], n) - 1


def _sorted(vid, ts) -> bool:
    if len(vid) < 2:
        return True
    dv = vid[1:] - vid[:-1]
    return bool(((dv > 0) | ((dv == 0) & (ts[1:] > ts[:-1]))).all())


def kernel():
    """The compiled track pass (kernel.py) or None: numba not installed, or ``ZHIFA_MON_NUMBA=0``."""
    global _KERNEL
    if _KERNEL is None:
        import os

        _KERNEL = False
        if os.environ.get("ZHIFA_MON_NUMBA", "1") != "0":
            try:
                from . import kernel as k

                _KERNEL = k
            except ImportError:
                pass
    return _KERNEL or None


_KERNEL = None
_MIN_CAP = 1024  # room for violations in the compiled pass before it runs again with room for all


def warm_up(r: Rules) -> None:
    """Load (or, on a fresh install, compile) the compiled pass now, for records as the store keeps them
    (dictionary-encoded plates, no value missing); other shapes of input load their own variant when met."""
    if kernel() is None:
        return
    import pyarrow as pa

    from .store import SCHEMA

    schema = SCHEMA.empty_table().select(READ_COLUMNS).schema
    codes = pa.dictionary(pa.int32(), pa.string())
    schema = schema.set(0, schema.field(0).with_type(codes)).set(1, schema.field(1).with_type(codes))
    row = {"plate": ["x"] * 2, "plate_color": ["yellow"] * 2, "ts": [0, 1]}
    t = schema.empty_table().from_pydict(
        row | {n: [0] * 2 for n in READ_COLUMNS if n not in row}, schema=schema
    )
    bucket_pass(t, {("x", "yellow"): 0}, VehicleTable(["coach"], [0], r), r, start=0, end=2)


UNNAMED_STATS = ["records", "qualified"] + [f"n_{n}" for n, _ in CHECKS]


def _unnamed(fm: np.ndarray) -> np.ndarray:
    """:data:`UNNAMED_STATS` of the records no vehicle can be named for (plate or colour missing): they count
    in the whole input's 数据合格率; other plates (another county's vehicles in a shared store) do not."""
    bits = np.bitwise_or.reduce(fm[fm != 0]) if len(fm) else 0
    return np.array(
        [len(fm), int((fm == 0).sum())]
        + [int(((fm >> k) & 1).sum()) if (bits >> k) & 1 else 0 for k in range(len(CHECKS))],
        dtype=np.int64,
    )


def bucket_pass(
    t,
    index: dict[tuple[str, str], int],
    vt: VehicleTable,
    r: Rules,
    *,
    start: int,
    end: int,
    detail: bool = False,
    compiled: bool | None = None,
    zones: ZoneTable | None = None,
) -> dict:
    """The whole definition over one batch of records: ``t`` an Arrow table with the store's columns (a store
    bucket, a Spark partition: every vehicle's records complete within it, in any order; sorted by vehicle
    and time, as the store keeps them, saves a sort). ``index``: (plate, colour) → ``vid``.

    Returns ``vehicles`` (``vid`` and the :data:`VEHICLE_STATS` arrays of the vehicles present),
    ``violations`` (a dict of arrays named as :data:`VIOLATION_FIELDS`; NaN = none) and ``unnamed`` (the
    :data:`UNNAMED_STATS` of the records without plate or colour). ``detail`` adds the month's qualified
    points with their drift flag and the segments (for the track page).

    ``compiled``: use the numba loops (kernel.py; default when numba is installed) or the NumPy arrays below
    (the fallback, and the track page's ``detail``); both give identical results.

    ``zones``: the 路段限速 layer (zones.ZoneTable, its limits for ``vt``'s categories) or None: every point
    then has its vehicle type's limit, at no cost. A violation's ``zone`` is the index of the zone whose
    limit it was measured against (the lowest of the episode), -1 for none."""
    zones = zones if zones is not None and zones.n else None
    k = kernel() if compiled is None or compiled else None
    if compiled and k is None:
        raise RuntimeError("numba 未安装，无法使用编译的轨迹计算")
    lim = check_limits(r)
    if k is not None and not detail:
        out = _bucket_pass_compiled(k, record_chunks(t, index), lim, vt, r, start=start, end=end, zones=zones)
        if out is None:  # not in (vehicle, time) order: sorted once, then the same pass
            c = canonical_chunk(t, index, lim)
            out = _bucket_pass_compiled(k, [c], lim, vt, r, start=start, end=end, ordered=True, zones=zones)
        return out
    chunks = record_chunks(t, index)
    vid = np.concatenate([c.vid() for c in chunks]) if chunks else np.zeros(0, dtype=np.int64)
    fm = np.concatenate([c.fails(lim) for c in chunks]) if chunks else np.zeros(0, dtype=np.int64)
    bad = np.concatenate([c.blut[c.pidx, c.cidx] != 0 for c in chunks]) if chunks else vid < 0
    unnamed = _unnamed(fm[(vid < 0) & bad])
    keep = np.flatnonzero(vid >= 0)

    def col(name):
        return np.concatenate([c.cols[name][0] for c in chunks])[keep] if chunks else np.zeros(0)

    ts, lon, lat, sp = (col(n) for n in ("ts", "lon", "lat", "speed_kmh"))
    out = _track_pass_numpy(vid[keep], ts, lon, lat, sp, fm[keep], vt, r, start, end, detail, zones)
    out["unnamed"] = unnamed
    return out


def _track_pass_numpy(
    vid, ts, lon, lat, sp, fm, vt: VehicleTable, r: Rules, start, end, detail, zones=None
) -> dict:
    """The record counts and the track level of :func:`bucket_pass` in NumPy arrays (known vehicles' records)."""
    vid = np.asarray(vid, dtype=np.int64)
    ts = np.asarray(ts, dtype=np.int64)
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    sp = np.asarray(sp, dtype=np.float64)
    fm = np.asarray(fm, dtype=np.int64)
    if not _sorted(vid, ts):
        # canonical order whatever the input order (ties on (vid, ts) broken by every other column)
        o = np.lexsort((fm, sp, lat, lon, ts, vid))
        vid, ts, lon, lat, sp, fm = vid[o], ts[o], lon[o], lat[o], sp[o], fm[o]
    nv = vt.n
    out: dict = {}

    # record level: counts per vehicle (failed records are few: count them on their own)
    present = np.bincount(vid, minlength=nv)
    good = fm == 0
    stats = {"records": present}
    bad = np.flatnonzero(~good)
    stats["qualified"] = present - np.bincount(vid[bad], minlength=nv)
    bvid, bfm = vid[bad], fm[bad]
    for k, (n, _) in enumerate(CHECKS):
        stats[f"n_{n}"] = np.bincount(bvid[(bfm >> k) & 1 == 1], minlength=nv)
    gi = np.flatnonzero(good) if len(bad) else None
    gv = vid[gi] if gi is not None else vid
    gday = (ts[gi] if gi is not None else ts) + TZ
    gday //= 86400
    stats["online_days"] = np.bincount(gv[_starts(gv, gday)], minlength=nv)

    # the month's qualified points
    inm = good & (ts >= start) & (ts < end)
    if inm.all():
        qv, qt, qlon, qlat, qsp = vid, ts, lon, lat, sp
    else:
        qi = np.flatnonzero(inm)
        qv, qt, qlon, qlat, qsp = vid[qi], ts[qi], lon[qi], lat[qi], sp[qi]
    n = len(qv)
    qcos = np.cos(np.radians(qlat))

    # drift: implied speed in and out of a point (pairs j = points j, j+1)
    same = qv[1:] == qv[:-1]
    pdt = qt[1:] - qt[:-1]
    pd = _haversine(qlon[:-1], qlat[:-1], qlon[1:], qlat[1:], qcos[:-1], qcos[1:])
    thr = float(r.drift_speed_kmh)
    fast = same & (pd * 3.6 > thr * pdt)
    drift = np.zeros(n, dtype=bool)
    if n > 1:
        drift[1:] = fast
        drift[:-1] &= ~same | fast
    nd = np.bincount(qv[drift], minlength=nv)
    stats["drift_points"] = nd

    # segments between consecutive non-drift points
    if drift.any():
        ki = np.flatnonzero(~drift)
        p, c = ki[:-1], ki[1:]
        adjacent = c - p == 1
        sdist = np.empty(len(p), dtype=np.float64)
        sdist[adjacent] = pd[p[adjacent]]
        na = ~adjacent
        if na.any():
            pp, cc = p[na], c[na]
            sdist[na] = _haversine(qlon[pp], qlat[pp], qlon[cc], qlat[cc], qcos[pp], qcos[cc])
        kv, kt, ksp = qv[ki], qt[ki], qsp[ki]
        klon, klat = (qlon[ki], qlat[ki]) if zones is not None else (None, None)
        ssame = kv[1:] == kv[:-1]
    else:
        kv, kt, ksp, klon, klat = qv, qt, qsp, qlon, qlat
        sdist, ssame = pd, same
    si = np.flatnonzero(ssame)
    sv = kv[1:][si]
    t0 = kt[:-1][si]
    t1 = kt[1:][si]
    speed0 = ksp[:-1][si]
    speed1 = ksp[1:][si]
    dt = t1 - t0
    dist_m = np.floor(sdist[si] + 0.5).astype(np.int64)  # SQL ROUND: half away from zero
    complete = ~((dt > int(r.track_gap_s)) & (dist_m > int(r.track_gap_m)))
    drive = float(r.driving_speed_kmh)
    driving = np.where(dt <= int(r.max_point_gap_s), speed0 >= drive, dist_m * 3.6 >= drive * dt)
    stats["total_m"] = np.bincount(sv, weights=dist_m, minlength=nv).astype(np.int64)
    stats["complete_m"] = np.bincount(sv[complete], weights=dist_m[complete], minlength=nv).astype(np.int64)
    di = np.flatnonzero(driving)
    dv, d0, d1, ddt = sv[di], t0[di], t1[di], dt[di]
    stats["driving_s"] = np.bincount(dv, weights=ddt, minlength=nv).astype(np.int64)

    vio: list[tuple] = []  # VIOLATION_FIELDS arrays

    def add(kind, v, a, b, dur, vmax, val, zone=-1):
        m = len(v)
        vio.append(
            (
                np.asarray(v, dtype=np.int64),
                np.full(m, kind, dtype=object),
                np.asarray(a, dtype=np.int64),
                np.asarray(b, dtype=np.int64),
                np.asarray(dur, dtype=np.int64),
                np.broadcast_to(np.asarray(vmax, dtype=np.float64), (m,)),
                np.broadcast_to(np.asarray(val, dtype=np.float64), (m,)),
                np.broadcast_to(np.asarray(zone, dtype=np.int64), (m,)),
            )
        )

    # continuous-driving stretches: a new one after a rest (non-driving time >= min_rest_s)
    dmax = np.maximum(speed0[di], speed1[di])
    if len(di):
        new = np.ones(len(di), dtype=bool)
        new[1:] = (dv[1:] != dv[:-1]) | (d0[1:] - d1[:-1] >= int(r.min_rest_s))
        st = np.flatnonzero(new)
        en = _ends(st, len(di))
        drive_s = np.add.reduceat(ddt, st)
        dnight = _in_window(_tod_min(d0), int(r.night_start_min), int(r.night_end_min))
        night_s = np.add.reduceat(ddt * dnight, st)
        vmax = np.maximum.reduceat(dmax, st)
        f = drive_s > int(r.day_continuous_max_s)
        add(
            "fatigue",
            dv[st][f],
            d0[st][f],
            d1[en][f],
            drive_s[f],
            vmax[f],
            float(int(r.day_continuous_max_s)),
        )
        f = night_s > int(r.night_continuous_max_s)
        add(
            "night_fatigue",
            dv[st][f],
            d0[st][f],
            d1[en][f],
            night_s[f],
            vmax[f],
            float(int(r.night_continuous_max_s)),
        )

        # 24-hour rolling driving time, only where the driving of a day and the day before can exceed it
        W, dmx = int(r.daily_window_s), int(r.daily_max_s)
        day = (d0 + TZ) // 86400
        day0 = int(day.min())
        nday = int(day.max()) - day0 + 2
        per = np.bincount(dv * nday + (day - day0 + 1), weights=ddt, minlength=nv * nday).reshape(nv, nday)
        two = per.copy()
        two[:, 1:] += per[:, :-1]
        cand_vd = two > dmx
        if cand_vd.any():
            ci = np.flatnonzero(cand_vd[dv, day - day0 + 1])
            key = dv * (1 << 34) + d0
            cum = np.zeros(len(di) + 1, dtype=np.int64)
            np.cumsum(ddt, out=cum[1:])
            lo = np.searchsorted(key, key[ci] - W, side="left")
            hi = np.searchsorted(key, key[ci], side="right")
            roll_c = cum[hi] - cum[lo]
            over_c = roll_c > dmx
            oi = ci[over_c]
            roll = roll_c[over_c]
            if len(oi):
                ep = np.ones(len(oi), dtype=bool)  # consecutive driving segments over the limit: one episode
                ep[1:] = (oi[1:] - oi[:-1] != 1) | (dv[oi[1:]] != dv[oi[:-1]])
                est = np.flatnonzero(ep)
                een = _ends(est, len(oi))
                add(
                    "daily_fatigue",
                    dv[oi[est]],
                    d0[oi[est]],
                    d1[oi[een]],
                    np.maximum.reduceat(roll, est),
                    np.nan,
                    float(dmx),
                )

        # coaches driving between 02:00 and 05:00, per local day
        cw = _in_window(_tod_min(d0), int(r.coach_night_start_min), int(r.coach_night_end_min))
        ci = np.flatnonzero(cw & vt.night_run[dv])
        if len(ci):
            cday = (d0[ci] + TZ) // 86400
            cst = _starts(dv[ci], cday)
            cen = _ends(cst, len(ci))
            tot = np.add.reduceat(ddt[ci], cst)
            f = tot >= int(r.coach_night_min_s)
            add(
                "coach_night_run",
                dv[ci][cst][f],
                d0[ci][cst][f],
                d1[ci][cen][f],
                tot[f],
                np.maximum.reduceat(dmax[ci], cst)[f],
                np.nan,
            )

    # overspeed episodes on the non-drift points
    lo_lim = _lowest_limit(vt, r, zones)
    oc = np.flatnonzero(ksp > lo_lim)
    if len(oc):
        ov = kv[oc]
        night = vt.coach[ov] & _in_window(_tod_min(kt[oc]), int(r.night_start_min), int(r.night_end_min))
        base, oz = vt.limit[ov], None
        if zones is not None:  # 路段限速: the zone's limit where a zone contains the point
            from .zones import lookup

            zl, oz = lookup(zones, klon[oc], klat[oc], kt[oc], vt.cat[ov])
            base = np.where(oz >= 0, zl, base)
        lim = base * np.where(night, float(r.coach_night_speed_ratio), 1.0)
        over = ksp[oc] > lim
        oi, ol = oc[over], lim[over]
        if len(oi):
            ep = np.ones(len(oi), dtype=bool)
            ep[1:] = (
                (oi[1:] - oi[:-1] != 1)
                | (kv[oi[1:]] != kv[oi[:-1]])
                | (kt[oi[1:]] - kt[oi[:-1]] > int(r.max_point_gap_s))
            )
            est = np.flatnonzero(ep)
            een = _ends(est, len(oi))
            a, b = kt[oi[est]], kt[oi[een]]
            f = b - a >= int(r.overspeed_min_s)
            emin = np.minimum.reduceat(ol, est)
            ezone = -1
            if oz is not None:  # the zone of the episode's first point at its lowest limit
                eid = np.cumsum(ep) - 1
                at_min = np.flatnonzero(ol == emin[eid])
                _, first = np.unique(eid[at_min], return_index=True)
                ezone = oz[over][at_min[first]][f]
            add(
                "overspeed",
                kv[oi[est]][f],
                a[f],
                b[f],
                (b - a)[f],
                np.maximum.reduceat(ksp[oi], est)[f],
                emin[f],
                ezone,
            )

    # dangerous-goods vehicles displaced while offline
    f = vt.dangerous[sv] & (dt > int(r.offline_s)) & (dist_m > int(r.offline_move_m))
    add("offline_move", sv[f], t0[f], t1[f], dt[f], np.nan, dist_m[f].astype(np.float64))

    pv = np.flatnonzero(present)
    out["vehicles"] = dict(
        {"vid": pv}, **{k: np.asarray(stats[k], dtype=np.int64)[pv] for k in VEHICLE_STATS}
    )
    out["violations"] = {
        name: (np.concatenate([x[i] for x in vio]) if vio else np.zeros(0))
        for i, name in enumerate(VIOLATION_FIELDS)
    }
    if detail:
        out["points"] = {"vid": qv, "ts": qt, "lon": qlon, "lat": qlat, "speed_kmh": qsp, "drift": drift}
        out["segments"] = {"vid": sv, "t0": t0, "t1": t1, "dist_m": dist_m, "complete": complete}
    return out


def _lowest_limit(vt: VehicleTable, r: Rules, zones) -> float:
    """No point under this speed can be over any limit (the pre-filter of the overspeed test)."""
    if not vt.n:
        return 0.0
    lo = float(vt.limit.min(initial=np.inf))
    if zones is not None:
        lo = min(lo, zones.min_limit())
    return lo * min(1.0, float(r.coach_night_speed_ratio))


def _haversine_pairs(k, lon, lat, cos, p, c):
    """:func:`_haversine` of the points pairs (p, c), the same operations in the same order: the arithmetic
    compiled, the sines, arc sine (and the cosines, by the caller) NumPy's."""
    x1, x2 = k.hav_args(lon, lat, p, c)
    np.sin(x1, out=x1)
    np.sin(x2, out=x2)
    a = k.hav_mid(x1, x2, cos, p, c, False)
    np.arcsin(a, out=a)
    return k.scale(a, 2 * 6371008.8)


_WS = threading.local()
_NO_ZONES = (np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int64))


def _workspace(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Room for ``n`` points, kept by the thread for its next batch (fresh memory costs a page fault per
    4 KiB, about a fifth of the pass): ``qi`` vid and ts of the month's qualified points, ``qf`` their lon,
    lat, speed, radians(lat) and the sine arguments of the step from the point before."""
    ws = getattr(_WS, "buf", None)
    if ws is None or ws[0].shape[1] < n:
        ws = _WS.buf = (np.empty((2, n), dtype=np.int64), np.empty((6, n), dtype=np.float64))
    return ws


def _bucket_pass_compiled(
    k,
    chunks: list[Chunk],
    lim: tuple,
    vt: VehicleTable,
    r: Rules,
    *,
    start: int,
    end: int,
    ordered: bool = False,
    zones=None,
):
    """:func:`bucket_pass` in compiled loops (kernel.py): one pass over the records (checks, counts, the
    month's qualified points), NumPy's sines, cosines and arc sines of the distances, the drift flags, one
    pass over the points. None when the records are not in (vehicle, time) order (and not ``ordered``)."""
    nv = vt.n
    S = np.zeros((nv, len(VEHICLE_STATS)), dtype=np.int64)
    U = np.zeros((1, len(UNNAMED_STATS)), dtype=np.int64)
    qi, qf = _workspace(sum(len(c) for c in chunks))
    state = np.array([-1, 0, -1, 0, 0], dtype=np.int64)
    for c in chunks:
        fm = np.empty(len(c), dtype=np.int64)
        k.value_checks(*c.values(), *lim, fm)
        ts, lon, lat, sp = (c.cols[n][0] for n in ("ts", "lon", "lat", "speed_kmh"))
        if not k.records(
            c.pidx, c.cidx, c.vlut, c.blut, fm, ts, lon, lat, sp, start, end, S, U, qi, qf, state, ordered
        ):
            return None
    m = int(state[4])
    qv, qt = qi[0, :m], qi[1, :m]
    qlon, qlat, qsp, qcos = qf[0, :m], qf[1, :m], qf[2, :m], qf[3, :m]
    x1, x2 = qf[4, : max(m - 1, 0)], qf[5, : max(m - 1, 0)]
    np.cos(qcos, out=qcos)
    np.sin(x1, out=x1)
    np.sin(x2, out=x2)
    none = np.zeros(0, dtype=np.int64)
    pd = k.hav_mid(x1, x2, qcos, none, none, True)
    np.arcsin(pd, out=pd)
    drift, pp, cc = k.drift_flags(qv, qt, pd, 2 * 6371008.8, float(r.drift_speed_kmh))
    xdist = _haversine_pairs(k, qlon, qlat, qcos, pp, cc)
    lo_lim = _lowest_limit(vt, r, zones)
    ip = np.array([int(getattr(r, name)) for name in k.IPARAMS], dtype=np.int64)
    fp = np.array([float(r.driving_speed_kmh), float(r.coach_night_speed_ratio), lo_lim], dtype=np.float64)
    if zones is None:
        plim, pzone = _NO_ZONES
    else:  # 路段限速: each candidate point's zone and its limit (the others: -1)
        plim, pzone = k.zone_limits(
            qlon, qlat, qt, qv, qsp, drift, vt.cat, lo_lim, zones.grid, zones.gn, zones.cstart, zones.czones,
            zones.bbox, zones.t0, zones.t1, zones.zring, zones.rstart, zones.xs, zones.ys, zones.lim,
        )  # fmt: skip
    args = (
        S,
        qv,
        qt,
        qsp,
        pd,
        drift,
        xdist,
        vt.limit,
        vt.coach,
        vt.night_run,
        vt.dangerous,
        plim,
        pzone,
        ip,
        fp,
    )
    cap = max(_MIN_CAP, m // 64)
    vi, vf, nvio = k.track_kernel(*args, len(CHECKS), cap)
    if nvio > cap:  # more violations than room: once more with room for all
        vi, vf, nvio = k.track_kernel(*args, len(CHECKS), nvio)
    vi, vf = vi[:nvio], vf[:nvio]
    pv = np.flatnonzero(S[:, 0])
    kinds = np.array(k.KINDS, dtype=object)
    return {
        "vehicles": dict({"vid": pv}, **{name: S[pv, i] for i, name in enumerate(VEHICLE_STATS)}),
        "violations": {
            "vid": vi[:, 0].copy(),
            "type": kinds[vi[:, 1]],
            "t_start": vi[:, 2].copy(),
            "t_end": vi[:, 3].copy(),
            "duration_s": vi[:, 4].copy(),
            "max_speed_kmh": vf[:, 0].copy(),
            "val": vf[:, 1].copy(),
            "zone": vi[:, 5].copy(),
        },
        "unnamed": U[0],
    }
