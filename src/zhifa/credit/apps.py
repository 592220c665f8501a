from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "zhifa.credit"
    label = "credit"
    verbose_name = "信用管理"

    def ready(self) -> None:
        from zhifa.credit import (
            importers,  # noqa: F401  (registers the import kinds)
            listeners,
        )
        from zhifa.credit.selectors import public_ratings
        from zhifa.disclosure.lookups import PUBLIC_RATINGS

        from . import indicators  # noqa: F401  (registers the 信用 indicators)

        listeners.subscribe()  # disclosure's and the register's events
        PUBLIC_RATINGS.provide(public_ratings)  # the portal's credit grades
