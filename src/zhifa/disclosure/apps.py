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

        from . import indicators  # noqa: F401  (registers the 双公示 indicators)

        listeners.subscribe()  # the register's events
