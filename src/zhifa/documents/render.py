"""Fill a DOCX template: ``{{ path.to.value }}`` placeholders and ``{{#list}}…{{/list}}`` sections.

Template language (documented for the 法制审核人员 on /documents/templates/):

* ``{{ party.name }}`` — a value looked up by dotted path in the context (inside a section, the current
  item first, then the enclosing contexts). A missing or empty value renders as a visible blank line
  ``________`` (never the raw placeholder), so a printed form can still be completed by hand.
* ``{{ fine_fen | yuan }}`` — a filter: ``yuan`` (fen → ``2,000.00``), ``upper_yuan`` (fen → 人民币大写
  ``贰仟元整``), ``date`` (``2026年3月5日``), ``check`` (truthy → ``☑``, else ``☐``).
* ``{{#evidence}}…{{/evidence}}`` — a section: repeated once per item when the value is a list, kept once
  when it is truthy, removed when it is empty/false. ``{{^x}}…{{/x}}`` is the inverse (kept only when
  ``x`` is empty). Where the markers sit decides what repeats:
    - both in one paragraph: the text between them (inline);
    - in table rows of one table (the same row or two rows): those rows — e.g. one evidence per row;
    - otherwise: the paragraphs/tables from the marker paragraph to the closing one. A paragraph that holds
      nothing but a marker is dropped from the output.
  Inside a section ``{{ loop.index }}`` is the 1-based item number.

Word often splits what the author typed as one placeholder over several runs (spell-check marks,
autocorrect, a change of formatting in the middle); every paragraph is first normalised so that each tag
lives in one ``w:t`` (it takes the formatting of the run where it starts).
"""

from __future__ import annotations

import copy
import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

BLANK = "________"

TAG_RE = re.compile(r"\{\{\s*([#^/]?)\s*([A-Za-z_][\w.]*)\s*((?:\|\s*[A-Za-z_]\w*\s*)*)\}\}")
OPEN_RE = re.compile(r"\{\{\s*([#^])\s*([A-Za-z_][\w.]*)\s*\}\}")
ANY_TAG_RE = re.compile(r"\{\{.*?\}\}")

W_P, W_T, W_R, W_TR, W_TBL, W_BR = qn("w:p"), qn("w:t"), qn("w:r"), qn("w:tr"), qn("w:tbl"), qn("w:br")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_MISSING = object()


class TemplateSyntaxError(ValueError):
    """A malformed template (unclosed section, closing marker without opening)."""


# --- value formatting --------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def upper_yuan(fen: int) -> str:
    """Amount in fen as 人民币大写 (200000 → 贰仟元整, 1000500 → 壹万零伍元整, 1205 → 壹拾贰元零伍分)."""
    fen = int(fen)
    if fen < 0:
        return "负" + upper_yuan(-fen)
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    out = ""
    digits = str(yuan) if yuan else ""
    zero = False
    group_nonzero = False
    for idx, ch in enumerate(digits):
        i = len(digits) - 1 - idx
        d = int(ch)
        if d == 0:
            zero = True
        else:
            if zero and out:
                out += "零"
            zero = False
            out += _DIGITS[d] + _UNITS[i % 4]
            group_nonzero = True
        if i % 4 == 0 and i > 0:
            if group_nonzero:
                out += _BIG[i // 4]
            group_nonzero = False
    if out:
        out += "元"
    if not jiao and not cents:
        return (out or "零元") + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif out:
        out += "零"
    if cents:
        out += _DIGITS[cents] + "分"
    return out


def _fmt_date(v: date | datetime) -> str:
    if isinstance(v, datetime):
        if timezone.is_aware(v):
            v = timezone.localtime(v)
        return f"{v.year}年{v.month}月{v.day}日{v.hour}时{v.minute:02d}分"
    return f"{v.year}年{v.month}月{v.day}日"


def format_value(value: Any) -> str:
    if value is None or value is _MISSING:
        return BLANK
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date | datetime):
        return _fmt_date(value)
    if isinstance(value, list | tuple):
        return "、".join(format_value(v) for v in value) if value else BLANK
    text = str(value)
    return text if text.strip() else BLANK


def _f_yuan(v: Any) -> str:
    return f"{Decimal(int(v)) / 100:,.2f}"


