"""Serving evidence bytes over HTTP with Range support (RFC 9110 §14), shared by the pages and the API.

A browser ``<video>`` seeks in a several-GB 执法记录仪 file by asking for ``Range: bytes=N-``; we answer
``206 Partial Content`` with ``Content-Range`` and stream only that slice from the filesystem (seek) or
the object store (ranged GET). Rules:

* ``bytes=a-b``, ``bytes=a-`` and the suffix form ``bytes=-n`` are served as one part;
* a range that cannot be satisfied (start beyond the end, ``b < a``, ``-0``, a malformed byte range, any
  range of an empty file) gets ``416`` with ``Content-Range: bytes */size``;
* a Range in another unit, or a multi-range request (``bytes=0-1,5-6``; browsers never send one) is
  ignored and the whole file is sent with 200, as RFC 9110 §14.2 permits;
* ``If-Range`` with a validator other than the item's ETag (its digest) makes the range ignored.

Every response that sends bytes is logged first as a custody event (download, play or 分段读取).
"""

from __future__ import annotations

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from zhifa.evidence import storage as st
from zhifa.evidence.enums import INLINE_TYPES, CustodyAction
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.services import evidence_access

_RANGE_RE = re.compile(r"^(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(start, end)`` inclusive, ``None`` to send the whole file; raises :class:`Unsatisfiable`."""
    header = (header or "").strip()
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    spec = spec.strip()
    if "," in spec:
        return None
    m = _RANGE_RE.match(spec)
    if not m or (not m.group(1) and not m.group(2)):
        raise Unsatisfiable
    first, last = m.group(1), m.group(2)
    if not first:
        n = int(last)
        if n == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - n), size - 1
    start = int(first)
    if start >= size:
        raise Unsatisfiable
    end = int(last) if last else size - 1
    if end < start:
        raise Unsatisfiable
    return start, min(end, size - 1)


def inline_ok(content_type: str) -> bool:
    return any(content_type == t or (t.endswith("/") and content_type.startswith(t)) for t in INLINE_TYPES)


def serve(request, item: EvidenceItem, *, inline: bool) -> HttpResponse:
    """The file (or the requested slice) of ``item``, custody-logged before the first byte."""
    storage = st.storage_for(item.backend)
    size = item.size
    etag = f'"{item.digest}"'
    inline = inline and inline_ok(item.content_type)
    content_type = item.content_type if inline else "application/octet-stream"

    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "").strip()
    if if_range and if_range != etag:
        header = ""
    try:
        byte_range = parse_range(header, size)
    except Unsatisfiable:
        resp = HttpResponse(status=416)
        resp["Content-Range"] = f"bytes */{size}"
        resp["Accept-Ranges"] = "bytes"
        return resp

    if request.method == "HEAD":
        resp = HttpResponse(status=200, content_type=content_type)
        resp["Content-Length"] = str(size)
    else:
        if storage.size(item.storage_key) is None:
            resp = HttpResponse(
                "证据文件在存储中缺失，请联系管理员运行“zhifa evidence verify”核查。",
                status=410,
                content_type="text/plain; charset=utf-8",
            )
            return resp
        if byte_range is None:
            action = CustodyAction.PLAY if inline else CustodyAction.DOWNLOAD
            evidence_access(item=item, action=action, actor=request.user)
            resp = StreamingHttpResponse(
                storage.read(item.storage_key), status=200, content_type=content_type
            )
            resp["Content-Length"] = str(size)
        else:
            start, end = byte_range
            evidence_access(
                item=item, action=CustodyAction.RANGE_READ, actor=request.user, byte_range=byte_range
            )
            resp = StreamingHttpResponse(
                storage.read(item.storage_key, start, end), status=206, content_type=content_type
            )
            resp["Content-Length"] = str(end - start + 1)
            resp["Content-Range"] = f"bytes {start}-{end}/{size}"
    resp["Accept-Ranges"] = "bytes"
    resp["ETag"] = etag
    resp["Content-Disposition"] = content_disposition_header(not inline, item.filename)
    resp["Cache-Control"] = "private, no-store"
    # An uploaded file never runs as a page of the platform, even when opened directly.
    resp["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
