"""治超 rule data: the ONE definition of the Art 3 limits, their adjustments, device tolerances, the
Art 43 fine table and the 一超四罚 thresholds — versioned, with sources and effective dates.

Everything here is data. :mod:`zhifa.overload.screening` turns the limit and tolerance tables into a
single SQL expression that DuckDB evaluates over millions of Parquet rows *and* over the one record an
officer reviews, so the bulk screen and the review page cannot disagree.

Sources checked (enforcement-tech.md §1; see the comment on each row):

* 《超限运输车辆行驶公路管理规定》(交通运输部令2016年第62号), Art 3 ✅ and Art 43–44 ✅ — text of Arts
  42–46 confirmed again on jianbiaoku.com (webarbs/book/97314/4862496): "未超过1000千克的，予以警告；超过
  1000千克的，每超1000千克罚款500元，最高不得超过30000元"; Art 44 "处理完毕后7个工作日内…抄告".
* 《公路货运车辆超限超载认定标准》 notes (air suspension +1 t, the 37 t case, 425/445 mm wide tyres) ✅.
* 《公路安全保护条例》 Art 66 (一超四罚 thresholds) ✅.
* WIM in-service MPE per accuracy class (JJG 907-2006 / OIML R134): the class list 0.2…10 ✅ (cg160.cn,
  33434.cn); the percentages below are ⚠️ NOT CONFIRMED against the regulation text (searched, no primary
  source found) — they are the OIML R134 in-service values and only a *default*: override them per
  deployment with ``ZHIFA_OVERLOAD_TOLERANCE`` (e.g. ``"2=2,5=5,10=10"`` in percent) or per province in
  :data:`PROVINCE_TOLERANCE_BP`.
* The Art 43 fine itself is the rules library's (``zhifa.rules.discretion.overload_fine``, one
  definition); how it counts a part-tonne is the rule parameter ``overload_part_tonne_rounding``
  (default ``floor``; ``ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING=ceil`` switches).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

REG_2016 = "《超限运输车辆行驶公路管理规定》（交通运输部令2016年第62号）"
STD_2016 = "《公路货运车辆超限超载认定标准》"
REG_2016_EFFECTIVE = date(2016, 9, 21)
# ``rule`` values are short citations (they are written for every one of millions of records):
# "62号令" = REG_2016, "认定标准" = STD_2016; RULE_GLOSSARY spells them out for documents.
RULE_GLOSSARY = {"62号令": REG_2016, "认定标准": STD_2016}  # 62号令 第五十一条: 自2016年9月21日起施行

TRUCK = "truck"  # 货车
COMBINATION = "combination"  # 汽车列车
KIND_LABELS = {TRUCK: "货车", COMBINATION: "汽车列车"}
# Input spellings accepted for vehicle_kind (issue 6 §2).
KIND_ALIASES = {
    "货车": TRUCK,
    "truck": TRUCK,
    "汽车列车": COMBINATION,
    "半挂汽车列车": COMBINATION,
    "全挂汽车列车": COMBINATION,
    "中置轴挂车列车": COMBINATION,
    "铰接列车": COMBINATION,
    "combination": COMBINATION,
}


@dataclass(frozen=True)
class GrossLimit:
    """Art 3 para 1 items 4–8: gross-mass limit by vehicle kind and axle count."""

    kind: str
    axles_min: int
    axles_max: int | None  # None: and more
    limit_kg: int
    label: str
    article: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    cite: str  # short citation prefix used in every ``rule`` value, e.g. "62号令"
    effective_from: date
    effective_to: date | None
    source: str
    limits: tuple[GrossLimit, ...]
    single_drive_axle_limit_kg: int  # item 8, 6+ axle combination whose tractor has a single drive axle
    single_drive_axle_article: str
    single_tyre_reduction_kg: int  # per non-drive axle with single tyres each side
    single_tyre_article: str
    wide_tyre_article: str
    air_suspension_truck_bonus_kg: int  # 3- and 4-axle trucks, drive axle dual tyres + air suspension
    air_suspension_truck_axles: tuple[int, ...]
    air_suspension_37t_limit_kg: int  # 4-axle articulated combination, semi-trailer spacing d ≥ 1800 mm
    air_suspension_37t_spacing_mm: int
    air_suspension_article: str
    air_suspension_37t_article: str
    notes: tuple[str, ...] = field(default_factory=tuple)


ART3 = f"{REG_2016}第三条"
RULESETS: tuple[RuleSet, ...] = (
    RuleSet(
        version="2016-62",
        cite="62号令",
        effective_from=REG_2016_EFFECTIVE,
        effective_to=None,
        source=ART3,
        limits=(
            GrossLimit(TRUCK, 2, 2, 18_000, "二轴货车", "第三条第一款第四项"),
            GrossLimit(TRUCK, 3, 3, 25_000, "三轴货车", "第三条第一款第五项"),
            GrossLimit(COMBINATION, 3, 3, 27_000, "三轴汽车列车", "第三条第一款第五项"),
            GrossLimit(TRUCK, 4, 4, 31_000, "四轴货车", "第三条第一款第六项"),
            GrossLimit(COMBINATION, 4, 4, 36_000, "四轴汽车列车", "第三条第一款第六项"),
            GrossLimit(COMBINATION, 5, 5, 43_000, "五轴汽车列车", "第三条第一款第七项"),
            GrossLimit(COMBINATION, 6, None, 49_000, "六轴及六轴以上汽车列车", "第三条第一款第八项"),
        ),
        single_drive_axle_limit_kg=46_000,
        single_drive_axle_article="第三条第一款第八项（驱动轴为单轴）",
        single_tyre_reduction_kg=3_000,
        single_tyre_article="第三条第二款第二项单胎减3吨",
        wide_tyre_article="认定标准注：425/445毫米宽胎不降限",
        air_suspension_truck_bonus_kg=1_000,
        air_suspension_truck_axles=(3, 4),
        air_suspension_37t_limit_kg=37_000,
        air_suspension_37t_spacing_mm=1_800,
        air_suspension_article="认定标准注：空气悬架加1吨",
        air_suspension_37t_article="认定标准注：空气悬架四轴铰接列车轴距≥1800毫米限37吨",
        notes=("轴数与车型未列入第三条的，按 GB 1589-2016 认定；本系统将其判为无效记录，由人工认定。",),
    ),
)


def ruleset_for(on: date) -> RuleSet:
    for rs in RULESETS:
        if rs.effective_from <= on and (rs.effective_to is None or on <= rs.effective_to):
            return rs
    raise LookupError(f"{on} 无适用的超限认定标准")


# --- device tolerance (计量误差) ------------------------------------------------------------------

# In-service maximum permissible error of vehicle total mass, per accuracy class, in basis points
# (1/100 of a percent). ⚠️ UNCONFIRMED percentages (OIML R134 in-service column), see module docstring.
TOLERANCE_SOURCE = "JJG 907-2006《动态公路车辆自动衡器》准确度等级使用中最大允许误差（数值待核实，可配置）"
DEFAULT_TOLERANCE_BP: dict[str, int] = {"0.2": 20, "0.5": 50, "1": 100, "2": 200, "5": 500, "10": 1000}
# Provincial rules on a pre-filing deduction (e.g. 赣交规字〔2024〕3号) have not been checked: empty.
PROVINCE_TOLERANCE_BP: dict[str, dict[str, int]] = {}


def parse_tolerance_spec(spec: str) -> dict[str, int]:
    """``"5"`` / ``"5%"`` (every class) or ``"2=2,5=5%,10=10"`` (per class) → basis points per class."""
    spec = (spec or "").strip()
    if not spec:
        return {}

    def bp(text: str) -> int:
        text = text.strip().rstrip("%")
        value = float(text)
        if not 0 <= value <= 50:
            raise ValueError(f"允许误差“{text}%”超出 0–50% 范围")
        return round(value * 100)

    if "=" not in spec:
        return {cls: bp(spec) for cls in DEFAULT_TOLERANCE_BP}
    out: dict[str, int] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        cls, _, value = part.partition("=")
        cls = normalise_class(cls)
        if cls not in DEFAULT_TOLERANCE_BP:
            raise ValueError(f"准确度等级“{cls}”无效，应为 {'/'.join(DEFAULT_TOLERANCE_BP)}")
        out[cls] = bp(value)
    return out


def normalise_class(value: Any) -> str:
    text = str(value or "").strip().replace("级", "")
    if not text:
        return ""
    try:
        num = float(text)
    except ValueError:
        return text
    return f"{num:g}"


def tolerance_table(*, province: str = "", override: dict[str, int] | None = None) -> dict[str, int]:
    """Tolerance (basis points) per accuracy class: default ← province ← env ← explicit override."""
    table = dict(DEFAULT_TOLERANCE_BP)
    table.update(PROVINCE_TOLERANCE_BP.get(province or os.environ.get("ZHIFA_OVERLOAD_PROVINCE", ""), {}))
    table.update(parse_tolerance_spec(os.environ.get("ZHIFA_OVERLOAD_TOLERANCE", "")))
    table.update(override or {})
    return table


# --- duplicates --------------------------------------------------------------------------------


def dedupe_window_minutes() -> int:
    """Same plate and colour at the same station within this many minutes of its previous passage is a
    duplicate (one trip, one case). A local choice: ``ZHIFA_OVERLOAD_DEDUPE_MINUTES`` (default 60)."""
    return int(os.environ.get("ZHIFA_OVERLOAD_DEDUPE_MINUTES", "60"))


# Plausibility bounds for a record to be usable at all (not legal numbers: data-quality checks).
PLAUSIBLE = {
    "axles_min": 2,
    "axles_max": 12,
    "gross_min_kg": 1_000,
    "gross_max_kg": 200_000,
    "axle_sum_tolerance_bp": 500,  # Σ axle weights may differ from the gross by at most 5 %
}


# --- Art 43 fine ---------------------------------------------------------------------------------
# The amount is defined ONCE, in the rules library (``zhifa.rules.discretion.overload_fine``: rule data
# ``overload_*`` with article and dates; part-tonne rounding ``ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING``).
# What follows only shapes its answer into the proposal stored on a lead and its case source.


@dataclass(frozen=True)
class FineProposal:
    excess_kg: int
    warning: bool
    amount_fen: int
    steps: int
    rounding: str
    rule: str
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "excess_kg": self.excess_kg,
            "warning": self.warning,
            "amount_fen": self.amount_fen,
            "steps": self.steps,
            "rounding": self.rounding,
            "rule": self.rule,
            "explanation": self.explanation,
        }


def fine_proposal(excess_kg: int, *, on: date | None = None, rounding: str | None = None) -> FineProposal:
    """The Art 43 para 1 item 2 proposal for ``excess_kg`` over the limit, as computed by the rules
    library; no excess gives an empty proposal (nothing to punish) instead of the library's refusal."""
    from zhifa.rules.discretion import overload_fine
    from zhifa.rules.params import procedure_param

    excess_kg = int(excess_kg)
    if excess_kg <= 0:
        article = procedure_param("overload_warning_max_kg", on=on).article
        mode = rounding or str(procedure_param("overload_part_tonne_rounding", on=on).value)
        return FineProposal(excess_kg, False, 0, 0, mode, article, "未超过限定标准，不予处罚")
    f = overload_fine(excess_kg, on=on, rounding=rounding)
    return FineProposal(excess_kg, f.warning, f.amount_fen, f.units, f.rounding, f.article, f.explanation)


