from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    label = "accounts"
    verbose_name = "机构与账户"

    def ready(self):
        from zhifa.accounts import importers, indicators, signals  # noqa: F401  (import kinds, 持证率; logout -> audit chain)
