"""Import of the monthly indicator files sent by the level above (省平台 两客一危 KPIs, 12345 statistics,
卸载 tonnage): one row per month and indicator, the platform named in each row. Bad rows are reported with
their row number and reason, good rows go in; re-importing the same file changes nothing (natural key:
unit, indicator, month)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from zhifa.core.exports import import_text_error
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from .indicators import CATALOGUE
from .models import ProvincialValue

# the indicator as the file names it: its Chinese name with or without "（省平台）", or its id
NAMES = (
    {name: ident for ident, (name, _u, _h) in CATALOGUE.items()}
    | {re.sub(r"（.*?）", "", name): ident for ident, (name, _u, _h) in CATALOGUE.items()}
    | {ident: ident for ident in CATALOGUE}
)
MONTH = re.compile(r"^(\d{4})[-/年.](\d{1,2})月?$")


class ProvincialImporter(Importer):
    kind = "provincial"
    label = "上级平台指标月报"
    columns = {
        "month": ("月份", "统计月份"),
        "indicator": ("指标", "指标名称"),
        "value": ("数值", "指标值"),
        "source": ("数据来源", "来源平台"),
    }
    required = ("month", "indicator", "value", "source")

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        for f in self.required:
            if not (raw.get(f) or "").strip():
                raise RowError(f"缺少必填列“{self.columns[f][0]}”", f)
        for f, v in raw.items():
            err = import_text_error(v, self.columns[f][0]) if v else ""
            if err:
                raise RowError(err, f)
        m = MONTH.match(raw["month"].strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise RowError(f"月份“{raw['month']}”无效，应为 YYYY-MM（如 2026-07）", "month")
        name = raw["indicator"].strip()
        if name not in NAMES:
            known = "、".join(re.sub(r"（.*?）", "", n) for n, _u, _h in CATALOGUE.values())
            raise RowError(f"指标“{name}”不在上级平台指标目录中，应为：{known}", "indicator")
        ident = NAMES[name]
        text = raw["value"].strip().rstrip("%％").replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise RowError(f"数值“{raw['value']}”不是数字", "value") from None
        unit = CATALOGUE[ident][1]
        if value < 0 or (unit == "%" and value > 100):
            raise RowError(
                f"数值 {raw['value']} 超出范围（{'0–100' if unit == '%' else '不能为负数'}）", "value"
            )
        return {
            "month": f"{m.group(1)}-{int(m.group(2)):02d}",
            "indicator_id": ident,
            "value": value.quantize(Decimal("0.01")),
            "source": raw["source"].strip()[:100],
        }

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        out = BatchOutcome()
        actor = ctx.actor.get_username() if ctx.actor is not None else ""
        filename = ctx.cache.get("filename", "")
        for _n, r in rows:
            obj = ProvincialValue.objects.filter(
                org=ctx.org, indicator_id=r["indicator_id"], month=r["month"]
            ).first()
            if obj is None:
                ProvincialValue.objects.create(org=ctx.org, imported_by=actor, filename=filename, **r)
                out.created += 1
            elif obj.value != r["value"] or obj.source != r["source"]:
                obj.value, obj.source, obj.imported_by = r["value"], r["source"], actor
                obj.save(update_fields=["value", "source", "imported_by", "imported_at"])
                out.updated += 1
            else:
                out.unchanged += 1
        return out


register(ProvincialImporter())
