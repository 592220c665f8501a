"""Imports: 行政处罚 / 行政许可 records decided outside zhifa (e.g. a previous system), and credit records
from other platforms. Bad rows are reported with their row number; a row missing an optional-but-required
data item still goes in and is held back from publication with the reason shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.identifiers import validate
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from .models import DisclosureRecord, Severity, SubjectKind

SEVERITY_LABELS = {label: value for value, label in Severity.choices} | {v: v for v in Severity.values}
SUBJECT_LABELS = {label: label for _v, label in SubjectKind.choices}


class ImportedDecision:
    """The source of an imported record: keyed by its document number, owned by the importing bureau."""

    class _meta:  # noqa: N801
        label_lower = "disclosure.imported"

    def __init__(self, org, key: str):
        self.org, self.pk = org, key

    def __str__(self) -> str:
        return str(self.pk)


def _date(raw: str, label: str) -> date:
    try:
        return date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        raise RowError(f"{label}“{raw}”不是有效日期（应为 YYYY-MM-DD）") from None


def _subject_ref(ctx: ImportContext, code: str) -> str:
    from zhifa.registry.models import Enterprise

    if not code:
        return ""
    cache = ctx.cache.setdefault("ent", {})
    if code not in cache:
        root = jurisdiction_of(ctx.org)
        e = Enterprise.objects.filter(uscc=code, org__path__startswith=root.path).first()
        cache[code] = f"enterprise:{e.pk}" if e else f"uscc:{code}"
    return cache[code]


class PenaltyImporter(Importer):
    kind = "disclosure_penalties"
    label = "行政处罚公示信息"
    columns = {
        "subject_name": ("行政相对人名称", "subject_name"),
        "subject_kind": ("行政相对人类别", "subject_kind"),
        "subject_code": ("统一社会信用代码", "subject_code"),
        "legal_rep": ("法定代表人", "legal_rep"),
        "doc_no": ("行政处罚决定书文号", "决定书文号", "doc_no"),
        "violation_code": ("违法行为代码", "violation_code"),
        "violation_type": ("违法行为类型", "violation_type"),
        "facts": ("违法事实", "facts"),
        "basis": ("处罚依据", "basis"),
        "penalty_category": ("处罚类别", "penalty_category"),
        "penalty_content": ("处罚内容", "penalty_content"),
        "fine_yuan": ("罚款金额（元）", "fine_yuan"),
        "decided_on": ("处罚决定日期", "decided_on"),
        "agency": ("处罚机关", "agency"),
        "plate": ("车牌号", "plate"),
        "severity": ("失信程度", "severity"),
    }
    required = ("subject_name", "doc_no", "decided_on")

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        for f in self.required:
            if not raw.get(f):
                raise RowError(f"缺少必填列“{self.columns[f][0]}”", f)
        row = dict(raw)
        row["decided_on"] = _date(raw["decided_on"], "处罚决定日期")
        if row["decided_on"] > timezone.localdate():
            raise RowError("处罚决定日期晚于今天", "decided_on")
        kind = raw.get("subject_kind") or SubjectKind.ORG.label
        if kind not in SUBJECT_LABELS:
            raise RowError(f"行政相对人类别“{kind}”应为：{'、'.join(SUBJECT_LABELS)}", "subject_kind")
        row["subject_kind"] = kind
        code = (raw.get("subject_code") or "").upper()
        if code:
            check = validate("uscc", code)
            if not check.ok:
                raise RowError(check.reason, "subject_code")
        row["subject_code"] = code
        sev = raw.get("severity", "")
        if sev and sev not in SEVERITY_LABELS:
            raise RowError(f"失信程度“{sev}”应为 轻微、一般 或 严重", "severity")
        row["severity"] = SEVERITY_LABELS.get(sev, "")
        fine = raw.get("fine_yuan", "")
        if fine:
            try:
                yuan = float(fine)
            except ValueError:
                raise RowError(f"罚款金额“{fine}”不是数字", "fine_yuan") from None
            row["fine_wan"] = f"{yuan / 10000:.6f}"
        row.pop("fine_yuan", None)
        seen = ctx.cache.setdefault("seen", {})
        if row["doc_no"] in seen:
            raise RowError(f"与第 {seen[row['doc_no']]} 行文号重复", "doc_no")
        seen[row["doc_no"]] = len(seen) + 2
        return row

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        from .services import _emit_now

        out = BatchOutcome()
        root = jurisdiction_of(ctx.org)
        for _rownum, row in rows:
            decided = row.pop("decided_on")
            if not row.get("agency"):
                row["agency"], row["agency_code"] = root.name, root.uscc
            row["source_unit"], row["source_unit_code"] = root.name, root.uscc
            if not row.get("severity"):
                from .rules import severity_for

                row["severity"], row["_severity_basis"] = severity_for(
                    decided_on=decided, violation_code=row.get("violation_code", "")
                )
            src = ImportedDecision(root, row["doc_no"][:40])
            before = DisclosureRecord.objects.filter(
                source_type="disclosure.imported", source_id=src.pk
            ).count()
            row["_subject_ref"] = _subject_ref(ctx, row["subject_code"])
            _emit_now(kind="penalty", source=src, decided_on=decided, actor=ctx.actor, items=row)
            after = DisclosureRecord.objects.filter(
                source_type="disclosure.imported", source_id=src.pk
            ).count()
            if after == before:
                out.unchanged += 1
            elif before:
                out.updated += 1
            else:
                out.created += 1
        return out


register(PenaltyImporter())
