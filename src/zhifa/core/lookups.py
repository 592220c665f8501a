"""Named reads that an app needs from an app above it: the read-side twin of :mod:`zhifa.core.events`.

A lower app that must show something a higher app owns (the public portal, in ``disclosure``, lists the
credit grades that ``credit`` publishes) **declares** the read it needs in its own ``lookups.py`` — a
name and what it returns — and calls it; the higher app **provides** the function in its AppConfig.ready.
The lower app never imports the higher one, and a declared lookup without a provider is a start-up error
(Django system check ``zhifa.E001``), not a page that fails at the first request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Lookup:
    def __init__(self, name: str, doc: str):
        self.name = name
        self.doc = doc
        self.provider: Callable[..., Any] | None = None

    def provide(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Register the one function that answers this lookup (usable as a decorator)."""
        if self.provider is not None and self.provider is not func:
            same = (self.provider.__module__, self.provider.__qualname__) == (
                func.__module__,
                func.__qualname__,
            )
            if not same:
                raise ImproperlyConfigured(f"lookup {self.name} is provided twice")
        self.provider = func
        return func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.provider is None:
            raise ImproperlyConfigured(f"lookup {self.name} has no provider (is its app installed?)")
        return self.provider(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Lookup {self.name}>"


_LOOKUPS: dict[str, Lookup] = {}


def declare(name: str, *, doc: str) -> Lookup:
    """Declare a lookup (once per name; declaring it again returns the same object)."""
    if name not in _LOOKUPS:
        _LOOKUPS[name] = Lookup(name, doc)
    return _LOOKUPS[name]


def named(name: str) -> Lookup:
    """The declared lookup called ``name``: for a provider in an app of the declaring app's own layer, which
    may not import its ``lookups.py`` (the declaring app's AppConfig.ready imports it and comes first in
    INSTALLED_APPS)."""
    if name not in _LOOKUPS:
        raise ImproperlyConfigured(f"lookup {name} is not declared (is the declaring app installed first?)")
    return _LOOKUPS[name]


def declared() -> list[Lookup]:
    return [_LOOKUPS[name] for name in sorted(_LOOKUPS)]
