"""Writes of the evidence app: ingest, custody events, 作废, verification.

Ingest streams the upload to storage in fixed-size chunks while computing its SM3 digest (SHA-256
where the runtime lacks SM3, see ``zhifa.core.crypto``) and size; the object is committed atomically by
the storage backend only when the stream ended cleanly and every check passed. Then, in one database
transaction, the :class:`EvidenceItem`, its first custody event and the audit record are written; if
that transaction fails, the freshly written object is removed again. So an interrupted upload leaves
no object and no row.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import is_business_user
from zhifa.core import context
from zhifa.core.audit import audit_record
from zhifa.core.crypto import DIGEST_ALGORITHM, new_digest
from zhifa.evidence import storage as st
from zhifa.evidence import targets
from zhifa.evidence.enums import EXTENSION_KIND, CustodyAction, EvidenceKind
from zhifa.evidence.errors import EvidenceError
from zhifa.evidence.models import CustodyEvent, EvidenceItem
from zhifa.evidence.selectors import target_visible

_TARGET_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_CONTENT_TYPE_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def max_upload_bytes() -> int:
    """``ZHIFA_EVIDENCE_MAX_GB`` (default 50): the largest single file accepted (a local choice)."""
    return int(float(os.environ.get("ZHIFA_EVIDENCE_MAX_GB", "50") or 50) * 1024**3)


def _human(n: int) -> str:
    for unit in ("字节", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "字节" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


# --- helpers ----------------------------------------------------------------------------------------


def clean_filename(name: str) -> str:
    """The last path component, without control characters, at most 255 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*').strip(" .")
    if not base:
        raise EvidenceError.INVALID.error(detail="缺少文件名", fields={"filename": "必填"})
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 255 - len(ext) - 1] + dot + ext) if dot and len(ext) < 20 else base[:255]
    return base


def clean_content_type(content_type: str, filename: str) -> str:
    import mimetypes

    ct = (content_type or "").split(";")[0].strip().lower()
    if ct and _CONTENT_TYPE_RE.match(ct) and ct != "application/octet-stream":
        return ct[:150]
    guessed = mimetypes.guess_type(filename)[0]
    return guessed or "application/octet-stream"


def kind_for(content_type: str, filename: str) -> str:
    """照片/录音/视频/文档/数据 from the media type, then the extension; data when unknown."""
    major = content_type.split("/")[0]
    if major == "image":
        return EvidenceKind.PHOTO
    if major == "audio":
        return EvidenceKind.AUDIO
    if major == "video":
        return EvidenceKind.VIDEO
    ext = os.path.splitext(filename.lower())[1]
    for kind, exts in EXTENSION_KIND.items():
        if ext in exts:
            return kind
    if content_type in ("application/pdf", "application/msword", "text/plain", "application/ofd") or (
        "wordprocessingml" in content_type
    ):
        return EvidenceKind.DOCUMENT
    return EvidenceKind.DATA


def _check_actor(actor: User, org: Org) -> None:
    if not is_business_user(actor):
        raise EvidenceError.NOT_BUSINESS.error()
    if actor.org_id is None or not org.is_within(actor.org):
        raise EvidenceError.OUT_OF_SCOPE.error(what=f"单位“{org}”")


def _check_target(target_type: str, target_id: str, org: Org, actor: User) -> None:
    """A registered target must exist and lie within the actor's unit; one that does not, or that belongs to
    another unit, is the same "not found" (no existence or owner is revealed), before any other check."""
    if not _TARGET_RE.match(target_type):
        raise EvidenceError.INVALID.error(
            detail="所属对象类型应为“应用.模型”，如 cases.case", fields={"target_type": "格式不正确"}
        )
    if not target_id or len(target_id) > 64:
        raise EvidenceError.INVALID.error(detail="缺少所属对象编号", fields={"target_id": "必填"})
    resolve = targets.resolver_for(target_type)
    if resolve is None:
        return
    if not target_visible(actor, target_type, target_id):
        raise EvidenceError.TARGET_NOT_FOUND.error(target=f"{target_type}#{target_id}")
    owner = resolve(target_id)
    if targets.shared_in_jurisdiction(target_type):
        if not org.is_within(owner):
            raise EvidenceError.INVALID.error(
                detail=f"证据应归属于“{owner}”或其下属单位", fields={"org": "与所属对象不一致"}
            )
        return
    if owner.pk != org.pk:
        raise EvidenceError.INVALID.error(
            detail=f"证据应归属于该对象的承办单位“{owner}”", fields={"org": "与所属对象不一致"}
        )


