"""zhifa-draw-v1 without a database: known answer, an independent re-implementation from ALGORITHM.md,
uniformity within strata (chi-squared), credit weighting, 回避 and balance, refusals, file verification.

Chi-squared critical values (upper tail, alpha = 0.001) are from the NIST/SEMATECH e-Handbook of
Statistical Methods, table 1.3.6.7.4 "Critical Values of the Chi-Square Distribution":
df 9 -> 27.877, df 19 -> 43.820, df 49 -> 85.351, df 99 -> 148.230 (re-checked here with a regularised
incomplete-gamma computation, see ``_upper_tail``). Seeds are fixed, so the test is deterministic.
"""

from __future__ import annotations

import math
import random

import pytest
from cryptography.hazmat.primitives import hashes

from zhifa.inspections import draw

CRIT_001 = {9: 27.877, 19: 43.820, 49: 85.351, 99: 148.230}
T = 4000


def _seed(i: int, tag: bytes = b"t") -> bytes:
    return draw.sm3(tag + i.to_bytes(4, "big"))


def _inputs(targets, inspectors, ratio_bp=1000, k=2):
    return {
        "task": {"ratio_bp": ratio_bp, "inspectors_per_target": k},
        "targets": targets,
        "inspectors": inspectors,
    }


def _pool(n, excluded=None):
    excluded = excluded or {}
    return [{"id": f"O{i:02d}", "excluded": excluded.get(f"O{i:02d}", [])} for i in range(n)]


# --- an independent implementation, written from ALGORITHM.md only (PyCA SM3, naive loops) -------------


def _sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


class _SpecStream:
    def __init__(self, seed, label):
        self.seed, self.label, self.i, self.buf = seed, label.encode(), 0, []

    def next(self):
        if not self.buf:
            block = _sm3(self.seed + self.label + b"\x00" + self.i.to_bytes(8, "big"))
            self.i += 1
            self.buf = [int.from_bytes(block[j * 8 : (j + 1) * 8], "big") for j in range(4)]
        return self.buf.pop(0)

    def below(self, n):
        limit = 2**64 - (2**64 % n)
        while True:
            w = self.next()
            if w < limit:
                return w % n


