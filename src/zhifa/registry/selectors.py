"""Reads of regulated subjects, always scoped to the actor's jurisdiction (see accounts.selectors)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, scope_q
from zhifa.core.identifiers import validate_idcard
from zhifa.registry.enums import LicenceStatus
from zhifa.registry.models import Enterprise, Licence, PermitDecision, Person, Vehicle


def _scoped(actor: User, qs: QuerySet) -> QuerySet:
    if not is_business_user(actor):  # 三员 and machine accounts without a business role see nothing
        return qs.none()
    return qs.filter(scope_q(actor, jurisdiction=True))


def enterprises_visible(actor: User) -> QuerySet[Enterprise]:
    return _scoped(actor, Enterprise.objects.all())


def persons_visible(actor: User) -> QuerySet[Person]:
    return _scoped(actor, Person.objects.select_related("employer"))


def vehicles_visible(actor: User) -> QuerySet[Vehicle]:
    return _scoped(actor, Vehicle.objects.select_related("enterprise"))


def licences_visible(actor: User) -> QuerySet[Licence]:
    return _scoped(actor, Licence.objects.select_related("enterprise", "vehicle", "person"))


def enterprise_search(actor: User, *, q: str = "", business_type: str = "", status: str = "") -> QuerySet:
    qs = enterprises_visible(actor)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    if business_type:
        qs = qs.filter(business_type=business_type)
    if status:
        qs = qs.filter(status=status)
    return qs


def vehicle_search(actor: User, *, q: str = "", vehicle_type: str = "", plate_color: str = "",
                   enterprise_id: int | None = None) -> QuerySet:
    qs = vehicles_visible(actor)
    if q:
        qs = qs.filter(Q(plate__contains=q.upper().replace(" ", "")) | Q(transport_cert_no__startswith=q))
    if vehicle_type:
        qs = qs.filter(vehicle_type=vehicle_type)
    if plate_color:
        qs = qs.filter(plate_color=plate_color)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs


def person_search(actor: User, *, q: str = "", qualified: bool | None = None) -> QuerySet:
    """Search by name, or by the full ID number (matched through the blind index, never decrypted)."""
    from zhifa.core.crypto import blind_index

    qs = persons_visible(actor)
    if q:
        check = validate_idcard(q)
        if check:
            qs = qs.filter(idcard_index=blind_index(check.value, purpose="person.idcard"))
        else:
            qs = qs.filter(name__contains=q)
    if qualified is not None:
        has = Q(licences__kind="qualification")
        qs = (qs.filter(has) if qualified else qs.exclude(has)).distinct()
    return qs


def licence_search(actor: User, *, q: str = "", kind: str = "", expiring_within: int | None = None,
                   on: date | None = None, due_back: bool = False) -> QuerySet:
    """``due_back``: suspended licences whose 暂扣 period has run out (its last day, 民法典 Art 202, is before
    ``on``), oldest first: each is due back to its holder (发还)."""
    qs = licences_visible(actor)
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(enterprise__name__contains=q) | Q(vehicle__plate__contains=q)
                       | Q(person__name__contains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if expiring_within is not None:
        on = on or date.today()
        qs = qs.filter(valid_to__gte=on, valid_to__lte=on + timedelta(days=expiring_within))
    if due_back:
        qs = qs.filter(status=LicenceStatus.SUSPENDED, suspended_until__lt=on or date.today())
        qs = qs.order_by("suspended_until", "pk")
    return qs


def permit_decisions(actor: User, *, licence: Licence | None = None) -> QuerySet[PermitDecision]:
    """行政许可决定 recorded in the actor's jurisdiction (of one licence), newest first."""
    qs = _scoped(actor, PermitDecision.objects.select_related("licence", "authority", "previous"))
    if licence is not None:
        qs = qs.filter(licence=licence)
    return qs


def subject_resolve(*, uscc: str = "", idcard: str = "", plate: str = "", plate_color: str = "") -> str:
    """The registered subject a decision names, as a credit ``subject_ref`` ("enterprise:<id>",
    "person:<id>", "vehicle:<id>"), matched by 统一社会信用代码, ID number (through the blind index, never
    decrypted) or plate (and colour); "" when the register does not know it. A system read (no actor): the
    register is one per deployment and a subject's credit file is one across units."""
    from zhifa.core.crypto import blind_index
    from zhifa.core.identifiers import validate_uscc

    if uscc and validate_uscc(uscc):
        e = Enterprise.objects.filter(uscc=validate_uscc(uscc).value).order_by("pk").first()
        if e is not None:
            return f"enterprise:{e.pk}"
    if idcard:
        check = validate_idcard(idcard)
        if check:
            p = Person.objects.filter(idcard_index=blind_index(check.value, purpose="person.idcard")).first()
            if p is not None:
                return f"person:{p.pk}"
    if plate:
        qs = Vehicle.objects.filter(plate=plate)
        if plate_color:
            qs = qs.filter(plate_color=plate_color)
        v = qs.order_by("pk").first()
        if v is not None:
            return f"vehicle:{v.pk}"
    return ""
