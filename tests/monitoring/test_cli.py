"""`zhifa monitor ingest` and `zhifa monitor metrics FILES --month --out` (exit codes 0/1/2)."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from tests.monitoring.helpers import local_ts
from zhifa.cli import main
from zhifa.monitoring.simulate import build_track, drive, stop, table


def test_ingest_and_metrics_from_files(db, tmp_path, capsys):
    f = tmp_path / "p.parquet"
    pq.write_table(table(build_track("粤W10001", "yellow", local_ts(3, 8), [drive(250), stop(30)])), f)
    assert main(["monitor", "ingest", str(f), "--store", str(tmp_path / "st")]) == 0
    assert "新入库" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("plate,plate_color,ts,lon,lat\n粤W1,黄色,昨天,111,23\n", encoding="utf-8")
    assert main(["monitor", "ingest", str(bad), "--store", str(tmp_path / "st")]) == 1
    assert "第 2 行" in capsys.readouterr().out
    assert main(["monitor", "ingest", str(tmp_path / "none.csv"), "--store", str(tmp_path / "st")]) == 2
    out = tmp_path / "out"
    assert main(["monitor", "metrics", str(f), "--month", "2025-03", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["rates"]["上线率"] == 100.0 and summary["violations_by_type"] == {"fatigue": 1}
    assert (out / "violations.csv").read_text("utf-8").count("\n") == 2
    assert main(["monitor", "metrics", str(tmp_path / "st"), "--month", "2025-03", "--out", str(out)]) == 0
    assert main(["monitor", "metrics", "--month", "2025-3", "--out", str(out)]) == 2
