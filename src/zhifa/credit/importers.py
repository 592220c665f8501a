"""Import of credit records from other platforms (信用中国, the provincial platform, other departments)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhifa.core.identifiers import validate
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from . import driver_points
from .models import Category, Effect

CATEGORY_LABELS = {label: value for value, label in Category.choices}
EFFECT_LABELS = {label: value for value, label in Effect.choices}


def _driver_ref(ctx: ImportContext, cert_no: str) -> str:
    """"person:<id>" of the holder of a 从业资格证 registered in the importing bureau's jurisdiction."""
    from zhifa.accounts.selectors import jurisdiction_of
    from zhifa.registry.enums import LicenceKind
    from zhifa.registry.models import Licence

    root = jurisdiction_of(ctx.org)
    person_id = (
        Licence.objects.filter(kind=LicenceKind.QUALIFICATION, number=cert_no, org__path__startswith=root.path)
        .values_list("person_id", flat=True)
        .first()
    )
    if person_id is None:
        raise RowError(f"从业资格证号“{cert_no}”未在本辖区登记（诚信考核记录须对应已登记的驾驶员）", "subject_code")
    return f"person:{person_id}"


class CreditImporter(Importer):
    kind = "credit_records"
    label = "信用记录（外部平台）"
    columns = {
        "subject_name": ("主体名称", "subject_name"),
        "subject_code": ("统一社会信用代码", "从业资格证号", "subject_code"),
        "category": ("类别", "category"),
        "title": ("事项", "title"),
        "source": ("来源平台", "source"),
        "source_ref": ("来源编号", "source_ref"),
        "occurred_on": ("认定日期", "occurred_on"),
        "effect": ("影响", "effect"),
        "severity": ("失信程度", "severity"),
        "points_item": ("诚信考核计分项目", "points_item"),
    }
    required = ("subject_name", "subject_code", "title", "source", "source_ref", "occurred_on", "effect")

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        for f in self.required:
            if not raw.get(f):
                raise RowError(f"缺少必填列“{self.columns[f][0]}”", f)
        row = dict(raw)
        code = raw["subject_code"].upper()
        check = validate("uscc", code)
        row["points_item"] = (raw.get("points_item") or "").strip()
        if row["points_item"]:
            # a driver's 诚信考核 record: the subject is a registered person, named by the 从业资格证号
            if driver_points.item(row["points_item"]) is None:
                raise RowError(f"诚信考核计分分值表中没有计分项目“{row['points_item']}”", "points_item")
            row["subject_ref"] = _driver_ref(ctx, raw["subject_code"].strip())
            code = raw["subject_code"].strip()
        elif not check.ok:
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
            row = dict(row)
            ref = row.pop("subject_ref", "") or _subject_ref(ctx, row["subject_code"])
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
