"""Benchmark: a zhifa-draw-v1 draw over 100,000 targets and 500 inspectors, against ``random.sample`` of
the same number of targets in the same run (the baseline: an unverifiable draw).

    .venv/bin/python benchmarks/inspections_draw.py [--targets 100000] [--inspectors 500] [--ratio 5]

Pure algorithm (no database): building the inputs from the registry is measured separately by the
digest line (SM3 over the canonical inputs, what a commitment costs).
"""

from __future__ import annotations

import argparse
import os
import random
import time

from zhifa.inspections import draw


def main() -> None:
    p = argparse.ArgumentParser(description="双随机抽取基准 / random-inspection draw benchmark")
    p.add_argument("--targets", type=int, default=100_000)
    p.add_argument("--inspectors", type=int, default=500)
    p.add_argument("--ratio", type=float, default=5.0, help="抽查比例（%%）/ sampling ratio in percent")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    rng = random.Random(2026)
    strata = ["freight", "passenger", "dangerous", "repair", "source", "taxi"]
    targets = [
        {
            "id": f"E{i:06d}",
            "name": f"企业{i}",
            "stratum": rng.choice(strata),
            "weight": rng.choice([500, 1000, 1000, 1000, 2000, 3000]),
        }
        for i in range(a.targets)
    ]
    inspectors = [
        {
            "id": f"O{i:04d}",
            "name": "陈*",
            "excluded": [f"E{rng.randrange(a.targets):06d}" for _ in range(rng.randint(0, 5))],
        }
        for i in range(a.inspectors)
    ]
    inputs = {
        "task": {"ratio_bp": round(a.ratio * 100), "inspectors_per_target": 2},
        "targets": targets,
        "inspectors": inspectors,
    }

    t0 = time.perf_counter()
    digests = draw.input_digests(inputs)
    draw.commitment(os.urandom(32).hex(), digests)
    t_commit = time.perf_counter() - t0

    best = float("inf")
    result = None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        result = draw.run(os.urandom(32), inputs)
        best = min(best, time.perf_counter() - t0)
    n = len(result.assignments)

    base = float("inf")
    ids = [t["id"] for t in targets]
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        chosen = random.sample(ids, n)
        pool = [o["id"] for o in inspectors]
        _ = [random.sample(pool, 2) for _ in chosen]
        base = min(base, time.perf_counter() - t0)

    print(f"对象 {a.targets} 个，检查人员 {a.inspectors} 名，比例 {a.ratio}% → 抽中 {n} 个对象、{2 * n} 人次")
    print(f"zhifa-draw-v1 抽取（分层、加权、回避、均衡）：{best * 1000:.1f} ms（{a.repeat} 次取最快）")
    print(f"承诺（SM3 规范化输入摘要）：{t_commit * 1000:.1f} ms")
    print(f"基线 random.sample（同样数量，不可验证）：{base * 1000:.1f} ms；比值 {best / base:.1f}×")


if __name__ == "__main__":
    main()