FILTERS = {
    "yuan": _f_yuan,
    "upper_yuan": lambda v: upper_yuan(int(v)),
    "date": lambda v: _fmt_date(v if isinstance(v, date | datetime) else date.fromisoformat(str(v)[:10])),
    "check": lambda v: "☑" if v else "☐",
}


# --- context lookup ----------------------------------------------------------------------------


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, _MISSING)
    if isinstance(obj, list | tuple) and key.isdigit():
        i = int(key)
        return obj[i] if i < len(obj) else _MISSING
    return getattr(obj, key, _MISSING) if not isinstance(obj, str | int | float) else _MISSING


def resolve(path: str, stack: list[Any]) -> Any:
    """Look ``a.b.c`` up in the innermost context that has ``a``; ``_MISSING`` when nothing has it."""
    head, *rest = path.split(".")
    for ctx in reversed(stack):
        value = _get(ctx, head)
        if value is _MISSING:
            continue
        for part in rest:
            if value is None or value is _MISSING:
                return _MISSING
            value = _get(value, part)
        return value
    return _MISSING


def is_empty(value: Any) -> bool:
    return (
        value is _MISSING
        or value is None
        or value == ""
        or value == []
        or value is False
        or (isinstance(value, str) and not value.strip())
    )


def lookup(path: str, context: dict) -> Any:
    """Public lookup (used by the required-fields check): ``None`` when absent."""
    v = resolve(path, [context])
    return None if v is _MISSING else v


def _render_tag(m: re.Match, stack: list[Any]) -> str:
    value = resolve(m.group(2), stack)
    filters = [f.strip() for f in m.group(3).split("|") if f.strip()]
    if filters and not is_empty(value) or (filters == ["check"]):
        try:
            for name in filters:
                fn = FILTERS.get(name)
                if fn is None:
                    return BLANK
                value = fn(None if value is _MISSING else value)
        except (TypeError, ValueError, ArithmeticError):
            return BLANK
    return format_value(value)


# --- XML helpers -------------------------------------------------------------------------------


def _paragraph_texts(p) -> list:
    return [t for t in p.iter(W_T)]


def normalise_paragraph(p) -> None:
    """Move every ``{{…}}`` that spans several ``w:t`` into the one where it starts."""
    ts = _paragraph_texts(p)
    if len(ts) < 2:
        return
    texts = [t.text or "" for t in ts]
    full = "".join(texts)
    if "{{" not in full:
        return
    bounds = []
    pos = 0
    for s in texts:
        bounds.append((pos, pos + len(s)))
        pos += len(s)
    spans = [(m.start(), m.end()) for m in ANY_TAG_RE.finditer(full)]
    if not spans:
        return
    # Rebuild each w:t's text: characters of a tag go to the w:t where the tag starts.
    ti = 0
    char_owner = []
    for i in range(len(full)):
        while bounds[ti][1] <= i:
            ti += 1
        char_owner.append(ti)
    owner = char_owner[:]
    for start, end in spans:
        for i in range(start, end):
            owner[i] = char_owner[start]
    new_texts = [""] * len(ts)
    for i, ch in enumerate(full):
        new_texts[owner[i]] += ch
    for t, s in zip(ts, new_texts, strict=True):
        if s != (t.text or ""):
            t.text = s
            t.set(XML_SPACE, "preserve")


def _iter_paragraphs(elements: Iterable) -> Iterator:
    for el in elements:
        yield from el.iter(W_P)


def _ancestor(el, tag):
    node = el.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _ancestors(el) -> list:
    out = []
    node = el
    while node is not None:
        out.append(node)
        node = node.getparent()
    return out


def _only_marker(p) -> bool:
    text = "".join(t.text or "" for t in p.iter(W_T))
    return bool(text.strip()) and not ANY_TAG_RE.sub("", text).strip() and len(ANY_TAG_RE.findall(text)) == 1


# --- the renderer ------------------------------------------------------------------------------


