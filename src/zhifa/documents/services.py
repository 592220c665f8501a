"""Writes of the documents app: issue (render + number + store + record + audit), correct, PDF, downloads.

``document_issue`` is the one entry point for every generated document (文书 of a case now; 通报 and the
annual report later). Everything happens in one transaction: the number is taken with a row-locking
``UPDATE`` on its sequence, the DOCX is rendered with that number, written atomically under
``DATA_DIR/documents/`` and recorded with its SM3 digest; any failure rolls the number back, so numbers
stay gapless. A file written by a transaction that an *outer* caller later rolls back, or by a process
killed before its commit, stays on disk unreferenced: ``zhifa documents verify`` lists such orphans and
exits 1, and ``zhifa documents sweep`` removes those older than a grace period (issue 16 item 13). The file
is written inside the transaction on purpose: the steps after an issue read it back (PDF, 案卷) before
the commit.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.audit import audit_record, state_digest
from zhifa.core.crypto import DIGEST_ALGORITHM, digest_bytes
from zhifa.documents import legal_terms, numbering
from zhifa.documents.errors import DocumentError
from zhifa.documents.models import IssuedDocument, NumberingRule
from zhifa.documents.render import BLANK, TemplateSyntaxError, lookup, render_docx
from zhifa.documents.specs import BY_NAME, TemplateSpec

BUSINESS = (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)
RULE_EDITORS = (Role.LEGAL_REVIEWER, Role.HEAD)
BUILTIN_DIR = Path(__file__).resolve().parent / "templates_docx"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- templates -------------------------------------------------------------------------------------


def template_dir() -> Path:
    """Where a bureau's replacement templates live: ``ZHIFA_TEMPLATE_DIR`` or ``$ZHIFA_DATA_DIR/templates``."""
    return Path(os.environ.get("ZHIFA_TEMPLATE_DIR") or (Path(settings.DATA_DIR) / "templates"))


@dataclass(frozen=True)
class TemplateFile:
    spec: TemplateSpec
    path: Path
    source: str  # "builtin" | "custom"

    @property
    def source_label(self) -> str:
        return "本局替换" if self.source == "custom" else "系统内置"


def template_resolve(name: str) -> TemplateFile:
    """The file used for template ``name``: the bureau's replacement if present, else the shipped one."""
    spec = BY_NAME.get(name)
    if spec is None or not _NAME_RE.match(name):
        raise DocumentError.UNKNOWN_TEMPLATE.error(name=name)
    custom = template_dir() / spec.filename
    if custom.is_file():
        return TemplateFile(spec, custom, "custom")
    return TemplateFile(spec, BUILTIN_DIR / spec.filename, "builtin")


def missing_fields(spec: TemplateSpec, context: dict) -> list[str]:
    missing = []
    for f in spec.required:
        value = lookup(f.path, context)
        if (
            value is None
            or (isinstance(value, str) and not value.strip())
            or (isinstance(value, list | tuple) and not value)
        ):
            missing.append(f"{f.label}（{f.path}）")
            continue
        if f.is_list:
            for i, item in enumerate(value, start=1):
                for sub in f.items:
                    if sub.required and (not isinstance(item, dict) or lookup(sub.path, item) in (None, "")):
                        missing.append(f"{f.label}第{i}项的{sub.label}（{f.path}.{sub.path}）")
    return missing


def _full_context(
    spec: TemplateSpec, context: dict, *, issuer: Org | None, number: str, on: date, version: int
) -> dict:
    ctx = copy.deepcopy(context)
    if issuer is not None and not isinstance(ctx.get("org"), dict):
        ctx["org"] = {"name": issuer.name, "short_name": issuer.short_name}
    law = legal_terms.terms_on(on)
    law.update(ctx.get("law") or {})
    ctx["law"] = law
    ctx["doc"] = {"number": number, "date": on, "title": spec.title, "version": version}
    if spec.name == "penalty_decision":  # 处罚法 Art 67(3): 15 days from receipt, unless stated
        payment = ctx.setdefault("payment", {})
        if isinstance(payment, dict) and not payment.get("deadline") and law.get("payment_period"):
            payment["deadline"] = f"自收到本决定书之日起{law['payment_period']}内"
    return ctx


