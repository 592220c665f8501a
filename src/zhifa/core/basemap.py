"""The light base map under track and zone maps when there is no tile server: a small GeoJSON of the
county (outline, rivers, main roads, towns) named by ``ZHIFA_MAP_BASE_GEOJSON``. Unset: the schematic
郁南县 file shipped with the demo (``data/basemap-yunan.json``) — outside production only: a bureau's
production installation (``ZHIFA_ENV=prod``) must not show the demo county's roads, so there unset means
the grid; set empty: no base, the page draws a plain grid. A file that cannot be read also falls back to the grid (the page says so), never to an error page."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

SHIPPED = Path(__file__).resolve().parent / "data" / "basemap-yunan.json"
ROAD_KINDS = ("expressway", "national", "provincial")


def base_path() -> Path | None:
    value = getattr(settings, "MAP_BASE_GEOJSON", None)
    if value is None:
        return None if getattr(settings, "PROD", False) else SHIPPED
    value = str(value).strip()
    return Path(value) if value else None


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        return None
    name = data.get("name") if isinstance(data.get("name"), str) else Path(path).stem
    return {"type": "FeatureCollection", "name": name[:60], "features": data["features"]}


def base_map() -> dict | None:
    """The base FeatureCollection (features only), or None: draw a grid."""
    path = base_path()
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return _load(str(path), mtime)


def base_name() -> str:
    data = base_map()
    return data["name"] if data else ""


def roads(data: dict | None = None) -> list[list[tuple[float, float]]]:
    """The road polylines of a base map as [(lon, lat), …] — routes for generated tracks."""
    data = data if data is not None else json.loads(SHIPPED.read_text(encoding="utf-8"))
    out = []
    for f in data.get("features", []):
        geom = f.get("geometry") or {}
        if (f.get("properties") or {}).get("kind") in ROAD_KINDS and geom.get("type") == "LineString":
            out.append([(float(x), float(y)) for x, y, *_ in geom["coordinates"]])
    return out
