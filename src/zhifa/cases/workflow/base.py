"""What every stage module shares: the table's row types (:class:`Move`, :class:`FieldSpec`), the role
constants, reading a step's data (``_d`` dates, ``_fen`` amounts in 分, ``_req`` required text) and the
处罚法 Art 42 check of the officers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Officer
from zhifa.accounts.selectors import officer_can_enforce

from ..clocks import param
from ..enums import CaseState, Procedure
from ..errors import CaseError
from ..models import Case, CaseOfficer

S = CaseState
OFFICER, HEAD, REVIEWER = Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER
ANY_BUSINESS = (OFFICER, HEAD, REVIEWER)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, int, money, bool, choice, officers, officer (one, picked), list
    required: bool = False
    choices: tuple = ()


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    from_states: tuple
    to_state: str | None
    roles: tuple
    procedures: tuple = (Procedure.ORDINARY,)
    fields: tuple = ()
    field_step: bool = False  # a field step: tablet layout
    documents: tuple = ()
    guard: Callable | None = field(default=None, compare=False)
    effect: Callable | None = field(default=None, compare=False)
    # runs after the step's documents are issued and numbered (a decision's final 文号): settle(case, actor, on)
    settle: Callable | None = field(default=None, compare=False)


def _d(data: dict, key: str, default: date | None = None) -> date | None:
    v = data.get(key)
    if v in (None, ""):
        return default
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _fen(data: dict, key: str) -> int | None:
    v = data.get(key)
    if v in (None, ""):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        raise CaseError.INVALID.error(detail=f"{key} 应为整数（分）", fields={key: "应为整数"}) from None


def _req(data: dict, key: str, label: str) -> str:
    v = str(data.get(key) or "").strip()
    if not v:
        raise CaseError.INVALID.error(detail=f"{label}不能为空", fields={key: "不能为空"})
    return v


def active_officers(case: Case) -> list[CaseOfficer]:
    return list(
        case.case_officers.filter(removed_on__isnull=True)
        .select_related("officer")
        .prefetch_related("officer__certificates")
    )


def check_officers(case: Case, on: date, officers: list[Officer] | None = None) -> None:
    """处罚法 Art 42: at least two officers, each holding a certificate valid on ``on``."""
    officers = officers if officers is not None else [co.officer for co in active_officers(case)]
    problems = []
    certified = 0
    for o in officers:
        elig = officer_can_enforce(o, on=on)
        if elig.ok:
            certified += 1
        else:
            problems.append("；".join(elig.reasons))
    need = param("min_officers", on=on).value  # 处罚法 Art 42
    if certified < need:
        detail = f"{on:%Y-%m-%d} 有效持证执法人员 {certified} 人" + (
            f"（{'；'.join(problems)}）" if problems else ""
        )
        raise CaseError.OFFICERS.error(detail=detail)