def _custody(item: EvidenceItem, action: str, actor: User | None, detail: dict | None = None,
             name: str = "") -> CustodyEvent:
    ctx = context.current()
    if actor is not None:
        name = (getattr(actor, "display_name", "") or actor.get_username())[:150]
    elif ctx.channel == "cli":
        name = "命令行（系统）"
    ev = CustodyEvent(
        item=item,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=name,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        channel=ctx.channel,
        request_id=ctx.request_id,
        detail=detail or {},
    )
    ev.save(force_insert=True)
    return ev


def _audit_detail(item: EvidenceItem, **extra) -> dict:
    """Audit detail naming the target; ``case_id`` puts the event on the case timeline (the cases app
    reads audit records whose ``detail.case_id`` is the case)."""
    detail = {
        "target_type": item.target_type,
        "target_id": item.target_id,
        "step": item.step,
        "filename": item.filename,
        **extra,
    }
    if item.target_type == "cases.case" and item.target_id.isdigit():
        detail["case_id"] = int(item.target_id)
    return detail


def _state(item: EvidenceItem) -> dict:
    return {
        "target": f"{item.target_type}#{item.target_id}",
        "step": item.step,
        "kind": item.kind,
        "filename": item.filename,
        "size": item.size,
        "digest": item.digest,
        "algorithm": item.digest_algorithm,
        "backend": item.backend,
        "key": item.storage_key,
        "voided": item.voided_at.isoformat() if item.voided_at else None,
        "void_reason": item.void_reason,
    }


@dataclass
class _Meter:
    size: int = 0
    hexdigest: str = ""


class _OverlappedDigest:
    """Hash chunk N in a helper thread while the storage writes chunk N (hashlib releases the GIL for
    large updates), so ingest costs about max(hash, write) instead of their sum. One chunk in flight."""

    def __init__(self, h):
        from concurrent.futures import ThreadPoolExecutor

        self._h = h
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-digest")
        self._pending = None

    def update(self, chunk: bytes) -> None:
        if self._pending is not None:
            self._pending.result()
        self._pending = self._pool.submit(self._h.update, chunk)

    def hexdigest(self) -> str:
        if self._pending is not None:
            self._pending.result()
            self._pending = None
        return self._h.hexdigest()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _metered(
    stream: BinaryIO, meter: _Meter, *, limit: int, expected_size: int | None, expected_digest: str
) -> Iterator[bytes]:
    """Read ``stream`` in fixed chunks, hashing and counting; raise (so storage rolls back) on a check."""
    digest = _OverlappedDigest(new_digest())
    read = stream.read
    try:
        while True:
            try:
                chunk = read(st.CHUNK)
            except OSError as e:  # e.g. django.http.UnreadablePostError: the client went away mid-upload
                raise EvidenceError.INTERRUPTED.error(received=meter.size) from e
            if not chunk:
                break
            meter.size += len(chunk)
            if meter.size > limit:
                raise EvidenceError.TOO_LARGE.error(limit=_human(limit))
            if expected_size is not None and meter.size > expected_size:
                raise EvidenceError.INCOMPLETE.error(expected=expected_size, received=f"超过 {expected_size}")
            digest.update(chunk)
            yield chunk
        if meter.size == 0:
            raise EvidenceError.EMPTY.error()
        if expected_size is not None and meter.size != expected_size:
            raise EvidenceError.INCOMPLETE.error(expected=expected_size, received=meter.size)
        meter.hexdigest = digest.hexdigest()
        if expected_digest and expected_digest.lower() != meter.hexdigest:
            raise EvidenceError.DIGEST_MISMATCH.error(expected=expected_digest, actual=meter.hexdigest)
    finally:
        digest.close()


# --- ingest -----------------------------------------------------------------------------------------


