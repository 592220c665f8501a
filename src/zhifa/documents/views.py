"""执法文书 pages: the template catalogue (for the 法制审核人员), issued documents, downloads.

Reads through ``documents.selectors`` (scoped: another unit's document is a 404); downloads through
``services.document_download`` (an audited sensitive read). Business roles only; the 三员 get 403.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.labels import model_label
from zhifa.core.listing import list_page
from zhifa.documents import selectors, services
from zhifa.documents.numbering import DEFAULT_TYPE_WORDS
from zhifa.documents.specs import BY_NAME, sample_context
from zhifa.jobs.services import job_submit


@business_required
def template_list(request):
    rows = [
        {"tf": tf, "undeclared": selectors.template_undeclared(tf),
         "type_word": DEFAULT_TYPE_WORDS.get(tf.spec.doc_type, "")}
        for tf in selectors.templates_catalogue()
    ]
    return render(
        request, "documents/template_list.html", {"rows": rows, "template_dir": services.template_dir()}
    )


@business_required
def template_download(request, name: str):
    if name not in BY_NAME:
        raise Http404
    tf = services.template_resolve(name)
    return FileResponse(
        tf.path.open("rb"),
        as_attachment=True,
        filename=f"{tf.spec.title}模板.docx",
        content_type=services.DOCX_TYPE,
    )


@business_required
def template_preview(request, name: str):
    if name not in BY_NAME:
        raise Http404
    try:
        data = services.document_render_preview(name, sample_context(), org=request.user.org)
    except DomainError as e:
        return render(request, "documents/error.html", {"error": e.message}, status=e.status)
    resp = HttpResponse(data, content_type=services.DOCX_TYPE)
    resp["Content-Disposition"] = _disposition(f"{BY_NAME[name].title}（示例）.docx")
    return resp


@business_required
def document_list(request):
    q = request.GET.get("q", "").strip()
    target_type = request.GET.get("target_type", "").strip()
    target_id = request.GET.get("target_id", "").strip()
    qs = selectors.document_search(request.user, q=q, target_type=target_type, target_id=target_id)
    return list_page(
        request,
        "documents/document_list.html",
        qs,
        context={"q": q, "target_type": target_type, "target_id": target_id,
                 "target_choices": [(t, model_label(t)) for t in selectors.document_target_types(request.user)]},
    )


@business_required
def document_download(request, pk: int):
    doc = selectors.document_get(request.user, pk)
    if doc is None:
        raise Http404
    fmt = "pdf" if request.GET.get("format") == "pdf" else "docx"
    if fmt == "pdf" and not services.document_pdf_ready(doc):
        # LibreOffice takes seconds to minutes: the conversion is a background job whose page offers the
        # file when it is done (the download below then finds the PDF kept beside the DOCX)
        job = job_submit("documents.pdf", params={"document": doc.pk}, actor=request.user)
        return redirect("job_detail", pk=job.pk)
    try:
        dl = services.document_download(doc=doc, actor=request.user, fmt=fmt)
    except DomainError as e:
        return render(request, "documents/error.html", {"error": e.message}, status=e.status)
    return FileResponse(
        dl.path.open("rb"), as_attachment=True, filename=dl.filename, content_type=dl.content_type
    )


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"
