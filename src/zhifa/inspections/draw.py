"""zhifa-draw-v1 and zhifa-draw-v2: the deterministic, verifiable draw of 双随机 (targets and inspectors).

v1 is the single-party draw (the bureau's secret is the seed); v2 derives the seed from the bureau's
committed secret and the values of witnesses and a public source contributed after the commitment
(多方见证随机), then draws exactly as v1 does.

Pure Python, no Django, no database, no clock: the same seed and inputs give the same bytes on any
machine. The specification is ALGORITHM.md next to this file; this module is its reference
implementation and ``zhifa inspections replay`` runs it on a published draw file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

ALGORITHM = "zhifa-draw-v1"
FILE_FORMAT = "zhifa-draw-file/1"
ALGORITHM_V2 = "zhifa-draw-v2"
FILE_FORMAT_V2 = "zhifa-draw-file/2"


class DrawError(ValueError):
    """The inputs do not allow a draw (Chinese message, shown to people)."""


# SM3, canonical JSON and the counter-mode random stream live in core.drawstream (issue 23: the 809
# scheduled 查岗 draws with the same stream; apps of one layer must not import each other).
from zhifa.core.drawstream import Stream, canonical, digest, sm3  # noqa: E402, F401


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
    algorithm: str = ALGORITHM

    def as_dict(self) -> dict:
        return {"algorithm": self.algorithm, "strata": self.strata, "assignments": self.assignments}

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


def run(seed: bytes, inputs: dict, algorithm: str = ALGORITHM) -> DrawResult:
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
    return DrawResult(strata, assignments, algorithm)


# --- weights (ALGORITHM.md §3.1) ---------------------------------------------------------------------

UNRATED = "未评级"


def target_weight(credit: dict, risk: dict, grade: str, risk_class: str) -> int:
    """weight = max(1, credit[grade] x risk[risk class] div 1000); an unknown grade counts as 未评级 and an
    unknown risk class as 1000. Both tables are per mille and published in the task input."""
    c = credit.get(grade, credit[UNRATED])
    r = risk.get(risk_class, 1000)
    return max(1, c * r // 1000)


def weight_problems(inputs: dict) -> list[str]:
    """Check every target's weight against the tables published in ``task.weights`` (when both are there)."""
    tables = inputs["task"].get("weights")
    if not isinstance(tables, dict):
        return []
    out = []
    for t in inputs["targets"]:
        if "grade" not in t or "risk" not in t:
            continue
        want = target_weight(tables["credit"], tables["risk"], t["grade"], t["risk"])
        if t.get("weight") != want:
            out.append(
                f"检查对象 {t['id']} 的权重 {t.get('weight')} 不符合公布的计算规则"
                f"（信用等级“{t['grade']}”× 风险分类“{t['risk']}”应为 {want}）"
            )
    return out


# --- zhifa-draw-v2: witnesses and a public value (ALGORITHM.md §7) -----------------------------------

DIGEST_KEYS = {
    ALGORITHM: ("task", "targets", "inspectors"),
    ALGORITHM_V2: ("task", "targets", "inspectors", "contributors"),
}
DIGEST_LABELS = {
    "task": "任务参数",
    "targets": "检查对象名录",
    "inspectors": "检查人员名录",
    "contributors": "见证人与公开随机值声明",
}
STATUS_LABELS = {"committed": "已承诺", "drawn": "已抽取", "revealed": "已公开", "superseded": "已作废"}
VIA = {"page": "见证人本人在手机页面录入", "officer": "工作人员代为录入"}
TRIM = "\t\n\v\f\r \u00a0\u3000"
MAX_VALUE_LENGTH = 64


def normalize_value(raw: str) -> str:
    """A contributed value as it enters the seed: Unicode NFKC (full-width digits and letters typed with a
    Chinese input method become ASCII), then leading and trailing TRIM characters removed; 1 to 64
    characters, no control or format characters."""
    value = unicodedata.normalize("NFKC", str(raw)).strip(TRIM)
    if not value:
        raise DrawError("取值不能为空")
    if len(value) > MAX_VALUE_LENGTH:
        raise DrawError(f"取值不能超过 {MAX_VALUE_LENGTH} 个字符")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in value):
        raise DrawError("取值含有控制字符或不可见字符")
    return value


