"""Art 3 limits and adjustments at their boundaries, device tolerance, verdicts and the Art 43 fine table.

Every number comes from the article it tests: 《超限运输车辆行驶公路管理规定》(2016年第62号令) Art 3 items
4–8 and para 2, the 认定标准 notes (air suspension, 37 t, wide tyres), Art 43 (fine).
"""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.overload import rules
from zhifa.overload.records import RowError, normalise_row
from zhifa.overload.screening import Params, StationInfo, screen_rows

STATION = StationInfo("S1", "5", "JD-2026-001", date(2026, 1, 1), date(2026, 12, 31))
NO_TOL = Params(tolerance_bp={c: 0 for c in rules.DEFAULT_TOLERANCE_BP}, dedupe_minutes=60)
DEFAULT = Params(tolerance_bp=dict(rules.DEFAULT_TOLERANCE_BP), dedupe_minutes=60)

_n = iter(range(1, 10**6))


def rec(**kw) -> dict:
    n = next(_n)
    base = {
        "record_id": f"R{n}",
        "station_code": "S1",
        "lane": "1",
        "passed_at": f"2026-11-01T{8 + n % 10:02d}:{n % 60:02d}:00+08:00",
        "plate": f"粤W{n % 100000:05d}",
        "plate_color": "黄色",
        "axle_count": "6",
        "vehicle_kind": "半挂汽车列车",
        "gross_kg": "40000",
        "device_class": "5",
    }
    base.update({k: str(v) for k, v in kw.items()})
    return normalise_row(base)


def one(params=NO_TOL, station=STATION, **kw) -> dict:
    return screen_rows([rec(**kw)], [station], params)[0]


LIMITS = [  # (axles, kind, limit) — Art 3 para 1 items 4–8
    (2, "货车", 18_000),
    (3, "货车", 25_000),
    (3, "汽车列车", 27_000),
    (4, "货车", 31_000),
    (4, "汽车列车", 36_000),
    (5, "汽车列车", 43_000),
    (6, "汽车列车", 49_000),
    (7, "全挂汽车列车", 49_000),
]


@pytest.mark.parametrize("axles,kind,limit", LIMITS)
def test_art3_limit_boundary(axles, kind, limit):
    at = one(axle_count=axles, vehicle_kind=kind, gross_kg=limit)
    assert (at["limit_kg"], at["verdict"], at["excess_kg"]) == (limit, "compliant", 0)
    over = one(axle_count=axles, vehicle_kind=kind, gross_kg=limit + 1)
    assert (over["verdict"], over["excess_kg"]) == ("overload", 1)
    assert "第三条第一款" in over["rule"]


def test_art3_item8_single_drive_axle_46t():
    r = one(drive_axle_single="true", gross_kg=46_000)
    assert (r["limit_kg"], r["verdict"]) == (46_000, "compliant")
    r = one(drive_axle_single="true", gross_kg=46_001)
    assert r["verdict"] == "overload" and "驱动轴为单轴" in r["rule"]


def test_single_tyre_axle_reduces_3t_per_axle_unless_wide():
    # Art 3 para 2 item 2: a non-drive axle with single tyres each side lowers the limit by 3,000 kg
    assert one(single_tyre_axles=1, gross_kg=46_000)["verdict"] == "compliant"
    r = one(single_tyre_axles=1, gross_kg=46_001)
    assert (r["limit_kg"], r["verdict"]) == (46_000, "overload")
    assert one(single_tyre_axles=2, gross_kg=43_001)["limit_kg"] == 43_000
    # 425/445 mm wide-base tyres: no reduction (认定标准 note)
    w = one(single_tyre_axles=2, wide_tyre="true", gross_kg=49_000)
    assert (w["limit_kg"], w["verdict"]) == (49_000, "compliant")
    assert "425" in w["rule"]


@pytest.mark.parametrize("axles,limit", [(3, 26_000), (4, 32_000)])
def test_air_suspension_truck_plus_1t(axles, limit):
    assert (
        one(axle_count=axles, vehicle_kind="货车", air_suspension="true", gross_kg=limit)["verdict"]
        == "compliant"
    )
    r = one(axle_count=axles, vehicle_kind="货车", air_suspension="true", gross_kg=limit + 1)
    assert (r["limit_kg"], r["verdict"]) == (limit, "overload")
    # not for a 2-axle truck
    assert (
        one(axle_count=2, vehicle_kind="货车", air_suspension="true", gross_kg=18_001)["limit_kg"] == 18_000
    )