def evidence_ingest(
    stream: BinaryIO,
    *,
    filename: str,
    content_type: str,
    target_type: str,
    target_id: str | int,
    step: str,
    org: Org,
    actor: User,
    kind: str = "",
    description: str = "",
    expected_size: int | None = None,
    expected_digest: str = "",
) -> EvidenceItem:
    """Stream ``stream`` into evidence storage and record it against ``(target_type, target_id)``.

    ``org`` owns the evidence (normally the case's 承办单位) and must lie within the actor's unit.
    ``expected_size``/``expected_digest`` (optional, e.g. from ``Content-Length`` or the client) turn a
    truncated or corrupted transfer into a refusal that stores nothing.
    """
    if not is_business_user(actor):
        raise EvidenceError.NOT_BUSINESS.error()
    target_type = (target_type or "").strip().lower()
    target_id = str(target_id).strip()
    _check_target(target_type, target_id, org, actor)
    _check_actor(actor, org)
    step = (step or "").strip()
    if len(step) > 60:
        raise EvidenceError.INVALID.error(detail="办案环节名称过长", fields={"step": "不超过 60 个字"})
    filename = clean_filename(filename)
    content_type = clean_content_type(content_type, filename)
    if kind:
        if kind not in EvidenceKind.values:
            raise EvidenceError.INVALID.error(
                detail=f"类别只能是 {'、'.join(EvidenceKind.values)}", fields={"kind": "不在可选范围内"}
            )
    else:
        kind = kind_for(content_type, filename)
    if expected_size is not None and expected_size > max_upload_bytes():
        raise EvidenceError.TOO_LARGE.error(limit=_human(max_upload_bytes()))

    return _store(stream, expected_size=expected_size, expected_digest=expected_digest, filename=filename,
                  content_type=content_type, target_type=target_type, target_id=target_id, step=step, org=org,
                  actor=actor, actor_name=(actor.display_name or actor.get_username())[:150], kind=kind,
                  description=description[:500])


def evidence_receive_public(
    stream: BinaryIO,
    *,
    filename: str,
    content_type: str,
    target_type: str,
    target_id: str | int,
    org: Org,
    submitter: str,
    step: str = "",
    description: str = "",
    expected_size: int | None = None,
) -> EvidenceItem:
    """A file the public sent with a submission (a portal complaint's photo or letter): there is no user to
    check, so the caller names the record it has just created for that submission (``target_type`` /
    ``target_id``, owned by ``org``) and who sent it (``submitter``, e.g. 公众（门户网站）). The file is stored,
    digested and logged exactly as an officer's upload; its kind follows its content type."""
    target_type = (target_type or "").strip().lower()
    target_id = str(target_id).strip()
    if not _TARGET_RE.match(target_type) or not target_id:
        raise EvidenceError.INVALID.error(detail="所属对象不正确", fields={"target_type": "格式不正确"})
    filename = clean_filename(filename)
    content_type = clean_content_type(content_type, filename)
    return _store(stream, expected_size=expected_size, expected_digest="", filename=filename,
                  content_type=content_type, target_type=target_type, target_id=target_id, step=step[:60], org=org,
                  actor=None, actor_name=submitter[:150], kind=kind_for(content_type, filename),
                  description=description[:500])


def _store(stream: BinaryIO, *, expected_size: int | None, expected_digest: str, actor: User | None, actor_name: str,
           **record: Any) -> EvidenceItem:
    """Stream into storage (digest and size checked on the way), then record the item; a refusal stores nothing."""
    storage = st.default_storage()
    now = timezone.now()
    key = st.new_key(timezone.localtime(now))
    meter = _Meter()
    chunks = _metered(
        stream, meter, limit=max_upload_bytes(), expected_size=expected_size, expected_digest=expected_digest
    )
    try:
        storage.write(key, chunks)
    except OSError as e:
        raise EvidenceError.STORAGE.error(detail=str(e)) from e
    finally:
        chunks.close()  # stops the digest thread even when the storage gave up mid-stream
    try:
        return _record_ingest(storage=storage, key=key, now=now, meter=meter, actor=actor, actor_name=actor_name,
                              **record)
    except BaseException:
        storage.discard(key)  # the object was never recorded
        raise


