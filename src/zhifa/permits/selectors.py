"""Reads of 行政许可, scoped by the actor's jurisdiction (another county's application is a 404).

``postchecks_due(org, on=…)`` is the list 双随机 draws from: the 告知承诺 applications whose 事后核查 is due by
``on`` and not done, under ``org``. It takes an org (not a user) so that the inspections app can use it
through a lookup it declares (``core.lookups``) without importing this app; it is documented in
ARCHITECTURE.md under the named entry points.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import is_business_user, scope_q

from .enums import OPEN_POSTCHECK, State
from .models import Application, Certificate, PermitItem, Rating


def items_current(on: date) -> list[PermitItem]:
    """The version of each 事项 in force on ``on``."""
    out: dict[str, PermitItem] = {}
    for item in PermitItem.objects.filter(version_from__lte=on).order_by("code", "-version_from"):
        out.setdefault(item.code, item)
    return sorted(out.values(), key=lambda i: (i.kind, i.code))


def item_current(code: str, on: date) -> PermitItem | None:
    return PermitItem.objects.filter(code=code, version_from__lte=on).order_by("-version_from").first()


def item_versions(code: str) -> QuerySet[PermitItem]:
    return PermitItem.objects.filter(code=code).order_by("-version_from")


def applications_visible(actor: User) -> QuerySet[Application]:
    if not is_business_user(actor):
        return Application.objects.none()
    return Application.objects.filter(scope_q(actor, jurisdiction=True)).select_related("item", "org")


def application_search(
    actor: User, *, q: str = "", state: str = "", item: str = "", month: str = ""
) -> QuerySet[Application]:
    qs = applications_visible(actor)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant__icontains=q) | Q(applicant_uscc__icontains=q))
    if state in State.values:
        qs = qs.filter(state=state)
    if item:
        qs = qs.filter(item__code=item)
    if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        qs = qs.filter(received_on__year=int(month[:4]), received_on__month=int(month[5:]))
    return qs


def application_get(actor: User, pk: int) -> Application:
    app = applications_visible(actor).filter(pk=pk).first()
    if app is None:
        raise Http404
    return app


def public_application(number: str, code: str) -> Application | None:
    return (
        Application.objects.filter(number=number.strip(), query_code=code.strip())
        .select_related("item")
        .first()
    )


def postchecks_due(org: Org, *, on: date) -> QuerySet[Application]:
    """告知承诺 applications under ``org`` whose 事后核查 is due by ``on`` and not yet done (the 双随机 list)."""
    return (
        Application.objects.filter(
            org__path__startswith=org.path,
            pledge=True,
            postcheck="",
            postcheck_due__lte=on,
            state__in=[State.GRANTED, State.ISSUED],
        )
        .select_related("item", "org")
        .order_by("postcheck_due", "pk")
    )


def postchecks_open(actor: User) -> QuerySet[Application]:
    return (
        applications_visible(actor)
        .filter(pledge=True, postcheck__in=OPEN_POSTCHECK, state__in=[State.GRANTED, State.ISSUED])
        .order_by("postcheck_due", "pk")
    )


def ratings_visible(actor: User) -> QuerySet[Rating]:
    if not is_business_user(actor):
        return Rating.objects.none()
    return Rating.objects.filter(
        scope_q(actor, org_field="application__org", jurisdiction=True)
    ).select_related("application", "application__item", "owner")


def certificate_public(cert_id: str) -> Certificate | None:
    return Certificate.objects.filter(cert_id=cert_id).select_related("licence").first()


def certificate_for(actor: User, app: Application) -> Certificate | None:
    return app.certificates.order_by("-issued_on", "-pk").first()
