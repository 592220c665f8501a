"""Search-as-you-type pickers (JSON) for the forms where a person picks a person, an officer, a vehicle or
an enterprise, instead of typing a number. Every endpoint answers only from the actor's own unit (the
register's and the officers' scoped selectors), so another county's people are never listed.

Each answers ``{"results": [{"value": ..., "label": ...}, ...]}``; ``value`` is what the form posts (an
officer's or a register record's id, or a party reference such as ``enterprise:12``). The page side is one
script, ``zhifa/picker.js``, driven by ``data-picker`` attributes (see ``cases/_picker.html``)."""

from __future__ import annotations

from django.http import JsonResponse

from zhifa.accounts.models import Officer
from zhifa.accounts.selectors import scope_q
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError

LIMIT = 15


def _q(request) -> str:
    return request.GET.get("q", "").strip()[:50]


def _answer(rows: list[dict]) -> JsonResponse:
    return JsonResponse({"results": rows})


@business_required
def officer_pick(request):
    """执法人员 of the actor's jurisdiction (the bureau and its squads: whom a case may be assigned to, as
    ``workflow/register.py`` accepts) by name, active ones only."""
    q = _q(request)
    if not q:
        return _answer([])
    qs = (Officer.objects.filter(scope_q(request.user, jurisdiction=True), status="active", name__contains=q)
          .select_related("org").order_by("name", "pk"))
    return _answer([{"value": o.pk, "label": f"{o.name}（{o.org.name}）"} for o in qs[:LIMIT]])


@business_required
def person_pick(request):
    """Persons (drivers and others) in the register by name or full ID number; the number shown masked."""
    from zhifa.registry.selectors import person_search

    q = _q(request)
    if not q:
        return _answer([])
    rows = person_search(request.user, q=q).order_by("name", "pk")[:LIMIT]
    return _answer([{"value": p.pk, "ref": f"person:{p.pk}", "label": f"{p.name}（{p.idcard_masked}）"}
                    for p in rows])


@business_required
def vehicle_pick(request):
    """Vehicles in the register by plate, with their operator."""
    from zhifa.registry.selectors import vehicle_search

    q = _q(request)
    if not q:
        return _answer([])
    rows = vehicle_search(request.user, q=q).order_by("plate", "pk")[:LIMIT]
    return _answer([{"value": v.pk, "ref": f"vehicle:{v.pk}",
                     "label": f"{v.plate}" + (f" · {v.enterprise.name}" if v.enterprise_id else "")} for v in rows])


@business_required
def enterprise_pick(request):
    """Enterprises in the register by name or 统一社会信用代码."""
    from zhifa.registry.selectors import enterprise_search

    q = _q(request)
    if not q:
        return _answer([])
    rows = enterprise_search(request.user, q=q).order_by("name", "pk")[:LIMIT]
    return _answer([{"value": e.pk, "ref": f"enterprise:{e.pk}", "label": f"{e.name}（{e.uscc}）"} for e in rows])


@business_required
def subject_pick(request):
    """A party of any kind (enterprise, person, vehicle) as a reference ``kind:id``: the 案源 and credit
    forms post this."""
    from zhifa.registry.selectors import enterprise_search, person_search, vehicle_search

    q = _q(request)
    if not q:
        return _answer([])
    out = [{"value": f"enterprise:{e.pk}", "name": e.name, "label": f"{e.name}（{e.uscc}）"}
           for e in enterprise_search(request.user, q=q)[:LIMIT]]
    out += [{"value": f"person:{p.pk}", "name": p.name, "label": f"{p.name}（{p.idcard_masked}）"}
            for p in person_search(request.user, q=q)[:LIMIT]]
    out += [{"value": f"vehicle:{v.pk}", "name": v.plate,
             "label": v.plate + (f" · {v.enterprise.name}" if v.enterprise_id else "")}
            for v in vehicle_search(request.user, q=q)[:LIMIT]]
    return _answer(out)


def subject_from_ref(user, ref: str):
    """The register record a picked reference names ("enterprise:12", "person:5", "vehicle:7") within the
    actor's jurisdiction, or ``None`` for an empty reference; another unit's id is not found."""
    from zhifa.registry.selectors import enterprises_visible, persons_visible, vehicles_visible

    kind, _, pk = (ref or "").strip().partition(":")
    if not kind and not pk:
        return None
    qs = {"enterprise": enterprises_visible, "person": persons_visible, "vehicle": vehicles_visible}.get(kind)
    row = qs(user).filter(pk=int(pk)).first() if qs and pk.isdigit() else None
    if row is None:
        raise DomainError("cases.invalid", "输入有误：所选当事人不存在或不在本单位管辖范围内", fields={"party_ref": "无效"})
    return row
