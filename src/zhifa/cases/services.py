"""Writes of the cases domain. The seam every feeder uses: :func:`case_source_create`."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.models import Org, User
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.core.errors import ErrorCode
from zhifa.registry.models import Enterprise, Person, Vehicle

from .models import CaseSource, SourceOrigin

# 程序规定 Arts 62–63 and 处罚法 Art 54 say only "及时" (promptly); local guides fix a number (e.g. 7 days,
# procedure.md §1.2 row 2a). A genuinely local choice: working days, per deployment.
SOURCE_DECISION_WORKDAYS = int(os.environ.get("ZHIFA_CASE_SOURCE_WORKDAYS", "7"))


class CaseError(ErrorCode):
    SOURCE_INVALID = "cases.source_invalid", "案源信息有误：{detail}", 422


@transaction.atomic
def case_source_create(*, origin: str, org: Org, facts: str, subject: Enterprise | Person | Vehicle | None = None,
                       subject_name: str = "", violation_code: str = "", occurred_at: datetime | None = None,
                       location: str = "", evidence_ids: list[int] | tuple = (), proposed: dict[str, Any] | None = None,
                       external_ref: str = "", actor: User | None) -> tuple[CaseSource, bool]:
    """Register a lead; returns ``(source, created)``. A repeated ``(origin, external_ref)`` returns the
    existing source unchanged (feeders may resend after a crash)."""
    if origin not in SourceOrigin.values:
        raise CaseError.SOURCE_INVALID.error(detail=f"来源“{origin}”无效", fields={"origin": "取值无效"})
    if not facts.strip():
        raise CaseError.SOURCE_INVALID.error(detail="线索内容不能为空", fields={"facts": "不能为空"})
    if external_ref:
        existing = CaseSource.objects.filter(origin=origin, external_ref=external_ref).first()
        if existing:
            return existing, False
    src = CaseSource(org=org, origin=origin, external_ref=external_ref, facts=facts.strip(),
                     violation_code=violation_code, occurred_at=occurred_at, location=location,
                     evidence_ids=list(evidence_ids), proposed=proposed or {},
                     created_by=actor.get_username() if actor else "系统")
    if isinstance(subject, Enterprise):
        src.enterprise = subject
    elif isinstance(subject, Person):
        src.person = subject
    elif isinstance(subject, Vehicle):
        src.vehicle = subject
    src.subject_name = subject_name or (str(subject) if subject else "")
    src.decision_due = add_workdays(timezone.localdate(), SOURCE_DECISION_WORKDAYS).date
    try:
        with transaction.atomic():
            src.save()
    except IntegrityError:  # a concurrent resend won the race
        return CaseSource.objects.get(origin=origin, external_ref=external_ref), False
    audit_record(action="case_source.create", actor=actor, target=src,
                 after={"origin": origin, "external_ref": external_ref, "subject": src.subject_name})
    return src, True
