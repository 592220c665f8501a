"""Internal credit API (/api/v1/credit/): measures and grades for other systems."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Router

from . import selectors

router = Router(tags=["信用"])


@router.get("/measures", summary="信用主体当日适用的联合奖惩措施")
def measures(request, subject_ref: str, on: date | None = None):
    actor = request.auth if getattr(request, "auth", None) else request.user
    if not selectors.records_visible(actor).exists() and not selectors.lists_visible(actor).exists():
        return []
    return selectors.credit_measures_for(subject_ref, on=on or timezone.localdate())
