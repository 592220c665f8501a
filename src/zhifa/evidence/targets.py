"""What evidence can be attached to. An app that owns a target type registers it, e.g. in its
``AppConfig.ready()``::

    from zhifa.evidence.targets import register_target

    def _case_org(target_id: str):
        case = Case.objects.select_related("org").filter(pk=target_id).first() if target_id.isdigit() else None
        return case.org if case else None

    register_target("cases.case", _case_org)

The resolver returns the unit that owns the target (a case's 承办单位), or ``None`` when there is no such
target. For a registered type, ``evidence_ingest`` refuses an unknown target and files the evidence under
the target's unit; an unregistered type (well formed, ``app.model``) is accepted as given, so feeders
built in parallel can attach evidence before they register.

A target registered with ``jurisdiction=True`` belongs to a bureau as a whole (a 双随机 inspection
record: 谁检查、谁公开, filled in by inspectors drawn from its squads). The resolver returns that bureau;
every business user of the bureau's jurisdiction (its sub-units included) and of its superiors may see
and attach to it, and the evidence is filed under the uploader's unit inside the bureau. Another
county's target is "not found" all the same.
"""

from __future__ import annotations

from collections.abc import Callable

from zhifa.accounts.models import Org

Resolver = Callable[[str], Org | None]
_RESOLVERS: dict[str, Resolver] = {}
_JURISDICTION: set[str] = set()


def register_target(target_type: str, resolve: Resolver, *, jurisdiction: bool = False) -> None:
    key = target_type.strip().lower()
    _RESOLVERS[key] = resolve
    if jurisdiction:
        _JURISDICTION.add(key)
    else:
        _JURISDICTION.discard(key)


def unregister_target(target_type: str) -> None:
    key = target_type.strip().lower()
    _RESOLVERS.pop(key, None)
    _JURISDICTION.discard(key)


def shared_in_jurisdiction(target_type: str) -> bool:
    """True for a target owned by a bureau as a whole (see the module docstring)."""
    return (target_type or "").strip().lower() in _JURISDICTION


def resolver_for(target_type: str) -> Resolver | None:
    return _RESOLVERS.get((target_type or "").strip().lower())


def registered_types() -> list[str]:
    """The target types apps registered (what the evidence list filters by)."""
    return sorted(_RESOLVERS)
