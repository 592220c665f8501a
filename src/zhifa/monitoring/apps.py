from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "zhifa.monitoring"
    label = "monitoring"
    verbose_name = "两客一危动态监控"

    def ready(self) -> None:
        from . import indicators  # noqa: F401  (registers the 两客一危 indicators)
        from .jt809 import indicators as _jt809_indicators  # noqa: F401  (registers the JT/T 809 indicators)
