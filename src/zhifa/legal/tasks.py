"""Background jobs of 法制工作: the 案卷评查 通报 (DOCX, scores by unit), with progress per file."""

from __future__ import annotations

from zhifa.jobs.registry import job


@job("legal.review_report", label="案卷评查通报", max_attempts=2)
def review_report(ctx, *, campaign: int) -> dict:
    from django.utils import timezone

    from zhifa.jobs.files import export_dir
    from zhifa.jobs.services import JobFailed

    from . import report, services
    from .enums import CampaignStatus
    from .models import ReviewCampaign

    c = ReviewCampaign.objects.filter(pk=campaign).first()
    if c is None or c.status == CampaignStatus.DRAFT:
        raise JobFailed("评查不存在或尚未抽取案卷")
    total = c.files.count()
    ctx.progress(0, total, f"正在生成《{c.title}》通报", force=True)
    data = report.review_report_docx(c, progress=lambda i: ctx.progress(i, total))
    target = export_dir() / f"job-{ctx.job.pk}.docx"
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    part.replace(target)
    services.campaign_mark_reported(c, on=timezone.localdate())
    ctx.progress(total, total, force=True)
    return {
        "summary": f"《{c.title}》通报已生成（{total} 份案卷）",
        "url": f"/legal/reviews/{c.pk}/report.docx",
        "link_label": "下载通报",
        "filename": f"案卷评查通报-{c.title}.docx",
    }
