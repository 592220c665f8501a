"""Bulk import of tabular files (CSV or XLSX) with row-level errors, idempotency and progress.

The contract, for every kind of record:

* every row is validated on its own; a bad row is reported with its row number (as the user sees it
  in the spreadsheet, header = row 1) and a Chinese reason, and the good rows go in;
* a row is applied whole or not at all; rows are applied in batches, each batch in one transaction,
  so a crash loses at most the batch in flight and re-running the file finishes the job;
* re-importing the same file changes nothing: rows are matched by their natural key, and a row equal
  to what is stored counts as ``unchanged``.

Apps register an :class:`Importer` per kind (``registry.importers``, ``accounts.importers``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.core.crypto import digest_stream
from zhifa.core.exports import spreadsheet_row
from zhifa.core.models import ImportJob

BATCH_SIZE = 2000
MAX_ERRORS_KEPT = 10_000


class RowError(Exception):
    """Raised by an importer's ``clean`` with the Chinese reason a row is rejected (and its field)."""

    def __init__(self, reason: str, field: str = ""):
        super().__init__(reason)
        self.field = field


class FileError(Exception):
    """The file as a whole cannot be read (format, encoding, header)."""


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


class Importer:
    """Base class: declare ``kind``, ``label``, ``columns`` and implement ``clean`` and ``apply``."""

    kind: str = ""
    label: str = ""
    # field name -> accepted header names (Chinese first; the first is used in templates)
    columns: dict[str, tuple[str, ...]] = {}
    required: tuple[str, ...] = ()

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        raise NotImplementedError  # pragma: no cover - abstract

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        raise NotImplementedError  # pragma: no cover - abstract

    def template_header(self) -> list[str]:
        return [names[0] for names in self.columns.values()]


@dataclass
class ImportContext:
    actor: Any
    org: Any
    cache: dict = field(default_factory=dict)


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _REGISTRY[importer.kind] = importer
    return importer


def importers() -> dict[str, Importer]:
    return dict(_REGISTRY)


def get_importer(kind: str) -> Importer:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise FileError(f"未知的导入类型“{kind}”，可选：{'、'.join(sorted(_REGISTRY))}") from None


# --- reading ------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # Excel in Chinese Windows saves CSV as GBK/GB18030
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise FileError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")


