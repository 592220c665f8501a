"""Reads of the rule library.

Rule data is public law, the same for every unit: business users read all of it; the 三员 read none
(三员分立: administrators see no business data). ``violation_get`` is also called by the case workflow
without an actor (the rule in force for a case does not depend on who asks).
"""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user
from zhifa.core.errors import DomainError
from zhifa.rules import datafile
from zhifa.rules.errors import RulesError
from zhifa.rules.models import LegalBasis, ViolationVersion
from zhifa.rules.params import _resolve_province


def _in_force_q(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def violation_get(code: str, *, on: date | None = None, province: str | None = None) -> ViolationVersion:
    """The version of violation ``code`` in force on ``on`` (default today): the province's own version if
    it has one in force, else the national version. Raises ``rules.not_found`` when none is in force."""
    on = on or timezone.localdate()
    prov = _resolve_province(province)
    qs = (
        ViolationVersion.objects.filter(violation__code=code)
        .filter(_in_force_q(on))
        .select_related("violation")
        .prefetch_related("violated", "penalised")
    )
    for scope in [prov, ""] if prov else [""]:
        row = qs.filter(province=scope).order_by("-effective_from").first()
        if row is not None:
            return row
    raise RulesError.NOT_FOUND.error(what=f"执法事项 {code}（{on:%Y-%m-%d}）")


def violation_severity(code: str, *, on: date, province: str | None = None) -> tuple[str, str] | None:
    """The 失信程度 class (轻微/一般/严重) of violation ``code`` in the catalogue version in force on ``on``,
    with where it comes from; None when the code is unknown there or the version is unclassified."""
    if not code:
        return None
    try:
        v = violation_get(code, on=on, province=province)
    except DomainError as e:
        if e.code != RulesError.NOT_FOUND.code:
            raise
        return None
    if not v.severity:
        return None
    scope = "本省版本" if v.province else "全国版本"
    return v.severity, f"执法事项库 {code}（{v.effective_from:%Y-%m-%d} 起施行的{scope}）：{v.severity_source}"


def violation_history(code: str) -> QuerySet[ViolationVersion]:
    """Every version of ``code``, national and provincial, newest first."""
    return (
        ViolationVersion.objects.filter(violation__code=code)
        .select_related("violation")
        .order_by("province", "-effective_from", "-pk")
    )


def _require_reader(actor: User | None) -> None:
    if actor is not None and not is_business_user(actor):
        raise RulesError.FORBIDDEN.error(detail="规则库仅供执法人员、法制审核人员和执法部门负责人查阅")


def violations_current(
    actor: User | None,
    *,
    on: date | None = None,
    province: str | None = None,
    q: str = "",
    category: str = "",
) -> QuerySet[ViolationVersion]:
    """The catalogue as in force on ``on``: one row per violation (the national version, or the province's
    where it has one). Searchable by code, name or category."""
    _require_reader(actor)
    on = on or timezone.localdate()
    prov = _resolve_province(province)
    scopes = [prov, ""] if prov else [""]
    base = ViolationVersion.objects.filter(_in_force_q(on), province__in=scopes)
    # Per violation: prefer the province's row, then the latest effective_from.
    latest = (
        base.filter(violation=OuterRef("violation"))
        .order_by("-province", "-effective_from", "-pk")
        .values("pk")[:1]
    )
    qs = base.filter(pk=Subquery(latest)).select_related("violation")
    if q:
        # by code, name, category, or the text of its articles (law name, summary): "第六十八条", "招揽"
        qs = qs.filter(
            Q(violation__code__icontains=q)
            | Q(name__icontains=q)
            | Q(category__icontains=q)
            | Q(violated__law__icontains=q)
            | Q(violated__summary__icontains=q)
            | Q(penalised__law__icontains=q)
            | Q(penalised__summary__icontains=q)
            | Q(pk__in=_article_matches(q))
        ).distinct()
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("violation__code")


def _article_matches(q: str) -> list[int]:
    """Versions whose violated or penalised article is written as ``q`` ("第六十八条", "68条", "第68条第二款")."""
    import re

    from zhifa.rules.models import cn_number

    m = re.search(r"第?\s*(\d{1,3}|[一二三四五六七八九十百零]+)\s*条", q)
    if not m:
        return []
    num = m.group(1)
    if num.isdigit():
        article = int(num)
    else:
        article = next((n for n in range(1, 1000) if cn_number(n) == num), 0)
    if not article:
        return []
    basis = LegalBasis.objects.filter(article=article)
    return list(
        ViolationVersion.objects.filter(Q(violated__in=basis) | Q(penalised__in=basis)).values_list("pk", flat=True)
    )


def categories() -> list[str]:
    return sorted(set(ViolationVersion.objects.values_list("category", flat=True)))


def legal_bases(actor: User | None, *, q: str = "") -> QuerySet[LegalBasis]:
    _require_reader(actor)
    qs = LegalBasis.objects.all()
    if q:
        qs = qs.filter(Q(law__icontains=q) | Q(summary__icontains=q) | Q(key__icontains=q))
    return qs


def legal_basis_get(actor: User | None, key: str) -> LegalBasis:
    row = legal_bases(actor).filter(key=key).first()
    if row is None:
        raise RulesError.NOT_FOUND.error(what=f"法律依据 {key}")
    return row


def province_of(actor: User | None) -> str:
    """The province (two-digit code) of the actor's unit, from the nearest division code up the tree."""
    org = getattr(actor, "org", None)
    while org is not None:
        if org.division_code:
            return datafile.province_code_safe(org.division_code[:2])
        org = org.parent
    return ""


def version_binds_only_own_units(actor: User | None, province: str) -> bool:
    """A catalogue version for ``province`` ("" = the national version) sets the penalties and discretion
    tiers of every unit of that province in the installation. It may come only from a unit whose
    jurisdiction contains all of them (their common superior: the city or province), never from one county
    for its neighbours. A unit on the actor's own chain of superiors does not count against it."""
    from zhifa.accounts.models import Org
    from zhifa.accounts.selectors import jurisdiction_of

    if actor is None or getattr(actor, "org_id", None) is None:
        return False
    root = jurisdiction_of(actor.org)
    rows = {pk: (path, code) for pk, path, code in Org.objects.values_list("pk", "path", "division_code")}
    superiors = {int(p) for p in root.path.strip("/").split("/") if p}

    def province_of_path(path: str) -> str:
        for pk in reversed([int(p) for p in path.strip("/").split("/") if p]):
            code = rows.get(pk, ("", ""))[1]
            if code:
                return datafile.province_code_safe(code[:2])
        return ""

    for pk, (path, _code) in rows.items():
        if pk in superiors or path.startswith(root.path):
            continue
        if not province or province_of_path(path) == province:
            return False
    return True