@transaction.atomic
def _record_ingest(
    *,
    storage,
    key,
    now,
    meter: _Meter,
    filename,
    content_type,
    target_type,
    target_id,
    step,
    org,
    actor,
    actor_name,
    kind,
    description,
) -> EvidenceItem:
    item = EvidenceItem(
        org=org,
        target_type=target_type,
        target_id=target_id,
        step=step,
        kind=kind,
        filename=filename,
        content_type=content_type,
        size=meter.size,
        digest=meter.hexdigest,
        digest_algorithm=DIGEST_ALGORITHM,
        backend=storage.name,
        storage_key=key,
        description=description,
        uploaded_by=actor,
        uploaded_by_name=actor_name,
        uploaded_at=now,
    )
    item.full_clean()
    item.save(force_insert=True)
    _custody(item, CustodyAction.INGEST, actor, {"size": item.size, "digest": item.digest}, name=actor_name)
    audit_record(
        action="evidence.ingest",
        actor=actor,
        target=item,
        after=_state(item),
        detail=_audit_detail(item, size=item.size, digest=item.digest),
    )
    return item


# --- access -----------------------------------------------------------------------------------------


@transaction.atomic
def evidence_access(
    *, item: EvidenceItem, action: str, actor: User | None, byte_range: tuple[int, int] | None = None
) -> CustodyEvent:
    """Log one access (view/download/play/range read) as custody, plus the audit record.

    Called by the pages and the API *before* any byte is sent; reads themselves go through selectors.
    """
    if action not in (
        CustodyAction.VIEW,
        CustodyAction.DOWNLOAD,
        CustodyAction.PLAY,
        CustodyAction.RANGE_READ,
    ):
        raise EvidenceError.INVALID.error(detail=f"未知的访问类型 {action}")
    detail = {"range": f"{byte_range[0]}-{byte_range[1]}"} if byte_range else {}
    ev = _custody(item, action, actor, detail)
    audit_record(
        action=f"evidence.{action}",
        actor=actor,
        target=item,
        detail=_audit_detail(item, digest=item.digest, **detail),
    )
    return ev


def evidence_delete_request(*, item: EvidenceItem, actor: User, reason: str = "") -> None:
    """A request to delete evidence is refused (《行政处罚法》第四十七条) — and the attempt is itself recorded."""
    with transaction.atomic():
        _custody(item, CustodyAction.DELETE_REQUEST, actor, {"reason": reason[:300], "result": "refused"})
        audit_record(
            action="evidence.delete_request",
            actor=actor,
            target=item,
            success=False,
            reason="证据材料不得删除（《行政处罚法》第四十七条）",
            detail=_audit_detail(item, reason=reason[:300]),
        )
    raise EvidenceError.NO_DELETE.error()


@transaction.atomic
def evidence_void(*, item: EvidenceItem, actor: User, reason: str) -> EvidenceItem:
    """作废: mark an item as not to be relied on (wrong file, duplicate), with a reason. The file stays."""
    if not actor.has_role(Role.HEAD, Role.LEGAL_REVIEWER):
        raise EvidenceError.VOID_NOT_ALLOWED.error()
    _check_actor(actor, item.org)
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceError.REASON_REQUIRED.error(what="作废", fields={"reason": "必填"})
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    if item.voided_at:
        raise EvidenceError.ALREADY_VOID.error(at=f"{timezone.localtime(item.voided_at):%Y-%m-%d %H:%M}")
    before = _state(item)
    item.voided_at = timezone.now()
    item.voided_by = actor
    item.void_reason = reason[:500]
    item.save(update_fields=["voided_at", "voided_by", "void_reason"])
    _custody(item, CustodyAction.VOID, actor, {"reason": item.void_reason})
    audit_record(
        action="evidence.void",
        actor=actor,
        target=item,
        before=before,
        after=_state(item),
        reason=item.void_reason,
        detail=_audit_detail(item),
    )
    return item


