from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "zhifa.people"
    label = "people"
    verbose_name = "队伍与保障"

    def ready(self) -> None:
        from zhifa.accounts.lookups import CERTIFICATE_PREREQUISITE
        from zhifa.evidence.lookups import DEVICE_LABEL
        from zhifa.notifications.daily import register_daily

        from . import audit_labels, files, importers, indicators  # noqa: F401  (audit names, import kind, indicators)
        from .daily import remind
        from .selectors import device_label, officer_exam_problem

        CERTIFICATE_PREREQUISITE.provide(officer_exam_problem)
        DEVICE_LABEL.provide(device_label)
        files.register()  # course materials, plan documents, activity photos go to the evidence store
        register_daily("people.reviews", "应急预案修订与风险任务期限提醒", remind)
