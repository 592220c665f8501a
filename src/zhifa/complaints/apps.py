from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "zhifa.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from zhifa.notifications.daily import register_daily

        from . import attachments, importers, indicators, listeners  # noqa: F401  (import kind, indicators, listeners)
        from .daily import remind

        register_daily("complaints.deadlines", "投诉举报工单期限提醒", remind)
        attachments.register()  # a work order's files go to the evidence store (target complaints.workorder)
