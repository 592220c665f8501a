"""路段限速 layer: import from GeoJSON (writes, audited) and the zones in force for a monthly run.

A GeoJSON FeatureCollection, one feature per road section: ``geometry`` a Polygon or MultiPolygon in WGS-84
[longitude, latitude]; ``properties``:

* ``name`` (名称, required): the zone's name, unique in the unit: importing a file again updates the zones
  of the same name (idempotent);
* ``road_class`` (道路等级, required): a code or label of rules.ROAD_CLASSES (``expressway`` 高速公路, …);
* ``limit_kmh`` (限速): the posted limit for every vehicle; ``limits``: posted limits per vehicle type
  (``{"coach": 90, "dangerous": 70}``, types or their Chinese names); both optional where the road class
  has a default (《道路交通安全法实施条例》第四十五、四十六、七十八条);
* ``source`` (依据), ``note`` (说明), ``valid_from`` / ``valid_to`` (生效日期 / 失效日期, YYYY-MM-DD, both
  inclusive), ``active`` (启用, default true).

A feature with an error is reported with its number (1-based) and a Chinese reason; the good features go in.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.audit import audit_record
from zhifa.core.imports import BatchOutcome
from zhifa.registry.enums import VehicleType

from .errors import MonitoringError
from .models import SpeedZone
from .permissions import require_business_role, require_within
from .rules import ROAD_CLASSES, zone_limit_kmh
from .selectors import zones_applying_q
from .zones import GeometryError, ZoneSpec, rings_of

MAX_LIMIT_KMH = 120.0  # 《道路交通安全法实施条例》第七十八条：最高车速不得超过每小时120公里
MIN_LIMIT_KMH = 5.0

_CLASS_BY_LABEL = {rc.label: rc.code for rc in ROAD_CLASSES.values()} | {
    "高速": "expressway",
    "特殊路段": "special",
}
_TYPE_BY_LABEL = {label: code for code, label in VehicleType.choices}
_KEYS = {  # Chinese property names accepted beside the English ones
    "名称": "name",
    "道路等级": "road_class",
    "限速": "limit_kmh",
    "分车型限速": "limits",
    "依据": "source",
    "说明": "note",
    "生效日期": "valid_from",
    "失效日期": "valid_to",
    "启用": "active",
}


def _limit(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{what}应为数字（km/h）")
    try:
        x = float(value)
    except ValueError:
        raise ValueError(f"{what}“{value}”不是数字") from None
    if not (MIN_LIMIT_KMH <= x <= MAX_LIMIT_KMH):
        raise ValueError(
            f"{what} {x:g} km/h 超出范围（{MIN_LIMIT_KMH:g}–{MAX_LIMIT_KMH:g}；"
            "《道路交通安全法实施条例》第七十八条最高每小时120公里）"
        )
    return x


def _date(value, what: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{what}“{value}”格式应为 YYYY-MM-DD") from None


def parse_feature(feature) -> dict:
    """The SpeedZone fields of one GeoJSON feature; ValueError with a Chinese reason when it is not valid."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("不是 GeoJSON Feature")
    raw = feature.get("properties") or {}
    if not isinstance(raw, dict):
        raise ValueError("properties 应为对象")
    props = {_KEYS.get(k, k): v for k, v in raw.items()}
    name = str(props.get("name") or "").strip()
    if not name:
        raise ValueError("缺少路段名称（name）")
    if len(name) > 100:
        raise ValueError("路段名称超过100字")
    rc = str(props.get("road_class") or "").strip()
    rc = rc if rc in ROAD_CLASSES else _CLASS_BY_LABEL.get(rc, "")
    if not rc:
        choices = "、".join(f"{c}（{r.label}）" for c, r in ROAD_CLASSES.items())
        raise ValueError(f"道路等级“{props.get('road_class') or ''}”无效，应为：{choices}")
    posted = props.get("limit_kmh")
    posted = None if posted in (None, "") else _limit(posted, "限速")
    limits = {}
    per = props.get("limits") or {}
    if not isinstance(per, dict):
        raise ValueError('分车型限速（limits）应为对象，如 {"coach": 90}')
    for k, v in per.items():
        t = k if k in VehicleType.values or k == "default" else _TYPE_BY_LABEL.get(k)
        if t is None:
            raise ValueError(f"分车型限速中的车型“{k}”无效")
        limits[t] = _limit(v, f"“{k}”限速")
    if posted is None and "default" not in limits and not ROAD_CLASSES[rc].limits:
        raise ValueError(f"道路等级“{ROAD_CLASSES[rc].label}”没有法定默认限速，须填写限速（limit_kmh）")
    try:
        rings = rings_of(feature.get("geometry"))
    except GeometryError as e:
        raise ValueError(str(e)) from None
    valid_from = _date(props.get("valid_from"), "生效日期")
    valid_to = _date(props.get("valid_to"), "失效日期")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValueError("失效日期早于生效日期")
    active = props.get("active", True)
    if not isinstance(active, bool):
        active = str(active).strip().lower() not in ("0", "false", "否", "no")
    lon = [x for r in rings for x in r[:, 0].tolist()]
    lat = [y for r in rings for y in r[:, 1].tolist()]
    geometry = feature["geometry"]
    return {
        "name": name,
        "road_class": rc,
        "geometry": {"type": geometry["type"], "coordinates": geometry["coordinates"]},
        "min_lon": min(lon),
        "min_lat": min(lat),
        "max_lon": max(lon),
        "max_lat": max(lat),
        "limit_kmh": posted,
        "limits": limits,
        "source": str(props.get("source") or "")[:200],
        "note": str(props.get("note") or "")[:300],
        "valid_from": valid_from,
        "valid_to": valid_to,
        "active": bool(active),
    }