class Renderer:
    def __init__(self, context: dict):
        self.base = context
        self.done: set = set()  # roots of already-rendered section copies; outer passes skip them

    # tags in document order within ``elements``, skipping rendered copies
    def _texts(self, elements: Iterable) -> Iterator:
        for el in elements:
            if el in self.done:
                continue
            stack = [el]
            while stack:
                node = stack.pop()
                if node in self.done:
                    continue
                if node.tag == W_T:
                    yield node
                    continue
                stack.extend(reversed(list(node)))

    def render(self, elements: list, stack: list[Any]) -> None:
        for p in list(_iter_paragraphs(elements)):
            normalise_paragraph(p)
        self._sections(elements, stack)
        self._fill(elements, stack)

    def _fill(self, elements: list, stack: list[Any]) -> None:
        for t in list(self._texts(elements)):
            text = t.text or ""
            if "{{" not in text:
                continue
            new = TAG_RE.sub(lambda m: _render_tag(m, stack) if not m.group(1) else "", text)
            new = ANY_TAG_RE.sub(BLANK, new)  # anything malformed is never shown raw
            self._set_text(t, new)

    @staticmethod
    def _set_text(t, text: str) -> None:
        """Set a ``w:t`` text; line breaks become ``w:br`` in the same run."""
        lines = text.split("\n")
        t.text = lines[0]
        t.set(XML_SPACE, "preserve")
        anchor = t
        for line in lines[1:]:
            br = etree.Element(W_BR)
            anchor.addnext(br)
            nt = etree.Element(W_T)
            nt.text = line
            nt.set(XML_SPACE, "preserve")
            br.addnext(nt)
            anchor = nt

    def _sections(self, elements: list, stack: list[Any]) -> None:
        while True:
            opener = None
            for t in self._texts(elements):
                m = OPEN_RE.search(t.text or "")
                if m:
                    opener = (t, m)
                    break
            if opener is None:
                self._check_stray_close(elements)
                return
            t_open, m = opener
            kind, name = m.group(1), m.group(2)
            t_close, m_close = self._find_close(elements, t_open, m, name)
            value = resolve(name, stack)
            if kind == "^":
                items = [None] if is_empty(value) else []
            elif isinstance(value, list | tuple):
                items = list(value)
            else:
                items = [] if is_empty(value) else [value if isinstance(value, dict) else None]
            p_open, p_close = _ancestor(t_open, W_P), _ancestor(t_close, W_P)
            if p_open is p_close:
                self._inline(p_open, t_open, m, t_close, m_close, items, stack)
            else:
                self._block(elements, t_open, m, t_close, m_close, items, stack)

    def _check_stray_close(self, elements) -> None:
        for t in self._texts(elements):
            for m in TAG_RE.finditer(t.text or ""):
                if m.group(1) == "/":
                    raise TemplateSyntaxError(f"模板中“{m.group(0)}”没有对应的开始标记")

    def _find_close(self, elements, t_open, m_open, name):
        depth = 0
        started = False
        for t in self._texts(elements):
            text = t.text or ""
            for m in TAG_RE.finditer(text):
                if not started:
                    if t is t_open and m.start() == m_open.start():
                        started = True
                    continue
                if m.group(2) != name:
                    continue
                if m.group(1) in "#^" and m.group(1):
                    depth += 1
                elif m.group(1) == "/":
                    if depth == 0:
                        return t, m
                    depth -= 1
        raise TemplateSyntaxError(f"模板中“{m_open.group(0)}”没有对应的结束标记“{{{{/{name}}}}}”")

    def _inline(self, p, t_open, m_open, t_close, m_close, items, stack) -> None:
        """Both markers in one paragraph: repeat the text between them (plain text of those runs)."""
        ts = _paragraph_texts(p)
        i0, i1 = ts.index(t_open), ts.index(t_close)
        if i0 == i1:
            inner = (t_open.text or "")[m_open.end() : m_close.start()]
        else:
            inner = (
                (t_open.text or "")[m_open.end() :]
                + "".join(t.text or "" for t in ts[i0 + 1 : i1])
                + (t_close.text or "")[: m_close.start()]
            )
        rendered = "".join(self._render_text(inner, stack, item, n) for n, item in enumerate(items))
        tail = (t_close.text or "")[m_close.end() :]
        if i0 == i1:
            t_open.text = (t_open.text or "")[: m_open.start()] + _Protected.wrap(rendered) + tail
        else:
            t_open.text = (t_open.text or "")[: m_open.start()] + _Protected.wrap(rendered)
            for t in ts[i0 + 1 : i1]:
                t.text = ""
            t_close.text = tail
        t_open.set(XML_SPACE, "preserve")

    def _render_text(self, text: str, stack, item, n: int) -> str:
        inner_stack = [*stack, {"loop": {"index": n + 1}}] + ([item] if item is not None else [])
        # nested inline sections
        out = self._inline_text_sections(text, inner_stack)
        return TAG_RE.sub(lambda m: _render_tag(m, inner_stack) if not m.group(1) else "", out)

    def _inline_text_sections(self, text: str, stack) -> str:
        while True:
            m = OPEN_RE.search(text)
            if not m:
                return text
            close = re.search(r"\{\{\s*/\s*" + re.escape(m.group(2)) + r"\s*\}\}", text[m.end() :])
            if not close:
                raise TemplateSyntaxError(f"模板中“{m.group(0)}”没有对应的结束标记")
            inner = text[m.end() : m.end() + close.start()]
            value = resolve(m.group(2), stack)
            if m.group(1) == "^":
                items = [None] if is_empty(value) else []
            elif isinstance(value, list | tuple):
                items = list(value)
            else:
                items = [] if is_empty(value) else [value if isinstance(value, dict) else None]
            rendered = "".join(self._render_text(inner, stack, it, n) for n, it in enumerate(items))
            text = text[: m.start()] + rendered + text[m.end() + close.end() :]

    def _block(self, elements, t_open, m_open, t_close, m_close, items, stack) -> None:
        tr_open, tr_close = _ancestor(t_open, W_TR), _ancestor(t_close, W_TR)
        if tr_open is not None and tr_close is not None and tr_open.getparent() is tr_close.getparent():
            first, last = tr_open, tr_close
        else:
            a_open, a_close = _ancestors(t_open), _ancestors(t_close)
            common = next(a for a in a_open if a in set(a_close))
            first = a_open[a_open.index(common) - 1]
            last = a_close[a_close.index(common) - 1]
        parent = first.getparent()
        children = list(parent)
        block = children[children.index(first) : children.index(last) + 1]
        # strip the markers in the template block
        t_open.text = (t_open.text or "")[: m_open.start()] + (t_open.text or "")[m_open.end() :]
        if t_close is t_open:
            raise TemplateSyntaxError("模板区段标记位置有误")
        t_close.text = (t_close.text or "")[: m_close.start()] + (t_close.text or "")[m_close.end() :]
        drop = []
        if first.tag == W_P and not _has_text(first):
            drop.append(0)
        if last.tag == W_P and not _has_text(last) and len(block) > 1:
            drop.append(len(block) - 1)
        template = [el for i, el in enumerate(block) if i not in drop]
        for n, item in enumerate(items):
            copies = [copy.deepcopy(el) for el in template]
            for c in copies:
                first.addprevious(c)
            inner_stack = [*stack, {"loop": {"index": n + 1}}] + ([item] if item is not None else [])
            self.render(copies, inner_stack)
            self.done.update(copies)
        for el in block:
            parent.remove(el)
        # detached nodes must leave the scope's list, or the next scan would find their markers again
        for el in block:
            if el in elements:
                elements.remove(el)
        # a table whose rows were all section rows and the list was empty: drop the table
        if parent.tag == W_TBL and not parent.findall(W_TR):
            holder = parent.getparent()
            if holder is not None and holder.tag != qn("w:tc"):
                holder.remove(parent)
                if parent in elements:
                    elements.remove(parent)


