"""Background jobs of operations (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import periodic


@periodic("backup.daily", label="每日备份（数据库、证据与文书对象、Parquet 存储）", every="daily")
def backup_daily(ctx) -> dict:
    """An online snapshot into ZHIFA_BACKUP_DIR keeping the newest ZHIFA_BACKUP_KEEP; not configured → said
    so (``zhifa check --deploy`` reports it) and nothing written."""
    from django.conf import settings

    from zhifa.jobs.services import JobFailed
    from zhifa.ops.backup import backup_create

    if not settings.BACKUP_DIR:
        return {"summary": "未配置备份目录（ZHIFA_BACKUP_DIR），未执行备份"}
    m = backup_create(settings.BACKUP_DIR, keep=settings.BACKUP_KEEP,
                      progress=lambda done, total, message: ctx.progress(done, total, message))
    summary = (f"快照 {m.name}：新复制对象 {m.stats.get('objects_copied', 0)} 个，"
               f"保留最近 {settings.BACKUP_KEEP} 份")
    problems = m.data.get("problems") or []
    if problems:  # the snapshot is kept (the rest is backed up) but the run is a failure someone must see
        raise JobFailed(f"{summary}；{len(problems)} 个源文件缺失或被改动：{'；'.join(map(str, problems[:3]))}")
    return {"summary": summary, "snapshot": m.name}