def csv_records(text: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(record number, cells, "") per CSV record, header = 1; a record the csv module cannot read (a cell
    over its field limit of 128 KB) is ``(n, None, Chinese reason)`` and reading goes on with the next
    line: one bad cell used to refuse the whole file with a traceback (issue 16 item 9)."""
    reader = csv.reader(io.StringIO(text))
    n = 0
    while True:
        n += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            too_big = "field limit" in str(e)
            yield n, None, (f"单元格超过 {csv.field_size_limit() // 1024} KB，无法读取" if too_big
                            else f"CSV 格式错误：{e}")
            continue
        yield n, cells, ""


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str] | str]], int]:
    """Header, an iterator of (spreadsheet row number, cells — or the Chinese reason the row cannot be read)
    and the number of data rows."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a broken file
            raise FileError(f"无法读取 Excel 文件：{e}") from None
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header = [_cell(c) for c in next(rows)]
        except StopIteration:
            raise FileError("文件为空") from None
        total = max((ws.max_row or 1) - 1, 0)

        def gen() -> Iterator[tuple[int, list[str]]]:
            for n, r in enumerate(rows, start=2):
                yield n, [_cell(c) for c in r]
            wb.close()

        return header, gen(), total
    if suffix in (".csv", ".txt"):
        text = _decode(path.read_bytes())
        records = [(n, cells if cells is not None else reason) for n, cells, reason in csv_records(text)]
        if not records:
            raise FileError("文件为空")
        if isinstance(records[0][1], str):
            raise FileError(f"表头无法读取：{records[0][1]}")
        header = [h.strip() for h in records[0][1]]
        return header, iter(records[1:]), len(records) - 1
    raise FileError(f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 CSV 或 XLSX 文件")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def map_header(importer: Importer, header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for fname, names in importer.columns.items():
        for i, h in enumerate(header):
            if h.strip() in names or h.strip() == fname:
                index[fname] = i
                break
    missing = [importer.columns[f][0] for f in importer.required if f not in index]
    if missing:
        raise FileError(f"缺少必需的列：{'、'.join(missing)}（模板表头：{'，'.join(importer.template_header())}）")
    return index


# --- running ------------------------------------------------------------------------------------

Progress = Callable[[ImportJob], None]


def run_import(kind: str, path: Path, *, actor, org, job: ImportJob | None = None,
               progress: Progress | None = None, batch_size: int = BATCH_SIZE) -> ImportJob:
    """Import ``path`` as ``kind``; returns the finished job (its ``errors`` list the bad rows).

    The job always ends ``done`` or ``failed`` with its reason: an unexpected failure (a bug in an importer,
    the database gone) marks it failed — the batches already applied stay, and importing the file again
    finishes it — instead of leaving it ``pending``/``running`` for ever (issue 16 item 9). An interrupt
    (Ctrl-C) is recorded the same way and then goes on up."""
    importer = get_importer(kind)
    path = Path(path)
    if job is None:
        job = ImportJob.objects.create(kind=kind, filename=path.name, actor_id=getattr(actor, "pk", None),
                                       actor_name=getattr(actor, "username", "") or "系统（命令行/演示数据）",
                                       org_id=getattr(org, "pk", None))
    try:
        return _run(importer, kind, path, actor=actor, org=org, job=job, progress=progress,
                    batch_size=batch_size)
    except BaseException as e:
        import logging

        logging.getLogger(__name__).exception("import job %s failed", job.pk)
        reason = ("导入被中断" if isinstance(e, KeyboardInterrupt | SystemExit)
                  else f"导入过程中出现系统错误，已中止：{type(e).__name__}")
        message = (f"{reason}（已处理 {job.processed} 行，其中新增 {job.created}、更新 {job.updated}；"
                   "已导入的行保留，修正后重新导入同一文件即可继续）")
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, finished_at=timezone.now(),
                                                   message=message[:500])
        job.refresh_from_db()
        if not isinstance(e, Exception):
            raise
        return job


def _run(importer: Importer, kind: str, path: Path, *, actor, org, job: ImportJob, progress: Progress | None,
         batch_size: int) -> ImportJob:
    from zhifa.core.audit import audit_record

    try:
        with path.open("rb") as fh:
            job.file_digest = digest_stream(fh)
        header, rows, total = read_table(path)
        index = map_header(importer, header)
    except (FileError, OSError) as e:
        job.status, job.message, job.finished_at = ImportJob.Status.FAILED, str(e)[:500], timezone.now()
        job.save()
        audit_record(action=f"import.{kind}", actor=actor, target=job, success=False, reason=str(e)[:300])
        return job
    # a retried run (the worker was killed) starts its counts again; rows already applied count as unchanged
    job.processed = job.created = job.updated = job.unchanged = job.failed = 0
    job.errors, job.message, job.finished_at = [], "", None
    job.status, job.total = ImportJob.Status.RUNNING, total
    job.save()
    ctx = ImportContext(actor=actor, org=org)
    batch: list[tuple[int, dict[str, Any]]] = []
    errors: list[tuple[int, str]] = []

    def flush() -> None:
        if batch:
            with transaction.atomic():
                out = importer.apply(batch, ctx=ctx)
            job.created += out.created
            job.updated += out.updated
            job.unchanged += out.unchanged
            errors.extend(out.errors)
            job.failed += len(out.errors)
        batch.clear()

    for rownum, cells in rows:
        if isinstance(cells, str):  # the row could not be read: its reason
            errors.append((rownum, cells))
            job.failed += 1
            job.processed += 1
            continue
        if not any(c.strip() for c in cells if c):
            job.total = max(job.total - 1, 0)
            continue
        raw = {f: (cells[i].strip() if i < len(cells) and cells[i] else "") for f, i in index.items()}
        try:
            nul = [f for f, v in raw.items() if "\x00" in v]  # PostgreSQL cannot store NUL; never a real value
            if nul:
                raise RowError(f"{importer.columns[nul[0]][0]}含有空字符（NUL），请检查文件是否损坏", nul[0])
            batch.append((rownum, importer.clean(raw, ctx=ctx)))
        except RowError as e:
            errors.append((rownum, str(e)))
            job.failed += 1
        job.processed += 1
        if len(batch) >= batch_size:
            flush()
            _progress(job, progress)
    flush()
    job.total = job.processed
    job.errors = [{"row": r, "reason": m} for r, m in sorted(errors)[:MAX_ERRORS_KEPT]]
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.message = (f"共 {job.processed} 行：新增 {job.created}，更新 {job.updated}，未变化 {job.unchanged}，"
                   f"错误 {job.failed}")
    job.save()
    audit_record(action=f"import.{kind}", actor=actor, target=job,
                 detail={"file": path.name, "digest": job.file_digest, "created": job.created,
                         "updated": job.updated, "unchanged": job.unchanged, "failed": job.failed})
    if progress:
        progress(job)
    return job


def _progress(job: ImportJob, progress: Progress | None) -> None:
    job.save(update_fields=["processed", "created", "updated", "unchanged", "failed", "total"])
    if progress:
        progress(job)


# --- background jobs (the import page) -------------------------------------------------------------

def upload_dir() -> Path:
    from django.conf import settings

    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_receive(kind: str, chunks: Iterable[bytes], filename: str, *, suffix: str, actor) -> tuple[ImportJob, Path]:
    """Save an uploaded file (whole, or not at all) and create its pending import; the caller submits the
    background job that runs it (``imports.run``, declared in the console's tasks)."""
    import uuid

    get_importer(kind)
    path = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        part.rename(path)
    finally:
        part.unlink(missing_ok=True)
    job = ImportJob.objects.create(kind=kind, filename=filename[:255], actor_id=actor.pk,
                                   actor_name=actor.get_username(), org_id=actor.org_id)
    return job, path


def import_run_pending(job: ImportJob, path: Path, *, actor, progress: Progress | None = None) -> ImportJob:
    """Run a pending upload's import (the background job's body); the file is removed once it ran."""
    from django.apps import apps

    org_model = apps.get_model("accounts", "Org")  # the unit the upload was made for (accounts' model, by name)
    org = actor.org if actor is not None and actor.org_id == job.org_id else org_model.objects.get(pk=job.org_id)
    job = run_import(job.kind, path, actor=actor, org=org, job=job, progress=progress)
    Path(path).unlink(missing_ok=True)
    return job


def import_abandon(job_id: int, path: str, reason: str) -> None:
    """The background job gave up (worker killed too often, cancelled): say so on the import, drop the file."""
    ImportJob.objects.filter(pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(), message=reason[:500])
    Path(path).unlink(missing_ok=True)


def errors_csv(job: ImportJob) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["行号", "原因"])
    for e in job.errors:
        w.writerow(spreadsheet_row([e["row"], e["reason"]]))
    return buf.getvalue()


def chunks(items: Iterable, size: int) -> Iterator[list]:
    buf: list = []
    for it in items:
        buf.append(it)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf
