"""Files of 队伍与保障 records in the evidence store: a course's materials (培训资料), an emergency plan's
document (each version is its own plan record, so each version keeps its own file) and a 普法 activity's
photos. Each file is digested (SM3) and custody-logged there under ``people.course#<id>``,
``people.emergencyplan#<id>`` or ``people.pufaactivity#<id>`` (the
models' labels, so the evidence pages name them 应急预案 / 普法活动); the targets belong to the bureau as a whole (whoever
of the bureau may see the record may see and attach its files; another county gets "not found").

The type of a file is decided by its first bytes, never by its name or the browser's word: photos are
JPEG/PNG, a plan document is PDF, Word (DOC/DOCX) or OFD, course materials are PDF, Office documents or
images. The evidence store writes a file whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from zhifa.accounts.models import User
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.services import evidence_ingest, target_org

from .errors import PeopleError
from .models import Course, EmergencyPlan, PufaActivity

_JPEG, _PNG, _PDF = (b"\xff\xd8\xff", "JPEG 图片"), (b"\x89PNG\r\n\x1a\n", "PNG 图片"), (b"%PDF-", "PDF 文件")
_ZIP = (b"PK\x03\x04", "DOCX/PPTX/XLSX/OFD 文档")  # Office Open XML and OFD are zip packages
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC/PPT/XLS 文档")  # the older Office formats


@dataclass(frozen=True)
class Kind:
    target: str
    model: type[Model]
    what: str  # the record, as a page names it
    step: str  # the evidence store's 环节
    accepts: tuple[tuple[bytes, str], ...]

    def types(self) -> str:
        return "、".join(label for _, label in self.accepts)


KINDS = {
    "course": Kind("people.course", Course, "培训课程", "培训资料", (_PDF, _ZIP, _OLE, _JPEG, _PNG)),
    "plan": Kind("people.emergencyplan", EmergencyPlan, "应急预案", "应急预案文本", (_PDF, _ZIP, _OLE)),
    "activity": Kind("people.pufaactivity", PufaActivity, "普法活动", "普法活动照片", (_JPEG, _PNG)),
}


def _owner(model: type[Model]):
    def resolve(target_id: str):
        from zhifa.accounts.selectors import jurisdiction_of

        obj = (
            model.objects.select_related("org").filter(pk=target_id).first() if target_id.isdigit() else None
        )
        return jurisdiction_of(obj.org) if obj else None

    return resolve


def register() -> None:
    from zhifa.evidence.targets import register_target

    for k in KINDS.values():
        register_target(k.target, _owner(k.model), jurisdiction=True)


def kind_of(name: str) -> Kind:
    k = KINDS.get(name)
    if k is None:
        raise PeopleError.NOT_FOUND.error(what="附件类别")
    return k


def attach(*, kind: Kind, record: Model, upload: Any, actor: User, description: str = "") -> EvidenceItem:
    """Store ``upload`` under a record the caller fetched through a scoped selector. A file that is empty or
    not of the kind's types is refused before anything is stored, naming the file and what is accepted."""
    if upload is None or not getattr(upload, "size", 0):
        raise PeopleError.INVALID.error(
            detail="请选择要上传的文件（文件不能为空）", fields={"file": "不能为空"}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic, _ in kind.accepts):
        raise PeopleError.INVALID.error(
            detail=f"文件“{upload.name}”不是{kind.what}可接收的类型（{kind.types()}）",
            fields={"file": "类型不符"},
        )
    label = f"{kind.what}“{record}”"
    return evidence_ingest(
        upload,
        filename=upload.name,
        content_type=getattr(upload, "content_type", "") or "",
        target_type=kind.target,
        target_id=record.pk,
        step=kind.step,
        org=target_org(kind.target, record.pk, default=actor.org),
        actor=actor,
        description=(description.strip() or label)[:500],
        expected_size=upload.size,
    )


def files_of(kind: Kind, pks: list[int]) -> dict[int, list[EvidenceItem]]:
    """The files of records the caller already fetched through a scoped selector, oldest first, by record."""
    out: dict[int, list[EvidenceItem]] = {pk: [] for pk in pks}
    qs = EvidenceItem.objects.filter(target_type=kind.target, target_id__in=[str(pk) for pk in pks])
    for item in qs.order_by("uploaded_at", "id"):
        out[int(item.target_id)].append(item)
    return out


def with_files(kind: Kind, records) -> list:
    """``records`` as a list, each with ``.files`` (its evidence items)."""
    records = list(records)
    by = files_of(kind, [r.pk for r in records])
    for r in records:
        r.files = by[r.pk]
    return records


def file_of(kind: Kind, record: Model, item_pk: int) -> EvidenceItem:
    found = next((i for i in files_of(kind, [record.pk])[record.pk] if i.pk == item_pk), None)
    if found is None:
        raise PeopleError.NOT_FOUND.error(what="附件")
    return found
