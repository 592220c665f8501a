"""The kinds of notification and their Chinese names, in one place. An app declares the kinds it sends
(:func:`declare`, at import of its hand-off module); a person sees only the label."""

from __future__ import annotations

_KINDS: dict[str, str] = {}


def declare(code: str, label: str) -> str:
    """Declare a kind (idempotent); returns the code for use as a constant."""
    if _KINDS.get(code, label) != label:
        raise ValueError(f"notification kind {code} declared twice with different labels")
    _KINDS[code] = label
    return code


def is_declared(code: str) -> bool:
    return code in _KINDS


def kind_label(code: str) -> str:
    return _KINDS.get(code, "提醒")


def declared() -> dict[str, str]:
    return dict(sorted(_KINDS.items()))
