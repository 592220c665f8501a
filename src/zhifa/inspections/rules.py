"""Rule data of 双随机、一公开 (random inspections), each value with its source and the dates it applies.

Code asks :func:`rule` for a value on a date; nothing here is read by views directly. Values marked
"local choice" have no national figure: they are defaults a bureau may change (env var named next to
them, documented in the module README / the engineer's report).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from zhifa.inspections import draw


@dataclass(frozen=True)
class Rule:
    key: str
    value: object
    source: str
    valid_from: date
    valid_to: date | None = None
    note: str = ""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default


def _env_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name, "").replace("，", ",")
    items = tuple(x.strip() for x in raw.split(",") if x.strip())
    return items or default


# --- the table ------------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    # The publication deadline of inspection results (企业信息公示暂行条例 Art 6/7, 20 working days) is a
    # procedure parameter of the rules library: `procedure_param("inspection_result_publication_period")`.
    # At least two inspectors per target: procedure.md §4 "Inspectors" [S] (sector rule), same principle as
    # 《行政处罚法》第四十二条 (执法人员不得少于两人) [V].
    Rule(
        "min_inspectors",
        2,
        "《行政处罚法》第四十二条；双随机抽查“每个对象至少随机匹配2名检查人员”",
        date(2021, 7, 15),
    ),
    # 回避: an officer who inspected the same target within this many days is not drawn for it again.
    # Local choice (no national figure); ZHIFA_INSPECTION_RECUSAL_DAYS.
    Rule(
        "recusal_recent_days",
        _env_int("ZHIFA_INSPECTION_RECUSAL_DAYS", 365),
        "《行政处罚法》第四十三条（回避）；间隔天数为本局自定",
        date(2021, 7, 15),
        note="local choice",
    ),
    # Credit-based differentiation (信用风险分类): lower ratio for good credit, higher for poor credit or high
    # risk. Principle: 国发〔2019〕5号 / 国办发〔2019〕35号 (content [?] in procedure.md §4, not confirmed);
    # the multipliers are a local choice (per mille; 1000 = the plan's ratio). Keyed by the grade string the
    # credit module will return; "未评级" until issue 4 exists.
    Rule(
        "credit_weights",
        {"A": 500, "B": 1000, "C": 2000, "D": 3000, "未评级": 1000},
        "信用风险分类监管（国发〔2019〕5号精神）；倍数为本局自定",
        date(2019, 1, 1),
        note="local choice",
    ),
    # Risk class of a target, by business type: 两客一危 (passenger, dangerous goods) are the high-risk fields
    # the national rules single out; freight and sources ordinary; the rest low. Local choice.
    Rule(
        "risk_by_business_type",
        {
            "passenger": "高",
            "dangerous": "高",
            "freight": "一般",
            "source": "一般",
            "taxi": "一般",
            "port": "一般",
            "repair": "低",
            "driving_school": "低",
            "other": "低",
        },
        "两客一危重点监管；分类为本局自定",
        date(2019, 1, 1),
        note="local choice",
    ),
    # Who may witness a multi-party draw (多方见证随机, zhifa-draw-v2): the roles offered when a draw is
    # committed. Local choice; ZHIFA_INSPECTION_WITNESS_ROLES (comma-separated).
    Rule(
        "witness_roles",
        _env_list("ZHIFA_INSPECTION_WITNESS_ROLES", ("纪检监察", "企业代表", "公证员")),
        "抽取过程接受监督；见证人身份为本局自定",
        date(2019, 1, 1),
        note="local choice",
    ),
    Rule(
        "risk_weights",
        {"高": 2000, "一般": 1000, "低": 1000},
        "高风险对象提高抽查比例（国发〔2019〕5号精神）；倍数为本局自定",
        date(2019, 1, 1),
        note="local choice",
    ),
)


def rule(key: str, *, on: date | None = None) -> Rule:
    """The rule ``key`` in force on ``on`` (today when omitted)."""
    on = on or date.today()
    for r in RULES:
        if r.key == key and r.valid_from <= on and (r.valid_to is None or on <= r.valid_to):
            return r
    raise LookupError(f"没有在 {on:%Y-%m-%d} 有效的规则“{key}”")


def value(key: str, *, on: date | None = None):
    return rule(key, on=on).value


# --- credit grades (issue 4 does not exist yet) ----------------------------------------------------

UNRATED = draw.UNRATED


def credit_grade_provider() -> Callable[[object], str]:
    """The function giving an enterprise's credit grade: the credit module's published grade (D for a
    blacklisted subject, "未评级" when none) unless ``ZHIFA_INSPECTION_CREDIT_GRADE="package.module:function"``
    plugs in another one (it receives a registry Enterprise and returns a grade keyed in ``credit_weights``)."""
    spec = os.environ.get("ZHIFA_INSPECTION_CREDIT_GRADE", "").strip() or "zhifa.credit.selectors:inspection_grade"
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def target_weight(*, grade: str, risk: str, on: date) -> int:
    """Sampling weight (per mille) of a target: credit multiplier x risk multiplier div 1000, at least 1
    (the formula is ``draw.target_weight``, ALGORITHM.md §3.1, so a draw file's weights can be checked)."""
    return draw.target_weight(value("credit_weights", on=on), value("risk_weights", on=on), grade, risk)
