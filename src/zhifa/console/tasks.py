"""Background jobs of the platform's own pages (see zhifa.jobs.registry)."""

from __future__ import annotations

from pathlib import Path

from zhifa.jobs.registry import job, periodic


def _import_give_up(params: dict) -> None:
    from zhifa.core.imports import import_abandon

    import_abandon(params["import_job"], params["path"], "导入任务未能完成：后台任务进程多次中断或任务被取消；"
                   "已导入的行保留，重新上传同一文件即可继续")


@job("imports.run", label="数据导入", on_give_up=_import_give_up)
def import_run(ctx, *, import_job: int, path: str) -> dict:
    """Run an uploaded import; progress is the rows processed. Idempotent: rows go in by natural keys, so a
    retry after a killed worker counts the rows already in as unchanged and duplicates nothing."""
    from zhifa.core.imports import import_run_pending
    from zhifa.core.models import ImportJob

    imp = ImportJob.objects.get(pk=import_job)

    def progress(j: ImportJob) -> None:
        ctx.progress(j.processed, j.total, f"已处理 {j.processed} 行")

    imp = import_run_pending(imp, Path(path), actor=ctx.actor, progress=progress)
    return {"url": f"/imports/{imp.pk}/", "summary": imp.message}


@periodic("audit.verify", label="审计日志哈希链校验并锚定链头", every="daily")
def audit_verify(ctx) -> dict:
    """The chain verified end to end; the verified head appended to the anchor file (outside the database)."""
    from zhifa.core.audit import audit_anchor_write, audit_head
    from zhifa.core.audit import audit_verify as verify
    from zhifa.jobs.services import JobFailed

    result = verify()
    if not result.ok:
        raise JobFailed(result.message)
    head = audit_head()
    audit_anchor_write(head)
    return {"summary": result.message, "head": str(head)}


@periodic("jobs.prune", label="清理过期的后台任务记录", every="weekly")
def jobs_prune(ctx) -> dict:
    """Finished jobs older than ZHIFA_JOBS_KEEP_DAYS go (the work they did stays in its own records)."""
    from zhifa.jobs.services import jobs_prune as prune

    n = prune()
    return {"summary": f"删除 {n} 条过期任务记录", "deleted": n}
