from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "zhifa.permits"
    label = "permits"
    verbose_name = "行政许可"

    def ready(self) -> None:
        from zhifa.notifications.daily import register_daily

        from . import indicators  # noqa: F401  (registers the indicators)
        from .daily import remind

        register_daily("permits.deadlines", "行政许可办理期限提醒", remind)
        from .listeners import connect

        connect()  # 双随机: provides permits.postchecks_due, hears inspections.record_submitted