# --- 一超四罚 (《公路安全保护条例》 Art 66; 62号令 Art 46) ---------------------------------------------

SANCTION_ARTICLE = "《公路安全保护条例》（国务院令第593号）第六十六条"
SANCTION_WINDOW_DAYS = 365  # "1年内"
SANCTION_VEHICLE_MORE_THAN = 3  # "超过3次"
SANCTION_DRIVER_MORE_THAN = 3
SANCTION_ENTERPRISE_SHARE_BP = 1000  # "超过本单位货运车辆总数10%"
# What counts: a violation for which a 行政处罚决定 was made (Order 36 and 条例 Art 66 act on decided
# violations; a confirmed lead is a 案源 and may end in 不予处罚). The window is the 12 months of violations
# before the deciding date; the credit record is dated by the decision that crossed the threshold.
SANCTION_PENDING_LABEL = "待决定"
TRIP_DEDUPE_PARAM = "overload_trip_dedupe_hours"  # rules library (national.json, confidence "local")


def trip_dedupe_hours(on: date):
    """The rules library parameter (value in hours, 0 = off) and its reasoning: passages of one vehicle at
    different stations of one route within this many hours are one trip, counted once."""
    from zhifa.rules.params import procedure_param

    return procedure_param(TRIP_DEDUPE_PARAM, on=on)