@transaction.atomic
def evidence_link_device(*, item: EvidenceItem, device_ref: str, officer, actor: User) -> EvidenceItem:
    """全过程记录 "which device recorded it": record the recording device (its serial; the equipment register
    above resolves it through the lookup ``evidence.device_label``) and the officer who wore it, with a
    custody event. Linking again to another device is refused: a file has one recorder."""
    _check_actor(actor, item.org)
    device_ref = (device_ref or "").strip()[:64]
    if not device_ref:
        raise EvidenceError.INVALID.error(detail="录制设备编号不能为空", fields={"device_ref": "必填"})
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    if item.device_ref and item.device_ref != device_ref:
        raise EvidenceError.INVALID.error(detail=f"该证据已关联录制设备 {item.device_ref}",
                                          fields={"device_ref": "已关联其他设备"})
    if item.device_ref == device_ref and item.recorded_by_id == (officer.pk if officer else None):
        return item
    item.device_ref, item.recorded_by = device_ref, officer
    item.save(update_fields=["device_ref", "recorded_by"])
    detail = {"device": device_ref, "officer": officer.name if officer else "未领用登记"}
    _custody(item, CustodyAction.LINK_DEVICE, actor, detail)
    audit_record(action="evidence.link_device", actor=actor, target=item, detail=_audit_detail(item, **detail))
    return item


# --- verification -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyOutcome:
    item_id: int
    ok: bool
    status: str  # ok | missing | size_mismatch | digest_mismatch | error
    message: str


def _rehash(item: EvidenceItem) -> VerifyOutcome:
    try:
        storage = st.storage_for(item.backend)
        stored_size = storage.size(item.storage_key)
        if stored_size is None:
            return VerifyOutcome(
                item.pk, False, "missing", f"证据 #{item.pk}（{item.filename}）的存储对象缺失"
            )
        h = new_digest() if item.digest_algorithm == DIGEST_ALGORITHM else None
        if h is None:
            import hashlib

            h = hashlib.new({"SM3": "sm3", "SHA-256": "sha256"}[item.digest_algorithm])
        n = 0
        for chunk in storage.read(item.storage_key):
            h.update(chunk)
            n += len(chunk)
    except FileNotFoundError:
        return VerifyOutcome(item.pk, False, "missing", f"证据 #{item.pk}（{item.filename}）的存储对象缺失")
    except Exception as e:  # noqa: BLE001 - reported, not raised: one bad object must not stop the walk
        return VerifyOutcome(item.pk, False, "error", f"证据 #{item.pk}（{item.filename}）无法读取：{e}")
    if n != item.size:
        return VerifyOutcome(
            item.pk,
            False,
            "size_mismatch",
            f"证据 #{item.pk}（{item.filename}）大小不符：登记 {item.size} 字节，实际 {n} 字节",
        )
    actual = h.hexdigest()
    if actual != item.digest:
        return VerifyOutcome(
            item.pk,
            False,
            "digest_mismatch",
            f"证据 #{item.pk}（{item.filename}）摘要不符，文件已被改动：登记 {item.digest}，实际 {actual}",
        )
    return VerifyOutcome(
        item.pk, True, "ok", f"证据 #{item.pk}（{item.filename}）完整，{item.digest_algorithm} 摘要一致"
    )


def evidence_verify(*, item: EvidenceItem, actor: User | None) -> VerifyOutcome:
    """Re-hash the stored object and compare with the digest and size recorded at ingest; custody-logged."""
    if actor is not None:
        _check_actor(actor, item.org)
    outcome = _rehash(item)
    with transaction.atomic():
        _custody(item, CustodyAction.VERIFY, actor, {"result": outcome.status})
        audit_record(
            action="evidence.verify",
            actor=actor,
            target=item,
            success=outcome.ok,
            reason="" if outcome.ok else outcome.message[:300],
            detail=_audit_detail(item, result=outcome.status),
        )
    return outcome


def target_org(target_type: str, target_id: str | int, *, default: Org) -> Org:
    """The unit owning a registered target (e.g. a case's 承办单位), else ``default``. Not a permission:
    :func:`evidence_ingest` and :func:`zhifa.evidence.selectors.target_visible` check the actor's scope."""
    resolve = targets.resolver_for(target_type)
    owner = resolve(str(target_id).strip()) if resolve else None
    if owner is not None and targets.shared_in_jurisdiction(target_type) and default.is_within(owner):
        return default  # a bureau's shared target: filed under the uploader's unit inside the bureau
    return owner or default
