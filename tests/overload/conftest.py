"""Fixtures of the 治超 tests: an isolated Parquet directory, two stations of county A, a certified
officer, and a writer of small record files."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest

from tests.factories import fake_idcard

HEADER = [
    "record_id",
    "station_code",
    "lane",
    "passed_at",
    "plate",
    "plate_color",
    "axle_count",
    "vehicle_kind",
    "gross_kg",
    "axle_weights_kg",
    "axle_spacings_mm",
    "drive_axle_single",
    "single_tyre_axles",
    "wide_tyre",
    "air_suspension",
    "speed_kmh",
    "device_class",
    "images",
]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def stations(tree):
    from zhifa.overload.services import station_save

    a = station_save(
        code="YN-NJK-01",
        org=tree.bureau_a,
        actor=None,
        name="南江口治超非现场检测点",
        route="G324",
        chainage="K2856+300",
        direction="往梧州",
        lanes=2,
        device_type="quartz",
        accuracy_class="5",
        cert_no="YFJL-2026-0131",
        cert_valid_from=date(2026, 3, 1),
        cert_valid_to=date(2027, 2, 28),
    )
    expired = station_save(
        code="YN-PT-01",
        org=tree.bureau_a,
        actor=None,
        name="平台治超非现场检测点",
        route="S352",
        chainage="K12+800",
        direction="双向",
        lanes=2,
        device_type="bending_plate",
        accuracy_class="2",
        cert_no="YFJL-2025-0088",
        cert_valid_from=date(2025, 9, 1),
        cert_valid_to=date(2026, 8, 31),
    )
    return {"njk": a, "pt": expired}


@pytest.fixture
def certified_officer(tree, officer_user):
    from zhifa.accounts.services import certificate_add, officer_create

    o = officer_create(
        org=tree.squad_a1, name="黄执法", idcard=fake_idcard(random.Random(7)), user=officer_user, actor=None
    )
    certificate_add(
        officer=o,
        number="44530001001",
        issuing_authority="广东省人民政府",
        field="comprehensive",
        valid_from=date(2024, 1, 1),
        valid_to=date(2030, 12, 31),
        actor=None,
    )
    officer_user.refresh_from_db()
    return officer_user


def row(
    record_id,
    *,
    station="YN-NJK-01",
    at="2026-11-02T09:00:00+08:00",
    plate="粤W12345",
    gross=52_000,
    axles=6,
    kind="半挂汽车列车",
    **extra,
) -> dict:
    r = {
        "record_id": record_id,
        "station_code": station,
        "lane": 1,
        "passed_at": at,
        "plate": plate,
        "plate_color": "黄色",
        "axle_count": axles,
        "vehicle_kind": kind,
        "gross_kg": gross,
        "axle_weights_kg": "",
        "axle_spacings_mm": "",
        "drive_axle_single": "false",
        "single_tyre_axles": 0,
        "wide_tyre": "false",
        "air_suspension": "false",
        "speed_kmh": 62,
        "device_class": "5",
        "images": "/media/wim/a.jpg;/media/wim/b.jpg",
    }
    r.update(extra)
    return r


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(dict.fromkeys(HEADER + [k for r in rows for k in r])))
        w.writeheader()
        w.writerows(rows)
    return path
