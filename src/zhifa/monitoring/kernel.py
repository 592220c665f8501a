"""The pass of definitions.py compiled into loops with numba (imported only when numba is installed).

Same definition, same numbers: :func:`definitions.bucket_pass` runs, per chunk of records,
:func:`value_checks` (record_checks.value_fails, compiled from the very function the NumPy path calls) and
:func:`records` (the plate checks by look-up table, per-vehicle counts, online days, the records without
plate or colour, and the month's qualified points gathered with the arguments of their step's sines); then
the sines, cosines and arc sines from NumPy (its SIMD ``arcsin`` is not libm's on every CPU),
:func:`hav_mid`, :func:`drift_flags`, and :func:`track_kernel`, which walks the non-drift points once
(segments, mileage, driving, rests and stretches, 24-hour driving, overspeed, coach night runs, offline
moves), in the order the NumPy path uses; where 路段限速 zones are configured, :func:`zone_limits` first
finds each fast point's zone and limit (zones.lookup compiled, through a grid of the zones). Every integer sum is exact in both paths and every float is
computed with the same operations (no fastmath, no fused multiply-add), so the two paths give identical
arrays (tests/monitoring/test_kernel.py compares them).

``cache=True``: the compiled code is kept in numba's cache (``__pycache__`` next to this file, or
numba's user cache dir when that is read-only, or ``NUMBA_CACHE_DIR``); only the first call in a fresh
install compiles (a few seconds), later processes load it (about a second; the benchmark reports it apart).
numba's cache does not see a change of record_checks.value_fails, which it compiles into
:func:`value_checks`: after editing it, touch this file (test_kernel's comparison of the two paths fails
on a stale cache).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .record_checks import value_fails

TZ = 28800
RAD = np.pi / 180.0  # NumPy's deg2rad: x * (pi / 180)

# violation type codes (index into KINDS)
KINDS = ("overspeed", "fatigue", "night_fatigue", "daily_fatigue", "coach_night_run", "offline_move")
OVERSPEED, FATIGUE, NIGHT_FATIGUE, DAILY_FATIGUE, COACH_NIGHT_RUN, OFFLINE_MOVE = range(6)

# integer parameters, in this order
IPARAMS = (
    "track_gap_s",
    "track_gap_m",
    "max_point_gap_s",
    "min_rest_s",
    "day_continuous_max_s",
    "night_continuous_max_s",
    "night_start_min",
    "night_end_min",
    "daily_window_s",
    "daily_max_s",
    "coach_night_start_min",
    "coach_night_end_min",
    "coach_night_min_s",
    "overspeed_min_s",
    "offline_s",
    "offline_move_m",
)
# float parameters: driving_speed_kmh, coach_night_speed_ratio, lowest possible limit (the pre-filter)


@njit(cache=True, nogil=True)
def _in_window(m, start, end):
    """Is minute of the day ``m`` in [start, end) (a window may run past midnight)?"""
    if start <= end:
        return m >= start and m < end
    return m >= start or m < end


@njit(cache=True, nogil=True)
def drift_flags(qv, qt, pd, scale, thr):
    """drift[j]: implied speed into point j over ``thr`` and (j is its vehicle's last point or the speed out
    of it is too); plus the (p, c) index pairs of consecutive non-drift points that are not adjacent.
    ``pd`` (the arc sines of the steps) is multiplied by ``scale`` in place first: the steps in metres."""
    n = qv.shape[0]
    drift = np.zeros(n, dtype=np.bool_)
    fast_in = False
    m = 0  # pairs of non-drift points with drift points between them
    prev = -1
    for j in range(n):
        if j + 1 < n:
            pd[j] = pd[j] * scale
            same = qv[j + 1] == qv[j]
            fast_out = same and (pd[j] * 3.6 > thr * (qt[j + 1] - qt[j]))
        else:
            same = False
            fast_out = False
        drift[j] = fast_in and ((not same) or fast_out)
        fast_in = fast_out
        if not drift[j]:
            if prev >= 0 and j - prev != 1:
                m += 1
            prev = j
    pp = np.empty(m, dtype=np.int64)
    cc = np.empty(m, dtype=np.int64)
    if m:
        m = 0
        prev = -1
        for j in range(n):
            if not drift[j]:
                if prev >= 0 and j - prev != 1:
                    pp[m] = prev
                    cc[m] = j
                    m += 1
                prev = j
    return drift, pp, cc


@njit(cache=True, nogil=True)
def _emit(vi, vf, k, v, kind, a, b, dur, vmax, val, zone=-1):
    """Write violation ``k`` when it fits (the caller runs again with room for all of them otherwise)."""
    if k < vi.shape[0]:
        vi[k, 0] = v
        vi[k, 1] = kind
        vi[k, 2] = a
        vi[k, 3] = b
        vi[k, 4] = dur
        vi[k, 5] = zone
        vf[k, 0] = vmax
        vf[k, 1] = val
    return k + 1


@njit(cache=True, nogil=True)
def _daily(bd0, bd1, bdt, m, v, W, dmx, vi, vf, k):
    """24-hour driving of one vehicle's driving segments ``[0, m)`` (as the NumPy path: only where the driving
    of the day and the day before exceeds the limit; consecutive segments over it are one episode)."""
    if m == 0:
        return k
    cum = np.zeros(m + 1, dtype=np.int64)
    for i in range(m):
        cum[i + 1] = cum[i] + bdt[i]
    # per-day sums (days are non-decreasing): two-day total for each segment's day
    two = np.empty(m, dtype=np.int64)
    g = 0
    prev_day = np.int64(0)
    prev_sum = np.int64(0)
    have_prev = False
    while g < m:
        day = (bd0[g] + TZ) // 86400
        h = g
        s = np.int64(0)
        while h < m and (bd0[h] + TZ) // 86400 == day:
            s += bdt[h]
            h += 1
        t = s
        if have_prev and prev_day == day - 1:
            t += prev_sum
        for i in range(g, h):
            two[i] = t
        prev_day = day
        prev_sum = s
        have_prev = True
        g = h
    lo = 0
    hi = 0
    ep_open = False
    last_i = -2
    ep_a = np.int64(0)
    ep_b = np.int64(0)
    ep_max = np.int64(0)
    for i in range(m):
        if two[i] <= dmx:
            continue
        t = bd0[i]
        while bd0[lo] < t - W:
            lo += 1
        if hi < i:
            hi = i
        while hi + 1 < m and bd0[hi + 1] <= t:
            hi += 1
        roll = cum[hi + 1] - cum[lo]
        if roll <= dmx:
            continue
        if ep_open and i == last_i + 1:
            ep_b = bd1[i]
            if roll > ep_max:
                ep_max = roll
        else:
            if ep_open:
                k = _emit(vi, vf, k, v, DAILY_FATIGUE, ep_a, ep_b, ep_max, np.nan, float(dmx))
            ep_open = True
            ep_a = bd0[i]
            ep_b = bd1[i]
            ep_max = roll
        last_i = i
    if ep_open:
        k = _emit(vi, vf, k, v, DAILY_FATIGUE, ep_a, ep_b, ep_max, np.nan, float(dmx))
    return k


@njit(cache=True, nogil=True)
def track_kernel(
    S, qv, qt, qsp, pd, drift, xdist, limit, coach, night_run, dangerous, plim, pzone, ip, fp, nchecks, cap
):
    """The track-level columns of ``S`` (rows = vid, columns = definitions.VEHICLE_STATS; the record columns
    are :func:`records`') and the violations (int columns vid, kind, t_start, t_end, duration_s, zone; float
    columns max_speed_kmh, val) of the month's qualified points of one sorted batch, and their number: when
    it exceeds ``cap`` only the first ``cap`` were kept and the caller runs again. ``plim``/``pzone``: each
    point's 路段限速 limit and zone (:func:`zone_limits`; zone -1: the vehicle's ``limit``), or empty when no
    zone is configured."""
    track_gap_s, track_gap_m, max_gap, min_rest = ip[0], ip[1], ip[2], ip[3]
    day_max, night_max, night_start, night_end = ip[4], ip[5], ip[6], ip[7]
    W, dmx, c_start, c_end, c_min = ip[8], ip[9], ip[10], ip[11], ip[12]
    ov_min, off_s, off_m = ip[13], ip[14], ip[15]
    drive_kmh, ratio, lo_lim = fp[0], fp[1], fp[2]
    c_drift = 3 + nchecks
    c_total, c_complete, c_driving = c_drift + 1, c_drift + 2, c_drift + 3
    S[:, c_drift:] = 0
    vi = np.empty((cap, 6), dtype=np.int64)
    has_zones = pzone.shape[0] > 0
    vf = np.empty((cap, 2), dtype=np.float64)
    k = 0

    n = qv.shape[0]
    room = S[:, 1].max() if S.shape[0] else 0  # a vehicle's points ≤ its qualified records
    bd0 = np.empty(room, dtype=np.int64)  # one vehicle's driving segments, for the 24-hour window
    bd1 = np.empty(room, dtype=np.int64)
    bdt = np.empty(room, dtype=np.int64)
    bm = 0
    bv = np.int64(-1)
    # overspeed episode
    ov_open = False
    ov_v = np.int64(0)
    ov_a = np.int64(0)
    ov_t = np.int64(0)
    ov_max = 0.0
    ov_lim = 0.0
    ov_zone = np.int64(-1)
    # continuous-driving stretch
    st_open = False
    st_v = np.int64(0)
    st_a = np.int64(0)
    st_b = np.int64(0)
    st_drive = np.int64(0)
    st_night = np.int64(0)
    st_max = 0.0
    prev_d1 = np.int64(0)
    # coach night run (per vehicle and local day)
    c_open = False
    c_v = np.int64(0)
    c_day = np.int64(0)
    c_a = np.int64(0)
    c_b = np.int64(0)
    c_tot = np.int64(0)
    c_max = 0.0

    # 24-hour driving: a vehicle's per-day driving so far, to run _daily only where two days exceed the limit
    day_cur = np.int64(-1)
    day_sum = np.int64(0)
    day_prev = np.int64(0)  # the day before's driving when it is day_cur - 1, else 0
    daily_needed = False
    # the current vehicle's mileage and driving time
    acc_v = np.int64(-1)
    acc_total = np.int64(0)
    acc_complete = np.int64(0)
    acc_driving = np.int64(0)

    pj = -1
    pmin = np.int64(0)  # minute of the day of point pj
    x = 0
    for j in range(n):
        v = qv[j]
        if drift[j]:
            S[v, c_drift] += 1
            continue
        t = qt[j]
        s = qsp[j]
        tmin = ((t + TZ) % 86400) // 60
        if v != acc_v:
            if acc_v >= 0:
                S[acc_v, c_total] += acc_total
                S[acc_v, c_complete] += acc_complete
                S[acc_v, c_driving] += acc_driving
            acc_v = v
            acc_total = 0
            acc_complete = 0
            acc_driving = 0
        # overspeed on the non-drift points
        lim = limit[v]
        zz = np.int64(-1)
        if has_zones and pzone[j] >= 0:
            zz = pzone[j]
            lim = plim[j]
        if coach[v] and _in_window(tmin, night_start, night_end):
            lim = lim * ratio
        if s > lo_lim and s > lim:
            if ov_open and ov_v == v and t - ov_t <= max_gap:
                ov_t = t
                if s > ov_max:
                    ov_max = s
                if lim < ov_lim:
                    ov_lim = lim
                    ov_zone = zz
            else:
                if ov_open and ov_t - ov_a >= ov_min:
                    k = _emit(vi, vf, k, ov_v, OVERSPEED, ov_a, ov_t, ov_t - ov_a, ov_max, ov_lim, ov_zone)
                ov_open = True
                ov_v = v
                ov_a = t
                ov_t = t
                ov_max = s
                ov_lim = lim
                ov_zone = zz
        elif ov_open:
            if ov_t - ov_a >= ov_min:
                k = _emit(vi, vf, k, ov_v, OVERSPEED, ov_a, ov_t, ov_t - ov_a, ov_max, ov_lim, ov_zone)
            ov_open = False
        # the segment from the previous non-drift point
        if pj >= 0:
            if j - pj == 1:
                dist = pd[pj]
            else:
                dist = xdist[x]
                x += 1
            if qv[pj] == v:
                t0 = qt[pj]
                s0 = qsp[pj]
                dt = t - t0
                dm = np.int64(np.floor(dist + 0.5))
                acc_total += dm
                if not (dt > track_gap_s and dm > track_gap_m):
                    acc_complete += dm
                if dangerous[v] and dt > off_s and dm > off_m:
                    k = _emit(vi, vf, k, v, OFFLINE_MOVE, t0, t, dt, np.nan, float(dm))
                if dt <= max_gap:
                    driving = s0 >= drive_kmh
                else:
                    driving = dm * 3.6 >= drive_kmh * dt
                if driving:
                    acc_driving += dt
                    dmax = s0 if s0 >= s else s
                    if s0 != s0 or s != s:
                        dmax = np.nan
                    # stretches: a new one after a rest
                    if (not st_open) or v != st_v or t0 - prev_d1 >= min_rest:
                        if st_open:
                            if st_drive > day_max:
                                k = _emit(
                                    vi, vf, k, st_v, FATIGUE, st_a, st_b, st_drive, st_max, float(day_max)
                                )
                            if st_night > night_max:
                                k = _emit(
                                    vi,
                                    vf,
                                    k,
                                    st_v,
                                    NIGHT_FATIGUE,
                                    st_a,
                                    st_b,
                                    st_night,
                                    st_max,
                                    float(night_max),
                                )
                        st_open = True
                        st_v = v
                        st_a = t0
                        st_drive = 0
                        st_night = 0
                        st_max = dmax
                    elif dmax > st_max or dmax != dmax:
                        st_max = dmax
                    st_drive += dt
                    if _in_window(pmin, night_start, night_end):
                        st_night += dt
                    st_b = t
                    prev_d1 = t
                    # coaches between 02:00 and 05:00
                    if night_run[v] and _in_window(pmin, c_start, c_end):
                        cday = (t0 + TZ) // 86400
                        if (not c_open) or v != c_v or cday != c_day:
                            if c_open and c_tot >= c_min:
                                k = _emit(vi, vf, k, c_v, COACH_NIGHT_RUN, c_a, c_b, c_tot, c_max, np.nan)
                            c_open = True
                            c_v = v
                            c_day = cday
                            c_a = t0
                            c_tot = 0
                            c_max = dmax
                        elif dmax > c_max or dmax != dmax:
                            c_max = dmax
                        c_tot += dt
                        c_b = t
                    # 24-hour driving: buffered per vehicle
                    if v != bv:
                        if daily_needed:
                            k = _daily(bd0, bd1, bdt, bm, bv, W, dmx, vi, vf, k)
                        bm = 0
                        bv = v
                        day_cur = -1
                        day_sum = 0
                        daily_needed = False
                    bd0[bm] = t0
                    bd1[bm] = t
                    bdt[bm] = dt
                    bm += 1
                    day = (t0 + TZ) // 86400
                    if day != day_cur:
                        day_prev = day_sum if day == day_cur + 1 else 0
                        day_cur = day
                        day_sum = 0
                    day_sum += dt
                    if day_sum + day_prev > dmx:
                        daily_needed = True
        pj = j
        pmin = tmin
    if acc_v >= 0:
        S[acc_v, c_total] += acc_total
        S[acc_v, c_complete] += acc_complete
        S[acc_v, c_driving] += acc_driving
    if ov_open and ov_t - ov_a >= ov_min:
        k = _emit(vi, vf, k, ov_v, OVERSPEED, ov_a, ov_t, ov_t - ov_a, ov_max, ov_lim, ov_zone)
    if st_open:
        if st_drive > day_max:
            k = _emit(vi, vf, k, st_v, FATIGUE, st_a, st_b, st_drive, st_max, float(day_max))
        if st_night > night_max:
            k = _emit(vi, vf, k, st_v, NIGHT_FATIGUE, st_a, st_b, st_night, st_max, float(night_max))
    if c_open and c_tot >= c_min:
        k = _emit(vi, vf, k, c_v, COACH_NIGHT_RUN, c_a, c_b, c_tot, c_max, np.nan)
    if daily_needed:
        k = _daily(bd0, bd1, bdt, bm, bv, W, dmx, vi, vf, k)
    return vi, vf, k


_value_fails = njit(inline="always")(value_fails)


@njit(cache=True, nogil=True)
def value_checks(
    ts, ts_ok, recv, recv_ok, lon, lon_ok, lat, lat_ok, sp, sp_ok, hd, hd_ok, alt, alt_ok, st, st_ok,
    t_min, t_tol, alt_min, alt_max, lon_min, lon_max, lat_min, lat_max, sp_max, fm,
):  # fmt: skip
    """record_checks.value_fails of every record of a chunk into ``fm`` (a missing ``*_ok``, None, compiles to
    a loop without it: one that the compiler vectorises)."""
    for i in range(ts.shape[0]):
        fm[i] = _value_fails(
            ts[i], True if ts_ok is None else ts_ok[i], recv[i], True if recv_ok is None else recv_ok[i],
            lon[i], True if lon_ok is None else lon_ok[i], lat[i], True if lat_ok is None else lat_ok[i],
            sp[i], True if sp_ok is None else sp_ok[i], hd[i], True if hd_ok is None else hd_ok[i],
            alt[i], True if alt_ok is None else alt_ok[i], st[i], True if st_ok is None else st_ok[i],
            t_min, t_tol, alt_min, alt_max, lon_min, lon_max, lat_min, lat_max, sp_max,
        )  # fmt: skip


@njit(cache=True, nogil=True, inline="always")
def _count(S, v, first_check, f):
    """Row ``v``: records, qualified and (from column ``first_check`` on) each failed check of one record."""
    S[v, 0] += 1
    if f == 0:
        S[v, 1] += 1
    else:
        b = 0
        while f:
            if f & 1:
                S[v, first_check + b] += 1
            f >>= 1
            b += 1


@njit(cache=True, nogil=True)
def records(pidx, cidx, vlut, blut, fm, ts, lon, lat, sp, start, end, S, U, qi, qf, state, ordered):
    """One chunk of records (definitions.Chunk; ``fm`` from :func:`value_checks`): the record columns of ``S``
    per vehicle (records, qualified, online days, each failed check), ``U`` for the records no vehicle can
    be named for (plate or colour missing), and the month's qualified points appended to ``qi`` (vid, ts)
    and ``qf`` (lon, lat, speed, radians(lat), then the sine arguments radians(Δlat)/2 and radians(Δlon)/2
    of the step from the previous point). ``state`` carries over to the next chunk: last vid and ts, the
    last qualified record's vid and local day, the number of points. False (and stop) when the records are
    not sorted by vehicle, then strictly by time, unless ``ordered`` (put in the canonical order, ties
    included)."""
    last_v, last_t, on_v, on_day, j = state[0], state[1], state[2], state[3], state[4]
    day_lo = (on_day * 86400 - TZ) if on_v >= 0 else np.int64(0)  # [day_lo, day_lo + 86400): on_day
    qv, qt, qlon, qlat, qsp, qr, x1, x2 = qi[0], qi[1], qf[0], qf[1], qf[2], qf[3], qf[4], qf[5]
    plon = qlon[j - 1] if j > 0 else 0.0
    plat = qlat[j - 1] if j > 0 else 0.0
    ok = True
    for i in range(ts.shape[0]):
        p = pidx[i]
        c = cidx[i]
        v = vlut[p, c]
        pb = blut[p, c]
        f = fm[i] | pb
        if v < 0:
            if pb != 0:
                _count(U, 0, 2, f)
            continue
        t = ts[i]
        if not ordered and (v < last_v or (v == last_v and t <= last_t)):
            ok = False
            break
        last_v = v
        last_t = t
        _count(S, v, 3, f)
        if f == 0:
            if v != on_v or t < day_lo or t >= day_lo + 86400:  # another vehicle or local day
                day = (t + TZ) // 86400
                if v != on_v or day != on_day:
                    S[v, 2] += 1
                on_v = v
                on_day = day
                day_lo = day * 86400 - TZ
            if t >= start and t < end:
                la = lat[i]
                lo = lon[i]
                qv[j] = v
                qt[j] = t
                qlon[j] = lo
                qlat[j] = la
                qsp[j] = sp[i]
                qr[j] = la * RAD
                if j > 0:
                    x1[j - 1] = ((la - plat) * RAD) / 2.0
                    x2[j - 1] = ((lo - plon) * RAD) / 2.0
                plat = la
                plon = lo
                j += 1
    state[0], state[1], state[2], state[3], state[4] = last_v, last_t, on_v, on_day, j
    return ok


# The haversine of definitions._haversine split at its transcendental functions: sin, cos and arcsin are
# NumPy's (on some CPUs NumPy uses SIMD versions that differ from libm in the last bit), the arithmetic
# between them (exact IEEE operations, in the same order, no fused multiply-add) is done here.


@njit(cache=True, nogil=True)
def hav_args(lon, lat, p, c):
    """The sine arguments radians(Δlat)/2 and radians(Δlon)/2 of the pairs (p[i], c[i]) (those of consecutive
    points: :func:`records`)."""
    m = p.shape[0]
    x1 = np.empty(m, dtype=np.float64)
    x2 = np.empty(m, dtype=np.float64)
    for i in range(m):
        x1[i] = ((lat[c[i]] - lat[p[i]]) * RAD) / 2.0
        x2[i] = ((lon[c[i]] - lon[p[i]]) * RAD) / 2.0
    return x1, x2


@njit(cache=True, nogil=True)
def hav_mid(s1, s2, cos, p, c, consecutive):
    """sqrt(sin²(Δlat/2) + sin²(Δlon/2)·cos φ1·cos φ2), capped at 1 (in place in ``s1``)."""
    for i in range(s1.shape[0]):
        a = i if consecutive else p[i]
        b = i + 1 if consecutive else c[i]
        x = s1[i] * s1[i]
        y = s2[i] * s2[i]
        y = y * cos[a]
        y = y * cos[b]
        x = np.sqrt(x + y)
        if x > 1.0:
            x = 1.0
        s1[i] = x
    return s1


@njit(cache=True, nogil=True)
def scale(x, f):
    for i in range(x.shape[0]):
        x[i] = x[i] * f
    return x


@njit(cache=True, nogil=True)
def _in_zone(x, y, z, zring, rstart, xs, ys):
    """zones._inside for one point: even-odd crossings over every ring of zone ``z``, same arithmetic."""
    inside = False
    for r in range(zring[z], zring[z + 1]):
        a = rstart[r]
        b = rstart[r + 1]
        for i in range(a, b):
            p = i - 1 if i > a else b - 1  # the edge from the previous vertex (the ring closes on itself)
            x1 = xs[p]
            y1 = ys[p]
            x2 = xs[i]
            y2 = ys[i]
            if (y1 > y) != (y2 > y):
                if x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
    return inside


@njit(cache=True, nogil=True)
def zone_limits(
    qlon,
    qlat,
    qt,
    qv,
    qsp,
    drift,
    cat,
    lo,
    grid,
    gn,
    cstart,
    czones,
    bbox,
    t0,
    t1,
    zring,
    rstart,
    xs,
    ys,
    zlim,
):
    """zones.lookup of the non-drift points faster than ``lo`` (the only ones that can be over a limit): per
    point the lowest day limit of the zones in force containing it for its vehicle's category and that zone
    (the first such in the table's order); -1 (and NaN) for the other points. Each point is tested against
    the zones of its grid cell only (zones.ZoneTable._grid; listed in ascending order, as lookup's loop)."""
    n = qv.shape[0]
    gx0, gy0, gx1, gy1, dx, dy = grid[0], grid[1], grid[2], grid[3], grid[4], grid[5]
    nx, ny = gn[0], gn[1]
    plim = np.full(n, np.nan)
    pzone = np.full(n, -1, dtype=np.int64)
    for j in range(n):
        if drift[j] or not (qsp[j] > lo):
            continue
        x = qlon[j]
        y = qlat[j]
        if x < gx0 or x > gx1 or y < gy0 or y > gy1:
            continue
        ix = min(np.int64((x - gx0) / dx), nx - 1)
        iy = min(np.int64((y - gy0) / dy), ny - 1)
        cell = iy * nx + ix
        t = qt[j]
        c = cat[qv[j]]
        best = np.inf
        for q in range(cstart[cell], cstart[cell + 1]):
            z = czones[q]
            if (
                x < bbox[z, 0]
                or x > bbox[z, 2]
                or y < bbox[z, 1]
                or y > bbox[z, 3]
                or t < t0[z]
                or t >= t1[z]
            ):
                continue
            lz = zlim[z, c]
            if lz < best and _in_zone(x, y, z, zring, rstart, xs, ys):
                best = lz
                pzone[j] = z
        if pzone[j] >= 0:
            plim[j] = best
    return plim, pzone
