"""Writes the bad-file corpus of issue 16 item 9 next to this file (run once; the files are committed).

    PYTHONPATH=src:. DJANGO_SETTINGS_MODULE=zhifa.config.settings python tests/badfiles/generate.py

Each file mixes good rows with the faults the outside probe found: formula-like names, NUL bytes, numbers
too big for their column, a 过车时间 in year 1, JSON nested past the parser's recursion limit, a nested
object where a text belongs. The big cases (a cell over the csv module's 128 KB limit) are generated in
the test instead (tests/core/test_badfiles.py)."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
WIM_HEADER = ["record_id", "station_code", "lane", "passed_at", "plate", "plate_color", "axle_count",
              "vehicle_kind", "gross_kg", "axle_weights_kg", "speed_kmh"]


def wim_row(rid, **over) -> dict:
    row = {"record_id": rid, "station_code": "YN-NJK-01", "lane": "1", "passed_at": "2026-11-02T09:00:00+08:00",
           "plate": "粤W12345", "plate_color": "黄色", "axle_count": "6", "vehicle_kind": "半挂汽车列车",
           "gross_kg": "52000", "axle_weights_kg": "", "speed_kmh": "62"}
    row.update(over)
    return row


def main() -> None:
    import django

    django.setup()
    from tests.factories import fake_idcard, fake_uscc

    rng = random.Random(16)
    u = [fake_uscc(rng) for _ in range(5)]
    ids = [fake_idcard(rng, born=date(1980, 1, 1 + k)) for k in range(4)]
    ent = ["统一社会信用代码,企业名称,经营类别,法定代表人",
           f"{u[0]},郁南县坏文件测试物流有限公司,道路货物运输,张三",
           f'{u[1]},"=HYPERLINK(""http://evil.example"",""点击查看"")",道路货物运输,李四',
           f"{u[2]},郁南县空字符\x00运输有限公司,道路货物运输,王五",
           f"{u[3]},郁南县正常二号运输有限公司,道路货物运输,＝cmd|' /C calc'!A0",
           f"{u[4]},@SUM(1+1),道路货物运输,赵六"]
    (HERE / "registry_enterprises.csv").write_bytes(("\n".join(ent) + "\n").encode())
    per = ["姓名,身份证号码,联系电话",
           f"陈坏文件,{ids[0]},13800000000",
           f"+cmd|' /C calc'!A0,{ids[1]},13800000001",
           f"林\x00某,{ids[2]},13800000002",
           f"-2+3,{ids[3]},13800000003"]
    (HERE / "registry_persons.csv").write_bytes(("\n".join(per) + "\n").encode())
    rows = [wim_row("G1"), wim_row("L1", lane="70000"), wim_row("M1", gross_kg="99999999999"),
            wim_row("T1", passed_at="0001-01-01T00:00:00+14:00"), wim_row("N1", plate="粤W1\x002345"),
            wim_row("F1", plate='=HYPERLINK("http://evil.example","x")'), wim_row("@SUM(1)"),
            wim_row("S1", speed_kmh="1e39"), wim_row("W1", axle_weights_kg="7000;99999999999"),
            wim_row("G2", plate="粤W54321")]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=WIM_HEADER, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (HERE / "wim_records.csv").write_bytes(buf.getvalue().encode())
    jrows = [wim_row("JG1"), wim_row("JL1", lane=70000), wim_row("JT1", passed_at="0001-01-01T00:00:00+08:00"),
             dict(wim_row("JI1"), images=["=cmd|' /C calc'!A0"]), dict(wim_row("JP1"), plate={"nested": [1, 2]}),
             wim_row("JG2", plate="粤W54321")]
    lines = [json.dumps(x, ensure_ascii=False) for x in jrows]
    lines.insert(3, "[" * 5000 + "]" * 5000)  # deeper than the JSON parser's recursion limit
    (HERE / "wim_records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
