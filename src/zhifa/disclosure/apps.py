from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "双公示"

    def ready(self) -> None:
        from zhifa.disclosure import (
            importers,  # noqa: F401  (registers the import kinds)
            listeners,
        )

        listeners.subscribe()  # the register's events
