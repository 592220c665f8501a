"""The audit chain: append-only, HMAC-linked records of every write and every sensitive read.

等保 2.0 GB/T 22239-2019 §8.1.4.3 (a–c): audit every user, record date/time, user, event type and
outcome, and protect records from deletion, modification or overwriting. 密评 GB/T 39786-2021 §8.4 g:
integrity of stored logs by HMAC-SM3. Protection is two-fold:

* the database refuses UPDATE and DELETE on the table (triggers, migration core.0002), so the
  application, the system administrator included, can only append;
* each row's ``hash`` = HMAC(ZHIFA_AUDIT_KEY, canonical JSON of the row incl. ``prev_hash``), and the
  chain head is kept in ``AuditHead``; ``audit_verify`` finds any edited, deleted, inserted or
  reordered row, even one made by someone who bypassed the triggers with direct database access.

Services call :func:`audit_record` inside their own transaction (the event and the change commit or
roll back together). Views never call it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhifa.core import context
from zhifa.core.crypto import DIGEST_ALGORITHM, digest_bytes, hmac_hex
from zhifa.core.models import AuditHead, AuditRecord

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor_name", "actor_roles", "org_id", "org_name", "action", "target_type",
    "target_id", "target_repr", "before_digest", "after_digest", "detail", "request_id", "ip",
    "user_agent", "success", "reason", "algorithm", "prev_hash",
)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def state_digest(state: dict | None) -> str:
    """Digest of an object's state before/after a change (empty when there is none)."""
    return "" if state is None else digest_bytes(_canonical(state).encode("utf-8"))


def _row_payload(rec: AuditRecord) -> str:
    data = {f: getattr(rec, f) for f in _HASHED_FIELDS}
    at = data["at"]
    data["at"] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return _canonical(data)


