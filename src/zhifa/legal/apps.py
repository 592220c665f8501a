from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "zhifa.legal"
    label = "legal"
    verbose_name = "法制工作"

    def ready(self) -> None:
        from zhifa.notifications.daily import register_daily

        from . import audit_labels, importers, indicators  # noqa: F401  (audit names, import kind, indicators)
        from .daily import remind

        register_daily("legal.documents", "规范性文件有效期、备案及附带审查答复提醒", remind)
