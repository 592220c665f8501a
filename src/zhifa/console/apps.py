from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """平台管理页面: the platform's own pages that are no domain's — 工作日历, 审计日志 (审计管理员), 数据导入.

    They sit above ``accounts`` (they need roles and the org tree) and below every domain app; ``core``
    keeps the primitives they show (calendar arithmetic, the audit chain, the import-kind registry).
    """

    name = "zhifa.console"
    label = "console"
    verbose_name = "平台管理"

    def ready(self) -> None:
        from zhifa.console.jobs_watch import on_job_failed
        from zhifa.core import events
        from zhifa.jobs.events import JOB_FAILED

        events.subscribe(JOB_FAILED, on_job_failed, phase=events.AFTER_COMMIT)
