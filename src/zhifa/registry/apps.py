from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "zhifa.registry"
    label = "registry"
    verbose_name = "监管对象"

    def ready(self):
        from zhifa.registry import importers  # noqa: F401  (registers the import kinds)
