"""The open public API under /api/v1/public/ (no authentication; only masked public data)."""

from ninja import Router

router = Router(auth=None, tags=["公开查询"])
