"""One pagination for API lists: ``{"count", "page", "page_size", "items"}``, and the one bound on paging
values every list (API or page) applies before it touches the database.

A ``page`` of 10**25 used to reach the database as an OFFSET that SQLite cannot bind (OverflowError) or
that it refuses ("datatype mismatch"): a 500 on anonymous endpoints (issue 16 item 8). The bound is far
beyond any real list and keeps every OFFSET inside a 64-bit integer.
"""

from __future__ import annotations

from collections.abc import Callable

from zhifa.core.errors import CommonError

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000


def page_window(page: int, page_size: int, *, max_page_size: int = MAX_PAGE_SIZE) -> tuple[int, int]:
    """``(offset, limit)`` for a 1-based ``page`` of ``page_size`` rows; 422 with a Chinese reason when
    either is out of range."""
    if not 1 <= page <= MAX_PAGE:
        raise CommonError.INVALID.error(detail=f"page 应在 1 到 {MAX_PAGE} 之间",
                                        fields={"page": f"应为 1 到 {MAX_PAGE} 之间的整数"})
    if not 1 <= page_size <= max_page_size:
        raise CommonError.INVALID.error(detail=f"page_size 应在 1 到 {max_page_size} 之间",
                                        fields={"page_size": "超出范围"})
    return (page - 1) * page_size, page_size


def page_number(raw: str | None) -> int:
    """A page's ``?page=`` for a list page: 1 when absent or unreadable; 422 (shown as a Chinese error page
    by the caller) when beyond :data:`MAX_PAGE`."""
    try:
        page = int(raw or "1")
    except ValueError:
        return 1
    page_window(max(1, page), 1)
    return max(1, page)


def paginate(qs, page: int, page_size: int, render: Callable) -> dict:
    start, size = page_window(page, page_size)
    count = qs.count()
    return {"count": count, "page": page, "page_size": page_size,
            "items": [render(o) for o in qs[start:start + size]]}
