"""路段限速 (road-segment speed limits) for the metric pass: GeoJSON zones → arrays, point in polygon.

No Django here (the engines and Spark's workers use it). A zone is a polygon or multipolygon in WGS-84
longitude/latitude (GeoJSON order), a road class (rules.ROAD_CLASSES), optionally a posted limit for every
vehicle (``posted``) or per vehicle type (``limits``), and the days it is in force. The limit of a vehicle
in a zone comes from rules.zone_limit_kmh (posted limit first, else the class default of
《道路交通安全法实施条例》第四十五、四十六、七十八条); outside every zone the vehicle type's limit holds
(rules.speed_limit_kmh). Where zones overlap the lowest limit for the vehicle applies (the first such zone
in the table's order, by name, names it).

:class:`ZoneTable` holds everything the pass needs as arrays: per zone its bounding box, the epoch seconds
of its days in force, its rings' vertices and its day limit per vehicle category (``lim[zone, cat]``, the
categories of definitions.VehicleTable). :func:`lookup` is the NumPy point lookup (bounding-box prefilter,
then even-odd crossing test over every ring of the zone: holes and multipolygon parts need no special
case); kernel.zone_limits is the same test compiled, with the same arithmetic, so both give identical
results.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .rules import ROAD_CLASSES, Rules, speed_limit_kmh, zone_limit_kmh

TZ = 28800
FAR = 1 << 62  # no start / end date

# the range a coordinate of a zone may take (China, as the record checks; rules lon_min … lat_max)
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)


@dataclass(frozen=True)
class ZoneSpec:
    """One zone as the pass needs it (from a SpeedZone row or a GeoJSON feature)."""

    name: str
    road_class: str
    geometry: dict
    posted: float | None = None
    limits: dict = field(default_factory=dict)
    valid_from: date | None = None
    valid_to: date | None = None  # inclusive

    @property
    def label(self) -> str:
        return ROAD_CLASSES[self.road_class].label


class GeometryError(ValueError):
    """A geometry that is not a valid polygon or multipolygon (message in Chinese)."""


def _ring(coords, where: str) -> np.ndarray:
    if not isinstance(coords, list) or len(coords) < 4:
        raise GeometryError(f"{where}至少需要4个坐标点（首尾相同）")
    pts = []
    for k, p in enumerate(coords, start=1):
        if (
            not isinstance(p, list | tuple)
            or len(p) < 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in p[:2])
        ):
            raise GeometryError(f"{where}第 {k} 个坐标不是 [经度, 纬度]")
        lon, lat = float(p[0]), float(p[1])
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            raise GeometryError(
                f"{where}第 {k} 个坐标 [{lon}, {lat}] 超出中国范围（应为 WGS-84 [经度, 纬度]，是否颠倒？）"
            )
        pts.append((lon, lat))
    if pts[0] != pts[-1]:
        raise GeometryError(f"{where}首尾坐标不一致（多边形环须闭合）")
    a = np.array(pts[:-1], dtype=np.float64)
    if len({tuple(x) for x in a.tolist()}) < 3:
        raise GeometryError(f"{where}不足3个不同的顶点")
    return a


def rings_of(geometry) -> list[np.ndarray]:
    """The rings of a GeoJSON Polygon or MultiPolygon (vertices without the closing repeat), validated."""
    if not isinstance(geometry, dict):
        raise GeometryError("缺少几何图形（geometry）")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise GeometryError("MultiPolygon 没有多边形")
        polys = coords
    else:
        raise GeometryError(f"几何类型“{kind}”不支持，应为 Polygon 或 MultiPolygon")
    out = []
    for i, poly in enumerate(polys, start=1):
        if not isinstance(poly, list) or not poly:
            raise GeometryError(f"第 {i} 个多边形没有坐标环")
        for j, ring in enumerate(poly, start=1):
            where = (f"第 {i} 个多边形" if len(polys) > 1 else "") + (
                "外环" if j == 1 else f"第 {j - 1} 个内环"
            )
            out.append(_ring(ring, where))
    return out


def day_bounds(valid_from: date | None, valid_to: date | None) -> tuple[int, int]:
    """Epoch seconds [from 00:00, the day after ``valid_to`` 00:00) in Asia/Shanghai."""
    a = calendar.timegm(valid_from.timetuple()) - TZ if valid_from else -FAR
    b = calendar.timegm(valid_to.timetuple()) - TZ + 86400 if valid_to else FAR
    return a, b


class ZoneTable:
    """The zones as arrays (see the module docstring); ``lim`` (zones × vehicle categories) is filled by
    :meth:`for_vehicles` for one VehicleTable's categories."""

    def __init__(self, specs: list[ZoneSpec]):
        specs = sorted(specs, key=lambda s: s.name)
        self.specs = specs
        self.n = len(specs)
        rings: list[np.ndarray] = []
        zring = [0]
        for s in specs:
            rs = rings_of(s.geometry)
            rings += rs
            zring.append(len(rings))
        self.zring = np.array(zring, dtype=np.int64)  # zone z: rings zring[z] .. zring[z+1]-1
        rstart = [0]
        for r in rings:
            rstart.append(rstart[-1] + len(r))
        self.rstart = np.array(rstart, dtype=np.int64)  # ring r: vertices rstart[r] .. rstart[r+1]-1
        allv = np.concatenate(rings) if rings else np.zeros((0, 2))
        self.xs = np.ascontiguousarray(allv[:, 0], dtype=np.float64)
        self.ys = np.ascontiguousarray(allv[:, 1], dtype=np.float64)
        bbox = np.zeros((self.n, 4), dtype=np.float64)
        for z in range(self.n):
            v = allv[self.rstart[self.zring[z]] : self.rstart[self.zring[z + 1]]]
            bbox[z] = (v[:, 0].min(), v[:, 1].min(), v[:, 0].max(), v[:, 1].max())
        self.bbox = bbox
        self._grid()
        tb = [day_bounds(s.valid_from, s.valid_to) for s in specs]
        self.t0 = np.array([a for a, _ in tb], dtype=np.int64)
        self.t1 = np.array([b for _, b in tb], dtype=np.int64)
        self.categories: list[str] = []
        self.lim = np.zeros((self.n, 0), dtype=np.float64)
        self.sources: list[list[str]] = []
        self.fallback: list[float] = []

    def _grid(self, per_zone: int = 4, max_cells: int = 1 << 16) -> None:
        """A uniform grid over the zones' bounding boxes: cell (ix, iy) lists, in ascending order, the zones
        whose box meets it (``cstart``/``czones``, cells numbered iy * nx + ix), so that a point is tested
        against the few zones of its cell, not all of them (kernel.zone_limits). A point's cell is
        ``min(int((x - x0) / dx), nx - 1)``: monotone in x, so a box's cells computed the same way hold
        every point of the box."""
        if not self.n:
            self.grid = np.array([0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
            self.gn = np.array([1, 1], dtype=np.int64)
            self.cstart = np.zeros(2, dtype=np.int64)
            self.czones = np.zeros(0, dtype=np.int64)
            return
        b = self.bbox
        x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
        w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        cells = min(max_cells, per_zone * self.n)
        nx = max(1, min(cells, int(np.ceil(np.sqrt(cells * w / h)))))
        ny = max(1, min(cells, int(np.ceil(cells / nx))))
        dx, dy = w / nx, h / ny

        def cell(v, lo, d, n):
            return np.minimum(((v - lo) / d).astype(np.int64), n - 1)

        ix0, ix1 = cell(b[:, 0], x0, dx, nx), cell(b[:, 2], x0, dx, nx)
        iy0, iy1 = cell(b[:, 1], y0, dy, ny), cell(b[:, 3], y0, dy, ny)
        lists: list[list[int]] = [[] for _ in range(nx * ny)]
        for z in range(self.n):  # ascending z in every cell
            for iy in range(iy0[z], iy1[z] + 1):
                for ix in range(ix0[z], ix1[z] + 1):
                    lists[iy * nx + ix].append(z)
        self.grid = np.array([x0, y0, x1, y1, dx, dy], dtype=np.float64)
        self.gn = np.array([nx, ny], dtype=np.int64)
        self.cstart = np.zeros(nx * ny + 1, dtype=np.int64)
        np.cumsum([len(c) for c in lists], out=self.cstart[1:])
        self.czones = np.array([z for c in lists for z in c], dtype=np.int64)

    def for_vehicles(self, categories: list[str], rules: Rules) -> ZoneTable:
        """A copy whose ``lim[z, c]`` is the day limit of vehicle type ``categories[c]`` in zone ``z``."""
        out = object.__new__(ZoneTable)
        out.__dict__.update(self.__dict__)
        out.categories = list(categories)
        out.lim = np.zeros((self.n, len(categories)), dtype=np.float64)
        out.sources = []
        out.fallback = [speed_limit_kmh(rules, t) for t in categories]  # outside every zone
        for z, s in enumerate(self.specs):
            row = []
            for c, t in enumerate(categories):
                out.lim[z, c], src = zone_limit_kmh(rules, s.road_class, t, posted=s.posted, limits=s.limits)
                row.append(src)
            out.sources.append(row)
        return out

    def min_limit(self) -> float:
        return float(self.lim.min()) if self.lim.size else np.inf


def _inside(tab: ZoneTable, z: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd test of the points (x, y) against every ring of zone ``z``; an edge (x1, y1)–(x2, y2) is
    crossed when (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 (kernel.zone_limits
    computes exactly this)."""
    inside = np.zeros(len(x), dtype=bool)
    for r in range(tab.zring[z], tab.zring[z + 1]):
        a, b = tab.rstart[r], tab.rstart[r + 1]
        xs, ys = tab.xs[a:b], tab.ys[a:b]
        m = b - a
        for i in range(m):
            x1, y1 = xs[i - 1], ys[i - 1]  # edge from the previous vertex (the ring closes on itself)
            x2, y2 = xs[i], ys[i]
            if y1 == y2:
                continue  # a horizontal edge is never crossed ((y1 > y) == (y2 > y))
            cross = ((y1 > y) != (y2 > y)) & (x < (x2 - x1) * (y - y1) / (y2 - y1) + x1)
            inside ^= cross
    return inside


def lookup(tab: ZoneTable, lon, lat, ts, cat) -> tuple[np.ndarray, np.ndarray]:
    """Per point, the lowest day limit of the zones in force containing it for its vehicle category and
    that zone (``-1`` and NaN where no zone contains it)."""
    n = len(lon)
    best = np.full(n, np.inf)
    zone = np.full(n, -1, dtype=np.int64)
    for z in range(tab.n):
        x0, y0, x1, y1 = tab.bbox[z]
        idx = np.flatnonzero(
            (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1) & (ts >= tab.t0[z]) & (ts < tab.t1[z])
        )
        if not len(idx):
            continue
        idx = idx[_inside(tab, z, lon[idx], lat[idx])]
        lz = tab.lim[z, cat[idx]]
        better = lz < best[idx]
        idx = idx[better]
        best[idx] = lz[better]
        zone[idx] = z
    best[zone < 0] = np.nan
    return best, zone
