"""THE definition of every monthly metric and violation, as portable SQL run unchanged by both engines.

The pipeline is a list of named steps (:func:`steps`); each is a ``SELECT`` over the two inputs and the
earlier steps. DuckDB materialises each step as a temporary table, Spark as a cached temporary view.
Only the common subset of DuckDB and Spark SQL is used: window functions with named windows, ``CASE``,
``CAST``, ``FLOOR``, trigonometry, ``LEAST``, ``concat``; times are epoch seconds (``BIGINT``) and
local clock time is computed arithmetically (Asia/Shanghai = UTC+8, no DST), so neither engine's time
zone settings matter. Distances are rounded to whole metres per segment, so sums are exact integers and
both engines agree to the last digit.

Inputs:

* ``pos``: the month's positions (store schema, see store.SCHEMA);
* ``veh``: the vehicles (plate, plate_color, vehicle_type, enterprise, county, required, night_exempt,
  networked_before) — registry vehicles that must be connected, plus any other plate seen in the data.

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
  continuous-driving stretch, shorter stops neither end it nor count as driving time;
* ``fatigue`` stretch driving time > ``day_continuous_max_s``; ``night_fatigue`` driving time inside the
  night window within one stretch > ``night_continuous_max_s``; ``daily_fatigue`` driving time in the
  24 h ending at a driving segment > ``daily_max_s``;
* ``overspeed`` consecutive points over the limit of the vehicle type (coaches at night: × the ratio)
  for at least ``overspeed_min_s``; ``coach_night_run`` driving between 02:00 and 05:00 by a coach
  without an exemption, at least ``coach_night_min_s`` in the night; ``offline_move`` a dangerous-goods
  vehicle whose consecutive points are more than ``offline_s`` apart and ``offline_move_m`` apart.
"""

from __future__ import annotations

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
W = "PARTITION BY plate, plate_color ORDER BY ts"


def _f(x: float | int) -> str:
    return repr(float(x))


def _dist(lon1: str, lat1: str, lon2: str, lat2: str) -> str:
    """Haversine distance in metres (mean Earth radius 6,371,008.8 m)."""
    return (
        f"(2 * 6371008.8 * asin(least(1.0, sqrt(pow(sin(radians({lat2} - {lat1}) / 2), 2) + "
        f"cos(radians({lat1})) * cos(radians({lat2})) * pow(sin(radians({lon2} - {lon1}) / 2), 2)))))"
    )


def _tod_min(ts: str) -> str:
    return f"CAST(FLOOR((({ts} + {TZ}) % 86400) / 60) AS BIGINT)"


def _in_window(minute: str, start: int, end: int) -> str:
    if start <= end:
        return f"({minute} >= {int(start)} AND {minute} < {int(end)})"
    return f"({minute} >= {int(start)} OR {minute} < {int(end)})"


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


def _types_in(csv: str) -> str:
    return ", ".join(f"'{t.strip()}'" for t in csv.split(",") if t.strip()) or "''"


