"""Import of work orders exported by the city's 12345 platform (XLSX/CSV): bad rows reported with their
row numbers, idempotent on the platform's order number (a row already imported is ``unchanged``, or
``updated`` when the platform changed its content). The platform's column names differ per city: the
accepted header names below are the defaults, and ``ZHIFA_COMPLAINT_12345_COLUMNS`` (a JSON object
``{"field": "本市表头", …}``) adds a city's own."""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

from django.utils import timezone

from zhifa.core.bulk import bulk_insert
from zhifa.core.exports import import_text_error
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from .enums import Category, Channel, Urgency
from .models import OrderEvent, WorkOrder
from .services import Complainant, next_numbers, order_build

CATEGORY_WORDS = {label: value for value, label in Category.choices} | {
    "投诉举报": Category.COMPLAINT, "信息咨询": Category.CONSULT, "意见建议": Category.SUGGEST, "其它": Category.HELP,
    "其他": Category.HELP, "求助类": Category.HELP, "咨询类": Category.CONSULT, "投诉类": Category.COMPLAINT,
    "举报类": Category.REPORT, "建议类": Category.SUGGEST}
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_no": ("工单编号", "工单号", "受理编号", "受理ID"),
    "received_at": ("受理时间", "来电时间", "登记时间"),
    "category": ("诉求类型", "业务种类", "工单类型"),
    "title": ("诉求标题", "标题"),
    "content": ("诉求内容", "反映内容", "内容"),
    "name": ("来电人", "诉求人", "联系人"),
    "phone": ("联系电话", "来电号码", "电话"),
    "subject_text": ("被反映对象", "单位名称", "车牌号"),
    "place": ("事发地点", "发生地点", "地址"),
    "occurred_at": ("发生时间", "事发时间"),
    "urgency": ("紧急程度",),
}
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


# what the export back to the platform adds: the order's handling and result (办理结果), in the platform's words
RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "state": ("办理状态",),
    "handling_org": ("办理单位",),
    "result": ("办理结果", "答复内容"),
    "replied_on": ("答复时间",),
    "closed_on": ("办结时间",),
    "satisfaction": ("满意度",),
}


def columns(*, results: bool = False) -> dict[str, tuple[str, ...]]:
    """Field → accepted header names (the city's own first); ``results`` adds the export's result columns."""
    cols = {k: tuple(v) for k, v in (DEFAULT_COLUMNS | (RESULT_COLUMNS if results else {})).items()}
    raw = os.environ.get("ZHIFA_COMPLAINT_12345_COLUMNS", "").strip()
    if raw:
        try:
            extra = json.loads(raw)
        except ValueError:
            extra = {}
        for field, name in (extra.items() if isinstance(extra, dict) else []):
            if field in cols:
                names = [name] if isinstance(name, str) else list(name)
                cols[field] = (*names, *cols[field])
    return cols


def _when(raw: str, label: str) -> datetime:
    for fmt in _FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(raw.strip(), fmt))
        except ValueError:
            continue
    raise RowError(f"{label}“{raw}”不是有效时间（应为 YYYY-MM-DD HH:MM）")


