"""zhifa-draw-v1: the deterministic, verifiable draw of 双随机 (targets and inspectors).

Pure Python, no Django, no database, no clock: the same seed and inputs give the same bytes on any
machine. The specification is ALGORITHM.md next to this file; this module is its reference
implementation and ``zhifa inspections replay`` runs it on a published draw file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

ALGORITHM = "zhifa-draw-v1"
FILE_FORMAT = "zhifa-draw-file/1"
_TWO64 = 1 << 64


class DrawError(ValueError):
    """The inputs do not allow a draw (Chinese message, shown to people)."""


# --- SM3 and canonical JSON ------------------------------------------------------------------------


def _sm3_hashlib_ok() -> bool:
    try:
        return hashlib.new("sm3", b"abc").hexdigest().startswith("66c7f0f4")
    except (ValueError, TypeError):
        return False


if _sm3_hashlib_ok():

    def sm3(data: bytes) -> bytes:
        return hashlib.new("sm3", data).digest()

else:  # pragma: no cover - depends on the runtime's OpenSSL
    from cryptography.hazmat.primitives import hashes

    def sm3(data: bytes) -> bytes:
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()


def canonical(value) -> bytes:
    """Canonical JSON: UTF-8, keys sorted, no spaces, non-ASCII kept; only str/int/bool/null/list/dict."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def digest(value) -> str:
    return sm3(canonical(value)).hex()


def commitment(seed_hex: str, digests: dict[str, str]) -> str:
    """SM3 over "zhifa-draw-v1|seed|task digest|targets digest|inspectors digest" (lower-case hex)."""
    msg = "|".join((ALGORITHM, seed_hex.lower(), digests["task"], digests["targets"], digests["inspectors"]))
    return sm3(msg.encode("ascii")).hex()


# --- the random stream -----------------------------------------------------------------------------


