"""One pagination for API lists: ``{"count", "page", "page_size", "items"}``."""

from __future__ import annotations

from collections.abc import Callable

from zhifa.core.errors import CommonError

MAX_PAGE_SIZE = 500


def paginate(qs, page: int, page_size: int, render: Callable) -> dict:
    if page < 1:
        raise CommonError.INVALID.error(detail="page 应从 1 开始", fields={"page": "应为正整数"})
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CommonError.INVALID.error(detail=f"page_size 应在 1 到 {MAX_PAGE_SIZE} 之间",
                                        fields={"page_size": "超出范围"})
    count = qs.count()
    start = (page - 1) * page_size
    return {"count": count, "page": page, "page_size": page_size,
            "items": [render(o) for o in qs[start:start + page_size]]}
