"""THE definition of every monthly metric and violation, written once and run unchanged by both engines.

Two parts, each written once:

1. **Record level, in SQL** (the common subset of DuckDB and Spark SQL): every record's failed checks as one
   integer bit mask (:func:`fail_mask_sql`, bit *k* = the *k*-th entry of :data:`CHECKS`), the records of the
   vehicles (``pos`` joined to ``veh``, :func:`points_sql`) and the records no vehicle can be named for
   (:func:`unnamed_sql`). Both engines evaluate these queries.
2. **Track level, one vectorised pass** (:func:`track_pass`, NumPy): a vehicle's points sorted by time are
   walked once — previous/next point by array shift, segments, rests and stretches by cumulative sums and
   ``reduceat`` — instead of a chain of window-function steps (each of which made the engines re-sort all
   the month's points). DuckDB feeds it one store bucket at a time (the partitions are already sorted by
   vehicle and time, so no sort is needed); Spark feeds it the same rows partitioned by vehicle through
   ``mapInArrow``. Same rows in, same code: the two engines' outputs are byte-identical.
   When numba is installed the walk is one compiled loop (kernel.py, :func:`_track_pass_compiled`), used by
   both engines; without it (or with ``ZHIFA_MON_NUMBA=0``) the NumPy arrays below, with identical results.

Times are epoch seconds and local clock time is computed arithmetically (Asia/Shanghai = UTC+8, no DST), so
no time zone setting matters. Distances are rounded to whole metres per segment (half away from zero, as
SQL ``ROUND``), so sums are exact integers.

Inputs: ``pos`` (the month's positions, store schema, see store.SCHEMA) and ``veh`` (plate, plate_color,
vehicle_type, enterprise, county, required, night_exempt, networked_before, and ``vid``: the vehicle's rank
in (plate, plate_color) order) — registry vehicles that must be connected, plus any other plate seen.

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
* ``overspeed`` consecutive points over the limit of the vehicle type (coaches at night: × the ratio)
  for at least ``overspeed_min_s``; ``coach_night_run`` driving between 02:00 and 05:00 by a coach
  without an exemption, at least ``coach_night_min_s`` in the night; ``offline_move`` a dangerous-goods
  vehicle whose consecutive points are more than ``offline_s`` apart and ``offline_move_m`` apart.
"""

from __future__ import annotations

import numpy as np

from .rules import Rules

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


def _f(x: float | int) -> str:
    return repr(float(x))


def check_exprs(r: Rules) -> dict[str, str]:
    import calendar

    min_valid = calendar.timegm((int(r.min_valid_year), 1, 1, 0, 0, 0)) - TZ
    return {
        "plate_missing": "plate IS NULL OR plate = ''",
        "plate_color_invalid": "plate_color IS NULL OR plate_color = '' OR plate_color = 'unknown'",
        "coord_missing": "lon IS NULL OR lat IS NULL",
        "coord_zero": "lon = 0 OR lat = 0",
        "coord_outside_china": (
            f"lon <> 0 AND lat <> 0 AND (lon < {_f(r.lon_min)} OR lon > {_f(r.lon_max)} "
            f"OR lat < {_f(r.lat_min)} OR lat > {_f(r.lat_max)})"
        ),
        "time_invalid": f"ts < {min_valid}",
        "time_future": f"ts > recv_ts + {int(r.future_tolerance_s)}",
        "speed_out_of_range": f"speed_kmh < 0 OR speed_kmh > {_f(r.speed_max_kmh)}",
        "heading_out_of_range": "heading < 0 OR heading > 359",
        "altitude_out_of_range": f"altitude_m < {int(r.altitude_min_m)} OR altitude_m > {int(r.altitude_max_m)}",
        "not_positioned": "status IS NOT NULL AND CAST(FLOOR(status / 2) AS BIGINT) % 2 = 0",
    }


def _flag(expr: str) -> str:
    return f"CASE WHEN {expr} THEN 1 ELSE 0 END"


def _types(csv: str) -> set[str]:
    return {t.strip() for t in str(csv).split(",") if t.strip()}


# --- part 1: record level, SQL run by both engines ---------------------------------------------------


def fail_mask_sql(r: Rules) -> str:
    """One integer per record: bit k set when the record fails the k-th check of :data:`CHECKS`."""
    checks = check_exprs(r)
    return " + ".join(f"{_flag(checks[n])} * {1 << k}" for k, (n, _) in enumerate(CHECKS))


