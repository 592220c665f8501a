"""执法文书 API: templates and their fields, issued documents per target, downloads (audited), previews."""

from __future__ import annotations

from datetime import date, datetime

from django.http import FileResponse, HttpResponse
from ninja import Router, Schema

from zhifa.accounts.selectors import is_business_user
from zhifa.core.errors import CommonError
from zhifa.core.pagination import paginate
from zhifa.documents import selectors, services

router = Router(tags=["执法文书"])


class FieldOut(Schema):
    path: str
    label: str
    required: bool
    items: list[FieldOut] = []


class TemplateOut(Schema):
    name: str
    title: str
    doc_type: str
    numbered: bool
    source: str
    basis: str
    fields: list[FieldOut]


class DocumentOut(Schema):
    id: int
    title: str
    template: str
    number: str
    version: int
    series: str
    doc_date: date
    target_type: str
    target_id: str
    org_id: int
    digest: str
    digest_algorithm: str
    size: int
    rendered_by: str
    rendered_at: datetime
    reason: str


class PreviewIn(Schema):
    template: str
    context: dict


def _require_business(request) -> None:
    if not is_business_user(request.auth):
        raise CommonError.FORBIDDEN.error(detail="仅执法人员、法制审核人员和执法部门负责人可以使用执法文书")


def _field(f) -> dict:
    return {"path": f.path, "label": f.label, "required": f.required, "items": [_field(i) for i in f.items]}


def _doc(d) -> dict:
    return {
        "id": d.pk,
        "title": d.title,
        "template": d.template,
        "number": d.number,
        "version": d.version,
        "series": str(d.series),
        "doc_date": d.doc_date,
        "target_type": d.target_type,
        "target_id": d.target_id,
        "org_id": d.org_id,
        "digest": d.digest,
        "digest_algorithm": d.digest_algorithm,
        "size": d.size,
        "rendered_by": str(d.rendered_by),
        "rendered_at": d.rendered_at,
        "reason": d.reason,
    }


@router.get("/templates", response=list[TemplateOut], summary="文书模板及其字段")
def templates(request):
    _require_business(request)
    return [
        {
            "name": tf.spec.name,
            "title": tf.spec.title,
            "doc_type": tf.spec.doc_type,
            "numbered": tf.spec.numbered,
            "source": tf.source,
            "basis": tf.spec.basis,
            "fields": [_field(f) for f in tf.spec.fields],
        }
        for tf in selectors.templates_catalogue()
    ]


@router.get("/issued", summary="已生成的文书（按关联对象筛选）")
def issued(
    request, target_type: str = "", target_id: str = "", q: str = "", page: int = 1, page_size: int = 50
):
    _require_business(request)
    qs = selectors.document_search(request.auth, q=q, target_type=target_type, target_id=target_id)
    return paginate(qs, page, page_size, _doc)


@router.get("/issued/{pk}", response=DocumentOut, summary="文书详情")
def issued_detail(request, pk: int):
    doc = selectors.document_get(request.auth, pk)
    if doc is None:
        raise CommonError.NOT_FOUND.error(what="文书")
    return _doc(doc)


@router.get("/issued/{pk}/download", summary="下载文书（DOCX 或 PDF；记入审计）")
def issued_download(request, pk: int, format: str = "docx"):  # noqa: A002
    doc = selectors.document_get(request.auth, pk)
    if doc is None:
        raise CommonError.NOT_FOUND.error(what="文书")
    if format not in ("docx", "pdf"):
        raise CommonError.INVALID.error(
            detail="format 应为 docx 或 pdf", fields={"format": "应为 docx 或 pdf"}
        )
    dl = services.document_download(doc=doc, actor=request.auth, fmt=format)
    return FileResponse(
        dl.path.open("rb"), as_attachment=True, filename=dl.filename, content_type=dl.content_type
    )


@router.post("/preview", summary="按模板预览文书（不编号、不保存）")
def preview(request, payload: PreviewIn):
    _require_business(request)
    data = services.document_render_preview(payload.template, payload.context, org=request.auth.org)
    resp = HttpResponse(data, content_type=services.DOCX_TYPE)
    resp["Content-Disposition"] = 'attachment; filename="preview.docx"'
    return resp