def steps(r: Rules, *, start: int, end: int) -> list[tuple[str, str]]:
    """The named SQL steps; the outputs are ``vehicle_month`` and ``violations``."""
    checks = check_exprs(r)
    flags = ",\n      ".join(f"{_flag(e)} AS f_{n}" for n, e in checks.items())
    any_fail = " + ".join(f"f_{n}" for n in checks)
    any_fail_c = " + ".join(f"c.f_{n}" for n in checks)
    sums = ", ".join(f"SUM(f_{n}) AS n_{n}" for n in checks)
    night = _in_window(_tod_min("t0"), int(r.night_start_min), int(r.night_end_min))
    pnight = _in_window(_tod_min("ts"), int(r.night_start_min), int(r.night_end_min))
    coach_window = _in_window(_tod_min("t0"), int(r.coach_night_start_min), int(r.coach_night_end_min))
    coach_types = _types_in(str(r.coach_night_types))
    limit = (
        f"(CASE v.vehicle_type WHEN 'coach' THEN {_f(r.limit_coach_kmh)} "
        f"WHEN 'charter' THEN {_f(r.limit_charter_kmh)} WHEN 'dangerous' THEN {_f(r.limit_dangerous_kmh)} "
        f"ELSE {_f(r.limit_default_kmh)} END)"
    )
    ratio = _f(r.coach_night_speed_ratio)
    drive = _f(r.driving_speed_kmh)
    return [
        # 1. every record with its failed checks (record-level, the month's partitions)
        (
            "chk",
            f"""
    SELECT plate, plate_color, ts, lon, lat, speed_kmh,
      {flags}
    FROM pos""",
        ),
        (
            "rec",
            f"""
    SELECT plate, plate_color, COUNT(*) AS records,
      SUM(CASE WHEN {any_fail} = 0 THEN 1 ELSE 0 END) AS qualified,
      COUNT(DISTINCT CASE WHEN {any_fail} = 0 THEN CAST(FLOOR((ts + {TZ}) / 86400) AS BIGINT) END) AS online_days,
      {sums}
    FROM chk GROUP BY plate, plate_color""",
        ),
        # 2. qualified points in the month, with drift detection
        (
            "q",
            f"""
    SELECT c.plate, c.plate_color, c.ts, c.lon, c.lat, COALESCE(c.speed_kmh, 0.0) AS speed_kmh
    FROM chk c JOIN veh v ON c.plate = v.plate AND c.plate_color = v.plate_color
    WHERE {any_fail_c} = 0 AND c.ts >= {int(start)} AND c.ts < {int(end)}""",
        ),
        (
            "d1",
            f"""
    SELECT plate, plate_color, ts, lon, lat, speed_kmh,
      CASE WHEN pts IS NOT NULL AND din * 3.6 > {_f(r.drift_speed_kmh)} * (ts - pts)
            AND (nts IS NULL OR dout * 3.6 > {_f(r.drift_speed_kmh)} * (nts - ts)) THEN 1 ELSE 0 END AS drift
    FROM (SELECT *, {_dist("plon", "plat", "lon", "lat")} AS din, {_dist("lon", "lat", "nlon", "nlat")} AS dout
          FROM (SELECT plate, plate_color, ts, lon, lat, speed_kmh,
                  LAG(ts) OVER w AS pts, LAG(lon) OVER w AS plon, LAG(lat) OVER w AS plat,
                  LEAD(ts) OVER w AS nts, LEAD(lon) OVER w AS nlon, LEAD(lat) OVER w AS nlat
                FROM q WINDOW w AS ({W})) a) b""",
        ),
        # 3. segments between consecutive non-drift points
        (
            "seg",
            f"""
    SELECT plate, plate_color, t0, t1, dt, dist_m, speed0, speed1,
      CASE WHEN dt > {int(r.track_gap_s)} AND dist_m > {int(r.track_gap_m)} THEN 0 ELSE 1 END AS complete,
      CASE WHEN dt <= {int(r.max_point_gap_s)} THEN (CASE WHEN speed0 >= {drive} THEN 1 ELSE 0 END)
           ELSE (CASE WHEN dist_m * 3.6 >= {drive} * dt THEN 1 ELSE 0 END) END AS driving,
      CASE WHEN {night} THEN 1 ELSE 0 END AS night,
      CASE WHEN {coach_window} THEN 1 ELSE 0 END AS coach_window
    FROM (SELECT plate, plate_color, pts AS t0, ts AS t1, ts - pts AS dt,
            CAST(ROUND({_dist("plon", "plat", "lon", "lat")}) AS BIGINT) AS dist_m, pspeed AS speed0, speed_kmh AS speed1
          FROM (SELECT plate, plate_color, ts, lon, lat, speed_kmh,
                  LAG(ts) OVER w AS pts, LAG(lon) OVER w AS plon, LAG(lat) OVER w AS plat, LAG(speed_kmh) OVER w AS pspeed
                FROM d1 WHERE drift = 0 WINDOW w AS ({W})) a
          WHERE pts IS NOT NULL) b""",
        ),
        (
            "trk",
            """
    SELECT plate, plate_color, SUM(dist_m) AS total_m, SUM(dist_m * complete) AS complete_m,
      SUM(dt * driving) AS driving_s
    FROM seg GROUP BY plate, plate_color""",
        ),
        (
            "dft",
            """
    SELECT plate, plate_color, SUM(drift) AS drift_points FROM d1 GROUP BY plate, plate_color""",
        ),
        # 4. continuous-driving stretches (runs of segments between rests)
        (
            "runs",
            """
    SELECT *, SUM(chg) OVER (PARTITION BY plate, plate_color ORDER BY t0 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
              AS run_id
    FROM (SELECT *, CASE WHEN LAG(driving) OVER (PARTITION BY plate, plate_color ORDER BY t0) = driving
                         THEN 0 ELSE 1 END AS chg FROM seg) a""",
        ),
        (
            "rests",
            f"""
    SELECT plate, plate_color, run_id, MIN(t0) AS rest_start,
      CASE WHEN MAX(driving) = 0 AND SUM(dt) >= {int(r.min_rest_s)} THEN 1 ELSE 0 END AS is_rest
    FROM runs GROUP BY plate, plate_color, run_id""",
        ),
        (
            "stretch",
            """
    SELECT s.plate, s.plate_color, s.t0, s.t1, s.dt, s.driving, s.night, s.speed0, s.speed1, x.is_rest,
      SUM(CASE WHEN x.is_rest = 1 AND s.t0 = x.rest_start THEN 1 ELSE 0 END)
        OVER (PARTITION BY s.plate, s.plate_color ORDER BY s.t0 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        AS stretch_id
    FROM runs s JOIN rests x ON s.plate = x.plate AND s.plate_color = x.plate_color AND s.run_id = x.run_id""",
        ),
        (
            "stretches",
            """
    SELECT plate, plate_color, stretch_id,
      MIN(CASE WHEN driving = 1 THEN t0 END) AS t_start, MAX(CASE WHEN driving = 1 THEN t1 END) AS t_end,
      SUM(dt * driving) AS drive_s, SUM(dt * driving * night) AS night_s,
      MAX(CASE WHEN driving = 1 THEN GREATEST(speed0, speed1) END) AS vmax
    FROM stretch WHERE is_rest = 0 GROUP BY plate, plate_color, stretch_id""",
        ),
        # 5. 24-hour rolling driving time
        (
            "daily",
            f"""
    SELECT plate, plate_color, t0, t1, roll,
      SUM(chg) OVER (PARTITION BY plate, plate_color ORDER BY t0 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        AS ep
    FROM (SELECT *, CASE WHEN LAG(t1) OVER (PARTITION BY plate, plate_color ORDER BY t0) IS NOT NULL
                          AND LAG(over8) OVER (PARTITION BY plate, plate_color ORDER BY t0) = 1
                         THEN 0 ELSE 1 END AS chg
          FROM (SELECT plate, plate_color, t0, t1,
                  SUM(dt) OVER (PARTITION BY plate, plate_color ORDER BY t0
                                RANGE BETWEEN {int(r.daily_window_s)} PRECEDING AND CURRENT ROW) AS roll,
                  CASE WHEN SUM(dt) OVER (PARTITION BY plate, plate_color ORDER BY t0
                                RANGE BETWEEN {int(r.daily_window_s)} PRECEDING AND CURRENT ROW) > {int(r.daily_max_s)}
                       THEN 1 ELSE 0 END AS over8
                FROM seg WHERE driving = 1) a) b
    WHERE b.roll > {int(r.daily_max_s)}""",
        ),
        # 6. overspeed episodes on points
        (
            "osp",
            f"""
    SELECT plate, plate_color, ts, speed_kmh, lim,
      SUM(chg) OVER (PARTITION BY plate, plate_color ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ep,
      is_over
    FROM (SELECT *, CASE WHEN LAG(is_over) OVER w = 1 AND is_over = 1 AND ts - LAG(ts) OVER w <= {int(r.max_point_gap_s)}
                         THEN 0 ELSE 1 END AS chg
          FROM (SELECT p.plate, p.plate_color, p.ts, p.speed_kmh,
                  {limit} * (CASE WHEN v.vehicle_type IN ({coach_types}) AND {pnight} THEN {ratio} ELSE 1.0 END) AS lim,
                  CASE WHEN p.speed_kmh > {limit} * (CASE WHEN v.vehicle_type IN ({coach_types}) AND {pnight}
                       THEN {ratio} ELSE 1.0 END) THEN 1 ELSE 0 END AS is_over
                FROM d1 p JOIN veh v ON p.plate = v.plate AND p.plate_color = v.plate_color
                WHERE p.drift = 0) a
          WINDOW w AS ({W})) b""",
        ),
        # 7. all violations: plate, plate_color, type, start, end, duration_s, max_speed_kmh, value
        (
            "violations",
            f"""
    SELECT plate, plate_color, 'overspeed' AS type, MIN(ts) AS t_start, MAX(ts) AS t_end,
      MAX(ts) - MIN(ts) AS duration_s, MAX(speed_kmh) AS max_speed_kmh, MIN(lim) AS val
    FROM osp WHERE is_over = 1 GROUP BY plate, plate_color, ep
    HAVING MAX(ts) - MIN(ts) >= {int(r.overspeed_min_s)}
    UNION ALL
    SELECT plate, plate_color, 'fatigue', t_start, t_end, drive_s, vmax, CAST({int(r.day_continuous_max_s)} AS DOUBLE)
    FROM stretches WHERE drive_s > {int(r.day_continuous_max_s)}
    UNION ALL
    SELECT plate, plate_color, 'night_fatigue', t_start, t_end, night_s, vmax,
      CAST({int(r.night_continuous_max_s)} AS DOUBLE)
    FROM stretches WHERE night_s > {int(r.night_continuous_max_s)}
    UNION ALL
    SELECT plate, plate_color, 'daily_fatigue', MIN(t0), MAX(t1), MAX(roll), CAST(NULL AS DOUBLE),
      CAST({int(r.daily_max_s)} AS DOUBLE)
    FROM daily GROUP BY plate, plate_color, ep
    UNION ALL
    SELECT s.plate, s.plate_color, 'coach_night_run', MIN(s.t0), MAX(s.t1), SUM(s.dt),
      MAX(GREATEST(s.speed0, s.speed1)), CAST(NULL AS DOUBLE)
    FROM seg s JOIN veh v ON s.plate = v.plate AND s.plate_color = v.plate_color
    WHERE s.driving = 1 AND s.coach_window = 1 AND v.vehicle_type IN ({coach_types}) AND v.night_exempt = 0
    GROUP BY s.plate, s.plate_color, CAST(FLOOR((s.t0 + {TZ}) / 86400) AS BIGINT)
    HAVING SUM(s.dt) >= {int(r.coach_night_min_s)}
    UNION ALL
    SELECT s.plate, s.plate_color, 'offline_move', s.t0, s.t1, s.dt, CAST(NULL AS DOUBLE), CAST(s.dist_m AS DOUBLE)
    FROM seg s JOIN veh v ON s.plate = v.plate AND s.plate_color = v.plate_color
    WHERE v.vehicle_type = 'dangerous' AND s.dt > {int(r.offline_s)} AND s.dist_m > {int(r.offline_move_m)}""",
        ),
        # 8. the per-vehicle month
        (
            "vehicle_month",
            f"""
    SELECT v.plate, v.plate_color, v.vehicle_type, v.enterprise, v.county, v.required, v.networked_before,
      COALESCE(r.records, 0) AS records, COALESCE(r.qualified, 0) AS qualified,
      COALESCE(r.online_days, 0) AS online_days,
      {", ".join(f"COALESCE(r.n_{n}, 0) AS n_{n}" for n in checks)},
      COALESCE(d.drift_points, 0) AS drift_points,
      COALESCE(t.total_m, 0) AS total_m, COALESCE(t.complete_m, 0) AS complete_m,
      COALESCE(t.driving_s, 0) AS driving_s
    FROM veh v
    LEFT JOIN rec r ON v.plate = r.plate AND v.plate_color = r.plate_color
    LEFT JOIN dft d ON v.plate = d.plate AND v.plate_color = d.plate_color
    LEFT JOIN trk t ON v.plate = t.plate AND v.plate_color = t.plate_color""",
        ),
        # 9. the whole input: the vehicles' records plus the records no vehicle can be named for (plate or
        #    colour missing); other plates (another county's vehicles in a shared store) are not counted
        (
            "totals",
            f"""
    SELECT COUNT(*) AS records, SUM(CASE WHEN {any_fail} = 0 THEN 1 ELSE 0 END) AS qualified, {sums}
    FROM (SELECT c.* FROM chk c LEFT JOIN veh v ON c.plate = v.plate AND c.plate_color = v.plate_color
          WHERE v.plate IS NOT NULL OR c.f_plate_missing = 1 OR c.f_plate_color_invalid = 1) t""",
        ),
    ]


OUTPUTS = ("vehicle_month", "violations", "totals")
ORDER = {
    "vehicle_month": "plate, plate_color",
    "violations": "plate, plate_color, t_start, type",
}
