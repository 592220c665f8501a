from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    label = "accounts"
    verbose_name = "机构与账户"

    def ready(self):
        from zhifa.accounts import importers, signals  # noqa: F401  (import kinds; logout -> audit chain)
