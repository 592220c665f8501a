"""案源 registered by hand (来访 / 来电 / 来信 / 其他): the lead, its 反映人 and its attachments in one
transaction, through the seam every feeder uses (:func:`cases.services.case_source_create`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.registry.models import Enterprise, Person, Vehicle

from .errors import CaseError
from .models import HAND_ORIGINS, CaseSource
from .services import case_source_create

SOURCE_TARGET = "cases.casesource"  # evidence target type of a source's attachments
MAX_ATTACHMENTS = 10


@transaction.atomic
def case_source_register(
    *,
    actor: User,
    origin: str,
    facts: str,
    reporter_name: str = "",
    reporter_phone: str = "",
    subject: Enterprise | Person | Vehicle | None = None,
    subject_name: str = "",
    location: str = "",
    occurred_at: datetime | None = None,
    files: list[Any] = (),
) -> CaseSource:
    """Register a lead a person brought to the unit; each file goes to the evidence store (digest,
    custody) filed under the source, and the source lists them. A refused file stores nothing."""
    from zhifa.evidence.services import evidence_ingest

    if not actor.has_role(Role.OFFICER, Role.HEAD):
        raise CaseError.ROLE.error(action="登记案源", roles="执法人员或执法部门负责人")
    if origin not in HAND_ORIGINS:
        raise CaseError.SOURCE_INVALID.error(detail="请选择来源：来访、来电、来信或其他", fields={"origin": "取值无效"})
    if len(files) > MAX_ATTACHMENTS:
        raise CaseError.SOURCE_INVALID.error(
            detail=f"附件最多 {MAX_ATTACHMENTS} 个", fields={"files": "过多"}
        )
    src, _ = case_source_create(
        origin=origin, org=actor.org, facts=facts, subject=subject, subject_name=subject_name,
        location=location.strip()[:200], occurred_at=occurred_at, reporter_name=reporter_name,
        reporter_phone=reporter_phone, actor=actor,
    )
    ids = []
    for f in files:
        item = evidence_ingest(
            f, filename=f.name, content_type=getattr(f, "content_type", "") or "", target_type=SOURCE_TARGET,
            target_id=src.pk, step="案源登记", org=src.org, actor=actor, expected_size=getattr(f, "size", None),
            description="案源材料",
        )
        ids.append(item.pk)
    if ids:
        CaseSource.objects.filter(pk=src.pk).update(evidence_ids=ids)
        src.evidence_ids = ids
    return src
