"""The demo county (郁南县交通运输局 and its neighbour 新兴县), generated deterministically from a seed.

``zhifa demo`` loads it into an empty database; tests rely on its shape. The public API lives in
:mod:`zhifa.demo.loader` (database) and :mod:`zhifa.demo.generator` (pure data, no database); the names
below are re-exported lazily so that importing this package does not need Django to be set up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["DEMO_PASSWORD", "DemoSummary", "demo_loaded", "generate_demo", "load_demo"]

if TYPE_CHECKING:
    from zhifa.demo.generator import generate_demo
    from zhifa.demo.loader import DEMO_PASSWORD, DemoSummary, demo_loaded, load_demo


def __getattr__(name: str):
    if name == "generate_demo":
        from zhifa.demo import generator

        return generator.generate_demo
    if name in __all__:
        from zhifa.demo import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
