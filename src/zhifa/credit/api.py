"""Internal credit API (/api/v1/credit/): measures and grades for other systems."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Router

from zhifa.accounts.services import require_business

from . import selectors

router = Router(tags=["信用"])


@router.get("/measures", summary="信用主体当日适用的联合奖惩措施（业务角色；名单生效即在各辖区适用）")
def measures(request, subject_ref: str, on: date | None = None):
    require_business(request.auth)
    return selectors.credit_measures_for(subject_ref, on=on or timezone.localdate())
