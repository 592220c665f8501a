"""zhifa-draw-v2 without a database: a two-witness draw file verifies; an altered witness value, a witness
dropped from the list, a value entered before the commitment and a re-forged file (new secret, recomputed
commitment) are refused; an unrevealed file is "nothing to replay" (exit 2); checkable weights."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from zhifa.inspections import draw

SECRET = draw.sm3(b"v2-test-secret")


def _inputs():
    targets = [
        {"id": f"E{i}", "stratum": "s" if i < 4 else "t", "weight": 1000, "grade": "B", "risk": "一般"}
        for i in range(1, 7)
    ]
    return {
        "task": {
            "ratio_bp": 5000,
            "inspectors_per_target": 2,
            "weights": {"credit": {"B": 1000, "未评级": 1000}, "risk": {"一般": 1000}},
        },
        "targets": targets,
        "inspectors": [{"id": f"O{i}", "excluded": ["E1"] if i == 1 else []} for i in range(1, 4)],
    }


def make_file(secret: bytes = SECRET, *, values=("8812", "林**7"), reveal=True) -> dict:
    """A v2 draw file built from the primitives, the way the server builds it."""
    inputs = _inputs()
    declared = draw.declaration(["纪检监察", "企业代表"], {"source": "某彩票开奖号码", "date": "2026-03-02"})
    digests = draw.input_digests(inputs, declared)
    commit = draw.commitment(secret.hex(), digests, draw.ALGORITHM_V2)
    doc = {
        "format": draw.FILE_FORMAT_V2,
        "algorithm": draw.ALGORITHM_V2,
        "status": "committed",
        "draw_seq": 1,
        "committed_at": "2026-03-02T09:00:00+08:00",
        "inputs": inputs,
        "declared": declared,
        "digests": digests,
        "commitment": commit,
        "witnesses": [None, None],
        "public": None,
        "secret": None,
        "seed": None,
    }
    if not reveal:
        return doc
    w = [
        draw.witness_record(s, name="王*", value=v, via="page", at=f"2026-03-02T09:0{i + 1}:00+08:00")
        for i, (s, v) in enumerate(zip(declared["witnesses"], values, strict=True))
    ]
    pub = draw.public_record(declared["public"], value="03 07 12 19 25 31 + 09", at="2026-03-02T21:40:00+08:00")
    seed = draw.derive_seed(secret.hex(), commit, w, pub)
    result = draw.run(seed, inputs, draw.ALGORITHM_V2)
    doc.update(
        status="revealed",
        witnesses=w,
        public=pub,
        secret=secret.hex(),
        seed=seed.hex(),
        strata=result.strata,
        assignments=result.assignments,
        result_digest=draw.sm3(result.canonical()).hex(),
    )
    return doc


def test_two_witness_file_verifies():
    v = draw.verify_file(make_file())
    assert v.ok and v.kind == "ok", v.problems
    assert v.result.as_dict()["algorithm"] == draw.ALGORITHM_V2
    assert all("O1" not in a["inspectors"] for a in v.result.assignments if a["target"] == "E1")


def test_witness_values_change_the_draw():
    a, b = make_file(), make_file(values=("8812", "林**8"))
    assert a["seed"] != b["seed"]


def test_altered_witness_value_is_refused():
    doc = make_file()
    doc["witnesses"][1]["value"] = "9999"
    v = draw.verify_file(doc)
    assert not v.ok and v.kind == "mismatch"
    assert any("随机种子不符" in p and "见证人取值" in p for p in v.problems)


def test_dropped_witness_or_early_value_is_refused():
    doc = make_file()
    doc["witnesses"][0] = {**doc["witnesses"][0], "role": "公证员"}
    assert any("与承诺时声明的不一致" in p for p in draw.verify_file(doc).problems)
    doc = make_file()
    doc["witnesses"][0]["at"] = "2026-03-01T09:00:00+08:00"
    assert any("不在承诺时间之后" in p for p in draw.verify_file(doc).problems)
    doc = make_file()
    doc["declared"] = {**doc["declared"], "witnesses": doc["declared"]["witnesses"][:1]}
    problems = draw.verify_file(doc).problems
    assert any("见证人与公开随机值声明摘要不符" in p for p in problems)


def test_unrevealed_file_is_nothing_to_replay():
    v = draw.verify_file(make_file(reveal=False))
    assert v.kind == "unrevealed" and any("抽取尚未揭示" in p for p in v.problems)


def test_reforged_file_is_self_consistent_but_fails_against_the_pre_draw_file():
    pre = make_file(reveal=False)
    forged = make_file(secret=draw.sm3(b"another secret"))
    assert draw.verify_file(forged).ok  # a whole new file can be made consistent …
    differences = draw.compare_with_earlier(pre, forged)
    assert any("承诺值与比对文件不一致" in p for p in differences)  # … but not with what was published
    assert draw.compare_with_earlier(pre, make_file()) == []


def test_snapshot_with_values_pins_them():
    snapshot = make_file()
    snapshot.update(secret=None, seed=None, status="committed")
    for key in ("assignments", "strata", "result_digest"):
        snapshot.pop(key)
    other = make_file(values=("8812", "1234"))
    assert any("W2（企业代表）的取值" in p for p in draw.compare_with_earlier(snapshot, other))


def test_weights_are_checked_against_the_published_tables():
    doc = make_file()
    doc["inputs"]["targets"][0]["weight"] = 3000
    doc["digests"] = draw.input_digests(doc["inputs"], doc["declared"])  # even with matching digests
    assert any("E1 的权重 3000 不符合公布的计算规则" in p for p in draw.verify_file(doc).problems)
    assert draw.target_weight({"D": 3000, "未评级": 1000}, {"高": 2000}, "D", "高") == 6000
    assert draw.target_weight({"A": 500, "未评级": 1000}, {"低": 1000}, "X", "?") == 1000
    assert draw.target_weight({"A": 1, "未评级": 1}, {"低": 1}, "A", "低") == 1  # at least 1


@pytest.mark.parametrize(
    ("raw", "value"),
    [("  8812 ", "8812"), ("１２３ＡＢ", "123AB"), ("\u3000林七\u3000", "林七"), ("a b", "a b")],
)
def test_value_normalisation(raw, value):
    assert draw.normalize_value(raw) == value


@pytest.mark.parametrize("raw", ["", "   ", "a\x00b", "x" * 65, "a\u200bb"])
def test_value_refused(raw):
    with pytest.raises(draw.DrawError):
        draw.normalize_value(raw)


def _replay(tmp_path, doc, *extra):
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    args = [sys.executable, "-m", "zhifa.cli", "inspections", "replay", str(path), *extra]
    return subprocess.run(args, capture_output=True, timeout=120, text=True)


def test_cli_exit_codes(tmp_path):
    good = make_file()
    out = _replay(tmp_path, good)
    assert out.returncode == 0 and "2 名见证人取值、公开随机值" in out.stderr
    assert json.loads(out.stdout) == good["assignments"]
    forged = copy.deepcopy(good)
    forged["witnesses"][0]["value"] = "8813"
    out = _replay(tmp_path, forged)
    assert out.returncode == 1 and "随机种子不符" in out.stderr
    out = _replay(tmp_path, make_file(reveal=False))
    assert out.returncode == 2 and "抽取尚未揭示" in out.stderr
    pre = tmp_path / "pre.json"
    pre.write_text(json.dumps(make_file(reveal=False), ensure_ascii=False), encoding="utf-8")
    out = _replay(tmp_path, make_file(secret=draw.sm3(b"x")), "--against", str(pre))
    assert out.returncode == 1 and "承诺值与比对文件不一致" in out.stderr
    out = _replay(tmp_path, good, "--against", str(pre))
    assert out.returncode == 0 and "与比对文件一致" in out.stderr
    out = _replay(tmp_path, good, "--against", str(tmp_path / "missing.json"))
    assert out.returncode == 2 and "比对文件不存在" in out.stderr