class Hotline12345Importer(Importer):
    kind = "complaints_12345"
    label = "12345热线工单"
    required = ("external_no", "received_at", "content")

    @property
    def columns(self) -> dict[str, tuple[str, ...]]:  # type: ignore[override]
        return columns()

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        cols = self.columns
        for f in self.required:
            if not raw.get(f):
                raise RowError(f"缺少必填列“{cols[f][0]}”", f)
        for f, v in raw.items():
            err = import_text_error(v, cols[f][0]) if v else ""
            if err:
                raise RowError(err, f)
        row: dict[str, Any] = dict(raw)
        row["received_at"] = _when(raw["received_at"], cols["received_at"][0])
        if row["received_at"].date() > timezone.localdate():
            raise RowError("受理时间晚于今天", "received_at")
        row["occurred_at"] = _when(raw["occurred_at"], cols["occurred_at"][0]) if raw.get("occurred_at") else None
        word = (raw.get("category") or "投诉").strip()
        if word not in CATEGORY_WORDS:
            raise RowError(f"诉求类型“{word}”无法识别，应为：{'、'.join(sorted(CATEGORY_WORDS))}", "category")
        row["category"] = CATEGORY_WORDS[word]
        row["urgency"] = Urgency.URGENT if raw.get("urgency", "").strip() in ("紧急", "特急", "加急") else Urgency.NORMAL
        seen = ctx.cache.setdefault("seen", {})
        if row["external_no"] in seen:
            raise RowError(f"与第 {seen[row['external_no']]} 行工单编号重复", "external_no")
        seen[row["external_no"]] = len(seen) + 2
        return row

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        out = BatchOutcome()
        refs = [r["external_no"][:60] for _n, r in rows]
        have = {ext: (pk, content, title) for pk, ext, content, title in WorkOrder.objects.filter(
            channel=Channel.H12345, external_no__in=refs).values_list("pk", "external_no", "content", "title")}
        new: list[WorkOrder] = []
        for rownum, r in rows:
            existing = have.get(r["external_no"][:60])
            if existing is not None:
                pk, content, title = existing
                if content != r["content"].strip() or (r.get("title") and title != r["title"]):
                    WorkOrder.objects.filter(pk=pk).update(content=r["content"].strip(),
                                                           title=(r.get("title") or title)[:200])
                    out.updated += 1
                else:
                    out.unchanged += 1
                continue
            try:
                o = order_build(
                    org=ctx.org, channel=Channel.H12345, category=r["category"], title=r.get("title", ""),
                    content=r["content"], received_on=timezone.localtime(r["received_at"]).date(),
                    complainant=Complainant(r.get("name", ""), r.get("phone", "")),
                    anonymous=not (r.get("name") or r.get("phone")), external_no=r["external_no"],
                    urgency=r["urgency"], subject_text=r.get("subject_text", ""), place=r.get("place", ""),
                    occurred_at=r["occurred_at"], clock_cache=ctx.cache.setdefault("clocks", {}))
            except Exception as e:  # a DomainError's Chinese message, reported on its row
                out.errors.append((rownum, getattr(e, "message", str(e))))
                continue
            o.received_at = r["received_at"]
            new.append(o)
        by_year: dict[int, list[WorkOrder]] = {}
        for o in new:
            by_year.setdefault(o.received_on.year, []).append(o)
        for year, orders in by_year.items():
            for o, number in zip(orders, next_numbers(year, len(orders)), strict=True):
                o.number = number
        bulk_insert(WorkOrder, new)  # the ORM's bulk_create compiles each of 60 columns per row: 2x the time
        saved = WorkOrder.objects.filter(channel=Channel.H12345, external_no__in=[o.external_no for o in new]).values_list(
            "pk", "external_no", "received_on")
        bulk_insert(OrderEvent, [OrderEvent(order_id=pk, on=on, action="receive", label="登记", state_to="received",
                        actor_name=str(ctx.actor) if ctx.actor else "系统（数据导入）", note=f"12345导入，外部工单号 {ext}",
                        public_note="已收到您的诉求") for pk, ext, on in saved])
        out.created += len(new)
        return out


register(Hotline12345Importer())


# the complainant stays out of the export: the platform holds them, and a file in clear would leak them
_NOT_EXPORTED = ("name", "phone")


def _at(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}" if value else ""


def _export_value(o: WorkOrder, field: str) -> Any:
    return {
        "external_no": lambda: o.external_no or o.number,
        "received_at": lambda: _at(o.received_at) if timezone.localtime(o.received_at).date() == o.received_on
        else f"{o.received_on:%Y-%m-%d} 00:00:00",
        "category": o.get_category_display,
        "title": lambda: o.title,
        "content": lambda: o.content,
        "subject_text": lambda: o.subject_label,
        "place": lambda: o.place,
        "occurred_at": lambda: _at(o.occurred_at),
        "urgency": o.get_urgency_display,
        "state": o.get_state_display,
        "handling_org": lambda: o.org.name,
        "result": lambda: o.reply_text,
        "replied_on": lambda: f"{o.replied_on:%Y-%m-%d}" if o.replied_on else "",
        "closed_on": lambda: f"{o.closed_on:%Y-%m-%d}" if o.closed_on else "",
        "satisfaction": o.get_satisfaction_display,
    }[field]()


def export_rows(orders) -> tuple[list[str], list[list[Any]]]:
    """Orders with their replies and results in the platform's shape: the import's columns under the city's
    header names (``ZHIFA_COMPLAINT_12345_COLUMNS``), then the result columns — importing the file again
    gives the same orders (anonymous: the complainant is not exported)."""
    cols = {f: names for f, names in columns(results=True).items() if f not in _NOT_EXPORTED}
    header = [names[0] for names in cols.values()]
    return header, [[_export_value(o, f) for f in cols] for o in orders]


def platform_export(orders, *, fmt: str, actor=None, filters: dict | None = None) -> bytes:
    """The export back to the platform as a file (``fmt`` "xlsx" or "csv"), audited with its filter and size."""
    from zhifa.core.audit import audit_record
    from zhifa.core.exports import csv_bytes, xlsx_bytes

    header, rows = export_rows(orders)
    data = xlsx_bytes(header, rows, sheet="工单办理结果") if fmt == "xlsx" else csv_bytes(header, rows)
    audit_record(action="complaint.platform_export", actor=actor, target_type="complaints.workorder",
                 detail={"format": fmt, "rows": len(rows), **{k: str(v) for k, v in (filters or {}).items() if v}})
    return data
