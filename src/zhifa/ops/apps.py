from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "zhifa.ops"
    label = "ops"
    verbose_name = "运行保障"
