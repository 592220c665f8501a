"""The worked test vector of ALGORITHM.md §8: the checked-in files replay, and every number printed in
ALGORITHM.md is the one the reference implementation computes. Regenerate the files (only when the
vector itself is meant to change, which needs a new algorithm name) with
``python -c "from tests.inspections.test_vector import write; write()"``."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

from zhifa.inspections import draw

HERE = Path(draw.__file__).parent
SPEC = HERE / "ALGORITHM.md"
FILE = HERE / "testvectors" / "zhifa-draw-v2-example.json"
PRE = HERE / "testvectors" / "zhifa-draw-v2-example.pre.json"

SECRET = bytes(range(32))
CREDIT = {"A": 500, "B": 1000, "C": 2000, "D": 3000, "未评级": 1000}
RISK = {"高": 2000, "一般": 1000, "低": 1000}
TARGETS = [  # id, name, stratum, grade, risk
    ("E1", "示例第一货运有限公司", "freight", "A", "一般"),
    ("E2", "示例第二货运有限公司", "freight", "B", "一般"),
    ("E3", "示例第三货运有限公司", "freight", "D", "一般"),
    ("E4", "示例第四货运有限公司", "freight", "未评级", "一般"),
    ("E5", "示例第一客运有限公司", "passenger", "B", "高"),
    ("E6", "示例第二客运有限公司", "passenger", "C", "高"),
]


def build() -> tuple[dict, dict]:
    """(pre-draw file, revealed file) of the vector, from the primitives only."""
    task = {
        "bureau": "示例县交通运输局",
        "plan": "2026年度双随机抽查计划",
        "task_id": 1,
        "task": "2026年道路运输企业检查第1轮抽查",
        "item": "JT-01",
        "item_name": "道路运输企业安全生产主体责任落实情况检查",
        "round": 1,
        "kind": "本部门抽查",
        "partners": "",
        "area": "",
        "allow_repeat": False,
        "draw_date": "2026-03-02",
        "ratio_bp": 5000,
        "inspectors_per_target": 2,
        "weights": {"credit": CREDIT, "risk": RISK},
    }
    targets = [
        {
            "id": i,
            "name": n,
            "uscc": "",
            "stratum": s,
            "business_type": "道路货物运输" if s == "freight" else "道路旅客运输",
            "area": "",
            "grade": g,
            "risk": r,
            "weight": draw.target_weight(CREDIT, RISK, g, r),
        }
        for i, n, s, g, r in TARGETS
    ]
    inspectors = [
        {"id": "O1", "name": "陈**", "cert": "粤交执00000001", "unit": "示例县交通运输综合行政执法大队", "excluded": []},
        {"id": "O2", "name": "李*", "cert": "粤交执00000002", "unit": "示例县交通运输综合行政执法大队", "excluded": ["E3"]},
        {"id": "O3", "name": "黄**", "cert": "粤交执00000003", "unit": "示例县交通运输综合行政执法大队", "excluded": []},
    ]
    inputs = {"task": task, "targets": targets, "inspectors": inspectors}
    declared = draw.declaration(
        ["纪检监察", "企业代表"], {"source": "中国福利彩票双色球开奖号码", "date": "2026-03-02"}
    )
    digests = draw.input_digests(inputs, declared)
    commit = draw.commitment(SECRET.hex(), digests, draw.ALGORITHM_V2)
    pre = {
        "format": draw.FILE_FORMAT_V2,
        "algorithm": draw.ALGORITHM_V2,
        "hash": "SM3",
        "bureau": task["bureau"],
        "task": task["task"],
        "draw_seq": 1,
        "status": "committed",
        "committed_at": "2026-03-02T09:00:00+08:00",
        "revealed_at": None,
        "redraw_reason": "",
        "superseded_reason": "",
        "inputs": inputs,
        "digests": digests,
        "commitment": commit,
        "declared": declared,
        "witnesses": [None, None],
        "public": None,
        "secret": None,
        "seed": None,
    }
    w1, w2 = declared["witnesses"]
    witnesses = [
        draw.witness_record(w1, name="王**", value="8812", via="page", at="2026-03-02T09:05:00+08:00"),
        draw.witness_record(w2, name="林**", value="林八", via="officer", at="2026-03-02T09:06:00+08:00"),
    ]
    public = draw.public_record(
        declared["public"], value="03 07 12 19 25 31 + 09", at="2026-03-02T21:40:00+08:00"
    )
    seed = draw.derive_seed(SECRET.hex(), commit, witnesses, public)
    result = draw.run(seed, inputs, draw.ALGORITHM_V2)
    full = copy.deepcopy(pre)
    full.update(
        status="revealed",
        revealed_at="2026-03-02T21:50:00+08:00",
        witnesses=witnesses,
        public=public,
        secret=SECRET.hex(),
        seed=seed.hex(),
        assignments=result.assignments,
        strata=result.strata,
        result_digest=draw.sm3(result.canonical()).hex(),
    )
    return pre, full


def _dump(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def write() -> None:
    pre, full = build()
    PRE.write_text(_dump(pre), encoding="utf-8")
    FILE.write_text(_dump(full), encoding="utf-8")


def test_checked_in_files_are_the_vector():
    pre, full = build()
    assert json.loads(PRE.read_text(encoding="utf-8")) == pre
    assert json.loads(FILE.read_text(encoding="utf-8")) == full


def test_numbers_printed_in_the_spec():
    _, full = build()
    spec = SPEC.read_text(encoding="utf-8")
    section = spec[spec.index("## 8. Worked test vector") :]
    for key in ("task", "targets", "inspectors", "contributors"):
        assert f"D_{key} = {full['digests'][key]}" in section, key
    assert f"commitment = {full['commitment']}" in section
    assert f"seed = {full['seed']}" in section
    assert f"result_digest = {full['result_digest']}" in section
    weights = {t["id"]: t["weight"] for t in full["inputs"]["targets"]}
    printed = dict(re.findall(r"^\| (E\d) \|.*\| (\d+) \|$", section, re.M))
    assert {k: int(v) for k, v in printed.items()} == weights
    assert draw.canonical(full["assignments"]).decode() in section
    assert draw.canonical(full["strata"]).decode() in section


def test_vector_replays_and_a_changed_witness_value_is_refused(tmp_path):
    base = [sys.executable, "-m", "zhifa.cli", "inspections", "replay"]
    out = subprocess.run([*base, str(FILE), "--against", str(PRE)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    doc = json.loads(FILE.read_text(encoding="utf-8"))
    doc["witnesses"][0]["value"] = "8813"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([*base, str(forged)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "随机种子不符" in out.stderr
    out = subprocess.run([*base, str(PRE)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "抽取尚未揭示" in out.stderr
