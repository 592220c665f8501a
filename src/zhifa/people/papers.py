"""The paper of an online 学法考试, as pure functions: which questions, in which order, with which option
order, all from one recorded seed (so anyone can redraw a sitting's paper and check it), and the scoring.

Draw: ``random.Random(seed)`` samples ``count`` question ids from the bank's active ids sorted ascending,
then shuffles the options of each choice question (判断题 keep 正确/错误). Score: every question weighs
100 ÷ count; a multiple-choice question scores only when the chosen set equals the answer set.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal


def draw(seed: int, bank: list[tuple[int, int, bool]], count: int) -> list[dict]:
    """``bank`` = [(question id, number of options, shuffle options?)]; returns [{"q": id, "order": [...]}]."""
    rng = random.Random(seed)
    pool = sorted(bank)
    chosen = rng.sample(pool, min(count, len(pool)))
    paper = []
    for qid, n, shuffle in chosen:
        order = list(range(n))
        if shuffle:
            rng.shuffle(order)
        paper.append({"q": qid, "order": order})
    return paper


def score(
    paper: list[dict], answers: dict[str, list[int]], keys: dict[int, list[int]]
) -> tuple[Decimal, list[dict]]:
    """Score ``answers`` (question id as text → chosen original option indexes) against ``keys``."""
    if not paper:
        return Decimal("0"), []
    weight = Decimal(100) / len(paper)
    total = Decimal(0)
    results = []
    for line in paper:
        qid = line["q"]
        chosen = sorted(set(answers.get(str(qid), [])))
        correct = chosen == sorted(keys.get(qid, [])) and bool(chosen)
        points = weight if correct else Decimal(0)
        total += points
        results.append(
            {
                "q": qid,
                "chosen": chosen,
                "correct": correct,
                "points": str(points.quantize(Decimal("0.1"), ROUND_HALF_UP)),
            }
        )
    return total.quantize(Decimal("0.1"), ROUND_HALF_UP), results
