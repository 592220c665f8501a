"""Procedure parameters (程序参数) as rule data: ``procedure_param(name, on=date, province=...)``.

Where a value comes from, in priority order:

1. the environment variable ``ZHIFA_RULE_<NAME>`` (upper case), for genuinely local choices such as the
   听证 "较大数额" threshold or the 陈述申辩 period (integer values; ``overload_part_tonne_rounding``
   takes ``floor`` or ``ceil``);
2. the database (:class:`~zhifa.rules.models.ProcedureParam`, loaded by ``zhifa rules load``): the
   province's row in force on the date, else the national one;
3. the shipped data files (``rules/data/national.json`` and the province files), so the legal numbers
   are available before anything was loaded.

The province defaults to ``ZHIFA_RULES_PROVINCE`` (two-digit code, e.g. ``44``; empty = national).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhifa.rules import datafile
from zhifa.rules.errors import RulesError

# What a parameter's unit and a choice parameter's values are called on the pages (the data files and
# the environment keep the codes).
UNIT_LABELS = {"day": "日", "hour": "小时", "month": "个月", "year": "年", "kg": "千克", "person": "人",
               "percent": "%", "percent_per_day": "%/日", "fen": "元"}
CHOICE_LABELS = {"floor": "只计满1000千克部分（不足部分不计）", "ceil": "不足1000千克按1000千克计",
                 # 法制工作 indicator definitions (legal.indicators)
                 "per_case": "按案件计（同一案件负责人出庭一次即计）", "per_hearing": "按庭次计",
                 "strict": "撤销、确认违法或无效、责令履行", "with_changed": "撤销、确认违法或无效、责令履行及变更",
                 "exclude_withdrawn": "分母为作出复议决定的案件（不含撤回）",
                 "all_concluded": "分母为全部审结案件（含撤回）"}


@dataclass(frozen=True)
class Param:
    name: str
    value: Any
    unit: str
    day_type: str
    article: str
    note: str
    label: str = ""
    confidence: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    province: str = ""
    origin: str = ""  # 数据库 / 数据文件 / 环境变量

    @property
    def day_type_label(self) -> str:
        return {"working": "工作日", "calendar": "自然日"}.get(self.day_type, "")

    @property
    def value_text(self) -> str:
        """The value with its unit as a person reads it: "3 日", "3,000.00元", choices in words."""
        if self.unit == "choice":
            return CHOICE_LABELS.get(str(self.value), str(self.value))
        if self.unit == "fen" and isinstance(self.value, int):
            from zhifa.core.money import yuan_text

            return yuan_text(self.value)
        unit = UNIT_LABELS.get(self.unit, self.unit)
        return f"{self.value}{unit}" if unit.startswith("%") else f"{self.value} {unit}".strip()

    @property
    def confidence_label(self) -> str:
        return datafile.CONFIDENCE_LABELS.get(self.confidence, self.confidence)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "day_type": self.day_type,
            "article": self.article,
            "note": self.note,
            "confidence": self.confidence,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
            "province": self.province,
            "origin": self.origin,
        }


def default_province() -> str:
    return datafile.province_code_safe(os.environ.get("ZHIFA_RULES_PROVINCE", ""))


def _resolve_province(province: str | None) -> str:
    if province is None:
        return default_province()
    try:
        return datafile.province_code(province)
    except ValueError as e:
        raise RulesError.INVALID.error(detail=str(e), fields={"province": str(e)}) from None


@lru_cache(maxsize=1)
def _shipped() -> dict[tuple[str, str], list[dict[str, Any]]]:
    table: dict[tuple[str, str], list[dict[str, Any]]] = {}
    files = [(datafile.NATIONAL_FILE, "")] + [(p, code) for code, p in datafile.PROVINCE_FILES.items()]
    for path, code in files:
        doc = datafile.read_file(path)
        for p in doc.get("params", []):
            row = dict(
                p,
                province=code,
                effective_from=date.fromisoformat(p["effective_from"]),
                effective_to=date.fromisoformat(p["effective_to"]) if p.get("effective_to") else None,
            )
            table.setdefault((p["name"], code), []).append(row)
    return table


def shipped_names() -> list[str]:
    return sorted({name for name, _ in _shipped()})


def _in_force(rows: list[dict[str, Any]], on: date) -> dict[str, Any] | None:
    rows = [
        r
        for r in rows
        if r["effective_from"] <= on and (r["effective_to"] is None or on <= r["effective_to"])
    ]
    return max(rows, key=lambda r: r["effective_from"]) if rows else None


def _from_db(name: str, on: date, province: str) -> Param | None:
    from zhifa.rules.models import ProcedureParam

    qs = ProcedureParam.objects.filter(name=name, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    for scope in [province, ""] if province else [""]:
        row = qs.filter(province=scope).order_by("-effective_from").first()
        if row is not None:
            return Param(
                name=row.name,
                value=row.value,
                unit=row.unit,
                day_type=row.day_type,
                article=row.article,
                note=row.note,
                label=row.label,
                confidence=row.confidence,
                effective_from=row.effective_from,
                effective_to=row.effective_to,
                province=row.province,
                origin="数据库",
            )
    return None


def _from_files(name: str, on: date, province: str) -> Param | None:
    table = _shipped()
    for scope in [province, ""] if province else [""]:
        row = _in_force(table.get((name, scope), []), on)
        if row is not None:
            return Param(
                name=name,
                value=row["value"],
                unit=row["unit"],
                day_type=row.get("day_type", ""),
                article=row["article"],
                note=row.get("note", ""),
                label=row.get("label", ""),
                confidence=row.get("confidence", ""),
                effective_from=row["effective_from"],
                effective_to=row["effective_to"],
                province=scope,
                origin="数据文件",
            )
    return None


def env_var(name: str) -> str:
    return f"ZHIFA_RULE_{name.upper()}"


def _env_override(param: Param) -> Param:
    raw = os.environ.get(env_var(param.name))
    if raw is None or raw.strip() == "":
        return param
    raw = raw.strip()
    if param.unit == "choice":
        value: Any = raw
    else:
        try:
            value = int(raw)
        except ValueError:
            raise RulesError.INVALID.error(
                detail=f"环境变量 {env_var(param.name)} 的值“{raw}”应为整数（单位：{param.unit}）"
            ) from None
    return Param(
        **{
            **param.__dict__,
            "value": value,
            "origin": "环境变量",
            "note": f"{param.note}（本部署另行配置为 {value}）".strip(),
        }
    )


def procedure_param(name: str, *, on: date | None = None, province: str | None = None) -> Param:
    """The parameter ``name`` in force on ``on`` (default today) for ``province`` (default the
    deployment's), with its unit, day type (工作日/自然日), article and note."""
    on = on or timezone.localdate()
    prov = _resolve_province(province)
    param = _from_db(name, on, prov) or _from_files(name, on, prov)
    if param is None:
        raise RulesError.PARAM_NOT_FOUND.error(name=name, on=on.isoformat())
    return _env_override(param)


def procedure_params(
    names: list[str] | tuple[str, ...], *, on: date | None = None, province: str | None = None
) -> dict[str, Param]:
    """Several parameters in force on ``on`` with ONE database query (a document prints eight periods;
    asking one by one would cost eight round trips per render). Same precedence as
    :func:`procedure_param`; a name not in force on that date is absent from the result."""
    from zhifa.rules.models import ProcedureParam

    on = on or timezone.localdate()
    prov = _resolve_province(province)
    scopes = [prov, ""] if prov else [""]
    rows = (
        ProcedureParam.objects.filter(name__in=list(names), province__in=scopes, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
    )
    best: dict[str, Any] = {}
    for row in rows:  # the province's row wins over the national one, then the latest version
        have = best.get(row.name)
        if have is None or (have.province != prov and row.province == prov):
            best[row.name] = row
    out: dict[str, Param] = {}
    for name in names:
        row = best.get(name)
        if row is not None:
            param: Param | None = Param(
                name=row.name,
                value=row.value,
                unit=row.unit,
                day_type=row.day_type,
                article=row.article,
                note=row.note,
                label=row.label,
                confidence=row.confidence,
                effective_from=row.effective_from,
                effective_to=row.effective_to,
                province=row.province,
                origin="数据库",
            )
        else:
            param = _from_files(name, on, prov)
        if param is not None:
            out[name] = _env_override(param)
    return out


def param_value(name: str, *, on: date | None = None, province: str | None = None) -> Any:
    return procedure_param(name, on=on, province=province).value


def all_params(*, on: date | None = None, province: str | None = None) -> list[Param]:
    from zhifa.rules.models import ProcedureParam

    names = set(shipped_names()) | set(ProcedureParam.objects.values_list("name", flat=True).distinct())
    # one query for all of them (asked one by one, the 程序参数 page ran 118 queries); a parameter not in
    # force on that date is simply not listed
    return list(procedure_params(sorted(names), on=on, province=province).values())