def declaration(roles: Iterable[str], public: dict | None) -> dict:
    """What v2 commits to besides the inputs: the witness slots in order and the named public source."""
    witnesses = [{"slot": f"W{i}", "role": role} for i, role in enumerate(roles, 1)]
    pub = {"source": public["source"], "date": public["date"]} if public else None
    if not witnesses and pub is None:
        raise DrawError("多方见证随机至少需要一名见证人或一个公开随机值")
    return {"witnesses": witnesses, "public": pub}


def input_digests(inputs: dict, declared: dict | None = None) -> dict[str, str]:
    out = {
        "task": digest(inputs["task"]),
        "targets": digest(inputs["targets"]),
        "inspectors": digest(inputs["inspectors"]),
    }
    if declared is not None:
        out["contributors"] = digest(declared)
    return out


def commitment(seed_hex: str, digests: dict[str, str], algorithm: str = ALGORITHM) -> str:
    """SM3 over "algorithm|secret|D_task|D_targets|D_inspectors[|D_contributors]" (lower-case hex)."""
    parts = (algorithm, seed_hex.lower(), *(digests[k] for k in DIGEST_KEYS[algorithm]))
    return sm3("|".join(parts).encode("ascii")).hex()


def witness_record(slot: dict, *, name: str, value: str, via: str, at: str) -> dict:
    return {"slot": slot["slot"], "role": slot["role"], "name": name, "value": value, "via": via, "at": at}


def absent_record(slot: dict, *, reason: str, at: str) -> dict:
    return {"slot": slot["slot"], "role": slot["role"], "absent": True, "reason": reason, "at": at}


def public_record(declared_public: dict, *, value: str, at: str) -> dict:
    return {**declared_public, "value": value, "at": at}


def seed_contributions(witnesses: list[dict], public: dict | None) -> dict:
    """What of the contributions enters the seed (ALGORITHM.md §7.3): per declared slot its ``slot``,
    ``role`` and ``value`` (or ``absent``), and the public source, date and value. Never the masked name,
    the channel, the reason of an absence or a time: the server writes those after the values are known,
    and a bureau that could vary them could try seeds again."""
    out = []
    for w in witnesses:
        entry = {"slot": w["slot"], "role": w["role"]}
        if w.get("absent"):
            entry["absent"] = True
        else:
            entry["value"] = w["value"]
        out.append(entry)
    pub = {"source": public["source"], "date": public["date"], "value": public["value"]} if public else None
    return {"witnesses": out, "public": pub}


def derive_seed(secret_hex: str, commitment_hex: str, witnesses: list[dict], public: dict | None) -> bytes:
    """seed = SM3(canonical({algorithm, commitment, secret, witnesses, public})) over
    :func:`seed_contributions` of the records."""
    return sm3(
        canonical(
            {
                "algorithm": ALGORITHM_V2,
                "commitment": commitment_hex,
                "secret": secret_hex.lower(),
                **seed_contributions(witnesses, public),
            }
        )
    )


def is_multi_party(witnesses: list[dict | None], public: dict | None) -> bool:
    """True when at least one value other than the bureau's entered the seed."""
    return public is not None or any(w is not None and not w.get("absent") for w in witnesses)


def _time(value) -> datetime | None:
    try:
        t = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return t if t.tzinfo is not None else None


