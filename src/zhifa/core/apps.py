from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础内核"

    def ready(self) -> None:
        from zhifa.core import checks  # noqa: F401  (registers the seam checks)