def _has_text(p) -> bool:
    return bool("".join(t.text or "" for t in p.iter(W_T)).strip())


class _Protected:
    """Inline-section output is final text; keep any ``{{`` that came from a value from being parsed
    again (it would otherwise render as a blank in the fill pass, which is also acceptable)."""

    @staticmethod
    def wrap(text: str) -> str:
        return text.replace("{{", "｛｛").replace("}}", "｝｝")


# --- documents ---------------------------------------------------------------------------------


def _parts_roots(document) -> list:
    roots = [document.element.body]
    for section in document.sections:
        for hf in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            try:
                if not hf.is_linked_to_previous:
                    roots.append(hf._element)
            except (AttributeError, ValueError):
                continue
    seen, out = set(), []
    for r in roots:
        if id(r) not in seen:
            seen.add(id(r))
            out.append(r)
    return out


# --- compiled templates (parsed once, copied per render) --------------------------------------------
#
# python-docx opens a DOCX by unzipping it and parsing every XML part, and saves it by serialising every
# part again: most of a render's time, for parts a render never changes (styles, numbering, fonts,
# settings). A template is therefore compiled once per content digest: the parts that carry text (the
# body and the headers/footers in use) are parsed and normalised, every other part is zipped once into a
# "base" archive. A render deep-copies the parsed parts, fills the copies, and appends them to a copy of
# the base archive. The cache is keyed by the template's digest, read on every render, so a bureau's
# replaced template (same file name, new content) is picked up at once.

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_CACHE_MAX = 64