def contribution_problems(
    declared: dict, witnesses: list, public, *, committed_at: str | None
) -> tuple[list[str], list[str]]:
    """(problems, missing): records that contradict the declaration, and declared values not yet given."""
    problems: list[str] = []
    missing: list[str] = []
    slots = declared["witnesses"]
    if not isinstance(witnesses, list) or len(witnesses) != len(slots):
        return ["见证人记录与承诺时声明的见证人名单不一致（人数不同）"], missing
    since = _time(committed_at)
    if since is not None:
        since = since.replace(microsecond=0)  # records are stamped to the second
    for slot, rec in zip(slots, witnesses, strict=True):
        label = f"见证人 {slot['slot']}（{slot['role']}）"
        if rec is None:
            missing.append(f"{label}尚未录入取值")
            continue
        if rec.get("slot") != slot["slot"] or rec.get("role") != slot["role"]:
            problems.append(f"{label}的记录与承诺时声明的不一致（文件为 {rec.get('slot')} {rec.get('role')}）")
            continue
        at = _time(rec.get("at"))
        if at is None or (since is not None and at < since):
            problems.append(f"{label}的录入时间 {rec.get('at')} 不在承诺时间之后")
        if rec.get("absent") is True:
            if not str(rec.get("reason") or "").strip() or "value" in rec:
                problems.append(f"{label}记为缺席，但缺少原因或带有取值")
            continue
        problems += _value_problems(label, rec.get("value"))
        if rec.get("via") not in VIA:
            problems.append(f"{label}的录入方式“{rec.get('via')}”无效")
    pub_decl = declared.get("public")
    if pub_decl is None:
        if public is not None:
            problems.append("文件含有公开随机值，但承诺时未声明公开随机值来源")
    elif public is None:
        missing.append(f"公开随机值（{pub_decl['source']}，{pub_decl['date']}）尚未录入")
    else:
        label = f"公开随机值（{pub_decl['source']}，{pub_decl['date']}）"
        if public.get("source") != pub_decl["source"] or public.get("date") != pub_decl["date"]:
            problems.append(f"{label}的来源或日期与承诺时声明的不一致")
        problems += _value_problems(label, public.get("value"))
        at = _time(public.get("at"))
        try:
            stated = date.fromisoformat(pub_decl["date"])
        except (TypeError, ValueError):
            stated = None
        if at is None or stated is None or at.date() < stated or (since is not None and at < since):
            problems.append(f"{label}的录入时间 {public.get('at')} 早于承诺时间或其声明日期")
    return problems, missing


def _value_problems(label: str, value) -> list[str]:
    if not isinstance(value, str):
        return [f"{label}的取值缺失"]
    try:
        if normalize_value(value) != value:
            return [f"{label}的取值“{value}”未按规则规范化"]
    except DrawError as e:
        return [f"{label}的取值无效：{e}"]
    return []


