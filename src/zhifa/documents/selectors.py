"""Reads of issued documents, scoped by the actor's unit (a sibling unit's document is a 404)."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, scope_q
from zhifa.documents.models import IssuedDocument
from zhifa.documents.render import placeholders_in
from zhifa.documents.services import TemplateFile, template_resolve
from zhifa.documents.specs import SPECS


def documents_visible(actor: User) -> QuerySet[IssuedDocument]:
    if not is_business_user(actor):
        return IssuedDocument.objects.none()
    return IssuedDocument.objects.filter(scope_q(actor)).select_related("org", "issuer", "rendered_by")


def document_get(actor: User, pk: int) -> IssuedDocument | None:
    return documents_visible(actor).filter(pk=pk).first()


def documents_for_target(actor: User, *, target_type: str, target_id) -> QuerySet[IssuedDocument]:
    return documents_visible(actor).filter(target_type=target_type, target_id=str(target_id))


def document_search(
    actor: User, *, q: str = "", template: str = "", target_type: str = "", target_id: str = ""
) -> QuerySet[IssuedDocument]:
    qs = documents_visible(actor)
    if q:
        qs = qs.filter(number__icontains=q) | qs.filter(title__icontains=q)
    if template:
        qs = qs.filter(template=template)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return qs


def document_target_types(actor: User) -> list[str]:
    """The kinds of record the actor's documents belong to (the list's filter offers these)."""
    return sorted(set(documents_visible(actor).order_by().values_list("target_type", flat=True).distinct()))


def templates_catalogue() -> list[TemplateFile]:
    """Every template with the file in use (a bureau's replacement or the shipped one)."""
    return [template_resolve(s.name) for s in SPECS]


def template_undeclared(tf: TemplateFile) -> list[str]:
    """Tags used in the template file that its field list does not declare (typos in a replacement)."""
    declared = {
        "org.name",
        "org.short_name",
        "doc.number",
        "doc.date",
        "doc.title",
        "doc.version",
        "loop.index",
    }
    for f in tf.spec.fields:
        declared.add(f.path)
        declared.update(i.path for i in f.items)
    try:
        stat = tf.path.stat()
        used = _placeholders_of(str(tf.path), stat.st_mtime_ns, stat.st_size)
    except Exception:  # noqa: BLE001  not a DOCX
        return ["（模板文件无法读取）"]
    out = []
    for name in used:
        bare = name.lstrip("#^")
        if bare in declared or bare.startswith("law.") or bare == "doc.number":
            continue
        out.append(bare)
    return out


@lru_cache(maxsize=256)
def _placeholders_of(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The tags of a template file, parsed once per version of the file: the 文书模板 page lists two dozen
    templates and parsing each DOCX on every request made it a one-second page. A replaced file has
    another modification time or size, so it is parsed again."""
    return tuple(placeholders_in(path))
