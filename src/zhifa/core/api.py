"""Identifier validation and legal-deadline arithmetic over the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Router, Schema

from zhifa.core import calendar
from zhifa.core.errors import CommonError
from zhifa.core.identifiers import validate

router = Router(tags=["基础"])


# A row id in a request body. Django refuses an out-of-range id in an exact lookup by itself, but a list
# reaches ``pk__in`` and SQLite cannot bind an integer past 64 bits (OverflowError, a 500 the schemathesis
# probe found on POST /cases/sources): the bound makes it a 422 and shows in the OpenAPI document.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """错误信封：code 为错误码，message 为中文说明，fields 为各字段的原因。"""

    # The API's one error envelope (zhifa.core.errors.error_json_response), as the OpenAPI document shows it.

    code: str
    message: str
    fields: dict[str, str]

KINDS = ("uscc", "idcard", "plate")


class ValidateIn(Schema):
    kind: str
    values: list[str]


class ValidateOut(Schema):
    value: str
    ok: bool
    normalized: str
    reason: str


@router.post("/validate", response=list[ValidateOut], summary="校验统一社会信用代码/身份证号码/车牌号")
def validate_values(request, payload: ValidateIn):
    if payload.kind not in KINDS:
        raise CommonError.INVALID.error(detail=f"kind 应为 {'、'.join(KINDS)} 之一", fields={"kind": "取值无效"})
    if len(payload.values) > 1000:
        raise CommonError.INVALID.error(detail="一次最多校验 1000 个值", fields={"values": "过多"})
    out = []
    for v in payload.values:
        c = validate(payload.kind, v)
        out.append({"value": v, "ok": c.ok, "normalized": c.value, "reason": c.reason})
    return out


# Deadlines are computed for dates a case can have; a start in year 9999 plus n days leaves the calendar
# (OverflowError, a 500 before issue 16 item 8).
START_MIN, START_MAX = date(1900, 1, 1), date(2199, 12, 31)


def _check_start(start: date) -> None:
    if not START_MIN <= start <= START_MAX:
        raise CommonError.INVALID.error(detail=f"start 应在 {START_MIN} 到 {START_MAX} 之间",
                                        fields={"start": "超出范围"})


class DeadlineOut(Schema):
    date: date
    rule: str
    explanation: list[str]
    provisional: bool


@router.get("/calendar/add-workdays", response=DeadlineOut, summary="计算 N 个工作日后的日期")
def add_workdays(request, start: date, n: int):
    if not 0 <= n <= 3650:
        raise CommonError.INVALID.error(detail="n 应在 0 到 3650 之间", fields={"n": "超出范围"})
    _check_start(start)
    return calendar.add_workdays(start, n)


@router.get("/calendar/add-days", response=DeadlineOut, summary="计算 N 个自然日后的日期（末日遇休息日顺延）")
def add_days(request, start: date, n: int, roll_over: bool = True):
    if not 0 <= n <= 36500:
        raise CommonError.INVALID.error(detail="n 应在 0 到 36500 之间", fields={"n": "超出范围"})
    _check_start(start)
    return calendar.add_days(start, n, roll_over=roll_over)
