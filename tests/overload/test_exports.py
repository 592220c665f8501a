"""超限记录 exported (issue 15 item 8): the filtered list as XLSX and CSV with exactly the page's rows,
Chinese headers, and a cell that starts with '=' written as text, never as a formula (core.exports)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.export_checks import assert_text_not_formula, csv_rows
from tests.export_checks import xlsx_rows as sheet
from tests.factories import PASSWORD
from tests.overload.conftest import row, write_csv
from zhifa.overload import services

HEADER = ["过车时间", "检测点", "车牌号", "轴数", "车型", "总质量（千克）", "限值（千克）", "超限（千克）",
          "超限率（%）", "状态"]


@pytest.fixture
def leads(tree, stations, tmp_path):
    services.station_save(
        code="YN-EQ-01", org=tree.bureau_a, actor=None, name='=HYPERLINK("http://x.example","检测点")',
        route="G324", chainage="K1+000", direction="双向", lanes=2, device_type="quartz", accuracy_class="5",
        cert_no="YFJL-2026-0999", cert_valid_from=date(2026, 3, 1), cert_valid_to=date(2027, 2, 28),
    )
    rows = [row("L1", gross=55_000), row("L2", plate="粤W22222", gross=60_000),
            row("L3", plate="粤W33333", station="YN-EQ-01", gross=58_000)]
    services.ingest_file(path=write_csv(tmp_path / "in.csv", rows), actor=None, org=tree.bureau_a)


def test_lead_export_has_the_filtered_rows_and_no_formula(client, officer_user, leads):
    assert client.login(username=officer_user.username, password=PASSWORD)
    page = client.get("/overload/leads/", {"q": "粤W2"}).content.decode()
    assert "export=xlsx" in page and "导出 CSV" in page
    rows, ws = sheet(client.get("/overload/leads/", {"q": "粤W2", "export": "xlsx"}))
    assert rows[0] == HEADER
    assert [r[2] for r in rows[1:]] == ["粤W22222"]
    assert rows[1][5] == 60_000 and rows[1][9] != "pending"  # a number; the status in words
    all_rows, ws = sheet(client.get("/overload/leads/", {"export": "xlsx"}))
    assert sorted(r[2] for r in all_rows[1:]) == ["粤W12345", "粤W22222", "粤W33333"]
    eq = next(i for i, r in enumerate(all_rows) if r[2] == "粤W33333")
    assert_text_not_formula(ws, eq + 1, 2, "HYPERLINK")
    text = csv_rows(client.get("/overload/leads/", {"q": "粤W33333", "export": "csv"}))
    assert text[0] == HEADER and len(text) == 2 and text[1][1].startswith("'=")
