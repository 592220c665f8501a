from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhifa.reports"
    label = "reports"
    verbose_name = "统计与报告"

    def ready(self) -> None:
        from . import importers, indicators  # noqa: F401  (上级平台指标 import kind and its indicators)
