"""队伍与保障 API (token or session), read-only: the indicators of a period and the monthly joint-operation
totals (the bureau's own; partner outcomes apart), scoped to the caller's jurisdiction."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from zhifa.accounts.services import require_business
from zhifa.core import indicators as registry

from . import selectors

router = Router(tags=["队伍与保障"])


class IndicatorOut(Schema):
    id: str
    name: str
    unit: str
    formula: str
    value: float | None
    numerator: float | None = None
    denominator: int | None = None


class MonthOut(Schema):
    month: str
    operations: int
    staff: int
    vehicles: int
    checked: int
    violations: int
    unloaded_kg: int
    cases_opened: int
    partner_cases: int
    partner_fines_fen: int
    partner_points: int


@router.get("/indicators", response=list[IndicatorOut], summary="队伍与保障统计指标（期间合计）")
def indicator_values(request, start: date, end: date):
    require_business(request.user)
    out = []
    for ind in registry.indicators("people"):
        v = ind.total(request.user, start=start, end=max(start, end))
        out.append(
            IndicatorOut(
                id=ind.id,
                name=ind.name,
                unit=ind.unit,
                formula=ind.formula,
                value=v.value,
                numerator=v.numerator,
                denominator=v.denominator,
            )
        )
    return out


@router.get(
    "/joint-operations/monthly", response=list[MonthOut], summary="联合执法月度合计（协作单位结果单列）"
)
def joint_monthly(request, year: int):
    require_business(request.user)
    year = min(max(year, 2000), 2100)
    return [
        MonthOut(
            month=m,
            operations=t["n"],
            staff=t["staff"],
            vehicles=t["vehicles"],
            checked=t["checked"],
            violations=t["violations"],
            unloaded_kg=t["unloaded_kg"],
            cases_opened=t["cases_opened"],
            partner_cases=t["partner"]["cases"],
            partner_fines_fen=t["partner"]["fines_fen"],
            partner_points=t["partner"]["points"],
        )
        for m, t in selectors.joint_monthly(request.user, year=year)
    ]
