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
"""

from __future__ import annotations

from collections.abc import Callable

from zhifa.accounts.models import Org

Resolver = Callable[[str], Org | None]
_RESOLVERS: dict[str, Resolver] = {}


def register_target(target_type: str, resolve: Resolver) -> None:
    _RESOLVERS[target_type.strip().lower()] = resolve


def unregister_target(target_type: str) -> None:
    _RESOLVERS.pop(target_type.strip().lower(), None)


def resolver_for(target_type: str) -> Resolver | None:
    return _RESOLVERS.get((target_type or "").strip().lower())
