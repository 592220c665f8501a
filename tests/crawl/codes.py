"""Internal codes a person must never read on a page: what the text test looks for, and the few
things that look like codes but are what a person legitimately sees."""

from __future__ import annotations

import re
from functools import cache

# Each pattern names what it catches; the test reports the name, the match and the URL.
PATTERNS: dict[str, re.Pattern[str]] = {
    # case.view, cases.case, overload.lead#12, evidence.evidenceitem
    "dotted code": re.compile(r"(?<![\w./@-])[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+(?:#\d+)?(?![\w@-])"),
    # altitude_max_m, no_penalty, chinese_calendar, heavy_truck
    "snake_case name": re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])"),
    "ZHIFA_ setting": re.compile(r"\bZHIFA_[A-Z0-9_]*"),
    # DemoInspections(items=4, …), <Case object at 0x…>, <QuerySet […]>
    "Python repr": re.compile(r"\b[A-Z][A-Za-z]+\(\w+=|<[A-Z]\w* (?:object|at) |<QuerySet\b"),
    "our reference file": re.compile(r"(?<![\w)])[A-Za-z0-9_-]+\.(?:md|py|ya?ml|toml)\b|shared/domain|domain/\w",
                                     re.ASCII),
    # comma lists of enum values: "coach,charter,dangerous"
    "enum value list": re.compile(r"(?<![\w./-])[a-z]{3,}(?:,[a-z]{3,})+(?![\w-])"),
    "raw key=value": re.compile(r"(?<![\w-])[a-z][a-z_]*=[^\s；;,，]+"),
    "library name": re.compile(r"\b(?:chinese_calendar|chinesecalendar|django|pydantic|duckdb|pyarrow|docxtpl|"
                               r"python-docx|openpyxl|gunicorn|whitenoise|htmx)\b", re.IGNORECASE),
}

# What looks like a code but is what a person sees; each entry says why.
ALLOWED: dict[str, str] = {
    # The demo accounts' login names: what those people type on the login page (also Role codes, which
    # the crawl would otherwise catch printed instead of a role's name).
    **{name: "a demo account's login name" for name in
       ("reviewer_city", "officer", "head", "sysadmin", "secadmin", "auditadmin")},
}
# The other allowed case is markup, not a list: an element marked ``data-verbatim`` holds text a person
# copies literally into a file or an app of their own: the ``{{ case.number }}`` markers and file names
# a bureau writes into its replacement DOCX templates (文书模板), the road-class codes of a 路段限速
# GeoJSON file and its import command, the otpauth address pasted into an authenticator app, and the
# stored detail of an audit record as the hash chain holds it (the 审计管理员 compares it with an
# export; the page names its usual fields in words above it), and on 开放接口说明 the methods, addresses
# and field names a developer of a machine client types. The
# crawler leaves such elements out.

# File names a person uploaded or downloads keep their extension: a dotted name with one of these is
# the name of their file, not our code.
USER_FILE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "pdf", "docx", "doc", "xlsx", "xls", "csv", "mp4",
                        "mov", "avi", "mp3", "wav", "zip", "txt", "ofd", "json", "parquet"}


# A web address cited as a source of a law text (``jianbiaoku.com``) is a place a person can visit.
WEB_DOMAINS = {"com", "cn", "org", "net"}


_WORD = re.compile(r"(?<![\w./@:-])[a-z][a-z0-9]{2,}(?![\w.@:/-])", re.ASCII)


@cache
def enum_codes() -> frozenset[str]:
    """Every stored choice value of our models (``passenger``, ``freight``, ``pending``…): shown alone, it
    is an enum value printed instead of its label."""
    from django.apps import apps

    codes = set()
    for model in apps.get_models():
        if not model.__module__.startswith("zhifa."):
            continue
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "flatchoices", None) or ():
                if isinstance(value, str) and _WORD.fullmatch(value):
                    codes.add(value)
    return frozenset(codes)


def internal_codes(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [("enum value", m.group(0)) for m in _WORD.finditer(text)
                                    if m.group(0) in enum_codes() and m.group(0) not in ALLOWED]
    for name, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            token = m.group(0)
            if token in ALLOWED:
                continue
            if name == "dotted code" and token.rsplit(".", 1)[-1].lower() in USER_FILE_EXTENSIONS | WEB_DOMAINS:
                continue
            found.append((name, token))
    return found