class CompiledTemplate:
    __slots__ = ("digest", "base", "parts")

    def __init__(self, digest: str, base: bytes, parts: list[tuple[str, zipfile.ZipInfo, Any]]):
        self.digest = digest
        self.base = base  # a DOCX zip holding every part a render does not change
        self.parts = parts  # (zip member name, its ZipInfo, parsed and normalised XML root)


_compiled: OrderedDict[str, CompiledTemplate] = OrderedDict()
_compiled_lock = threading.Lock()


def _compile(data: bytes, digest: str) -> CompiledTemplate:
    document = Document(io.BytesIO(data))  # validates the package and finds the parts in use
    roots = _parts_roots(document)
    by_element = {}
    for part in document.part.package.iter_parts():
        el = getattr(part, "_element", None)
        if el is not None:
            by_element[id(el)] = str(part.partname).lstrip("/")
    names = []
    for root in roots:
        owner = root.getroottree().getroot()
        name = by_element.get(id(owner))
        if name is None:  # pragma: no cover - every root lives in a part
            raise TemplateSyntaxError("模板结构无法识别")
        if name not in names:
            names.append(name)
    parts = []
    base = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename in names:
                tree = etree.fromstring(blob, _XML_PARSER)
                for p in tree.iter(W_P):
                    normalise_paragraph(p)
                parts.append((info.filename, info, tree))
            else:
                out.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED)
    return CompiledTemplate(digest, base.getvalue(), parts)


def compiled_template(data: bytes) -> CompiledTemplate:
    """The compiled form of the template ``data`` (cached by content digest, LRU of 64)."""
    from zhifa.core.crypto import digest_bytes

    digest = digest_bytes(data)
    with _compiled_lock:
        hit = _compiled.get(digest)
        if hit is not None:
            _compiled.move_to_end(digest)
            return hit
    compiled = _compile(data, digest)
    with _compiled_lock:
        _compiled[digest] = compiled
        while len(_compiled) > _CACHE_MAX:
            _compiled.popitem(last=False)
    return compiled


def template_cache_clear() -> None:
    with _compiled_lock:
        _compiled.clear()


def _render_roots(tree) -> list:
    body = tree.find(qn("w:body")) if tree.tag == qn("w:document") else None
    return [body if body is not None else tree]


def render_compiled(compiled: CompiledTemplate, context: dict) -> bytes:
    renderer = Renderer(context)
    rendered = []
    for _name, info, tree in compiled.parts:
        copy_ = copy.deepcopy(tree)
        for root in _render_roots(copy_):
            # work on the root's children so that a section can add/remove top-level paragraphs/tables
            renderer.render(list(root), [context])
        rendered.append((info, etree.tostring(copy_, encoding="UTF-8", standalone=True)))
    out = io.BytesIO(compiled.base)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        for info, blob in rendered:
            z.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render_docx(template: Path | str | bytes, context: dict) -> bytes:
    """Render a template file (path or bytes) with ``context``; returns the DOCX bytes."""
    data = template if isinstance(template, bytes) else Path(template).read_bytes()
    return render_compiled(compiled_template(data), context)


def placeholders_in(template: Path | str | bytes) -> list[str]:
    """The distinct tag names a template uses (normalised, in document order)."""
    src = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    document = Document(src)
    names: list[str] = []
    for root in _parts_roots(document):
        for p in root.iter(W_P):
            normalise_paragraph(p)
            for t in p.iter(W_T):
                for m in TAG_RE.finditer(t.text or ""):
                    key = (m.group(1) if m.group(1) in "#^" and m.group(1) else "") + m.group(2)
                    if m.group(1) != "/" and key not in names:
                        names.append(key)
    return names


def docx_text(data: bytes) -> str:
    """All the text of a DOCX (paragraphs, tables, headers/footers), for tests and search."""
    document = Document(io.BytesIO(data))
    lines = []
    for root in _parts_roots(document):
        for p in root.iter(W_P):
            chunks = []
            for node in p.iter(W_T, W_BR):
                chunks.append("\n" if node.tag == W_BR else (node.text or ""))
            lines.append("".join(chunks))
    return "\n".join(lines)
