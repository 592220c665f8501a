from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhifa.credit"
    label = "credit"
    verbose_name = "信用管理"

    def ready(self) -> None:
        from zhifa.credit import importers  # noqa: F401  (registers the import kinds)
