"""A small same-origin crawler over Django's test client, and the visible text of a page.

Used by the crawl tests: every page reachable from the navigation answers without a 404 or 5xx, and
no page shows a person our internal codes. Bounded: a depth, a page budget, and at most a few
instances of one URL shape (``/cases/12/`` and ``/cases/13/`` are the same view).
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

# Paths that end a session or only make sense as a form's POST target.
SKIP_PREFIXES = ("/logout/", "/static/")
_NUMBER = re.compile(r"\d+")


class _PageParser(HTMLParser):
    """Collects links, GET form actions (with the form's default values) and the visible text (without
    scripts, styles, attributes, nor what an element marked ``data-verbatim`` holds: see codes.py)."""

    _HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden_depth = 0
        self._verbatim: list[str] = []  # open elements marked data-verbatim (see codes.py)
        self._form: dict | None = None
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-verbatim" in a:
            self._verbatim.append(tag)
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"action": a.get("action") or "", "fields": []} if method == "get" else None
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button", "file", "image"}:
                self._form["fields"].append((a["name"], a.get("value") or ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif self._select is not None and tag == "option":
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value") or ""

    def handle_endtag(self, tag):
        if self._verbatim and tag == self._verbatim[-1]:
            self._verbatim.pop()
        if tag in self._HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag == "select" and self._select is not None:
            if self._form is not None:
                self._form["fields"].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "form" and self._form is not None:
            fields = [(k, v) for k, v in self._form["fields"] if v != ""]
            action = self._form["action"]
            self.links.append(f"{action.split('?')[0]}?{urlencode(fields)}" if fields else (action or "?"))
            self._form = None

    def handle_data(self, data):
        if not self._hidden_depth and not self._verbatim:
            self.text.append(data)


def parse_page(html: str) -> tuple[list[str], str]:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.links, " ".join(" ".join(parser.text).split())


def url_shape(url: str) -> str:
    """``/cases/12/?page=2&q=x`` → ``/cases/#/?page&q``: the view and which filters, not the values."""
    parts = urlsplit(url)
    keys = "&".join(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return _NUMBER.sub("#", parts.path) + ("?" + keys if keys else "")


@dataclass
class Page:
    url: str
    status: int
    referrer: str
    content_type: str = ""
    text: str = ""
    seconds: float = 0.0  # reported (slowest pages), never asserted


@dataclass
class CrawlResult:
    pages: list[Page] = field(default_factory=list)

    def failures(self) -> list[str]:
        return [f"{p.status} {p.url} (linked from {p.referrer})" for p in self.pages
                if p.status == 404 or p.status >= 500]


def crawl(client, starts: tuple[str, ...] = ("/",), *, depth: int = 2, max_pages: int = 200, per_shape: int = 2) -> CrawlResult:
    """Breadth-first from ``starts``: follow same-origin links and GET forms ``depth`` hops deep."""
    result = CrawlResult()
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue: deque[tuple[str, int, str]] = deque((s, 0, "(start)") for s in starts)
    while queue and len(result.pages) < max_pages:
        url, level, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        started = time.perf_counter()
        response = client.get(url)
        page = Page(url, response.status_code, referrer, response.get("Content-Type", ""),
                    seconds=time.perf_counter() - started)
        result.pages.append(page)
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_origin(url, response["Location"])
            if target and target not in seen:
                queue.appendleft((target, level, url))
            continue
        if response.status_code != 200 or not page.content_type.startswith("text/html"):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        links, page.text = parse_page(body.decode("utf-8", "replace"))
        if level >= depth:
            continue
        for href in links:
            target = _same_origin(url, href)
            if not target or target in seen:
                continue
            shape = url_shape(target)
            if shapes[shape] >= per_shape:
                continue
            shapes[shape] += 1
            queue.append((target, level + 1, url))
    return result


def _same_origin(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    absolute = urljoin("http://testserver" + base, href)
    parts = urlsplit(absolute)
    if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")