# --- draw files (ALGORITHM.md §5, §7.4) ---------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """``kind``: "ok"; "mismatch" (the file contradicts itself or its commitment: exit 1); "bad" (not a
    draw file we can read) or "unrevealed" (nothing to replay yet): exit 2."""

    ok: bool
    problems: list[str]
    result: DrawResult | None
    kind: str = "ok"
    seed: bytes | None = field(default=None, compare=False)


def _stop(kind: str, problems: list[str]) -> Verification:
    return Verification(False, problems, None, kind)


def verify_file(doc: dict) -> Verification:
    """Check a published draw file: input digests, weights, commitment, contributions (v2) and the
    recomputed result."""
    fmt, alg = doc.get("format"), doc.get("algorithm")
    if (fmt, alg) not in ((FILE_FORMAT, ALGORITHM), (FILE_FORMAT_V2, ALGORITHM_V2)):
        return _stop("bad", [f"不支持的文件格式或算法：{fmt} / {alg}"])
    v2 = alg == ALGORITHM_V2
    inputs = doc.get("inputs")
    declared = doc.get("declared") if v2 else None
    try:
        if v2 and not (isinstance(declared, dict) and isinstance(declared.get("witnesses"), list)):
            raise ValueError("declared")
        digests = input_digests(inputs, declared)
        problems = weight_problems(inputs)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        return _stop("bad", [f"输入数据不完整：{e}"])
    filed = doc.get("digests") if isinstance(doc.get("digests"), dict) else {}
    for key in DIGEST_KEYS[alg]:
        if filed.get(key) != digests[key]:
            problems.append(f"{DIGEST_LABELS[key]}摘要不符（文件 {filed.get(key)}，重算 {digests[key]}）")
    secret_hex = doc.get("secret") if v2 else doc.get("seed")
    if not secret_hex:
        return _stop(
            "unrevealed",
            problems
            + [
                f"抽取尚未揭示（状态：{STATUS_LABELS.get(doc.get('status'), doc.get('status') or '未知')}）：文件中没有已公开的"
                f"{'单位密钥' if v2 else '随机种子'}，无法复算；请保存本文件，揭示后用 --against 与揭示后的文件比对"
            ],
        )
    try:
        secret = bytes.fromhex(secret_hex)
        if len(secret) != 32:
            raise ValueError
    except (TypeError, ValueError):
        return _stop("bad", problems + [f"{'单位密钥' if v2 else '随机种子'}不是64位十六进制数"])
    if commitment(secret_hex, digests, alg) != doc.get("commitment"):
        problems.append(
            f"承诺值不符：公开的{'单位密钥' if v2 else '种子'}或输入与抽取前公布的承诺值 {doc.get('commitment')} 不一致"
        )
    seed = secret
    if v2:
        witnesses, public = doc.get("witnesses"), doc.get("public")
        try:
            wrong, missing = contribution_problems(
                declared, witnesses, public, committed_at=doc.get("committed_at")
            )
        except (KeyError, TypeError, AttributeError) as e:
            return _stop("bad", problems + [f"见证记录格式不正确：{e}"])
        problems += wrong
        if missing:
            kind = "mismatch" if "assignments" in doc or wrong else "unrevealed"
            return _stop(kind, problems + [f"该次抽取未完成：{m}" for m in missing] + ["没有可复算的抽取结果"])
        seed = derive_seed(secret_hex, doc.get("commitment") or "", witnesses, public)
        if doc.get("seed") != seed.hex():
            problems.append(
                f"随机种子不符：由单位密钥、见证人取值和公开随机值推导的种子为 {seed.hex()}，文件为 "
                f"{doc.get('seed')}（见证人取值、公开随机值或单位密钥被改动）"
            )
    try:
        result = run(seed, inputs, alg)
    except DrawError as e:
        return Verification(False, problems + [str(e)], None, "mismatch")
    if "assignments" in doc and canonical(doc["assignments"]) != canonical(result.assignments):
        problems.append("复算的抽取结果与文件中公布的结果不一致")
    if "strata" in doc and canonical(doc["strata"]) != canonical(result.strata):
        problems.append("复算的分层抽取数与文件中公布的不一致")
    if doc.get("result_digest") and doc["result_digest"] != sm3(result.canonical()).hex():
        problems.append("抽取结果摘要不符")
    return Verification(not problems, problems, result, "mismatch" if problems else "ok", seed)


# What a file fixed earlier (the pre-draw file published with the commitment, or any later snapshot) must
# still say in the file being checked.
_PINNED = (
    ("format", "文件格式"),
    ("algorithm", "算法"),
    ("bureau", "单位"),
    ("task", "抽查任务"),
    ("draw_seq", "抽取次序"),
    ("committed_at", "承诺时间"),
    ("inputs", "输入数据"),
    ("declared", "见证人与公开随机值声明"),
    ("commitment", "承诺值"),
)


def compare_with_earlier(earlier: dict, doc: dict) -> list[str]:
    """Differences between ``doc`` and a file of the same draw saved earlier (ALGORITHM.md §5.3)."""
    out = []
    for key, label in _PINNED:
        if key in earlier and canonical(earlier[key]) != canonical(doc.get(key)):
            if isinstance(earlier[key], (dict, list)):
                out.append(f"{label}与比对文件不一致")
            else:
                out.append(f"{label}与比对文件不一致（比对文件 {earlier[key]}，本文件 {doc.get(key)}）")
    e_digests, d_digests = earlier.get("digests") or {}, doc.get("digests") or {}
    for key, value in e_digests.items():
        if d_digests.get(key) != value:
            out.append(f"{DIGEST_LABELS.get(key, key)}摘要与比对文件不一致（比对文件 {value}，本文件 {d_digests.get(key)}）")
    later = doc.get("witnesses") if isinstance(doc.get("witnesses"), list) else []
    for i, rec in enumerate(earlier.get("witnesses") or []):
        if rec is None:
            continue
        now = later[i] if i < len(later) else None
        if canonical(rec) != canonical(now):
            what = f"取值（比对文件“{rec.get('value')}”，本文件“{(now or {}).get('value')}”）" if not rec.get("absent") else "缺席记录"
            out.append(f"见证人 {rec.get('slot')}（{rec.get('role')}）的{what}与比对文件不一致")
    if earlier.get("public") is not None and canonical(earlier["public"]) != canonical(doc.get("public")):
        out.append(
            f"公开随机值与比对文件不一致（比对文件“{earlier['public'].get('value')}”，"
            f"本文件“{(doc.get('public') or {}).get('value')}”）"
        )
    for key, label in (("secret", "单位密钥"), ("seed", "随机种子"), ("result_digest", "结果摘要")):
        if earlier.get(key) and earlier[key] != doc.get(key):
            out.append(f"{label}与比对文件不一致")
    return out


def iter_ids(rows: Iterable[dict]) -> list[str]:
    return [r["id"] for r in rows]
