"""Credit reads: files scoped by the actor, grades, and the joint measures other modules consult."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from zhifa.accounts.selectors import is_business_user, scope_q

from . import rules
from .models import (
    CreditRecord,
    CreditRepair,
    Effect,
    ListEntry,
    ListKind,
    ListState,
    Rating,
    RatingStage,
    RecordStatus,
)


def subject_ref_of(subject) -> str:
    """ "enterprise:<id>" / "person:<id>" / "vehicle:<id>" for a registry object (or a ref string)."""
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.model_name}:{subject.pk}"


def records_visible(actor) -> QuerySet[CreditRecord]:
    if not is_business_user(actor):
        return CreditRecord.objects.none()
    return CreditRecord.objects.filter(scope_q(actor, jurisdiction=True))


def subjects_search(actor, q: str = "") -> QuerySet:
    qs = records_visible(actor)
    if q:
        qs = qs.filter(Q(subject_name__contains=q) | Q(subject_code=q.upper()))
    return qs.values("subject_ref", "subject_name", "subject_code").distinct().order_by("subject_name")


def credit_file(actor, subject_ref: str) -> dict:
    recs = records_visible(actor).filter(subject_ref=subject_ref)
    return {
        "records": list(recs.select_related("disclosure")),
        "repairs": list(CreditRepair.objects.filter(record__in=recs).select_related("record")),
        "lists": list(
            ListEntry.objects.filter(subject_ref=subject_ref).filter(scope_q(actor, jurisdiction=True))
        ),
        "ratings": list(
            Rating.objects.filter(subject_ref=subject_ref).filter(scope_q(actor, jurisdiction=True))
        ),
    }


def repairs_visible(actor) -> QuerySet[CreditRepair]:
    if not is_business_user(actor):
        return CreditRepair.objects.none()
    return CreditRepair.objects.filter(
        scope_q(actor, org_field="record__org", jurisdiction=True)
    ).select_related("record")


def lists_visible(actor) -> QuerySet[ListEntry]:
    if not is_business_user(actor):
        return ListEntry.objects.none()
    return ListEntry.objects.filter(scope_q(actor, jurisdiction=True))


def ratings_visible(actor) -> QuerySet[Rating]:
    if not is_business_user(actor):
        return Rating.objects.none()
    return Rating.objects.filter(scope_q(actor, jurisdiction=True))


def public_ratings() -> QuerySet[Rating]:
    """Published final grades only (the public portal)."""
    return Rating.objects.filter(stage=RatingStage.FINAL, published_on__isnull=False)


def _active_negative(subject_ref: str, year: int) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.filter(
        subject_ref=subject_ref, occurred_on__year=year, effect=Effect.NEGATIVE, status=RecordStatus.ACTIVE
    )


def enterprise_score(*, subject_ref: str, year: int) -> tuple[int, str, list[str]]:
    scheme = rules.ENTERPRISE_SCHEMES[rules.SCHEME]
    score = scheme["base"]
    expl = [
        f"考核办法：{scheme['title']}" + ("" if scheme["confirmed"] else "（分档未经原文核实）"),
        f"基础分 {score}",
    ]
    for r in _active_negative(subject_ref, year):
        d = rules.DEDUCTIONS.get(r.severity, rules.DEDUCTIONS[""])
        score -= d
        expl.append(f"{r.occurred_on} {r.title}：扣 {d} 分")
    for r in CreditRecord.objects.filter(
        subject_ref=subject_ref, occurred_on__year=year, category="commendation", status=RecordStatus.ACTIVE
    ):
        score += rules.BONUS["commendation"]
        expl.append(f"{r.occurred_on} {r.title}：加 {rules.BONUS['commendation']} 分")
    if ListEntry.objects.filter(
        subject_ref=subject_ref, list_kind=ListKind.BLACK, state=ListState.EFFECTIVE
    ).exists():
        expl.append(f"否决条件：{rules.DISQUALIFYING['black']} → B")
        return score, "B", expl
    for floor, grade in scheme["bands"]:
        if score >= floor:
            expl.append(f"得分 {score} ≥ {floor} → {grade}")
            return score, grade, expl
    expl.append(f"得分 {score} 低于最低档 → B")
    return score, "B", expl


def driver_cycle(*, subject_ref: str, year: int) -> tuple[date, date, str]:
    """The 12-month 诚信考核 cycle that ends in ``year``, counted from the date the driver first received
    the 从业资格证 (《道路运输从业人员管理规定》第三十七条); the calendar year when no certificate is on file."""
    from zhifa.registry.enums import LicenceKind
    from zhifa.registry.models import Licence

    first = None
    if subject_ref.startswith("person:"):
        first = (
            Licence.objects.filter(person_id=subject_ref.split(":", 1)[1], kind=LicenceKind.QUALIFICATION)
            .order_by("valid_from")
            .values_list("valid_from", flat=True)
            .first()
        )
    if first is None:
        return date(year, 1, 1), date(year, 12, 31), "未登记从业资格证，按自然年度计"
    from zhifa.disclosure.rules import add_months

    years = max(0, year - first.year - 1)
    start = add_months(first, 12 * years)
    while add_months(start, 12) - timedelta(days=1) < date(year, 1, 1):
        start = add_months(start, 12)
    end = add_months(start, 12) - timedelta(days=1)
    if end.year > year:  # the cycle running in ``year`` ends next year: rate the one that ended this year
        start = add_months(start, -12)
        end = add_months(start, 12) - timedelta(days=1)
    return start, end, f"首次取得从业资格证 {first:%Y-%m-%d}，考核周期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"


def driver_grade(*, subject_ref: str, year: int) -> tuple[int, str, list[str]]:
    """诚信考核: the points of every scored behaviour in the cycle, added (several behaviours at once are
    scored separately, 《道路运输驾驶员诚信考核办法（试行）》); ≥ 20 (the full score) → B; the AAA/AA/A bands are
    a local choice. Each scored record is listed with its 计分项目 (annex item, or the provisional key)."""
    from . import driver_points

    start, end, note = driver_cycle(subject_ref=subject_ref, year=year)
    recs = CreditRecord.objects.filter(
        subject_ref=subject_ref,
        occurred_on__gte=start,
        occurred_on__lte=end,
        effect=Effect.NEGATIVE,
        status=RecordStatus.ACTIVE,
    ).order_by("occurred_on", "pk")
    table = driver_points.table()
    expl = [note, f"计分分值：{table.title}（{table.document}）" + ("" if table.confirmed else "；分值表含暂定项目")]
    points = 0
    for r in recs:
        if not r.points:
            continue
        points += r.points
        found = table.items.get(r.points_item) if r.points_item else None
        item = f"，{found.label}：{found.behaviour}" if found else (f"，计分项目 {r.points_item}" if r.points_item else "")
        expl.append(f"{r.occurred_on} {r.title}：计 {r.points} 分{item}")
    expl.append(
        f"考核周期计分 {points} 分（满分 {rules.DRIVER_FULL_POINTS} 分，《道路运输从业人员管理规定》第三十七条）"
    )
    if points >= rules.DRIVER_FULL_POINTS:
        expl.append("达到满分 → B（不合格）")
        return points, "B", expl
    for top, grade in rules.DRIVER_BANDS:
        if points <= top:
            expl.append(f"计分 ≤ {top} → {grade}（分档为本局自定，未经原文核实）")
            return points, grade, expl
    return points, "B", expl


def enterprise_grade(enterprise) -> str:
    """The latest published grade of an enterprise ("" when never rated)."""
    r = (
        Rating.objects.filter(subject_ref=subject_ref_of(enterprise), stage=RatingStage.FINAL)
        .order_by("-year")
        .first()
    )
    return r.grade if r else ""


# credit risk class for 双随机 (A best … D worst), keyed as zhifa.inspections.rules credit_weights
_RISK_BY_GRADE = {"AAAA": "A", "AAA": "A", "AA": "B", "A": "B", "B": "C"}


def inspection_grade(enterprise) -> str:
    """For ZHIFA_INSPECTION_CREDIT_GRADE: "D" on the blacklist, otherwise from the published grade."""
    ref = subject_ref_of(enterprise)
    if ListEntry.objects.filter(
        subject_ref=ref, list_kind=ListKind.BLACK, state=ListState.EFFECTIVE
    ).exists():
        return "D"
    return _RISK_BY_GRADE.get(enterprise_grade(enterprise), "未评级")


def inspection_grades(enterprises) -> dict[int, str]:
    """:func:`inspection_grade` of many enterprises in two queries (the 名录库 lists every enterprise of a
    county: one query pair per row made it a two-second page): ``{enterprise pk: grade}``."""
    refs = {subject_ref_of(e): e.pk for e in enterprises}
    black = set(
        ListEntry.objects.filter(
            subject_ref__in=list(refs), list_kind=ListKind.BLACK, state=ListState.EFFECTIVE
        ).values_list("subject_ref", flat=True)
    )
    latest: dict[str, str] = {}
    for ref, grade in (
        Rating.objects.filter(subject_ref__in=list(refs), stage=RatingStage.FINAL)
        .order_by("subject_ref", "-year")
        .values_list("subject_ref", "grade")
    ):
        latest.setdefault(ref, grade)
    return {
        pk: "D" if ref in black else _RISK_BY_GRADE.get(latest.get(ref, ""), "未评级") for ref, pk in refs.items()
    }


inspection_grade.many = inspection_grades  # type: ignore[attr-defined]  # the batch form, for target lists


def credit_measures_for(subject, *, on: date) -> list[dict]:
    """Joint measures in force for ``subject`` on ``on`` (list memberships effective that day)."""
    ref = subject_ref_of(subject)
    out = []
    for e in ListEntry.objects.filter(subject_ref=ref, state=ListState.EFFECTIVE, decided_on__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    ):
        for key, label in rules.MEASURES.get(e.list_kind, []):
            out.append(
                {"key": key, "label": label, "list": e.get_list_kind_display(), "until": e.effective_to}
            )
    return out
