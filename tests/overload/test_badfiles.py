"""The bad-file corpus (tests/badfiles/, issue 16 item 9) fed to the WIM ingest: each fault (a number too
big for its column, 过车时间 in year 1, NUL, formula-like text, JSON nested past the parser's limit, a cell
over the csv module's limit) is rejected at row level while the good rows are stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "badfiles"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".jsonl"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
BIG = "x" * 200_000  # over the csv module's 128 KB field limit


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_wim_ingest_survives_every_bad_file(tree, stations, path):
    from zhifa.overload.services import ingest_file

    batch = ingest_file(path=path, actor=None, org=tree.bureau_a)
    assert batch.pk and batch.received >= 1
    for e in batch.errors:
        assert CHINESE.search(e["reason"]), e


def test_wim_csv_faults_rejected_at_row_level(tree, stations):
    from zhifa.overload.services import ingest_file

    batch = ingest_file(path=CORPUS / "wim_records.csv", actor=None, org=tree.bureau_a)
    assert (batch.stored, batch.rejected) == (2, 8)
    by_id = {e["record_id"]: e for e in batch.errors}
    assert "车道号" in by_id["L1"]["reason"] and "超出范围" in by_id["L1"]["reason"]
    assert "车货总质量" in by_id["M1"]["reason"]
    assert "过车时间" in by_id["T1"]["reason"]
    assert "NUL" in by_id["N1"]["reason"]
    assert "公式" in by_id["F1"]["reason"] and "车速" in by_id["S1"]["reason"] and "轴重" in by_id["W1"]["reason"]
    assert any("检测流水号" in e["reason"] for e in batch.errors if e["row"] == 8)
    assert sorted(e["row"] for e in batch.errors) == [3, 4, 5, 6, 7, 8, 9, 10]


def test_wim_jsonl_faults_rejected_at_row_level(tree, stations):
    from zhifa.overload.services import ingest_file

    batch = ingest_file(path=CORPUS / "wim_records.jsonl", actor=None, org=tree.bureau_a)
    assert (batch.stored, batch.rejected) == (2, 5)
    reasons = {e["row"]: e["reason"] for e in batch.errors}
    assert reasons[4] == "JSON 嵌套层数过深"
    assert "车道号" in reasons[2] and "过车时间" in reasons[3] and "公式" in reasons[5] and "JSON 对象" in reasons[6]


def test_wim_cell_over_the_csv_limit_rejects_its_row_only(tree, stations, tmp_path):
    from tests.badfiles.generate import WIM_HEADER, wim_row
    from zhifa.overload.services import ingest_file

    rows = [wim_row("B1"), wim_row("B2", plate=BIG), wim_row("B3", plate="粤W54321")]
    p = tmp_path / "big.csv"
    p.write_text(",".join(WIM_HEADER) + "\n" + "\n".join(",".join(r[h] for h in WIM_HEADER) for r in rows) + "\n",
                 encoding="utf-8")
    batch = ingest_file(path=p, actor=None, org=tree.bureau_a)
    assert (batch.stored, batch.rejected) == (2, 1)
    assert batch.errors[0]["row"] == 3 and "128 KB" in batch.errors[0]["reason"]