def _row_hash(rec: AuditRecord) -> str:
    return hmac_hex(settings.ZHIFA_AUDIT_KEY.encode("utf-8"), _row_payload(rec).encode("utf-8"))


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "pk", None):
        return {"actor_id": None, "actor_name": getattr(actor, "username", "") or "", "actor_roles": "",
                "org_id": None, "org_name": ""}
    org = getattr(actor, "org", None)
    roles = getattr(actor, "role_labels", None)
    return {
        "actor_id": actor.pk,
        "actor_name": (getattr(actor, "display_name", "") or actor.get_username())[:150],
        "actor_roles": ("、".join(roles()) if callable(roles) else "")[:200],
        "org_id": getattr(org, "pk", None),
        "org_name": (str(org) if org else "")[:200],
    }


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    detail: dict | None = None,
    success: bool = True,
    reason: str = "",
) -> AuditRecord:
    """Append one record to the chain, in the caller's transaction (or its own).

    ``before``/``after`` are the object's state (personal fields already masked by the caller); only
    their digests and the changed keys are kept. ``detail`` is free JSON, also pre-masked.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
    detail = dict(detail or {})
    if before is not None and after is not None:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        detail.setdefault("changed", {k: [before.get(k), after.get(k)] for k in changed})
    ctx = context.current()
    with transaction.atomic():
        # Take the write lock on the head first (an UPDATE locks the row on PostgreSQL and takes the
        # database write lock on SQLite), so concurrent appenders queue instead of forking the chain.
        if not AuditHead.objects.filter(pk=1).update(seq=F("seq")):
            # No head row yet (fresh or flushed database): create it; a concurrent creator wins the
            # primary key and we fall through to the locking UPDATE like everyone else.
            try:
                with transaction.atomic():
                    AuditHead.objects.create(pk=1)
            except IntegrityError:
                pass
            AuditHead.objects.filter(pk=1).update(seq=F("seq"))
        head = AuditHead.objects.get(pk=1)
        rec = AuditRecord(
            seq=head.seq + 1,
            at=timezone.now(),
            action=action[:80],
            target_type=str(target_type)[:80],
            target_id=str(target_id)[:80],
            target_repr=str(target_repr)[:300],
            before_digest=state_digest(before),
            after_digest=state_digest(after),
            detail=json.loads(_canonical(detail)),
            request_id=ctx.request_id,
            ip=ctx.ip,
            user_agent=ctx.user_agent,
            success=success,
            reason=reason[:300],
            algorithm=f"HMAC-{DIGEST_ALGORITHM}",
            prev_hash=head.hash,
            **_actor_fields(actor),
        )
        rec.hash = _row_hash(rec)
        rec.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(seq=rec.seq, hash=rec.hash)
    return rec


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    message: str = ""


# --- the head anchored outside the table (issue 16 item 7) -------------------------------------------
#
# Someone with direct database access can delete every record *and* the head row; the chain that remains is
# empty and "verifies". Only something outside the database can tell: each successful verification appends
# the head (seq, hash, time) to an anchor file (``ZHIFA_AUDIT_ANCHOR_FILE``; best on other storage or a
# write-once medium), and ``zhifa audit verify --head`` prints it as ``<seq>:<hash>`` for an external
# witness (the 审计管理员's register, another system) to keep and pass back with ``--expect``. A chain that no
# longer reaches an anchored seq, or holds another hash there, fails.


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str = ""

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def anchor_parse(text: str) -> Anchor:
    """``<seq>:<hash>`` as printed by ``zhifa audit verify --head``; ValueError with a Chinese reason."""
    seq, sep, digest = text.strip().partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"锚点格式应为 <序号>:<64位十六进制哈希>，实为 {text.strip()[:80]!r}")
    return Anchor(int(seq), digest)


def _anchor_file():
    from pathlib import Path

    return Path(settings.AUDIT_ANCHOR_FILE)


def anchors_read() -> list[Anchor]:
    path = _anchor_file()
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Anchor(int(row["seq"]), str(row["hash"]), str(row.get("at", ""))))
    return out


def audit_head() -> Anchor:
    head = AuditHead.objects.filter(pk=1).first()
    return Anchor(head.seq, head.hash) if head else Anchor(0, GENESIS)


def audit_anchor_write(anchor: Anchor) -> bool:
    """Appends ``anchor`` to the anchor file unless it holds it already (or a later one); fsynced."""
    import os

    known = anchors_read()
    if anchor.seq == 0 or (known and known[-1].seq >= anchor.seq):
        return False
    path = _anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": timezone.now().isoformat()})
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    return True


def audit_verify(*, batch: int = 5000, expect: list[Anchor] | None = None) -> VerifyResult:
    """Walk the chain in order; report the first record that was edited, deleted, inserted or moved, and
    a chain that no longer reaches an anchor (the anchor file's and the witnesses' ``expect``)."""
    anchors = anchors_read() + list(expect or [])
    wanted = {a.seq for a in anchors}
    seen: dict[int, str] = {}
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for rec in _iter_records(batch):
        if rec.seq != expected_seq:
            missing = "被删除" if rec.seq > expected_seq else "重复或被插入"
            return VerifyResult(False, checked, expected_seq,
                                f"第 {expected_seq} 条审计记录{missing}（实际读到第 {rec.seq} 条）")
        if rec.prev_hash != expected_prev:
            return VerifyResult(False, checked, rec.seq,
                                f"第 {rec.seq} 条审计记录的前序哈希与第 {rec.seq - 1} 条不符（记录被删除、替换或调换顺序）")
        if _row_hash(rec) != rec.hash:
            return VerifyResult(False, checked, rec.seq, f"第 {rec.seq} 条审计记录内容被篡改（哈希不符）")
        if rec.seq in wanted:
            seen[rec.seq] = rec.hash
        expected_prev = rec.hash
        expected_seq += 1
        checked += 1
    for a in sorted(anchors, key=lambda a: a.seq):
        when = f"（{a.at[:19]} 锚定）" if a.at else ""
        if a.seq > checked:
            return VerifyResult(False, checked, checked + 1,
                                f"审计链被截断或清空：外部锚点记录链头为第 {a.seq} 条{when}，库中只有 {checked} 条")
        if seen.get(a.seq) != a.hash:
            return VerifyResult(False, checked, a.seq,
                                f"第 {a.seq} 条审计记录与外部锚点的哈希不符{when}（审计链被重建）")
    head = AuditHead.objects.filter(pk=1).first()
    if head is None and checked:
        return VerifyResult(False, checked, None, "审计链头记录缺失（链头被删除），无法确认末尾记录是否完整")
    if head and (head.seq != checked or head.hash != expected_prev):
        return VerifyResult(False, checked, checked + 1,
                            f"审计链尾部不完整：链头记录为第 {head.seq} 条，实际只有 {checked} 条（末尾记录被删除）")
    note = "" if anchors else "；尚无外部锚点（本次校验后写入）"
    return VerifyResult(True, checked, None, f"审计链完整，共校验 {checked} 条记录{note}")


def _iter_records(batch: int) -> Iterator[AuditRecord]:
    last = 0
    while True:
        rows = list(AuditRecord.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


# --- what each action is called (审计日志 shows Chinese names, not codes) --------------------------------
#
# Each app names its own actions in ``<app>/audit_labels.py``: a dict of codes and, for codes built from a
# value (``case.{move}``, ``registry.permit.{decision}``), a prefix with a function from the rest to a name.
# The modules are found by name (like Django's admin.py), so core imports no app.

_ACTION_LABELS: dict[str, str] = {}
_ACTION_PREFIXES: dict[str, Any] = {}
_DISCOVERED = False


def register_action_labels(labels: dict[str, str], prefixes: dict[str, Any] | None = None) -> None:
    """Called by an app's ``audit_labels`` module: ``labels`` code → name, ``prefixes`` prefix → function
    of the rest of the code giving a name (or "" when it does not know it)."""
    _ACTION_LABELS.update(labels)
    _ACTION_PREFIXES.update(prefixes or {})


def _discover() -> None:
    global _DISCOVERED
    if not _DISCOVERED:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("audit_labels")
        _DISCOVERED = True


def action_label(code: str) -> str:
    """The Chinese name of an audit action code, or "" when no app names it."""
    _discover()
    if code in _ACTION_LABELS:
        return _ACTION_LABELS[code]
    for prefix in sorted(_ACTION_PREFIXES, key=len, reverse=True):
        if code.startswith(prefix):
            label = _ACTION_PREFIXES[prefix](code[len(prefix) :])
            if label:
                return label
    return ""



# --- what an audit record's detail keys are called (审计记录 page) -------------------------------------
#
# The detail is stored as the acting service wrote it (codes, hashed into the chain); the page shows the
# keys named here as labelled rows, and the whole stored detail verbatim below them.

DETAIL_LABELS: dict[str, str] = {
    "step": "办案环节", "number": "文号", "documents": "文书", "on": "日期", "digest": "摘要", "filename": "文件名",
    "target_type": "对象类型", "target_id": "对象编号", "target": "对象", "format": "格式", "version": "版本",
    "size": "大小（字节）", "what": "内容", "basis": "依据", "doc_no": "文号",
    "licence": "证照编号", "created": "新增", "updated": "更新", "unchanged": "未变", "failed": "失败", "file": "文件",
    "task": "抽查任务", "rows": "条数", "year": "年度", "subjects": "主体数", "reason": "理由",
    "month": "月份", "violations": "违规数", "new_leads": "新增线索", "seed": "随机种子", "commitment": "承诺值",
    "inspectors": "执法人员数", "targets": "检查对象数", "case_id": "案件编号", "today": "演示日期", "scale": "规模倍数",
}


def detail_rows(detail) -> list[tuple[str, str]]:
    """The labelled rows of an audit record's detail: keys named in :data:`DETAIL_LABELS`, values in
    words (``cases.case:1`` → "案件 #1", lists joined); nested structures stay in the verbatim JSON."""
    from zhifa.core.labels import model_label, object_label

    rows: list[tuple[str, str]] = []
    for key, value in (detail or {}).items() if isinstance(detail, dict) else ():
        label = DETAIL_LABELS.get(key)
        if label is None or isinstance(value, dict) or value in (None, ""):
            continue
        if isinstance(value, list):
            text = "、".join(str(v) for v in value)
        elif isinstance(value, str) and _MODEL_REF.fullmatch(value):
            dotted, _, pk = value.partition(":")
            text = object_label(dotted, pk) if pk else model_label(dotted)
        else:
            text = str(value)
        rows.append((label, text))
    return rows


_MODEL_REF = re.compile(r"[a-z_]+\.[a-z_]+(?::\d+)?")
