from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "zhifa.monitoring"
    label = "monitoring"
    verbose_name = "两客一危动态监控"