def test_the_37t_case_needs_air_suspension_and_1800mm():
    kw = {"axle_count": 4, "vehicle_kind": "半挂汽车列车", "air_suspension": "true"}
    assert one(**kw, axle_spacings_mm="3300;1310;1800", gross_kg=37_000)["verdict"] == "compliant"
    r = one(**kw, axle_spacings_mm="3300;1310;1800", gross_kg=37_001)
    assert (r["limit_kg"], r["verdict"]) == (37_000, "overload")
    assert one(**kw, axle_spacings_mm="3300;1310;1799", gross_kg=37_000)["limit_kg"] == 36_000
    assert (
        one(axle_count=4, vehicle_kind="汽车列车", axle_spacings_mm="3300;1310;1900", gross_kg=36_500)[
            "limit_kg"
        ]
        == 36_000
    )


def test_tolerance_boundaries_class_5():
    # default in-service MPE for class 5: 5 % of the 49,000 kg limit = 2,450 kg
    assert one(DEFAULT, gross_kg=49_001)["verdict"] == "within_tolerance"
    r = one(DEFAULT, gross_kg=49_000 + 2_450)
    assert (r["verdict"], r["tolerance_kg"], r["excess_kg"]) == ("within_tolerance", 2_450, 2_450)
    r = one(DEFAULT, gross_kg=49_000 + 2_451)
    assert (r["verdict"], r["excess_kg"], r["excess_pct"]) == ("overload", 2_451, 5.0)


def test_tolerance_per_class_and_override():
    st2 = StationInfo("S1", "2", "C", date(2026, 1, 1), date(2026, 12, 31))
    assert one(DEFAULT, station=st2, gross_kg=49_980)["verdict"] == "within_tolerance"  # 2 % = 980
    assert one(DEFAULT, station=st2, gross_kg=49_981)["verdict"] == "overload"
    p = Params.default(tolerance=rules.parse_tolerance_spec("2=1"), dedupe_minutes=60)
    assert one(p, station=st2, gross_kg=49_491)["verdict"] == "overload"  # 1 % = 490
    assert rules.parse_tolerance_spec("3%") == {c: 300 for c in rules.DEFAULT_TOLERANCE_BP}
    with pytest.raises(ValueError):
        rules.parse_tolerance_spec("7=5")


def test_expired_device_certificate_is_invalid():
    expired = StationInfo("S1", "5", "JD-2025-009", date(2025, 1, 1), date(2026, 10, 31))
    r = one(station=expired, gross_kg=60_000)
    assert r["verdict"] == "invalid" and "检定证书" in r["reason"] and "计量法" in r["reason"]
    # the last valid day still counts
    last = StationInfo("S1", "5", "JD", date(2025, 1, 1), date(2026, 11, 1))
    assert one(station=last, gross_kg=60_000)["verdict"] == "overload"


def test_unregistered_station_is_invalid():
    assert (
        screen_rows([rec(station_code="S9", gross_kg=60_000)], [STATION], NO_TOL)[0]["verdict"] == "invalid"
    )


@pytest.mark.parametrize(
    "kw,fragment",
    [
        ({"plate": "无牌"}, "车牌"),
        ({"plate": "粤W1234"}, "车牌"),
        ({"axle_count": 1}, "轴数"),
        ({"gross_kg": 0}, "总质量"),
        ({"vehicle_kind": ""}, "车型"),
        ({"axle_count": 2, "vehicle_kind": "汽车列车"}, "未列入第三条"),
        ({"axle_count": 6, "axle_weights_kg": "7000;10000;10000"}, "轴重个数"),
        (
            {"axle_count": 2, "vehicle_kind": "货车", "gross_kg": 18_000, "axle_weights_kg": "7000;10000"},
            "相差超过5%",
        ),
    ],
)
def test_invalid_records(kw, fragment):
    r = one(**kw)
    assert r["verdict"] == "invalid" and fragment in r["reason"]


