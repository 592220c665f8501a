"""``{% point_picker "lat" "lon" %}``: a small map under a form's latitude/longitude fields — click to set the
point, drag the marker to move it; drawn on the offline base map (core.basemap) or the intranet tiles of
ZHIFA_MAP_TILE_URL. The fields stay typed inputs: the map only fills them."""

from __future__ import annotations

import os

from django import template

from zhifa.core import basemap

register = template.Library()


@register.inclusion_tag("core/_point_picker.html")
def point_picker(lat_name: str = "lat", lon_name: str = "lon") -> dict:
    tiles = os.environ.get("ZHIFA_MAP_TILE_URL", "")
    return {"lat_name": lat_name, "lon_name": lon_name,
            "map_data": {"base": None if tiles else basemap.base_map(), "tiles": tiles}}
