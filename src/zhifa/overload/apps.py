from django.apps import AppConfig


class OverloadConfig(AppConfig):
    name = "zhifa.overload"
    label = "overload"
    verbose_name = "治超非现场执法"
