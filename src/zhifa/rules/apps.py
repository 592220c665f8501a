from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "zhifa.rules"
    label = "rules"
    verbose_name = "规则库（三库）"
