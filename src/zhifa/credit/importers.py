"""Import of credit records from other platforms (信用中国, the provincial platform, other departments)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhifa.core.identifiers import validate
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from .models import Category, Effect

CATEGORY_LABELS = {label: value for value, label in Category.choices}
EFFECT_LABELS = {label: value for value, label in Effect.choices}


class CreditImporter(Importer):
    kind = "credit_records"
    label = "信用记录（外部平台）"
    columns = {
        "subject_name": ("主体名称", "subject_name"),
        "subject_code": ("统一社会信用代码", "subject_code"),
        "category": ("类别", "category"),
        "title": ("事项", "title"),
        "source": ("来源平台", "source"),
        "source_ref": ("来源编号", "source_ref"),
        "occurred_on": ("认定日期", "occurred_on"),
        "effect": ("影响", "effect"),
        "severity": ("失信程度", "severity"),
    }
    required = ("subject_name", "subject_code", "title", "source", "source_ref", "occurred_on", "effect")

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        for f in self.required:
            if not raw.get(f):
                raise RowError(f"缺少必填列“{self.columns[f][0]}”", f)
        row = dict(raw)
        code = raw["subject_code"].upper()
        check = validate("uscc", code)
        if not check.ok:
            raise RowError(check.reason, "subject_code")
        row["subject_code"] = code
        try:
            row["occurred_on"] = date.fromisoformat(raw["occurred_on"])
        except ValueError:
            raise RowError(f"认定日期“{raw['occurred_on']}”不是有效日期", "occurred_on") from None
        row["category"] = CATEGORY_LABELS.get(raw.get("category") or "外部平台导入", raw.get("category", ""))
        if row["category"] not in Category.values:
            raise RowError(f"类别“{raw.get('category')}”应为：{'、'.join(CATEGORY_LABELS)}", "category")
        row["effect"] = EFFECT_LABELS.get(raw["effect"], raw["effect"])
        if row["effect"] not in Effect.values:
            raise RowError(f"影响“{raw['effect']}”应为 守信、中性 或 失信", "effect")
        sev = {"轻微": "minor", "一般": "general", "严重": "serious"}.get(
            raw.get("severity", ""), raw.get("severity", "")
        )
        if sev not in ("", "minor", "general", "serious"):
            raise RowError(f"失信程度“{raw.get('severity')}”应为 轻微、一般 或 严重", "severity")
        row["severity"] = sev
        return row

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        from zhifa.disclosure.importers import _subject_ref

        from .models import CreditRecord
        from .services import credit_record_add

        out = BatchOutcome()
        for _rownum, row in rows:
            ref = _subject_ref(ctx, row["subject_code"])
            exists = CreditRecord.objects.filter(
                category=row["category"], source_ref=row["source_ref"][:80], subject_ref=ref
            ).exists()
            credit_record_add(org=ctx.org, subject_ref=ref, actor=ctx.actor, **row)
            if exists:
                out.unchanged += 1
            else:
                out.created += 1
        return out


register(CreditImporter())
