"""The numbers of 队伍与保障, as data with their sources and how sure each one is
(domain/legal-affairs.md §8, operations-reporting.md §3). Every one is configurable because none is confirmed
nationally: the deployment sets its local figure in a ``ZHIFA_PEOPLE_*`` setting.

* Training hours: "每人每年不少于60学时" — attributed to 《法治政府建设实施纲要（2021—2025年）》 and
  《提升行政执法质量三年行动计划（2023—2025年）》（国办发〔2023〕27号）; the clause was not re-read
  (**[L] 待确认**). ``ZHIFA_PEOPLE_ANNUAL_HOURS`` (default 60).
* Exam lines: 参考率 = 实考人数 ÷ 应考人数; 及格率 = 及格人数 ÷ 实考人数; 优秀率 = 优秀人数 ÷ 实考人数
  (the usual formulas; seed 000 reports all three). The pass mark (often 60) and the excellence line
  (often 90) are local practice (**[U] 本地口径**): ``ZHIFA_PEOPLE_EXAM_PASS`` / ``ZHIFA_PEOPLE_EXAM_EXCELLENT``.
* Exam as a certificate prerequisite: 《法治政府建设实施纲要（2021—2025年）》§(十五) has the provinces run
  qualification exams for enforcement certificates (**[L]**); whether this bureau's province makes the
  annual 学法考试 a condition of issuing and keeping the card is local: ``ZHIFA_PEOPLE_EXAM_PREREQUISITE``
  (``0`` = no, the default; ``1`` = a certificate needs a passed exam within the last 12 months).
* Equipment quotas: 《交通运输行政执法基础装备配备及技术要求》 is named by seed 004; its number and its
  per-unit quotas were not obtained (**[U] 待确认**). The table below is versioned by start date; a
  deployment replaces it with ``ZHIFA_PEOPLE_EQUIPMENT_QUOTAS`` (JSON, same shape).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

HOURS_SOURCE = (
    "《提升行政执法质量三年行动计划（2023—2025年）》（国办发〔2023〕27号）“每人每年不少于60学时”（待确认）"
)
EXAM_LINES_SOURCE = "及格线、优秀线为本地口径（常见为 60 分、90 分），可配置"
QUOTA_SOURCE = "《交通运输行政执法基础装备配备及技术要求》（标准编号与定额未核实，可配置）"


def _number(name: str, default: str) -> Decimal:
    raw = os.environ.get(name, "").strip() or default
    try:
        return Decimal(raw)
    except ArithmeticError:
        return Decimal(default)


def annual_hours_target() -> Decimal:
    """学时 each officer must reach per calendar year (``ZHIFA_PEOPLE_ANNUAL_HOURS``, default 60)."""
    return _number("ZHIFA_PEOPLE_ANNUAL_HOURS", "60")


def pass_mark() -> Decimal:
    return _number("ZHIFA_PEOPLE_EXAM_PASS", "60")


def excellent_mark() -> Decimal:
    return _number("ZHIFA_PEOPLE_EXAM_EXCELLENT", "90")


def exam_prerequisite() -> bool:
    return os.environ.get("ZHIFA_PEOPLE_EXAM_PREREQUISITE", "0").strip() in ("1", "true", "yes")


PREREQUISITE_MONTHS = 12


@dataclass(frozen=True)
class Rates:
    """参考率, 及格率, 优秀率 of one exam (or a set): the counts and the three percentages."""

    required: int
    sat: int
    passed: int
    excellent: int

    @staticmethod
    def _pct(n: int, d: int) -> float | None:
        return round(100 * n / d, 1) if d else None

    @property
    def participation(self) -> float | None:  # 参考率 = 实考 ÷ 应考
        return self._pct(self.sat, self.required)

    @property
    def pass_rate(self) -> float | None:  # 及格率 = 及格 ÷ 实考
        return self._pct(self.passed, self.sat)

    @property
    def excellent_rate(self) -> float | None:  # 优秀率 = 优秀 ÷ 实考
        return self._pct(self.excellent, self.sat)


def exam_rates(required: int, scores: list[Decimal]) -> Rates:
    """The three rates from the number of officers required and the scores of those who sat."""
    p, e = pass_mark(), excellent_mark()
    return Rates(required, len(scores), sum(1 for s in scores if s >= p), sum(1 for s in scores if s >= e))


# --- equipment quotas ---------------------------------------------------------------------------------

# Each version: from (date), and per kind code: [per squad (每个中队), per officer (每名在岗执法人员)].
# The figures are placeholders until the standard is read: they are what the demo county configures.
DEFAULT_QUOTAS: list[dict] = [
    {
        "from": "2020-01-01",
        "source": QUOTA_SOURCE,
        "kinds": {
            "bodycam": [0, 1],  # 执法记录仪：每名执法人员 1 台
            "vehicle": [2, 0],  # 执法车辆：每个中队 2 辆
            "vest": [0, 1],  # 反光背心：每人 1 件
            "cone": [10, 0],  # 锥桶：每中队 10 个
            "terminal": [0, Decimal("0.5")],  # 移动执法终端：每 2 人 1 台
        },
    },
]


def quota_versions() -> list[dict]:
    raw = os.environ.get("ZHIFA_PEOPLE_EQUIPMENT_QUOTAS", "").strip()
    if raw:
        try:
            data = json.loads(raw)
            if isinstance(data, list) and data:
                return sorted(data, key=lambda v: v["from"])
        except (ValueError, KeyError, TypeError):
            pass
    return DEFAULT_QUOTAS


def quota_version(on: date) -> dict:
    """The quota table in force on ``on`` (the latest version starting on or before it)."""
    versions = [v for v in quota_versions() if date.fromisoformat(v["from"]) <= on]
    return versions[-1] if versions else {"from": "", "source": QUOTA_SOURCE, "kinds": {}}


def quota(kind_code: str, *, officers: int, on: date, squad: bool = True) -> int:
    """定额 of one unit for one kind: per squad (if the unit is a 中队) + per officer × officers, rounded up."""
    per_unit, per_officer = quota_version(on)["kinds"].get(kind_code, [0, 0])
    return int(per_unit if squad else 0) + math.ceil(Decimal(str(per_officer)) * officers)


def equipped_rate(held: int, need: int) -> float | None:
    """配备率 of one unit and kind = min(在用数, 定额) ÷ 定额 × 100% (a surplus does not cover another unit)."""
    return round(100 * min(held, need) / need, 1) if need else None
