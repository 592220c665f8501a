"""A work order's files (photos, recordings, letters) in the evidence store, as for a case: each is digested
(SM3) and custody-logged there under the target ``complaints.workorder#<id>``. Officers attach any file on
the order page; the portal takes a few small images or PDFs with the complaint, their type decided by their
content, never by the name or the browser's word. Nothing of them is ever shown on the portal's status page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from zhifa.accounts.models import User
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.services import evidence_ingest, evidence_receive_public, target_org

from . import rules
from .errors import ComplaintError
from .models import OrderEvent, WorkOrder

TARGET = "complaints.workorder"
PORTAL_SUBMITTER = "公众（门户网站投诉）"
# what the portal accepts, by the file's first bytes
_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg", ".jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
               (b"%PDF-", "application/pdf", ".pdf"))


def _order_owner(target_id: str):
    """The bureau whose jurisdiction holds the order (who may see the order may see and attach its files)."""
    from zhifa.accounts.selectors import jurisdiction_of

    o = WorkOrder.objects.select_related("org").filter(pk=target_id).first() if str(target_id).isdigit() else None
    return jurisdiction_of(o.org) if o else None


def register() -> None:
    from zhifa.evidence.targets import register_target

    register_target(TARGET, _order_owner, jurisdiction=True)


def sniff(head: bytes) -> tuple[str, str] | None:
    """``(content type, extension)`` of an image or PDF by its first bytes, else None."""
    for magic, ctype, ext in _SIGNATURES:
        if head.startswith(magic):
            return ctype, ext
    return None


@dataclass
class PortalFile:
    upload: Any  # an UploadedFile (or any object with name, size, open/read/seek)
    content_type: str


def portal_files_check(uploads: list[Any]) -> list[PortalFile]:
    """The portal's attachments, checked before anything is stored: how many, how big, and that each is an
    image or PDF by its content. A refusal names the file and the limit."""
    uploads = [u for u in uploads if u is not None and getattr(u, "size", 0)]
    limit, size_limit = rules.portal_files_max(), rules.portal_file_bytes()
    if len(uploads) > limit:
        raise ComplaintError.INVALID.error(detail=f"附件最多 {limit} 个" if limit else "本单位不接收网上附件",
                                           fields={"files": "过多"})
    out = []
    for u in uploads:
        if u.size > size_limit:
            raise ComplaintError.INVALID.error(detail=f"附件“{u.name}”超过 {size_limit // 1024} KB",
                                               fields={"files": "过大"})
        u.seek(0)
        kind = sniff(u.read(8))
        u.seek(0)
        if kind is None:
            raise ComplaintError.INVALID.error(detail=f"附件“{u.name}”不是 JPEG/PNG 图片或 PDF 文件",
                                               fields={"files": "类型不符"})
        out.append(PortalFile(u, kind[0]))
    return out


def portal_files_receive(*, order: WorkOrder, files: list[PortalFile]) -> list[EvidenceItem]:
    """Store a portal submission's checked files under the order (filed under the order's unit)."""
    items = []
    for f in files:
        f.upload.seek(0)
        items.append(evidence_receive_public(
            f.upload, filename=f.upload.name, content_type=f.content_type, target_type=TARGET, target_id=order.pk,
            org=order.org, submitter=PORTAL_SUBMITTER, step="诉求登记", description="诉求人提交的材料",
            expected_size=f.upload.size))
    if items:
        _note(order, f"诉求人随件提交材料 {len(items)} 件（已存证）", PORTAL_SUBMITTER)
    return items


def order_attach(*, order: WorkOrder, upload: Any, actor: User, description: str = "") -> EvidenceItem:
    """An officer's file on an order the caller fetched through ``selectors.order_get`` (so within scope):
    filed under the officer's unit inside the bureau, digest and custody as for a case."""
    with upload.open("rb") as fh:
        item = evidence_ingest(
            fh, filename=upload.name, content_type=getattr(upload, "content_type", "") or "", target_type=TARGET,
            target_id=order.pk, step="工单办理", org=target_org(TARGET, order.pk, default=actor.org), actor=actor,
            description=description, expected_size=getattr(upload, "size", None))
    _note(order, f"上传附件“{item.filename}”，{item.digest_algorithm} 摘要 {item.digest}",
          (actor.display_name or actor.get_username())[:150])
    return item


def _note(order: WorkOrder, text: str, who: str) -> None:
    from django.utils import timezone

    OrderEvent.objects.create(order=order, on=timezone.localdate(), action="attach", label="附件",
                              state_to=order.state, actor_name=who, note=text, public=False)


def order_files(order: WorkOrder) -> QuerySet[EvidenceItem]:
    """The files of an order the caller already fetched through a scoped selector (the order's visibility
    is theirs: every user who may see the order sees its files), oldest first."""
    return EvidenceItem.objects.filter(target_type=TARGET, target_id=str(order.pk)).order_by("uploaded_at", "id")


def order_file(order: WorkOrder, item_pk: int) -> EvidenceItem:
    item = order_files(order).filter(pk=item_pk).first()
    if item is None:
        raise ComplaintError.NOT_FOUND.error()
    return item
