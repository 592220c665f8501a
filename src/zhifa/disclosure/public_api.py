"""The open public API under /api/v1/public/ (no authentication; only the masked 公示版)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.http import Http404, HttpResponse, HttpResponseNotModified
from ninja import Field, Router, Schema

from zhifa.core.errors import CommonError
from zhifa.core.pagination import page_window

from . import selectors
from .lookups import PUBLIC_RATINGS

router = Router(auth=None, tags=["公开查询"])
MAX_PAGE_SIZE = 100


class PublicRecordOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    plate: str
    doc_no: str
    decided_on: date
    published_on: date
    publish_until: date | None
    title: str
    data: dict


class PageOut(Schema):
    page: int
    page_size: int
    has_next: bool
    contains: bool = Field(
        False, description="true：没有以查询词开头的名称，items 为名称中包含查询词的记录（至少三个字）"
    )
    items: list[PublicRecordOut]


def _out(r) -> dict:
    return {
        "id": r.record_id,
        "kind": r.kind,
        "name": r.name,
        "code": r.code,
        "plate": r.plate,
        "doc_no": r.doc_no,
        "decided_on": r.decided_on,
        "published_on": r.published_on,
        "publish_until": r.publish_until,
        "title": r.title,
        "data": r.data,
    }


@router.get(
    "/records", response=PageOut, summary="双公示查询（名称、统一社会信用代码、车牌、文号、日期、类别）"
)
def records(
    request,
    q: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 20,
):
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    offset, _ = page_window(page, page_size, max_page_size=MAX_PAGE_SIZE)
    rows = selectors.public_search(
        q=q, kind=kind, date_from=date_from, date_to=date_to, offset=offset, limit=page_size + 1
    )
    body = {
        "page": page,
        "page_size": page_size,
        "has_next": len(rows) > page_size,
        "contains": rows.contains,
        "items": [_out(r) for r in rows[:page_size]],
    }
    return _cacheable_json(request, body, max_age=60)


def _cacheable_json(request, body: dict, *, max_age: int) -> HttpResponse:
    """The search's JSON written directly: the rows come from the masked table only and ``_out`` names
    every field, so the schema above documents the response without re-validating it on every request
    (that validation cost more than the query). Public and cacheable: ``Cache-Control`` for proxies
    and browsers, and an ``ETag`` so a client that asks again with ``If-None-Match`` gets 304."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=date.isoformat).encode()
    etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
    if etag in request.headers.get("If-None-Match", ""):
        resp = HttpResponseNotModified()
    else:
        resp = HttpResponse(content, content_type="application/json; charset=utf-8")
    resp["ETag"] = etag
    resp["Cache-Control"] = f"public, max-age={max_age}"
    return resp


@router.get("/records/{record_id}", response=PublicRecordOut, summary="公示记录详情")
def record(request, response: HttpResponse, record_id: int):
    r = selectors.public_get(record_id)
    if r is None:
        raise Http404
    response["Cache-Control"] = "public, max-age=60"
    return _out(r)


class GradeOut(Schema):
    year: int
    name: str = Field(alias="public_name")
    scheme: str
    grade: str
    published_on: date | None


@router.get("/credit-grades", response=list[GradeOut], summary="已公布的信用评价结果")
def credit_grades(
    request, response: HttpResponse, q: str = "", year: int | None = None, page: int = 1, page_size: int = 50
):
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    offset, _ = page_window(page, page_size, max_page_size=MAX_PAGE_SIZE)
    if year is not None and not 1900 <= year <= 2200:
        raise CommonError.INVALID.error(detail="year 应在 1900 到 2200 之间", fields={"year": "超出范围"})
    qs = PUBLIC_RATINGS()
    if q:
        qs = qs.filter(public_name__contains=q)
    if year:
        qs = qs.filter(year=year)
    response["Cache-Control"] = "public, max-age=300"
    return list(qs[offset : offset + page_size])