def _render(tf: TemplateFile, ctx: dict) -> bytes:
    try:
        return render_docx(tf.path, ctx)
    except TemplateSyntaxError as e:
        raise DocumentError.TEMPLATE_BROKEN.error(name=tf.spec.filename, detail=str(e)) from None
    except Exception as e:  # noqa: BLE001  unreadable or not a DOCX (python-docx, zipfile, lxml errors)
        raise DocumentError.TEMPLATE_BROKEN.error(
            name=tf.spec.filename, detail=f"无法读取（{type(e).__name__}）"
        ) from None


def document_render_preview(
    template: str, context: dict, *, org: Org | None = None, on: date | None = None
) -> bytes:
    """Render without numbering or recording (previews, template checks). Required fields still apply."""
    tf = template_resolve(template)
    missing = missing_fields(tf.spec, context)
    if missing:
        raise DocumentError.MISSING_FIELDS.error(
            title=tf.spec.title, names="、".join(missing), fields={m: "必填" for m in missing}
        )
    on = on or timezone.localdate()
    issuer = jurisdiction_of(org) if org is not None else None
    return _render(tf, _full_context(tf.spec, context, issuer=issuer, number="", on=on, version=1))


# --- storage -----------------------------------------------------------------------------------------


def storage_root() -> Path:
    return Path(settings.DATA_DIR) / "documents"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def document_path(doc: IssuedDocument) -> Path:
    return storage_root() / doc.file_path


# --- issue -------------------------------------------------------------------------------------------


def _require_issuer(actor: User, org: Org) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(*BUSINESS) or actor.org is None:
        raise DocumentError.NOT_ALLOWED.error(org=str(org))
    if not org.is_within(jurisdiction_of(actor.org)):
        raise DocumentError.NOT_ALLOWED.error(org=str(org))


def _state(doc: IssuedDocument) -> dict:
    return {
        "template": doc.template,
        "number": doc.number,
        "version": doc.version,
        "target_type": doc.target_type,
        "target_id": doc.target_id,
        "digest": doc.digest,
        "size": doc.size,
        "template_source": doc.template_source,
        "template_digest": doc.template_digest,
    }


