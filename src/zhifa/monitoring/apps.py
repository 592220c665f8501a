from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "zhifa.monitoring"
    label = "monitoring"
    verbose_name = "两客一危动态监控"

    def ready(self) -> None:
        from .jt809 import indicators  # noqa: F401 - registers the JT/T 809 indicators