def read_geojson(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MonitoringError.ZONES.error(detail=f"文件不存在：{path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise MonitoringError.ZONES.error(detail=f"不是有效的 GeoJSON（UTF-8 JSON）：{e}") from None
    return data


@transaction.atomic
def speed_zones_import(*, data: dict, org: Org, actor: User | None) -> BatchOutcome:
    """Import a GeoJSON FeatureCollection of 路段限速 zones into ``org``'s jurisdiction: every valid feature
    is created or updated by name (idempotent), every invalid one reported by number with its reason
    (``errors``: (feature number, reason)), as the tabular imports of core.imports."""
    if actor is not None:
        require_business_role(actor)
        require_within(actor, org, "该单位")
    org = jurisdiction_of(org)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise MonitoringError.ZONES.error(detail="应为 GeoJSON FeatureCollection（含 features 数组）")
    res = BatchOutcome()
    seen: dict[str, int] = {}
    for i, feature in enumerate(data["features"], start=1):
        try:
            fields = parse_feature(feature)
        except ValueError as e:
            res.errors.append((i, str(e)))
            continue
        if fields["name"] in seen:
            res.errors.append((i, f"路段名称“{fields['name']}”与第 {seen[fields['name']]} 个要素重复"))
            continue
        seen[fields["name"]] = i
        z = SpeedZone.objects.filter(org=org, name=fields["name"]).first()
        if z is None:
            z = SpeedZone(org=org, **fields)
            z.full_clean()
            z.save()
            res.created += 1
            continue
        before = {k: getattr(z, k) for k in fields}
        if before == fields:
            res.unchanged += 1
            continue
        for k, v in fields.items():
            setattr(z, k, v)
        z.full_clean()
        z.save()
        res.updated += 1
    audit_record(
        action="monitoring.speed_zones_import",
        actor=actor,
        target=org,
        detail={
            "created": res.created,
            "updated": res.updated,
            "unchanged": res.unchanged,
            "rejected": len(res.errors),
            "names": sorted(seen),
        },
    )
    return res


def zones_in_force(org: Org | None, *, month: str) -> list[ZoneSpec]:
    """The active zones of a monthly run (``YYYY-MM``) of ``org``'s jurisdiction: those set by the
    jurisdiction, the units below it and the units above it (a province's expressways); ``org`` None: every
    unit's (selectors.zones_applying_q). Only zones in force on some day of the month (each point is checked
    against the dates)."""
    start = date.fromisoformat(month + "-01")
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    qs = (
        SpeedZone.objects.filter(active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lt=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    )
    if org is not None:
        qs = qs.filter(zones_applying_q(org))
    return [z.spec() for z in qs.order_by("name", "pk")]


def zone_rows(zones) -> list[dict]:
    """The zones' limits per monitored vehicle type with their sources, for the page."""
    from django.utils import timezone

    from .rules import rules_for

    rules = rules_for(timezone.localdate())
    out = []
    for z in zones:
        lim = []
        for t in ("coach", "charter", "dangerous"):
            try:
                v, src = zone_limit_kmh(rules, z.road_class, t, posted=z.limit_kmh, limits=z.limits)
            except (KeyError, ValueError):
                v, src = None, ""
            lim.append({"type": VehicleType(t).label, "kmh": v, "source": src})
        out.append({"zone": z, "limits": lim})
    return out
