"""REST API of 全过程记录 under /api/v1/evidence/.

``PUT /upload`` streams the raw request body (never ``request.body``) into ``evidence_ingest``; a body
shorter than its ``Content-Length`` (client gone) or not matching an announced ``digest`` stores nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from zhifa.accounts.services import require_business
from zhifa.core.api import ErrorOut
from zhifa.core.errors import CommonError
from zhifa.core.pagination import paginate
from zhifa.evidence import http, selectors, services
from zhifa.evidence.enums import CustodyAction

try:  # django-ninja >= 1.5; older releases take a (status, body) tuple
    from ninja import Status
except ImportError:  # pragma: no cover

    def Status(code, body):  # noqa: N802
        return code, body


router = Router(tags=["全过程记录"])


class EvidenceOut(Schema):
    id: int
    target_type: str
    target_id: str
    step: str
    kind: str
    kind_label: str
    filename: str
    content_type: str
    size: int
    digest: str
    digest_algorithm: str
    org_id: int
    uploaded_by: str
    uploaded_at: datetime
    voided_at: datetime | None
    void_reason: str
    download_url: str
    play_url: str


class CustodyOut(Schema):
    at: datetime
    action: str
    action_label: str
    actor: str
    ip: str
    channel: str
    request_id: str
    detail: dict


class VerifyOut(Schema):
    id: int
    ok: bool
    status: str
    message: str


class VoidIn(Schema):
    reason: str


def _out(it) -> dict:
    return {
        "id": it.pk,
        "target_type": it.target_type,
        "target_id": it.target_id,
        "step": it.step,
        "kind": it.kind,
        "kind_label": it.get_kind_display(),
        "filename": it.filename,
        "content_type": it.content_type,
        "size": it.size,
        "digest": it.digest,
        "digest_algorithm": it.digest_algorithm,
        "org_id": it.org_id,
        "uploaded_by": it.uploaded_by_name,
        "uploaded_at": it.uploaded_at,
        "voided_at": it.voided_at,
        "void_reason": it.void_reason,
        "download_url": f"/api/v1/evidence/{it.pk}/download",
        "play_url": f"/evidence/{it.pk}/play",
    }


def _custody_out(ev) -> dict:
    return {
        "at": ev.at,
        "action": ev.action,
        "action_label": ev.get_action_display(),
        "actor": ev.actor_name,
        "ip": ev.ip,
        "channel": ev.channel,
        "request_id": ev.request_id,
        "detail": ev.detail,
    }


class _BodyStream:
    """The request body as a file object read in chunks (``HttpRequest.read``); never ``request.body``."""

    def __init__(self, request: HttpRequest):
        self._request = request

    def read(self, n: int = -1) -> bytes:
        return self._request.read(n)


@router.put(
    "/upload",
    response={201: EvidenceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="上传证据（请求体即文件内容，流式写入）",
    description="查询参数给出所属对象（如 target_type=cases.case&target_id=12）、办案环节（step=调查取证）与文件名；"
    "请求体为文件原始字节（Content-Type 为文件的媒体类型）。可选 digest=十六进制 SM3/SHA-256 摘要，"
    "不一致则不保存。上传中断或长度不足 Content-Length 时不保存任何内容。",
)
def upload(
    request,
    target_type: str,
    target_id: str,
    filename: str,
    step: str = "",
    kind: str = "",
    content_type: str = "",
    digest: str = "",
    description: str = "",
):
    actor = request.auth
    length = request.META.get("CONTENT_LENGTH") or ""
    expected = int(length) if length.isdigit() else None
    org = services.target_org(target_type, target_id, default=actor.org)
    item = services.evidence_ingest(
        _BodyStream(request),
        filename=filename,
        content_type=content_type or request.content_type or "",
        target_type=target_type,
        target_id=target_id,
        step=step,
        org=org,
        actor=actor,
        kind=kind,
        description=description,
        expected_size=expected,
        expected_digest=digest.strip(),
    )
    return Status(201, _out(item))


@router.get("/", summary="证据列表（按所属对象、类别、文件名或摘要检索）")
def evidence_list(
    request,
    target_type: str = "",
    target_id: str = "",
    kind: str = "",
    step: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 50,
):
    require_business(request.auth)
    qs = selectors.evidence_search(
        request.auth, q=q, kind=kind, target_type=target_type, target_id=target_id, step=step
    )
    return paginate(qs, page, page_size, _out)


@router.get("/{pk}", response=EvidenceOut, summary="证据详情（记入保管链）")
def evidence_detail(request, pk: int):
    item = selectors.evidence_get(request.auth, pk)
    services.evidence_access(item=item, action=CustodyAction.VIEW, actor=request.auth)
    return _out(item)


@router.get("/{pk}/custody", response=list[CustodyOut], summary="证据保管记录")
def evidence_custody(request, pk: int):
    item = selectors.evidence_get(request.auth, pk)
    return [_custody_out(ev) for ev in selectors.custody_for(item)]


@router.get(
    "/{pk}/download",
    summary="下载证据文件（支持 Range 分段读取，记入保管链）",
    description="支持 `Range: bytes=a-b`、`bytes=a-`、`bytes=-n`，返回 206 与 Content-Range；"
    "无法满足的范围返回 416。",
)
def evidence_download(request, pk: int):
    item = selectors.evidence_get(request.auth, pk)
    return http.serve(request, item, inline=False)


@router.post("/{pk}/verify", response=VerifyOut, summary="重新计算摘要并校验（记入保管链）")
def evidence_verify(request, pk: int):
    item = selectors.evidence_get(request.auth, pk)
    o = services.evidence_verify(item=item, actor=request.auth)
    return {"id": o.item_id, "ok": o.ok, "status": o.status, "message": o.message}


@router.post("/{pk}/void", response=EvidenceOut, summary="作废证据（须填写理由；文件保留）")
def evidence_void(request, pk: int, payload: VoidIn):
    item = selectors.evidence_get(request.auth, pk)
    return _out(services.evidence_void(item=item, actor=request.auth, reason=payload.reason))


@router.delete(
    "/{pk}",
    response={403: ErrorOut},
    summary="删除证据（一律拒绝，记入保管链）",
    description="《行政处罚法》第四十七条：执法全过程记录应当归档保存，证据不得删除。",
)
def evidence_delete(request, pk: int, reason: str = ""):
    item = selectors.evidence_get(request.auth, pk)
    services.evidence_delete_request(item=item, actor=request.auth, reason=reason)
    raise CommonError.FORBIDDEN.error(detail="证据不得删除")  # pragma: no cover - the service always raises
