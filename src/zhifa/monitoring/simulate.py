"""Generated positions: exact tracks for tests (legs of driving and stopping) and a plausible month for the
demo county and the benchmarks (trips, rests, night runs, overspeed, gaps, drift, bad records)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pyarrow as pa

from .store import SCHEMA, month_bounds

M_PER_DEG_LAT = 111_195.0
# Drift in the generated month. It used to be a spike on 5 % of all vehicle-days, which puts at least one
# drift point on 1 - 0.95^26 ≈ 74 % of the vehicles that run ~26 days a month — the demo's 漂移率 of 76 %.
# Published monthly figures are around 1 % (Sichuan, March 2025: 漂移率 1.02 %, enforcement-tech.md §2.3),
# so now only a few vehicles (faulty terminals) drift, on some of their days.
DRIFT_VEHICLE_P = 0.02
DRIFT_DAY_P = 0.2


@dataclass
class Leg:
    kind: str  # "drive" | "stop" | "gap" (no points, vehicle moves `km`)
    seconds: int
    speed_kmh: float = 0.0
    km: float = 0.0


def drive(minutes: float, speed: float = 60.0) -> Leg:
    return Leg("drive", int(round(minutes * 60)), speed)


def stop(minutes: float) -> Leg:
    return Leg("stop", int(round(minutes * 60)))


def gap(minutes: float, km: float = 0.0) -> Leg:
    return Leg("gap", int(round(minutes * 60)), km=km)


def build_track(
    plate: str,
    color: str,
    start_ts: int,
    legs: list[Leg],
    *,
    interval_s: int = 30,
    lon0: float = 111.50,
    lat0: float = 23.20,
    heading: int = 90,
    status: int = 3,
    direction: int = 1,
) -> list[dict]:
    """Points every ``interval_s`` along a line heading east. A drive leg's points carry its speed; the
    first point of a stop is reported at the stop's start with speed 0; the last point is at the end."""
    pts: list[dict] = []
    t, lon, lat = start_ts, lon0, lat0
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat0))

    def emit(ts, speed):
        pts.append(
            {
                "plate": plate,
                "plate_color": color,
                "ts": ts,
                "lon": round(lon, 6),
                "lat": round(lat, 6),
                "speed_kmh": float(speed),
                "heading": heading,
                "altitude_m": 50,
                "alarm": 0,
                "status": status,
            }
        )

    for leg in legs:
        if leg.kind == "gap":
            t += leg.seconds
            lon += direction * leg.km * 1000 / m_per_deg_lon
            continue
        n = max(1, leg.seconds // interval_s)
        for _ in range(n):
            emit(t, leg.speed_kmh if leg.kind == "drive" else 0.0)
            if leg.kind == "drive":
                lon += direction * leg.speed_kmh / 3.6 * interval_s / m_per_deg_lon
            t += interval_s
    emit(t, 0.0)
    return pts


def table(rows: list[dict], *, recv_ts: int | None = None, source: str = "generated") -> pa.Table:
    cols = {f.name: [] for f in SCHEMA}
    for r in rows:
        for k in cols:
            if k == "recv_ts":
                cols[k].append(r.get("recv_ts") or recv_ts or r["ts"] + 5)
            elif k == "source":
                cols[k].append(source)
            else:
                cols[k].append(r.get(k))
    return pa.table(cols, schema=SCHEMA)


def simulate_month(
    vehicles: list[tuple[str, str, str]],
    month: str,
    *,
    seed: int,
    hours_per_day: float = 5.0,
    interval_s: int = 60,
    quirks: bool = True,
) -> pa.Table:
    """A month of positions for ``vehicles`` = [(plate, colour, vehicle_type)]: one or two trips a day with
    rests, some long stretches (fatigue), coach night runs, overspeed, offline gaps, drift spikes and a few
    unqualified records. Deterministic for a seed."""
    rng = random.Random(seed)
    start, end = month_bounds(month)
    days = (end - start) // 86400
    out: list[dict] = []
    for i, (plate, color, vtype) in enumerate(vehicles):
        vr = random.Random(f"{seed}:{plate}:{color}")
        if quirks and vr.random() < 0.03:
            continue  # never online this month
        lon0, lat0 = 111.2 + vr.random() * 0.8, 22.8 + vr.random() * 0.6
        # drift comes from a few faulty terminals, not from every vehicle now and then (a separate stream,
        # so the other quirks of a seed stay where they were)
        drifty = random.Random(f"{seed}:{plate}:{color}:drift").random() < DRIFT_VEHICLE_P
        for day in range(days):
            if vr.random() < 0.15:
                continue  # rest day
            day0 = start + day * 86400
            dep_h = 6 + vr.random() * 3
            legs: list[Leg] = []
            remaining = hours_per_day * (0.6 + vr.random() * 0.8) * 60
            fatigue = quirks and vr.random() < 0.04
            while remaining > 0:
                chunk = 260 if fatigue else min(remaining, 60 + vr.random() * 150)
                fatigue = False
                speed = 40 + vr.random() * 45
                if quirks and vr.random() < 0.05:
                    legs.append(drive(min(chunk, 30), speed))
                    legs.append(drive(3, 115 if vtype != "dangerous" else 95))  # overspeed
                    chunk -= 33
                legs.append(drive(max(chunk, 1), speed))
                remaining -= chunk
                if quirks and vr.random() < 0.04:
                    legs.append(gap(25, km=12 + vr.random() * 20))  # offline while moving
                legs.append(stop(15 + vr.random() * 40) if vr.random() < 0.85 else stop(21))
            direction = 1 if day % 2 == 0 else -1  # out one day, back the next
            pts = build_track(
                plate,
                color,
                int(day0 + dep_h * 3600),
                legs,
                interval_s=interval_s,
                lon0=lon0,
                lat0=lat0,
                heading=90 if direction > 0 else 270,
                direction=direction,
            )
            lon0 = pts[-1]["lon"]
            if quirks and vtype in ("coach", "charter") and vr.random() < 0.03:
                night = build_track(
                    plate,
                    color,
                    day0 + 2 * 3600 + 600,
                    [drive(40, 70), stop(5)],
                    interval_s=interval_s,
                    lon0=pts[0]["lon"],
                    lat0=lat0,
                    direction=-direction,
                )
                pts = night + build_track(
                    plate,
                    color,
                    int(day0 + dep_h * 3600),
                    legs,
                    interval_s=interval_s,
                    lon0=night[-1]["lon"],
                    lat0=lat0,
                    heading=90 if direction > 0 else 270,
                    direction=direction,
                )
                lon0 = pts[-1]["lon"]
            if quirks and vr.random() < DRIFT_DAY_P and drifty and len(pts) > 10:
                k = vr.randrange(1, len(pts) - 1)
                pts[k] = dict(pts[k], lon=pts[k]["lon"] + 0.9, lat=pts[k]["lat"] + 0.5)  # drift spike
            if quirks and vr.random() < 0.05 and pts:
                k = vr.randrange(len(pts))
                pts[k] = dict(pts[k], status=1)  # not positioned
            if quirks and vr.random() < 0.02 and pts:
                k = vr.randrange(len(pts))
                pts[k] = dict(pts[k], lon=0.0, lat=0.0)
            seen = set()
            for p in pts:
                if p["ts"] < end and p["ts"] not in seen:
                    seen.add(p["ts"])
                    out.append(p)
        _ = i
    _ = rng
    return table(out)
