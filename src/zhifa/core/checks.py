"""Start-up checks of the seams (run by Django's system checks: ``zhifa migrate``, ``zhifa serve``, tests)."""

from __future__ import annotations

from django.core import checks


@checks.register()
def check_lookups_provided(app_configs=None, **kwargs):
    from zhifa.core import lookups

    return [
        checks.Error(f"lookup {lk.name} has no provider", hint=lk.doc, id="zhifa.E001")
        for lk in lookups.declared()
        if lk.provider is None
    ]