class Stream:
    """Counter-mode SM3: block_i = SM3(seed || UTF-8(label) || 0x00 || uint64_be(i)), each block read as
    four big-endian unsigned 64-bit words, in order."""

    __slots__ = ("_prefix", "_counter", "_words")

    def __init__(self, seed: bytes, label: str):
        self._prefix = seed + label.encode("utf-8") + b"\x00"
        self._counter = 0
        self._words: list[int] = []

    def word(self) -> int:
        if not self._words:
            block = sm3(self._prefix + self._counter.to_bytes(8, "big"))
            self._counter += 1
            # reversed so that pop() yields words 0, 1, 2, 3
            self._words = [int.from_bytes(block[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._words.pop()

    def below(self, n: int) -> int:
        """Uniform integer in [0, n) by rejection: draw words until one is < 2^64 - (2^64 mod n)."""
        if n < 1:
            raise ValueError("n must be >= 1")
        limit = _TWO64 - (_TWO64 % n)
        while True:
            w = self.word()
            if w < limit:
                return w % n


def fisher_yates(items: list, stream: Stream) -> list:
    """In-place Fisher–Yates (Durstenfeld): for i = L-1 .. 1, j = below(i+1), swap a[i], a[j]."""
    for i in range(len(items) - 1, 0, -1):
        j = stream.below(i + 1)
        items[i], items[j] = items[j], items[i]
    return items


class _Fenwick:
    """Prefix sums of integer weights with point updates: the weighted pick in O(log N)."""

    def __init__(self, weights: list[int]):
        n = len(weights)
        tree = [0] * (n + 1)
        for i, w in enumerate(weights, 1):
            tree[i] += w
            j = i + (i & -i)
            if j <= n:
                tree[j] += tree[i]
        self.tree = tree
        self.n = n
        self.total = sum(weights)
        self.top = 1 << (n.bit_length() - 1) if n else 0

    def remove(self, index: int, w: int) -> None:
        i = index + 1
        while i <= self.n:
            self.tree[i] -= w
            i += i & -i
        self.total -= w

    def find(self, r: int) -> int:
        """Smallest 0-based index m with prefix_sum(m) > r (0 <= r < total)."""
        pos = 0
        step = self.top
        tree = self.tree
        while step:
            nxt = pos + step
            if nxt <= self.n and tree[nxt] <= r:
                pos = nxt
                r -= tree[nxt]
            step >>= 1
        return pos


# --- the draw --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawResult:
    strata: list[dict]
    assignments: list[dict]

    def as_dict(self) -> dict:
        return {"algorithm": ALGORITHM, "strata": self.strata, "assignments": self.assignments}

    def canonical(self) -> bytes:
        return canonical(self.as_dict())


def quota(population: int, ratio_bp: int) -> int:
    """Targets to draw from a stratum: ceil(N x ratio / 10000), at most N."""
    return min(population, (population * ratio_bp + 9999) // 10000)


def sample_stratum(seed: bytes, stratum: str, targets: list[dict], ratio_bp: int) -> list[str]:
    """Weighted sampling without replacement inside one stratum; ids in the order drawn.

    ``targets`` sorted by id (code-point order). Each pick: W = sum of the remaining weights,
    r = below(W), the chosen target is the first remaining one (in id order) whose running sum of
    remaining weights exceeds r.
    """
    n = quota(len(targets), ratio_bp)
    if n == 0:
        return []
    stream = Stream(seed, "targets:" + stratum)
    weights = [int(t["weight"]) for t in targets]
    fw = _Fenwick(weights)
    chosen = []
    for _ in range(n):
        m = fw.find(stream.below(fw.total))
        chosen.append(targets[m]["id"])
        fw.remove(m, weights[m])
    return chosen


def _validate(inputs: dict) -> tuple[dict, list[dict], list[dict]]:
    task, targets, inspectors = inputs["task"], inputs["targets"], inputs["inspectors"]
    ratio = task.get("ratio_bp")
    k = task.get("inspectors_per_target")
    if not isinstance(ratio, int) or not 0 < ratio <= 10000:
        raise DrawError("抽查比例应在 0.01% 到 100% 之间")
    if not isinstance(k, int) or k < 1:
        raise DrawError("每个对象的检查人员数应为正整数")
    ids = [t["id"] for t in targets]
    if len(set(ids)) != len(ids):
        raise DrawError("检查对象编号重复")
    for t in targets:
        if not isinstance(t.get("weight"), int) or t["weight"] < 1:
            raise DrawError(f"检查对象 {t['id']} 的权重应为正整数")
    oids = [o["id"] for o in inspectors]
    if len(set(oids)) != len(oids):
        raise DrawError("检查人员编号重复")
    return task, sorted(targets, key=lambda t: t["id"]), sorted(inspectors, key=lambda o: o["id"])


def check_feasible(inputs: dict) -> None:
    """Refuse before anything is drawn: too few inspectors overall or for some target (回避)."""
    task, targets, inspectors = _validate(inputs)
    k = task["inspectors_per_target"]
    if len(inspectors) < k:
        raise DrawError(
            f"合格检查人员不足：每个对象需要 {k} 名，执法检查人员名录库中仅有 {len(inspectors)} 名"
        )
    excluded_count: dict[str, int] = {}
    for o in inspectors:
        for t in o.get("excluded", ()):
            excluded_count[t] = excluded_count.get(t, 0) + 1
    for t in targets:
        left = len(inspectors) - excluded_count.get(t["id"], 0)
        if left < k:
            raise DrawError(
                f"检查对象 {t.get('name') or t['id']} 回避后可选检查人员仅 {left} 名，少于 {k} 名"
            )


def run(seed: bytes, inputs: dict) -> DrawResult:
    """Draw targets (stratified, weighted) then deal inspectors (Fisher–Yates passes, 回避, balanced)."""
    if len(seed) != 32:
        raise DrawError("随机种子应为32字节")
    check_feasible(inputs)
    task, targets, inspectors = _validate(inputs)
    ratio, k = task["ratio_bp"], task["inspectors_per_target"]

    by_stratum: dict[str, list[dict]] = {}
    for t in targets:
        by_stratum.setdefault(t["stratum"], []).append(t)
    strata, order = [], []
    for s in sorted(by_stratum):
        picked = sample_stratum(seed, s, by_stratum[s], ratio)
        strata.append({"stratum": s, "population": len(by_stratum[s]), "drawn": len(picked)})
        order.extend((s, tid) for tid in picked)

    pool = [o["id"] for o in inspectors]
    excluded = {o["id"]: frozenset(o.get("excluded", ())) for o in inspectors}
    stream = Stream(seed, "inspectors")
    queue: list[str] = []
    assignments = []
    for s, tid in order:
        chosen: list[str] = []
        j = 0
        passes = 0
        while len(chosen) < k:
            if j == len(queue):
                if passes == 1:  # a whole fresh pass did not suffice: impossible after check_feasible
                    raise DrawError(f"检查对象 {tid} 无法匹配足够的检查人员")
                queue.extend(fisher_yates(list(pool), stream))
                passes += 1
            oid = queue[j]
            if tid not in excluded[oid] and oid not in chosen:
                chosen.append(oid)
                del queue[j]
            else:
                j += 1
        assignments.append({"target": tid, "stratum": s, "inspectors": chosen})
    return DrawResult(strata, assignments)


# --- draw files --------------------------------------------------------------------------------------


def input_digests(inputs: dict) -> dict[str, str]:
    return {
        "task": digest(inputs["task"]),
        "targets": digest(inputs["targets"]),
        "inspectors": digest(inputs["inspectors"]),
    }


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: list[str]
    result: DrawResult | None


def verify_file(doc: dict) -> Verification:
    """Check a published draw file: input digests, commitment, and the recomputed assignments."""
    problems: list[str] = []
    if doc.get("format") != FILE_FORMAT or doc.get("algorithm") != ALGORITHM:
        return Verification(
            False, [f"不支持的文件格式或算法：{doc.get('format')} / {doc.get('algorithm')}"], None
        )
    inputs = doc.get("inputs") or {}
    try:
        digests = input_digests(inputs)
    except (KeyError, TypeError, ValueError) as e:
        return Verification(False, [f"输入数据不完整：{e}"], None)
    for key, label in (("task", "任务参数"), ("targets", "检查对象名录"), ("inspectors", "检查人员名录")):
        if doc.get("digests", {}).get(key) != digests[key]:
            problems.append(f"{label}摘要不符（文件 {doc.get('digests', {}).get(key)}，重算 {digests[key]}）")
    seed_hex = doc.get("seed")
    if not seed_hex:
        problems.append("文件中没有已公开的随机种子（抽取尚未公开），无法复算")
        return Verification(False, problems, None)
    try:
        seed = bytes.fromhex(seed_hex)
    except ValueError:
        return Verification(False, problems + ["随机种子不是十六进制"], None)
    if commitment(seed_hex, digests) != doc.get("commitment"):
        problems.append("承诺值不符：公开的种子或输入与抽取前公布的承诺不一致")
    try:
        result = run(seed, inputs)
    except DrawError as e:
        return Verification(False, problems + [str(e)], None)
    if "assignments" in doc and canonical(doc["assignments"]) != canonical(result.assignments):
        problems.append("复算的抽取结果与文件中公布的结果不一致")
    if doc.get("result_digest") and doc["result_digest"] != sm3(result.canonical()).hex():
        problems.append("抽取结果摘要不符")
    return Verification(not problems, problems, result)


def iter_ids(rows: Iterable[dict]) -> list[str]:
    return [r["id"] for r in rows]