def _spec_run(seed, inputs):
    ratio, k = inputs["task"]["ratio_bp"], inputs["task"]["inspectors_per_target"]
    targets = sorted(inputs["targets"], key=lambda t: t["id"])
    strata = sorted({t["stratum"] for t in targets})
    order = []
    for s in strata:
        remaining = [t for t in targets if t["stratum"] == s]
        n = min(len(remaining), -(-len(remaining) * ratio // 10000))
        st = _SpecStream(seed, "targets:" + s)
        for _ in range(n):
            r = st.below(sum(t["weight"] for t in remaining))
            acc = 0
            for idx, t in enumerate(remaining):
                acc += t["weight"]
                if acc > r:
                    order.append((s, t["id"]))
                    del remaining[idx]
                    break
    pool = sorted(o["id"] for o in inputs["inspectors"])
    excl = {o["id"]: set(o["excluded"]) for o in inputs["inspectors"]}
    st = _SpecStream(seed, "inspectors")
    q, out = [], []
    for s, t in order:
        chosen, j = [], 0
        while len(chosen) < k:
            if j == len(q):
                perm = list(pool)
                for i in range(len(perm) - 1, 0, -1):
                    x = st.below(i + 1)
                    perm[i], perm[x] = perm[x], perm[i]
                q.extend(perm)
            o = q[j]
            if t not in excl[o] and o not in chosen:
                chosen.append(o)
                q.pop(j)
            else:
                j += 1
        out.append({"target": t, "stratum": s, "inspectors": chosen})
    return out


def _random_inputs(rng: random.Random):
    n = rng.randint(5, 60)
    targets = [
        {
            "id": f"E{rng.randint(1, 10**6)}x{i}",
            "stratum": rng.choice(["货运", "客运", "维修"]),
            "weight": rng.choice([500, 1000, 2000, 3000]),
        }
        for i in range(n)
    ]
    ids = [t["id"] for t in targets]
    m = rng.randint(3, 12)
    pool = [
        {"id": f"O{rng.randint(1, 999)}y{i}", "excluded": rng.sample(ids, rng.randint(0, 3))}
        for i in range(m)
    ]
    return _inputs(targets, pool, ratio_bp=rng.choice([1, 500, 2500, 10000]), k=2)


# --- tests ---------------------------------------------------------------------------------------------


def test_known_answer():
    seed = bytes(range(32))
    targets = [
        {"id": f"E{i}", "stratum": "a" if i < 4 else "b", "weight": 3000 if i == 2 else 1000}
        for i in range(1, 7)
    ]
    pool = [
        {"id": "O1", "excluded": ["E1"]},
        {"id": "O2", "excluded": []},
        {"id": "O3", "excluded": ["E5"]},
        {"id": "O4", "excluded": []},
    ]
    result = draw.run(seed, _inputs(targets, pool, ratio_bp=5000))
    assert result.strata == [
        {"stratum": "a", "population": 3, "drawn": 2},
        {"stratum": "b", "population": 3, "drawn": 2},
    ]
    assert result.assignments == [
        {"target": "E2", "stratum": "a", "inspectors": ["O2", "O1"]},
        {"target": "E1", "stratum": "a", "inspectors": ["O4", "O3"]},
        {"target": "E4", "stratum": "b", "inspectors": ["O1", "O4"]},
        {"target": "E6", "stratum": "b", "inspectors": ["O3", "O2"]},
    ]
    assert (
        draw.sm3(result.canonical()).hex()
        == "d42d5ab129fc7227dad806b92efae482fab276057e2e7a162d44f33c3753d1a6"
    )


def test_sm3_known_answer():
    # GB/T 32905-2016 Appendix A.1: SM3("abc")
    assert draw.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


@pytest.mark.parametrize("case", range(25))
def test_independent_reimplementation_agrees(case):
    rng = random.Random(case)
    inputs = _random_inputs(rng)
    seed = _seed(case, b"spec")
    try:
        draw.check_feasible(inputs)
    except draw.DrawError:  # an infeasible input must be refused by run() too, before anything is drawn
        with pytest.raises(draw.DrawError):
            draw.run(seed, inputs)
        return
    assert draw.run(seed, inputs).assignments == _spec_run(seed, inputs)


def test_input_order_does_not_matter():
    rng = random.Random(7)
    inputs = _random_inputs(rng)
    shuffled = {
        **inputs,
        "targets": list(reversed(inputs["targets"])),
        "inspectors": inputs["inspectors"][::-1],
    }
    assert draw.run(_seed(1), inputs) == draw.run(_seed(1), shuffled)


def test_quota_is_ceiling_of_ratio():
    assert draw.quota(100, 500) == 5  # 5% of 100
    assert draw.quota(101, 500) == 6  # ceil(5.05): never below the ratio
    assert draw.quota(20, 500) == 1
    assert draw.quota(0, 500) == 0
    assert draw.quota(3, 10000) == 3


def _wo_replacement_statistic(counts, trials, n, big_n):
    """Sum (O-E)^2 x (N-1) / (T p (1-p) N): chi-squared with N-1 df for sampling n of N without
    replacement repeated T times (the counts' covariance is T p(1-p) N/(N-1) (I - J/N))."""
    p = n / big_n
    e = trials * p
    return sum((o - e) ** 2 for o in counts) * (big_n - 1) / (trials * p * (1 - p) * big_n)


def _upper_tail(df, x):
    """P(chi2_df > x) by the continued fraction of the regularised upper incomplete gamma."""
    a, x = df / 2, x / 2
    b, c, d = x + 1 - a, 1e300, 1 / (x + 1 - a)
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = 1 / (an * d + b)
        c = b + an / c
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def test_cited_critical_values():
    for df, crit in CRIT_001.items():
        assert abs(_upper_tail(df, crit) - 0.001) < 5e-6


def test_uniform_within_strata_chi_squared():
    targets = [{"id": f"A{i:03d}", "stratum": "货运", "weight": 1000} for i in range(50)]
    targets += [{"id": f"B{i:03d}", "stratum": "客运", "weight": 1000} for i in range(100)]
    inputs = _inputs(targets, _pool(4), ratio_bp=1000)
    counts = {t["id"]: 0 for t in targets}
    for i in range(T):
        for a in draw.run(_seed(i), inputs).assignments:
            counts[a["target"]] += 1
    a_counts = [counts[f"A{i:03d}"] for i in range(50)]
    b_counts = [counts[f"B{i:03d}"] for i in range(100)]
    assert sum(a_counts) == T * 5 and sum(b_counts) == T * 10  # quotas exact in every draw
    xa = _wo_replacement_statistic(a_counts, T, 5, 50)
    xb = _wo_replacement_statistic(b_counts, T, 10, 100)
    assert xa < CRIT_001[49], xa
    assert xb < CRIT_001[99], xb


def test_credit_weighting_chi_squared():
    # one target per draw (ratio 0.01% of 20 rounds up to 1): P(target) = weight / total weight
    weights = [1000] * 10 + [3000] * 5 + [500] * 5  # 未评级 / D-grade / A-grade (rules.py credit_weights)
    targets = [{"id": f"E{i:02d}", "stratum": "s", "weight": w} for i, w in enumerate(weights)]
    inputs = _inputs(targets, _pool(2), ratio_bp=1)
    counts = [0] * 20
    for i in range(T):
        counts[int(draw.run(_seed(i, b"w"), inputs).assignments[0]["target"][1:])] += 1
    total = sum(weights)
    x = sum((o - T * w / total) ** 2 / (T * w / total) for o, w in zip(counts, weights, strict=True))
    assert x < CRIT_001[19], x
    assert sum(counts[10:15]) / 5 > sum(counts[:10]) / 10 > sum(counts[15:]) / 5  # poor credit drawn more


def test_inspectors_balanced_and_uniform():
    targets = [{"id": f"E{i}", "stratum": "s", "weight": 1000} for i in range(7)]
    inputs = _inputs(targets, _pool(10), ratio_bp=10000)
    extra = [0] * 10
    for i in range(3000):
        load = [0] * 10
        for a in draw.run(_seed(i, b"i"), inputs).assignments:
            assert len(set(a["inspectors"])) == 2
            for o in a["inspectors"]:
                load[int(o[1:])] += 1
        assert max(load) - min(load) <= 1  # 14 slots over 10 inspectors: 1 or 2 each
        for j, n in enumerate(load):
            extra[j] += n - 1
    x = _wo_replacement_statistic(extra, 3000, 4, 10)
    assert x < CRIT_001[9], x


def test_recusal_is_honoured():
    rng = random.Random(3)
    for case in range(40):
        inputs = _random_inputs(rng)
        try:
            result = draw.run(_seed(case, b"r"), inputs)
        except draw.DrawError:
            continue
        excl = {o["id"]: set(o["excluded"]) for o in inputs["inspectors"]}
        for a in result.assignments:
            assert len(a["inspectors"]) == 2 == len(set(a["inspectors"]))
            assert all(a["target"] not in excl[o] for o in a["inspectors"])


def test_refuses_too_few_inspectors():
    targets = [{"id": "E1", "stratum": "s", "weight": 1000}]
    with pytest.raises(draw.DrawError, match="合格检查人员不足：每个对象需要 2 名.*仅有 1 名"):
        draw.run(_seed(0), _inputs(targets, _pool(1)))
    # two inspectors, one of whom must recuse: only one left for E1
    with pytest.raises(draw.DrawError, match="回避后可选检查人员仅 1 名"):
        draw.run(_seed(0), _inputs(targets, _pool(2, {"O00": ["E1"]})))
    # exactly two left: fine (the boundary of 《行政处罚法》第四十二条's two officers)
    assert (
        len(draw.run(_seed(0), _inputs(targets, _pool(3, {"O00": ["E1"]}))).assignments[0]["inspectors"]) == 2
    )


def test_refuses_bad_inputs():
    good = [{"id": "E1", "stratum": "s", "weight": 1000}]
    with pytest.raises(draw.DrawError, match="权重"):
        draw.run(_seed(0), _inputs([{"id": "E1", "stratum": "s", "weight": 0}], _pool(2)))
    with pytest.raises(draw.DrawError, match="比例"):
        draw.run(_seed(0), _inputs(good, _pool(2), ratio_bp=0))
    with pytest.raises(draw.DrawError, match="重复"):
        draw.run(_seed(0), _inputs(good + good, _pool(2)))
    with pytest.raises(draw.DrawError, match="32字节"):
        draw.run(b"short", _inputs(good, _pool(2)))


def _file(seed: bytes, inputs: dict) -> dict:
    digests = draw.input_digests(inputs)
    result = draw.run(seed, inputs)
    return {
        "format": draw.FILE_FORMAT,
        "algorithm": draw.ALGORITHM,
        "inputs": inputs,
        "digests": digests,
        "commitment": draw.commitment(seed.hex(), digests),
        "seed": seed.hex(),
        "assignments": result.assignments,
        "result_digest": draw.sm3(result.canonical()).hex(),
    }


def test_verify_file_detects_tampering():
    inputs = _random_inputs(random.Random(11))
    doc = _file(_seed(5), inputs)
    assert draw.verify_file(doc).ok
    assert not draw.verify_file({**doc, "seed": _seed(6).hex()}).ok  # another seed: commitment breaks
    forged = {**doc, "assignments": list(reversed(doc["assignments"]))}
    v = draw.verify_file(forged)
    assert not v.ok and any("不一致" in p for p in v.problems)
    changed = {**doc, "inputs": {**inputs, "task": {**inputs["task"], "ratio_bp": 10000}}}
    assert any("任务参数摘要不符" in p for p in draw.verify_file(changed).problems)
    unrevealed = draw.verify_file({**doc, "seed": None})
    assert not unrevealed.ok and unrevealed.kind == "unrevealed"  # replay exits 2, not 1