def _store_and_record(
    *, tf: TemplateFile, data: bytes, fields: dict, actor: User, action: str, reason: str = ""
) -> IssuedDocument:
    now = timezone.now()
    rel = f"{timezone.localtime(now):%Y/%m}/{uuid.uuid4().hex}.docx"
    path = storage_root() / rel
    _atomic_write(path, data)
    try:
        doc = IssuedDocument(
            template=tf.spec.name,
            title=tf.spec.title,
            template_source=tf.source,
            template_digest=digest_bytes(tf.path.read_bytes()),
            file_path=rel,
            digest=digest_bytes(data),
            digest_algorithm=DIGEST_ALGORITHM,
            size=len(data),
            rendered_by=actor,
            rendered_at=now,
            reason=reason,
            **fields,
        )
        doc.full_clean(exclude=["previous", "rendered_by", "org", "issuer"])
        doc.save(force_insert=True)
        audit_record(
            action=action,
            actor=actor,
            target=doc,
            after=_state(doc),
            detail={
                "number": doc.number,
                "template": doc.template,
                "version": doc.version,
                "target": f"{doc.target_type}:{doc.target_id}",
            },
            reason=reason,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return doc


@transaction.atomic
def document_issue(
    *,
    template: str,
    context: dict,
    org: Org,
    target_type: str,
    target_id,
    actor: User,
    numbered: bool = True,
    doc_type: str | None = None,
    on: date | None = None,
) -> IssuedDocument:
    """Render ``template`` with ``context``, number it (if ``numbered``) for the authority over ``org``,
    store the DOCX and record it against ``target_type``/``target_id``. ``on`` is the document date
    (default today, Asia/Shanghai); its year is the 文号 year."""
    _require_issuer(actor, org)
    tf = template_resolve(template)
    missing = missing_fields(tf.spec, context)
    if missing:
        raise DocumentError.MISSING_FIELDS.error(
            title=tf.spec.title, names="、".join(missing), fields={m: "必填" for m in missing}
        )
    on = on or timezone.localdate()
    doc_type = doc_type or tf.spec.doc_type
    issuer = jurisdiction_of(org)
    number, seq, year = "", None, None
    if numbered:
        word, pattern = numbering.rule_for(issuer, doc_type)
        if not issuer.short_name:
            raise DocumentError.NO_SHORT_NAME.error(org=issuer.name)
        year = on.year
        seq = numbering.number_allocate(issuer=issuer, doc_type=doc_type, year=year)
        number = numbering.format_number(issuer=issuer, word=word, pattern=pattern, year=year, seq=seq)
    data = _render(tf, _full_context(tf.spec, context, issuer=issuer, number=number, on=on, version=1))
    return _store_and_record(
        tf=tf,
        data=data,
        actor=actor,
        action="document.issue",
        fields={
            "org": org,
            "issuer": issuer,
            "doc_type": doc_type,
            "number": number,
            "seq": seq,
            "year": year,
            "doc_date": on,
            "target_type": str(target_type)[:80],
            "target_id": str(target_id)[:80],
            "context_digest": state_digest(context),
            "version": 1,
        },
    )


@transaction.atomic
def document_reissue(
    *, previous: IssuedDocument, context: dict, actor: User, reason: str, on: date | None = None
) -> IssuedDocument:
    """A corrected version (更正) of an issued document: same number and series, next version, new file.
    The earlier versions stay as they were."""
    _require_issuer(actor, previous.org)
    if not reason.strip():
        raise DocumentError.REISSUE_REASON.error()
    tf = template_resolve(previous.template)
    missing = missing_fields(tf.spec, context)
    if missing:
        raise DocumentError.MISSING_FIELDS.error(
            title=tf.spec.title, names="、".join(missing), fields={m: "必填" for m in missing}
        )
    # lock the series so two corrections cannot take the same version
    latest = (
        IssuedDocument.objects.select_for_update().filter(series=previous.series).order_by("-version").first()
    )
    version = (
        IssuedDocument.objects.filter(series=previous.series).aggregate(m=Max("version"))["m"] or 0
    ) + 1
    on = on or previous.doc_date
    data = _render(
        tf,
        _full_context(
            tf.spec, context, issuer=previous.issuer, number=previous.number, on=on, version=version
        ),
    )
    return _store_and_record(
        tf=tf,
        data=data,
        actor=actor,
        action="document.reissue",
        reason=reason.strip()[:300],
        fields={
            "series": previous.series,
            "previous": latest or previous,
            "org": previous.org,
            "issuer": previous.issuer,
            "doc_type": previous.doc_type,
            "number": previous.number,
            "seq": previous.seq,
            "year": previous.year,
            "doc_date": on,
            "target_type": previous.target_type,
            "target_id": previous.target_id,
            "context_digest": state_digest(context),
            "version": version,
        },
    )


# --- reading the file (audited) ----------------------------------------------------------------------


def _verified_bytes(doc: IssuedDocument) -> bytes:
    data = document_path(doc).read_bytes()
    if digest_bytes(data) != doc.digest:
        raise DocumentError.FILE_TAMPERED.error(number=doc.number or str(doc.pk))
    return data


def soffice_path() -> str | None:
    """LibreOffice's converter: ``ZHIFA_SOFFICE`` or ``soffice``/``libreoffice`` on PATH."""
    for candidate in (os.environ.get("ZHIFA_SOFFICE"), "soffice", "libreoffice"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def document_pdf_ready(doc: IssuedDocument) -> bool:
    """Is the PDF of ``doc`` already converted (kept beside its DOCX)?"""
    return document_path(doc).with_suffix(".pdf").is_file()


def document_pdf(doc: IssuedDocument) -> Path:
    """The PDF of an issued document (converted once with LibreOffice, then kept next to the DOCX)."""
    pdf = document_path(doc).with_suffix(".pdf")
    if pdf.is_file():
        return pdf
    _atomic_write(pdf, docx_to_pdf(_verified_bytes(doc)))
    return pdf


def docx_to_pdf(data: bytes) -> bytes:
    """A DOCX converted to PDF with LibreOffice (``soffice_path``); a DocumentError in Chinese when it is
    not installed or the conversion fails. Used for issued documents and for the reports' DOCX."""
    soffice = soffice_path()
    if soffice is None:
        raise DocumentError.PDF_UNAVAILABLE.error()
    with tempfile.TemporaryDirectory(prefix="zhifa-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(data)
        try:
            proc = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                timeout=int(os.environ.get("ZHIFA_SOFFICE_TIMEOUT", "180")),
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DocumentError.PDF_FAILED.error(detail="转换超时") from None
        out = Path(tmp) / "document.pdf"
        if proc.returncode != 0 or not out.is_file():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[
                -200:
            ] or f"退出码 {proc.returncode}"
            raise DocumentError.PDF_FAILED.error(detail=detail)
        return out.read_bytes()


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    content_type: str


@transaction.atomic
def document_download(*, doc: IssuedDocument, actor: User, fmt: str = "docx") -> Download:
    """The file of an issued document for ``actor`` (already scoped by the selector); every download is an
    audited sensitive read (the document names the party)."""
    if actor is None or not actor.is_authenticated or not actor.has_role(*BUSINESS):
        raise DocumentError.NOT_ALLOWED.error(org=str(doc.org))
    _verified_bytes(doc)
    base = f"{doc.title}{('-' + doc.number) if doc.number else ''}" + (
        f"-第{doc.version}版" if doc.version > 1 else ""
    )
    if fmt == "pdf":
        path, name, ctype = document_pdf(doc), f"{base}.pdf", "application/pdf"
    else:
        path, name, ctype = document_path(doc), f"{base}.docx", DOCX_TYPE
    audit_record(
        action="document.download", actor=actor, target=doc, detail={"format": fmt, "number": doc.number}
    )
    return Download(path, name, ctype)


# --- numbering rules ----------------------------------------------------------------------------------


@transaction.atomic
def numbering_rule_set(
    *, issuer: Org, doc_type: str, word: str, pattern: str = "", actor: User | None
) -> NumberingRule:
    """Set the type word (and optionally the pattern) an authority uses for a document type. Legal
    reviewers and heads of that authority's jurisdiction; ``actor=None`` only from the CLI."""
    if actor is not None:
        if (
            not actor.has_role(*RULE_EDITORS)
            or actor.org is None
            or not issuer.is_within(jurisdiction_of(actor.org))
        ):
            raise DocumentError.NOT_ALLOWED.error(org=str(issuer))
    word = word.strip()
    if not word or BLANK in word:
        raise DocumentError.NO_TYPE_WORD.error(doc_type=doc_type)
    if pattern:
        numbering._check_pattern(pattern)
    rule = NumberingRule.objects.filter(issuer=issuer, doc_type=doc_type).first()
    before = {"word": rule.word, "pattern": rule.pattern} if rule else None
    rule = rule or NumberingRule(issuer=issuer, doc_type=doc_type)
    rule.word, rule.pattern = word, pattern
    rule.full_clean()
    rule.save()
    audit_record(
        action="document.numbering_rule",
        actor=actor,
        target=rule,
        before=before,
        after={"word": word, "pattern": pattern},
    )
    return rule


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    bad: list[str]
    orphans: list[str]


def _stored_files(root: Path) -> list[Path]:
    """Every DOCX and PDF under the store, with the temporary files of an interrupted write."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".docx", ".pdf"))


def _orphans(known: set[str]) -> list[Path]:
    """Stored files no record points to (a PDF belongs to the DOCX of the same name)."""
    root = storage_root()
    out = []
    for p in _stored_files(root):
        rel = str(p.relative_to(root))
        if rel in known or (p.suffix == ".pdf" and str(p.with_suffix(".docx").relative_to(root)) in known):
            continue
        out.append(p)
    return out


def documents_verify() -> VerifyResult:
    """Re-hash every stored DOCX; list mismatches and files no record points to."""
    bad, known = [], set()
    checked = 0
    for doc in IssuedDocument.objects.order_by("pk").iterator():
        checked += 1
        known.add(doc.file_path)
        path = document_path(doc)
        if not path.is_file():
            bad.append(f"{doc.pk} {doc}：文件缺失")
        elif digest_bytes(path.read_bytes()) != doc.digest:
            bad.append(f"{doc.pk} {doc}：摘要不符")
    root = storage_root()
    return VerifyResult(checked, bad, [str(p.relative_to(root)) for p in _orphans(known)])


SWEEP_GRACE_MINUTES = 60


def documents_sweep(*, older_than_minutes: int = SWEEP_GRACE_MINUTES) -> list[str]:
    """Delete the orphans (see :func:`documents_verify`) last written more than ``older_than_minutes`` ago —
    the grace keeps the file of a transaction still in flight — and record the sweep in the audit log.
    Returns the deleted paths, relative to the store."""
    import time

    known = set(IssuedDocument.objects.values_list("file_path", flat=True))
    root = storage_root()
    cutoff = time.time() - older_than_minutes * 60
    removed = []
    for p in _orphans(known):
        if p.stat().st_mtime <= cutoff:
            p.unlink(missing_ok=True)
            removed.append(str(p.relative_to(root)))
    if removed:
        audit_record(action="document.sweep", actor=None, target_type="documents.issueddocument",
                     target_repr=f"清理无登记记录的文书文件 {len(removed)} 个",
                     detail={"files": removed[:200], "count": len(removed), "older_than_minutes": older_than_minutes})
    return removed
