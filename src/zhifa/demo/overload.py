"""Demo 治超 data for 郁南: the two non-site detection points named in seed 001 (南江口 and 平台), one
freight-source weighing point, and a month of realistic weighings, ingested and screened through the
overload services (the same parsing, Parquet store, screening and review queue as real stations).

Called by the demo loader: ``load_demo_overload(seed=…, today=…, scale=…)``. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from zhifa.accounts.models import Org, User
from zhifa.core.errors import DomainError
from zhifa.overload import rules, services
from zhifa.overload.models import Lead, LeadStatus, StationKind
from zhifa.overload.records import CST
from zhifa.registry.models import Enterprise, Vehicle

BUREAU = "郁南县交通运输局"
# (code, name, route, chainage, direction, device type, accuracy class, daily trucks at scale 1)
STATIONS = (
    ("YN-NJK-01", "南江口治超非现场检测点", "G324", "K2861+500", "双向", "quartz", "5", 900),
    ("YN-PT-01", "平台治超非现场检测点", "S276", "K38+200", "双向", "bending_plate", "2", 500),
)
SOURCE = ("YN-SRC-01", "货运源头称重点", "", "", "出场", "platform", "0.5", 120)
# axle count, vehicle kind, share of traffic. The nominal mass each is generated around is the 超限规定
# Art 3 limit, asked of zhifa.overload.rules (the one definition of those limits), not repeated here.
MIX = (
    (2, "货车", 0.30),
    (3, "货车", 0.12),
    (4, "货车", 0.10),
    (4, "半挂汽车列车", 0.04),
    (5, "半挂汽车列车", 0.06),
    (6, "半挂汽车列车", 0.38),
)


def _art3_limit(axles: int, kind: str, on: date) -> int:
    """The Art 3 gross-mass limit of ``axles``/``kind`` in force on ``on`` (for generating masses only)."""
    k = rules.KIND_ALIASES[kind]
    for lim in rules.ruleset_for(on).limits:
        if lim.kind == k and lim.axles_min <= axles and (lim.axles_max is None or axles <= lim.axles_max):
            return lim.limit_kg
    raise LookupError(f"{axles}轴{kind}")


REVIEWED_MAX = 60
OUT_OF_AREA = "桂湘粤粤粤粤赣闽"  # 粤 here gets a non-W office letter: another 广东 city


@dataclass
class OverloadSummary:
    stations: int
    records: int
    leads: int
    confirmed: int
    rejected: int
    notices: int
    sanctions: int

    def __str__(self) -> str:  # the console line of `zhifa demo`: words, not a Python repr
        return (f"检测点 {self.stations} 个，过车记录 {self.records:,} 条，超限待审核 {self.leads} 条"
                f"（确认 {self.confirmed}、排除 {self.rejected}），抄告 {self.notices} 件，一超四罚线索 {self.sanctions} 条")


def _plate(rng: random.Random, local: list[tuple[str, str]]) -> tuple[str, str]:
    if local and rng.random() < 0.6:
        return rng.choice(local)
    prov = rng.choice(OUT_OF_AREA)
    letter = rng.choice("ABCDEFGHJKLMNPQRST") if prov != "粤" else rng.choice("ABCDEFHJKLMNPQRST")
    return f"{prov}{letter}{rng.randint(10000, 99999)}", "yellow"


def _gross(rng: random.Random, nominal: int) -> int:
    u = rng.random()
    if u < 0.60:  # loaded within the limit
        g = nominal * rng.uniform(0.70, 0.99)
    elif u < 0.86:  # empty or light
        g = nominal * rng.uniform(0.30, 0.60)
    elif u < 0.96:  # close to the limit: within the device tolerance
        g = nominal * rng.uniform(0.99, 1.04)
    else:  # overloaded, a long tail
        g = nominal * (1.05 + rng.expovariate(1 / 0.18))
    return int(round(g / 10) * 10)


def _record(rng, n, code, at: datetime, plate, color, axles, kind, gross) -> dict:
    weights = [gross // axles] * axles
    weights[-1] += gross - sum(weights)
    unreadable = rng.random() < 0.01
    return {
        "record_id": f"{code}-{at:%Y%m%d}-{n:05d}",
        "station_code": code,
        "lane": rng.randint(1, 2),
        "passed_at": at.isoformat(),
        "plate": "未识别" if unreadable else plate,
        "plate_color": {"yellow": "1", "blue": "0"}.get(color, "1"),
        "axle_count": axles,
        "vehicle_kind": kind,
        "gross_kg": gross,
        "axle_weights_kg": ";".join(map(str, weights)),
        "axle_spacings_mm": ";".join(str(rng.choice((1310, 1350, 3200, 3600))) for _ in range(axles - 1)),
        "drive_axle_single": "true" if axles >= 6 and rng.random() < 0.1 else "false",
        "single_tyre_axles": 0,
        "wide_tyre": "false",
        "air_suspension": "true" if rng.random() < 0.3 else "false",
        "speed_kmh": rng.randint(25, 75),
        "device_class": "",
        "images": "/static/overload/wim-placeholder.svg",
    }


def load_demo_overload(*, seed: int, today: date, scale: float) -> OverloadSummary:
    rng = random.Random(f"overload-{seed}")
    bureau = Org.objects.get(name=BUREAU)
    cert_from = today - timedelta(days=200)
    stations = []
    for code, name, route, chainage, direction, dtype, cls, _daily in (*STATIONS, SOURCE):
        source_ent = None
        kind = StationKind.ROADSIDE
        if code == SOURCE[0]:
            kind = StationKind.SOURCE
            source_ent = (
                Enterprise.objects.filter(org__path__startswith=bureau.path, business_type="source")
                .order_by("id")
                .first()
            )
            if source_ent is not None:
                name = f"{source_ent.name}{name}"
        stations.append(
            services.station_save(
                code=code,
                org=bureau,
                actor=None,
                name=name,
                kind=kind,
                route=route,
                chainage=chainage,
                direction=direction,
                lanes=2,
                device_type=dtype,
                device_no=f"DEV-{code}",
                accuracy_class=cls,
                cert_no=f"云计检〔{cert_from.year}〕{rng.randint(100, 999)}号",
                cert_valid_from=cert_from,
                cert_valid_to=cert_from + timedelta(days=364),
                source_enterprise=source_ent,
            )
        )
    local = [
        (v.plate, v.plate_color)
        for v in Vehicle.objects.filter(
            org__path__startswith=bureau.path, vehicle_type__in=services.GOODS_TYPES
        ).order_by("plate")
    ]
    # a few habitual overloaders, so that 一超四罚 has something to find
    habitual = rng.sample(local, min(3, len(local))) if local else []
    items: list = []
    n = 0
    start = today - timedelta(days=30)
    for code, _name, *_rest, daily in STATIONS:
        for day_offset in range(30):
            day = start + timedelta(days=day_offset)
            for _ in range(max(1, int(daily * scale * rng.uniform(0.85, 1.15)))):
                n += 1
                axles, kind, _share = rng.choices(MIX, weights=[m[2] for m in MIX])[0]
                nominal = _art3_limit(axles, kind, day)
                # more traffic by day; a night peak of heavy trucks avoiding attention
                hour = rng.choices(
                    range(24),
                    weights=[3, 3, 4, 4, 3, 3, 4, 6, 7, 7, 7, 7, 6, 6, 7, 7, 7, 7, 6, 5, 5, 4, 4, 3],
                )[0]
                at = datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=CST)
                plate, color = _plate(rng, local)
                gross = _gross(rng, nominal)
                if habitual and rng.random() < 0.004:
                    plate, color = rng.choice(habitual)
                    axles, kind = 6, "半挂汽车列车"
                    nominal = _art3_limit(axles, kind, day)
                    gross = int(nominal * rng.uniform(1.12, 1.35))
                items.append((n, _record(rng, n, code, at, plate, color, axles, kind, gross), ""))
                if rng.random() < 0.004:  # a lane-straddling double capture: a duplicate within the window
                    n += 1
                    again = _record(
                        rng,
                        n,
                        code,
                        at + timedelta(seconds=rng.randint(2, 40)),
                        plate,
                        color,
                        axles,
                        kind,
                        gross,
                    )
                    items.append((n, again, ""))
                if code == STATIONS[0][0] and gross > nominal and rng.random() < 0.15:  # loaded at the source
                    n += 1
                    left = at - timedelta(minutes=rng.randint(30, 300))
                    items.append(
                        (
                            n,
                            _record(
                                rng,
                                n,
                                SOURCE[0],
                                left,
                                plate,
                                color,
                                axles,
                                kind,
                                gross - rng.randint(0, 500),
                            ),
                            "",
                        )
                    )
    batch = services.ingest_items(items=items, actor=None, org=bureau, channel="demo", filename="演示数据")
    confirmed = rejected = 0
    officer = User.objects.filter(username="officer").first()
    if officer is not None:
        pending = list(
            Lead.objects.filter(
                org=bureau,
                status=LeadStatus.PENDING,
                station__kind=StationKind.ROADSIDE,
                passed_at__date__lt=today - timedelta(days=7),
            ).order_by("passed_at")
        )
        # the officer has worked through the older part of the queue (at most REVIEWED_MAX: each review
        # re-screens the record, digests the partition and evaluates 一超四罚)
        for lead in pending[:REVIEWED_MAX]:
            try:
                if rng.random() < 0.08:
                    services.lead_reject(lead=lead, actor=officer, reason="图片显示跨道行驶，称重数据异常")
                    rejected += 1
                    continue
                done = services.lead_confirm(
                    lead=lead, actor=officer, reason="图片清晰，车牌、轴数与记录一致"
                )
                confirmed += 1
                # these demo leads' case sources are not registered as zhifa cases (handled on paper), so
                # the manual 登记结案 applies; a lead whose source became a case closes with that case
                if rng.random() < 0.6:
                    closed = done.passed_at.astimezone(CST).date() + timedelta(days=rng.randint(3, 6))
                    if closed < today:
                        services.lead_close(
                            lead=done,
                            actor=officer,
                            closed_on=closed,
                            decision_no=f"郁交执罚〔{closed.year}〕{done.pk}号",
                        )
            except DomainError:
                break  # the demo officer cannot enforce (e.g. certificate state): leave the rest pending
    from zhifa.overload.models import Notice, SanctionLead

    return OverloadSummary(
        stations=len(stations),
        records=batch.stored,
        leads=Lead.objects.filter(org=bureau).count(),
        confirmed=confirmed,
        rejected=rejected,
        notices=Notice.objects.filter(org=bureau).count(),
        sanctions=SanctionLead.objects.filter(org__path__startswith=bureau.path).count(),
    )
