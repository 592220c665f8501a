"""Background jobs of 执法文书 (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import job, periodic


@periodic("documents.verify", label="执法文书完整性校验（重新计算摘要）", every="weekly")
def verify(ctx) -> dict:
    from zhifa.documents.services import documents_verify
    from zhifa.jobs.services import JobFailed

    r = documents_verify()
    summary = f"已校验 {r.checked} 份文书，{len(r.bad)} 份异常，{len(r.orphans)} 个多余文件"
    if r.bad:
        raise JobFailed(f"{summary}：{'；'.join(r.bad[:5])}")
    return {"summary": summary, "checked": r.checked, "orphans": len(r.orphans)}


@periodic("documents.sweep", label="清理无登记记录的文书文件", every="daily")
def sweep(ctx) -> dict:
    from zhifa.documents.services import documents_sweep

    removed = documents_sweep()
    return {"summary": f"已清理 {len(removed)} 个无登记记录的文件", "removed": len(removed)}


@job("documents.pdf", label="文书转换为 PDF", max_attempts=2)
def to_pdf(ctx, *, document: int) -> dict:
    """Convert an issued document with LibreOffice (kept beside the DOCX under a temporary name renamed when
    complete); the download link then serves it, audited as every download is."""
    from zhifa.core.errors import DomainError
    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.services import document_pdf
    from zhifa.jobs.services import JobFailed

    doc = IssuedDocument.objects.get(pk=document)
    ctx.progress(0, 1, f"正在转换 {doc.title}{(' ' + doc.number) if doc.number else ''}", force=True)
    try:
        document_pdf(doc)
    except DomainError as e:
        raise JobFailed(e.message) from e
    ctx.progress(1, 1, force=True)
    return {"summary": f"{doc.title} 的 PDF 已生成", "url": f"/documents/{doc.pk}/download/?format=pdf",
            "link_label": "下载 PDF"}
