"""法制工作 API (token or session): the bureau's register of 行政规范性文件 with their validity, for the
government's document platform to read. Scoped to the caller's jurisdiction."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from zhifa.accounts.services import require_business

from . import selectors

router = Router(tags=["法制工作"])


class NormativeDocOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    doc_no: str
    register_no: str
    effective_from: date | None
    valid_until: date | None
    published_url: str


@router.get(
    "/documents", response=list[NormativeDocOut], summary="行政规范性文件登记簿（可只列现行有效文件）"
)
def documents(request, in_force: bool = False, q: str = ""):
    require_business(request.user)
    qs = selectors.doc_search(request.user, q=q[:50], status="in_force" if in_force else "")
    return [
        NormativeDocOut(
            id=d.pk,
            title=d.title,
            status=d.status,
            status_label=d.get_status_display(),
            doc_no=d.doc_no,
            register_no=d.register_no,
            effective_from=d.effective_from,
            valid_until=d.valid_until,
            published_url=d.published_url,
        )
        for d in qs[:500]
    ]
