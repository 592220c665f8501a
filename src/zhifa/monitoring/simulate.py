"""Generated positions: exact tracks for tests (legs of driving and stopping) and a plausible month for the
demo county and the benchmarks (trips, rests, night runs, overspeed, gaps, drift, bad records). Tracks run
along a straight line heading east or west, or, given a :class:`Route`, along a road of the base map."""

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


class Route:
    """A polyline [(lon, lat), …] walked by distance in metres; past either end the vehicle turns back, so
    any distance is a point on the road."""

    def __init__(self, coords: list[tuple[float, float]]):
        if len(coords) < 2:
            raise ValueError("a route needs two points")
        self.coords = coords
        self.cum = [0.0]
        for (x0, y0), (x1, y1) in zip(coords, coords[1:], strict=False):
            self.cum.append(self.cum[-1] + _metres(x0, y0, x1, y1))
        self.length = self.cum[-1]

    def at(self, s: float) -> tuple[float, float, int]:
        """(lon, lat, heading in degrees from north) at distance ``s`` travelling towards larger ``s``."""
        period = 2 * self.length
        s %= period
        back = s > self.length
        if back:
            s = period - s
        i = max(0, min(len(self.cum) - 2, next((k for k in range(1, len(self.cum)) if self.cum[k] >= s), 1) - 1))
        (x0, y0), (x1, y1) = self.coords[i], self.coords[i + 1]
        seg = self.cum[i + 1] - self.cum[i]
        f = (s - self.cum[i]) / seg if seg else 0.0
        dx = (x1 - x0) * math.cos(math.radians(y0))
        heading = int(round(math.degrees(math.atan2(dx, y1 - y0)))) % 360
        if back:
            heading = (heading + 180) % 360
        return x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, heading


def _metres(x0: float, y0: float, x1: float, y1: float) -> float:
    dx = (x1 - x0) * M_PER_DEG_LAT * math.cos(math.radians((y0 + y1) / 2))
    return math.hypot(dx, (y1 - y0) * M_PER_DEG_LAT)


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
    route: Route | None = None,
    s0: float = 0.0,
) -> list[dict]:
    """Points every ``interval_s`` along a line heading east (``direction`` -1: west), or along ``route``
    from ``s0`` metres (each point then carries ``_s``, where the next trip starts). A drive leg's points
    carry its speed; the first point of a stop is reported at the stop's start with speed 0; the last point
    is at the end."""
    pts: list[dict] = []
    t, lon, lat = start_ts, lon0, lat0
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat0))
    s = s0

    def advance(metres: float):
        nonlocal lon, lat, heading, s
        if route is None:
            lon += direction * metres / m_per_deg_lon
            return
        s += direction * metres
        lon, lat, h = route.at(s)
        heading = h if direction > 0 else (h + 180) % 360

    if route is not None:
        advance(0.0)

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
                **({"_s": s} if route is not None else {}),
            }
        )

    for leg in legs:
        if leg.kind == "gap":
            t += leg.seconds
            advance(leg.km * 1000)
            continue
        n = max(1, leg.seconds // interval_s)
        for _ in range(n):
            emit(t, leg.speed_kmh if leg.kind == "drive" else 0.0)
            if leg.kind == "drive":
                advance(leg.speed_kmh / 3.6 * interval_s)
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
    routes: list[list[tuple[float, float]]] | None = None,
) -> pa.Table:
    """A month of positions for ``vehicles`` = [(plate, colour, vehicle_type)]: one or two trips a day with
    rests, some long stretches (fatigue), coach night runs, overspeed, offline gaps, drift spikes and a few
    unqualified records. Deterministic for a seed. With ``routes`` (road polylines, e.g.
    :func:`zhifa.core.basemap.roads`) each vehicle drives up and down one road, out one day and back
    the next; without, along a line east and west."""
    rng = random.Random(seed)
    start, end = month_bounds(month)
    days = (end - start) // 86400
    out: list[dict] = []
    for i, (plate, color, vtype) in enumerate(vehicles):
        vr = random.Random(f"{seed}:{plate}:{color}")
        if quirks and vr.random() < 0.03:
            continue  # never online this month
        lon0, lat0 = 111.2 + vr.random() * 0.8, 22.8 + vr.random() * 0.6
        route, s_at = None, 0.0
        if routes:  # a separate stream, so that the other quirks of a seed stay where they were
            rr = random.Random(f"{seed}:{plate}:{color}:route")
            route = Route(routes[rr.randrange(len(routes))])
            s_at = rr.random() * route.length
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
                route=route,
                s0=s_at,
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
                    route=route,
                    s0=pts[0].get("_s", 0.0),
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
                    route=route,
                    s0=night[-1].get("_s", 0.0),
                )
                lon0 = pts[-1]["lon"]
            s_at = pts[-1].get("_s", 0.0)
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
