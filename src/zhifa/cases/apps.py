from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "执法办案"

    def ready(self) -> None:
        from zhifa.notifications.daily import register_daily

        from . import indicators  # noqa: F401  (registers the 执法办案 indicators)
        from .handoffs import deadline_reminders

        register_daily("cases.deadlines", "法定期限提醒（两个工作日内届满）", deadline_reminders)
        try:
            from zhifa.evidence.targets import register_target
        except ImportError:  # pragma: no cover
            return

        def _case_org(target_id: str):
            from .models import Case

            case = (
                Case.objects.select_related("org").filter(pk=target_id).first()
                if str(target_id).isdigit()
                else None
            )
            return case.org if case else None

        register_target("cases.case", _case_org)

        def _source_org(target_id: str):
            from .models import CaseSource

            src = (
                CaseSource.objects.select_related("org").filter(pk=target_id).first()
                if str(target_id).isdigit()
                else None
            )
            return src.org if src else None

        register_target("cases.casesource", _source_org)
