"""Import kind ``legal_documents``: a bureau's existing 行政规范性文件 from its spreadsheet (朝阳 kept a list of
1,956): one row per document with 文号, dates, status and URL, into the register the 有效文件目录 is generated
from. Bad rows are reported with their row number and reason; good rows go in; a re-import changes nothing
(a document is matched by its 文号 within the unit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from .enums import DocStatus

STATUS_WORDS = {
    "现行有效": DocStatus.PUBLISHED,
    "有效": DocStatus.PUBLISHED,
    "已废止": DocStatus.REPEALED,
    "废止": DocStatus.REPEALED,
    "已失效": DocStatus.EXPIRED,
    "失效": DocStatus.EXPIRED,
}
COLUMNS = {
    "title": ("文件名称", "名称", "标题"),
    "doc_no": ("文号", "发文字号"),
    "drafting_unit": ("起草单位",),
    "issued_on": ("印发日期", "发布日期"),
    "effective_from": ("施行日期",),
    "valid_until": ("有效期至",),
    "published_url": ("公布网址", "网址"),
    "status": ("状态",),
    "is_trial": ("暂行试行",),
    "subject": ("主题",),
}


def _day(raw: str, label: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip()[:10].replace("/", "-"))
    except ValueError:
        raise RowError(f"“{label}”应为日期（YYYY-MM-DD），实为“{raw}”", field) from None


class DocumentsImporter(Importer):
    kind = "legal_documents"
    label = "行政规范性文件（存量文件登记）"
    columns = COLUMNS
    required = ("title", "doc_no", "issued_on", "status")

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        for f in self.required:
            if not (raw.get(f) or "").strip():
                raise RowError(f"缺少必填列“{COLUMNS[f][0]}”", f)
        row: dict[str, Any] = {k: (v or "").strip() for k, v in raw.items()}
        row["issued_on"] = _day(row["issued_on"], "印发日期", "issued_on")
        row["effective_from"] = (
            _day(row["effective_from"], "施行日期", "effective_from")
            if row.get("effective_from")
            else row["issued_on"]
        )
        row["valid_until"] = (
            _day(row["valid_until"], "有效期至", "valid_until") if row.get("valid_until") else None
        )
        if row["effective_from"] < row["issued_on"]:
            raise RowError("施行日期早于印发日期", "effective_from")
        if row["status"] not in STATUS_WORDS:
            raise RowError(f"状态“{row['status']}”无法识别，应为：{'、'.join(STATUS_WORDS)}", "status")
        row["status"] = STATUS_WORDS[row["status"]]
        url = row.get("published_url", "")
        if url and not url.startswith(("http://", "https://")):
            raise RowError("公布网址应以 http:// 或 https:// 开头", "published_url")
        row["is_trial"] = row.get("is_trial", "") in ("是", "暂行", "试行")
        seen = ctx.cache.setdefault("seen", set())
        if row["doc_no"] in seen:
            raise RowError(f"文号“{row['doc_no']}”与本文件中前面的一行重复", "doc_no")
        seen.add(row["doc_no"])
        return row

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        from .services import doc_register_existing

        out = BatchOutcome()
        for rownum, r in rows:
            try:
                created = doc_register_existing(actor=ctx.actor, org=ctx.org, **r)
            except Exception as e:  # a DomainError's Chinese message, reported on its row
                out.errors.append((rownum, getattr(e, "message", str(e))))
                continue
            if created:
                out.created += 1
            else:
                out.unchanged += 1
        return out


register(DocumentsImporter())
