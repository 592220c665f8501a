"""Issue 15 item 10: the 治超统计 page scanned a month of Parquet partitions with DuckDB and counted leads
with a per-row date cast on every request (0.7–2 s at demo scale). The scan is cached under the files'
versions, the station register and the parameters; the lead figures are four queries over an instant
range. A new partition or a station edit is a new key: the next request computes afresh."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.overload.conftest import row, write_csv
from zhifa.overload import screening, selectors, services
from zhifa.overload.models import Lead

pytestmark = pytest.mark.django_db
START, END = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture
def scans(monkeypatch):
    cache.clear()
    opened: list[int] = []
    real = screening.connect

    def counting(*a, **k):
        opened.append(1)
        return real(*a, **k)

    monkeypatch.setattr(screening, "connect", counting)
    return opened


def _ingest(tree, tmp_path, rows, name, scans=None):
    services.ingest_file(path=write_csv(tmp_path / name, rows), actor=None, org=tree.bureau_a)
    if scans is not None:
        scans.clear()  # the ingest screens the file itself: count the reads that follow


def test_stats_are_computed_once_per_version_of_the_data(tree, stations, head_user, tmp_path, scans):
    _ingest(tree, tmp_path, [row("S1", gross=55_000), row("S2", gross=40_000, at="2026-11-03T10:00:00+08:00")], "a.csv", scans)
    first = selectors.station_stats(head_user, start=START, end=END)
    assert len(scans) == 1 and sum(r["traffic"] for r in first.by_station) == 2
    again = selectors.station_stats(head_user, start=START, end=END)
    assert len(scans) == 1 and again == first  # no DuckDB scan the second time
    # another day's partition arrives: a new key, the figures include it
    _ingest(tree, tmp_path, [row("S3", gross=60_000, at="2026-11-05T08:00:00+08:00")], "b.csv", scans)
    third = selectors.station_stats(head_user, start=START, end=END)
    assert len(scans) == 1 and sum(r["traffic"] for r in third.by_station) == 3
    assert third.cases["leads"] == Lead.objects.count() == 2


def test_lead_figures_are_four_queries_over_an_instant_range(tree, stations, head_user, tmp_path):
    # 23:30 on the last day counts (China time), 00:10 the next day does not
    _ingest(tree, tmp_path, [row("E1", gross=55_000, at="2026-11-30T23:30:00+08:00"),
                             row("E2", gross=56_000, at="2026-12-01T00:10:00+08:00", plate="粤W54321")], "c.csv")
    with CaptureQueriesContext(connection) as ctx:
        top_ent, top_src, figures = selectors._lead_figures(head_user, START, END)
    assert figures["leads"] == 1 and figures["pending"] == 1
    assert len(ctx) <= 5 and not any("django_datetime_cast_date" in q["sql"] for q in ctx.captured_queries)


def test_a_lead_is_rescreened_once_until_its_station_changes(tree, stations, tmp_path, scans):
    _ingest(tree, tmp_path, [row("R1", gross=55_000)], "r.csv", scans)
    lead = Lead.objects.get(record_id="R1")
    first = services.rescreen(lead)
    assert services.rescreen(lead) == first and len(scans) == 1
    station = stations["njk"]
    station.cert_no = "YFJL-2026-0999"
    station.save(update_fields=["cert_no"])
    lead.refresh_from_db()
    services.rescreen(lead)
    assert len(scans) == 2
