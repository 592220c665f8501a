"""``zhifa overload screen|ingest|fine``: output columns, exit codes, error files."""

from __future__ import annotations

import csv
import json

import pytest

from tests.overload.conftest import row, write_csv
from zhifa.cli import main
from zhifa.overload.screening import OUTPUT_COLUMNS


@pytest.mark.django_db(transaction=True)
def test_screen_csv(stations, tmp_path, capsys):
    src = write_csv(
        tmp_path / "in.csv",
        [
            row("C1", gross=52_000),
            row("C2", plate="粤W22222", gross=49_000),
            row("C3", station="YN-PT-01", plate="粤W33333", gross=60_000),
            row("C1"),
            row("BAD", at="yesterday"),
        ],
    )
    out = tmp_path / "out.csv"
    code = main(["overload", "screen", str(src), "--out", str(out), "--tolerance", "5=5"])
    assert code == 1  # one row rejected
    err = capsys.readouterr().err
    assert "第 6 行" in err and "超限 1" in err
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    by = {(r["record_id"], r["verdict"]) for r in rows}
    assert by == {("C1", "overload"), ("C1", "duplicate"), ("C2", "compliant"), ("C3", "invalid")}
    c1 = next(r for r in rows if r["verdict"] == "overload")
    assert (c1["limit_kg"], c1["tolerance_kg"], c1["excess_kg"], c1["passed_at"]) == (
        "49000",
        "2450",
        "3000",
        "2026-11-02T09:00:00+08:00",
    )
    assert (tmp_path / "out.errors.csv").exists()


@pytest.mark.django_db(transaction=True)
def test_ingest_cli_jsonl_twice(stations, tmp_path, capsys):
    f = tmp_path / "batch.jsonl"
    f.write_text(
        "\n".join(json.dumps(row(f"J{i}", plate=f"粤W{i:05d}")) for i in range(5)) + "\n{bad json\n",
        encoding="utf-8",
    )
    assert main(["overload", "ingest", str(f), "--org", "郁南县交通运输局"]) == 1
    assert "新存入 5 条" in capsys.readouterr().out
    assert main(["overload", "ingest", str(f), "--org", "郁南县交通运输局"]) == 1
    out = capsys.readouterr().out
    assert "新存入 0 条" in out and "已存在 5 条" in out and "JSON 格式错误" in out
    assert main(["overload", "ingest", str(tmp_path / "none.csv"), "--org", "郁南县交通运输局"]) == 2


@pytest.mark.django_db
def test_fine_cli(capsys):
    assert main(["overload", "fine", "2500"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1000 元"
    assert main(["overload", "fine", "2500", "--rounding", "ceil"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1500 元"
    assert main(["overload", "fine", "800"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "警告"
