"""One plate normalisation, core.identifiers.normalise_plate, from ingest to every query: a plate written with
the noise people and devices put in it (spaces, middle dots, dashes, lower case, full-width characters) is the
registry's vehicle in the file ingest, the API ingest, both engines, the lead search, ``zhifa monitor bind``
and the JT/T 808 registration."""

from __future__ import annotations

import asyncio
from datetime import date

import duckdb
import pytest

from tests.monitoring.helpers import local_ts
from tests.monitoring.test_gateway import free_port
from tests.monitoring.test_services import _auth, fleet, store  # noqa: F401  (fixtures)
from tests.monitoring.test_spark import spark  # noqa: F401  (fixture)
from zhifa.cli import main
from zhifa.core.identifiers import validate_plate
from zhifa.monitoring import engine as eng
from zhifa.monitoring import selectors, services
from zhifa.monitoring.gateway import Binding, Gateway
from zhifa.monitoring.models import Terminal
from zhifa.monitoring.rules import rules_for
from zhifa.monitoring.store import Store, points_table, vehicle_key
from zhifa.monitoring.terminal_sim import SimTerminal

# 粤W10001 as it arrives: each kind of noise core.identifiers removes
NOISY = [
    "粤W 10001",  # space
    "粤W·10001",  # middle dot U+00B7
    "粤W•10001",  # bullet U+2022
    "粤W・10001",  # katakana middle dot U+30FB
    "粤W-10001",  # hyphen-minus
    "粤W–10001",  # en dash U+2013
    "粤w10001",  # lower case
    "粤Ｗ１０００１",  # full-width letter and digits
    "粤W\u300010001",  # ideographic space U+3000
    " 粤W\t10001 ",  # surrounding and inner whitespace
]


def _rows(plates, *, day=4):
    return [
        {"plate": p, "plate_color": "黄色", "ts": local_ts(day, 10, i), "lon": 111.5, "lat": 23.2}
        for i, p in enumerate(plates)
    ]


def _stored_keys(root) -> list[tuple]:
    files = [str(p) for p in sorted(Store(root).positions_dir.glob("month=*/bucket=*/data.parquet"))]
    sql = "SELECT plate, plate_color, count(*) FROM read_parquet(?) GROUP BY 1, 2 ORDER BY 1, 2"
    return duckdb.connect().execute(sql, [files]).fetchall()


def test_the_store_key_is_core_identifiers_plate():
    for plate in NOISY:
        assert validate_plate(plate).value == "粤W10001", plate
        assert vehicle_key(plate, "黄色") == ("粤W10001", "yellow"), plate
    assert vehicle_key(None, None) == ("", "unknown")


def test_file_ingest_stores_one_vehicle(tmp_path):
    csv = tmp_path / "p.csv"
    lines = ["plate,plate_color,ts,lon,lat"] + [
        f'"{r["plate"]}",{r["plate_color"]},{r["ts"]},{r["lon"]},{r["lat"]}' for r in _rows(NOISY)
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = Store(tmp_path / "st").ingest_files([csv])
    assert (res.received, res.stored, res.rejected, res.partitions) == (len(NOISY), len(NOISY), 0, 1)
    assert _stored_keys(tmp_path / "st") == [("粤W10001", "yellow", len(NOISY))]
    # a re-sent batch spelt differently is the same points: nothing new
    again = Store(tmp_path / "st").ingest_table(
        points_table([dict(r, plate="粤W10001") for r in _rows(NOISY)], source="api"),
        source="api",
    )
    assert (again.stored, again.duplicates) == (0, len(NOISY))


def test_api_ingest_run_and_lead_search_meet_the_registry_vehicle(
    client,
    officer_user,
    store,  # noqa: F811  (粤W10001 drives 4h10 on 3 March: a fatigue lead)
    settings,
):
    v2_noisy = ["粤w·10002", "粤Ｗ１０００２", "粤W–10002"]
    body = _rows(NOISY) + _rows(v2_noisy, day=5)
    r = client.post(
        "/api/v1/monitoring/positions", data=body, content_type="application/json", **_auth(officer_user)
    )
    assert r.status_code == 200, r.content
    j = r.json()
    assert j["errors"] == [] and j["stored"] == len(body)
    assert ("粤W10002", "yellow", len(v2_noisy)) in _stored_keys(store.root)
    day = (local_ts(4, 0), local_ts(5, 0))
    assert len(store.vehicle_points("粤W10001", "yellow", *day)) == len(NOISY)

    run = services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)
    assert run.summary["counts"]["vehicles_required"] == 2
    assert run.summary["rates"]["上线率"] == 100.0  # both vehicles found their points
    leads = set(selectors.leads_visible(officer_user).filter(plate="粤W10001"))
    assert "fatigue" in {x.type for x in leads}
    for q in ("粤w·10001", "粤Ｗ１０００１", "w 10001", "粤W10001"):
        assert set(selectors.leads_visible(officer_user, q=q)) == leads, q
    assert leads <= set(selectors.leads_visible(officer_user, q="郁南甲客运"))
    assert not selectors.leads_visible(officer_user, q="·").exists()  # noise alone matches no plate


def test_both_engines_count_the_noisy_points_for_the_vehicle(tmp_path, spark):  # noqa: F811
    st = Store(tmp_path / "st")
    st.ingest_table(
        points_table(_rows(NOISY), source="t"),
        source="t",
    )
    files = [str(f) for f in st.month_files("2025-03")]
    vehicles = [eng.VehicleInfo("粤W10001", "yellow", "coach", "甲客运公司", "郁南县", 1)]
    rules = rules_for(date(2025, 3, 1))
    for engine in ("duckdb", "spark"):
        res = eng.compute(files, vehicles, rules, month="2025-03", engine=engine, spark=spark)
        (v,) = res.vehicles
        assert (v["plate"], v["online"], v["records"]) == ("粤W10001", True, len(NOISY)), engine


def test_cli_bind_and_gateway_registration_take_a_noisy_plate(db, fleet, tmp_path, capsys):  # noqa: F811
    _, v1, _, _ = fleet
    assert main(["monitor", "bind", "13800000001", "粤w·10001", "黄色"]) == 0, capsys.readouterr().err
    assert Terminal.objects.get(terminal_no="13800000001").vehicle == v1

    async def register() -> str:
        gw = Gateway(Store(tmp_path), {"13800000001": Binding("13800000001", "粤W10001", "yellow", 2, "A1")})
        port = free_port()
        ready = asyncio.Event()
        task = asyncio.create_task(gw.serve("127.0.0.1", port, ready=ready))
        await ready.wait()
        t = SimTerminal("13800000001", "粤w·10001", 2)  # the terminal's own spelling of its plate
        try:
            return await t.connect("127.0.0.1", port)
        finally:
            await t.close()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    assert asyncio.run(register()) == "A1"