# --- 货运源头单位 (source units) ----------------------------------------------------------------------
# Duty: 《公路安全保护条例》第四十一条第一款 — "煤炭、水泥等货物集散地以及货运站等场所的经营人、管理人应当采取
# 有效措施，防止不符合国家有关载运标准的车辆出场（站）" (text checked on a reproduction of the 条例, logclub.com);
# 62号令 第二十八条 (source units install weighing equipment and check outgoing vehicles; enforcement-tech.md
# §1.3 ✅). Sanction: the 《道路运输条例》 clause on a 货运站经营者 that loads or lets out an over-limit vehicle
# (责令改正，处1万元以上3万元以下的罚款) — its article number moved between revisions (historically 69–71) and
# was NOT confirmed against the current text; Art 66 of the 公路安全保护条例 has no source-unit clause.
# Threshold: the clause sets none — every release of a vehicle its own scale found over the limit is one
# violation, so one decided roadside overload loaded there raises the measure.
SOURCE_ARTICLE = (
    "《公路安全保护条例》第四十一条第一款；《超限运输车辆行驶公路管理规定》第二十八条；"
    "《中华人民共和国道路运输条例》货运站经营者放行超限车辆出站的罚则条款（条号未核实）"
)
SOURCE_MEASURE = "货运源头单位放行经其称重超限的车辆出场（站）：由道路运输管理机构责令改正，处1万元以上3万元以下罚款"
SOURCE_VERDICTS = ("overload",)  # the source's own weighing found the vehicle over the limit

# --- 抄告 (62号令 Art 44) ---------------------------------------------------------------------------
# "处理完毕后7个工作日内…抄告" (text confirmed on jianbiaoku.com, see the module docstring). Kept here, not
# in the rules library's procedure parameters, with the other 治超-only numbers of this module.

NOTIFY_ARTICLE = f"{REG_2016}第四十四条"
NOTIFY_WORKDAYS = 7


def local_plate_prefixes() -> tuple[str, ...]:
    """Plates registered in the bureau's own area (no 抄告 needed). Local: ``ZHIFA_OVERLOAD_LOCAL_PLATES``
    (comma-separated prefixes, default ``粤W`` = 云浮)."""
    raw = os.environ.get("ZHIFA_OVERLOAD_LOCAL_PLATES", "粤W")
    return tuple(p.strip() for p in raw.split(",") if p.strip())