def points_sql(r: Rules) -> str:
    """Every record with its failed-check mask (all months in the input: records and online days count every
    stored record; only the month's qualified points make the track). Records are matched to ``veh`` by
    :func:`vehicle_ids` (the store's partitions are sorted by vehicle: one lookup per run of a plate, cheaper
    than a join of every record)."""
    return f"""
    SELECT plate, plate_color, COALESCE(ts, 0) AS ts, COALESCE(lon, 0.0) AS lon, COALESCE(lat, 0.0) AS lat,
      COALESCE(speed_kmh, 0.0) AS speed_kmh, {fail_mask_sql(r)} AS fm
    FROM pos"""


def vehicle_ids(plate, plate_color, index: dict[tuple[str, str], int]) -> np.ndarray:
    """The ``vid`` of every record (Arrow string arrays in, -1 where the plate is not a known vehicle)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(plate)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    plate = pc.fill_null(plate.combine_chunks() if isinstance(plate, pa.ChunkedArray) else plate, "\x00")
    color = pc.fill_null(
        plate_color.combine_chunks() if isinstance(plate_color, pa.ChunkedArray) else plate_color, "\x00"
    )
    chg = np.ones(n, dtype=bool)
    if n > 1:
        chg[1:] = pc.or_(
            pc.not_equal(plate.slice(1), plate.slice(0, n - 1)),
            pc.not_equal(color.slice(1), color.slice(0, n - 1)),
        ).to_numpy(zero_copy_only=False)
    st = np.flatnonzero(chg)
    keys = zip(plate.take(pa.array(st)).to_pylist(), color.take(pa.array(st)).to_pylist(), strict=True)
    run_vid = np.fromiter((index.get(k, -1) for k in keys), dtype=np.int64, count=len(st))
    return np.repeat(run_vid, np.diff(np.append(st, n)))


def unnamed_sql(r: Rules) -> str:
    """Records no vehicle can be named for (plate or colour missing): they count in the whole input's
    数据合格率; other plates (another county's vehicles in a shared store) are not counted."""
    checks = check_exprs(r)
    flags = ", ".join(f"SUM({_flag(e)}) AS n_{n}" for n, e in checks.items())
    any_fail = " OR ".join(f"({e})" for e in checks.values())
    return f"""
    SELECT COUNT(*) AS records, SUM(CASE WHEN {any_fail} THEN 0 ELSE 1 END) AS qualified, {flags}
    FROM (SELECT c.* FROM pos c LEFT JOIN veh v ON c.plate = v.plate AND c.plate_color = v.plate_color
          WHERE v.plate IS NULL AND (c.plate IS NULL OR c.plate = '' OR c.plate_color IS NULL
                OR c.plate_color = '' OR c.plate_color = 'unknown')) t"""


# --- part 2: track level, one vectorised pass over sorted points ---------------------------------------

VEHICLE_STATS = (
    ["records", "qualified", "online_days"]
    + [f"n_{n}" for n, _ in CHECKS]
    + ["drift_points", "total_m", "complete_m", "driving_s"]
)
VIOLATION_FIELDS = ("vid", "type", "t_start", "t_end", "duration_s", "max_speed_kmh", "val")


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
    """Load (or, on a fresh install, compile) the compiled pass now, e.g. in a thread while a query runs."""
    if kernel() is None:
        return
    z = np.zeros(2, dtype=np.int64)
    cols = {"vid": z, "ts": np.array([0, 1]), "lon": z * 0.0, "lat": z * 0.0, "speed_kmh": z * 0.0, "fm": z}
    track_pass(cols, VehicleTable(["coach"], [0], r), r, start=0, end=2)


def track_pass(
    cols: dict,
    vt: VehicleTable,
    r: Rules,
    *,
    start: int,
    end: int,
    detail: bool = False,
    compiled: bool | None = None,
) -> dict:
    """The whole track-level definition over one batch of records (``cols``: ``vid, ts, lon, lat, speed_kmh,
    fm`` arrays, every vehicle's records complete within the batch, in any order).

    Returns ``vehicles`` (``vid`` and the :data:`VEHICLE_STATS` arrays of the vehicles present) and
    ``violations`` (a dict of arrays named as :data:`VIOLATION_FIELDS`; NaN = none). ``detail`` adds the
    month's qualified points with their drift flag and the segments (for the track page).

    ``compiled``: use the numba loop (kernel.py; default when numba is installed) or the NumPy arrays below
    (the fallback, and the track page's ``detail``); both give identical results."""
    vid = np.asarray(cols["vid"], dtype=np.int64)
    ts = np.asarray(cols["ts"], dtype=np.int64)
    lon = np.asarray(cols["lon"], dtype=np.float64)
    lat = np.asarray(cols["lat"], dtype=np.float64)
    sp = np.asarray(cols["speed_kmh"], dtype=np.float64)
    fm = np.asarray(cols["fm"], dtype=np.int64)
    k = kernel() if compiled is None or compiled else None
    if not (k.is_sorted(vid, ts) if k is not None else _sorted(vid, ts)):
        # canonical order whatever the input order (ties on (vid, ts) broken by every other column)
        o = np.lexsort((fm, sp, lat, lon, ts, vid))
        vid, ts, lon, lat, sp, fm = vid[o], ts[o], lon[o], lat[o], sp[o], fm[o]
    nv = vt.n
    if compiled and k is None:
        raise RuntimeError("numba 未安装，无法使用编译的轨迹计算")
    if k is not None and not detail:
        return _track_pass_compiled(k, vid, ts, lon, lat, sp, fm, vt, r, start=start, end=end)
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
        ssame = kv[1:] == kv[:-1]
    else:
        kv, kt, ksp = qv, qt, qsp
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

    vio: list[tuple] = []  # (vid, type, t_start, t_end, duration_s, max_speed_kmh, val) arrays

    def add(kind, v, a, b, dur, vmax, val):
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
    lo_lim = float(vt.limit.min(initial=np.inf)) * min(1.0, float(r.coach_night_speed_ratio)) if nv else 0.0
    oc = np.flatnonzero(ksp > lo_lim)
    if len(oc):
        ov = kv[oc]
        night = vt.coach[ov] & _in_window(_tod_min(kt[oc]), int(r.night_start_min), int(r.night_end_min))
        lim = vt.limit[ov] * np.where(night, float(r.coach_night_speed_ratio), 1.0)
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
            add(
                "overspeed",
                kv[oi[est]][f],
                a[f],
                b[f],
                (b - a)[f],
                np.maximum.reduceat(ksp[oi], est)[f],
                np.minimum.reduceat(ol, est)[f],
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


def _haversine_split(k, lon, lat, cos, p, c, consecutive: bool):
    """:func:`_haversine` of the pairs (p, c) (or consecutive points), the same operations in the same order:
    the arithmetic compiled, the sines, arc sine (and the cosines, by the caller) NumPy's."""
    x1, x2 = k.hav_args(lon, lat, p, c, consecutive)
    np.sin(x1, out=x1)
    np.sin(x2, out=x2)
    a = k.hav_mid(x1, x2, cos, p, c, consecutive)
    np.arcsin(a, out=a)
    return k.scale(a, 2 * 6371008.8)


def _track_pass_compiled(
    k, vid, ts, lon, lat, sp, fm, vt: VehicleTable, r: Rules, *, start: int, end: int
) -> dict:
    """:func:`track_pass` with the walk over points in one compiled loop (kernel.py); the distances are
    NumPy's, computed exactly as in the NumPy path."""
    nv = vt.n
    qv, qt, qlon, qlat, qsp = k.month_points(vid, ts, lon, lat, sp, fm, start, end)
    qcos = np.cos(k.radians(qlat))
    none = np.zeros(0, dtype=np.int64)
    pd = _haversine_split(k, qlon, qlat, qcos, none, none, True)
    drift, pp, cc = k.drift_flags(qv, qt, pd, float(r.drift_speed_kmh))
    xdist = _haversine_split(k, qlon, qlat, qcos, pp, cc, False)
    lo_lim = float(vt.limit.min(initial=np.inf)) * min(1.0, float(r.coach_night_speed_ratio)) if nv else 0.0
    ip = np.array([int(getattr(r, name)) for name in k.IPARAMS], dtype=np.int64)
    fp = np.array([float(r.driving_speed_kmh), float(r.coach_night_speed_ratio), lo_lim], dtype=np.float64)
    args = (
        vid,
        ts,
        fm,
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
        ip,
        fp,
    )
    cap = max(_MIN_CAP, len(qv) // 64)
    S, vi, vf, m = k.track_kernel(*args, len(CHECKS), cap)
    if m > cap:  # more violations than room: once more with room for all
        S, vi, vf, m = k.track_kernel(*args, len(CHECKS), m)
    vi, vf = vi[:m], vf[:m]
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
        },
    }