def test_duplicates_record_id_and_window():
    a = rec(plate="粤W88888", passed_at="2026-11-01T10:00:00+08:00", gross_kg=60_000)
    same_id = dict(a)
    b = rec(plate="粤W88888", passed_at="2026-11-01T11:00:00+08:00", gross_kg=60_000)  # exactly 60 min
    c = rec(plate="粤W88888", passed_at="2026-11-01T12:00:01+08:00", gross_kg=60_000)  # 60 min 1 s
    out = {(r["record_id"], r["verdict"]) for r in screen_rows([a, same_id, b, c], [STATION], NO_TOL)}
    assert out == {
        (a["record_id"], "overload"),
        (a["record_id"], "duplicate"),
        (b["record_id"], "duplicate"),
        (c["record_id"], "overload"),
    }
    # window 0 disables the time rule
    out0 = [r["verdict"] for r in screen_rows([a, b], [STATION], Params(NO_TOL.tolerance_bp, 0))]
    assert out0 == ["overload", "overload"]
    # another station is another passage
    other = StationInfo("S2", "5", "C", date(2026, 1, 1), date(2026, 12, 31))
    b2 = dict(b, station_code="S2")
    assert [r["verdict"] for r in screen_rows([a, b2], [STATION, other], NO_TOL)] == ["overload", "overload"]


def test_rule_version_not_in_force_before_2016_09_21():
    r = one(
        passed_at="2016-09-20T10:00:00+08:00",
        station=StationInfo("S1", "5", "C", date(2016, 1, 1), date(2016, 12, 31)),
    )
    assert r["verdict"] == "invalid" and "无适用标准" in r["reason"]


def test_input_parsing():
    r = rec(plate_color="1", vehicle_kind="中置轴挂车列车", images="a.jpg;b.jpg", extra_col="x")
    assert (r["plate_color"], r["vehicle_kind"], r["images"]) == ("yellow", "combination", ["a.jpg", "b.jpg"])
    assert "extra_col" in r["extra"]
    assert rec(plate_color="jtt697:2")["plate_color"] == "yellow"
    with pytest.raises(RowError, match="时区"):
        rec(passed_at="2026-11-01T08:00:00")
    with pytest.raises(RowError, match="车型"):
        rec(vehicle_kind="拖拉机")
    with pytest.raises(RowError, match="整数"):
        rec(gross_kg="1.5")


# --- Art 43 fine table -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "excess,warning,fen_floor,fen_ceil",
    [
        (0, False, 0, 0),
        (1, True, 0, 0),
        (1_000, True, 0, 0),  # "未超过1000千克的，予以警告"
        (1_001, False, 500_00, 1_000_00),
        (1_999, False, 500_00, 1_000_00),
        (2_000, False, 1_000_00, 1_000_00),
        (59_999, False, 29_500_00, 30_000_00),
        (60_000, False, 30_000_00, 30_000_00),  # 60 × 500 = the 30,000 yuan cap
        (95_000, False, 30_000_00, 30_000_00),  # capped
    ],
)
def test_art43_fine(excess, warning, fen_floor, fen_ceil):
    # the amount is the rules library's (zhifa.rules.discretion.overload_fine); overload only shapes it
    f = rules.fine_proposal(excess, rounding="floor")
    assert (f.warning, f.amount_fen) == (warning, fen_floor)
    assert rules.fine_proposal(excess, rounding="ceil").amount_fen == fen_ceil
    assert "第四十三条" in f.rule


@pytest.mark.django_db
def test_fine_rounding_env(monkeypatch):
    from zhifa.core.errors import DomainError

    # one env var for the part-tonne rounding: the rules library's (was ZHIFA_OVERLOAD_FINE_ROUNDING)
    monkeypatch.setenv("ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING", "ceil")
    assert rules.fine_proposal(1_500).amount_fen == 1_000_00
    monkeypatch.delenv("ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING")
    assert rules.fine_proposal(1_500).amount_fen == 500_00
    # a misspelt setting is refused naming the variable (it used to fall back to floor silently)
    monkeypatch.setenv("ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING", "nonsense")
    with pytest.raises(DomainError) as e:
        rules.fine_proposal(1_500)
    assert "ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING" in e.value.message
