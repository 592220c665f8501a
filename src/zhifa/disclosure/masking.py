"""The ONE masking layer: internal data items -> the stored 公示版 (security.md B3, procedure.md §3.3).

Rules (provincial 《行政处罚结果信息网上公开暂行办法》§5/§7 [S]; 处罚法 Art 50; PIPL §25/§34):
* only the national data items listed in ``disclosure.rules.ITEMS`` leave; anything else is dropped;
* a natural person's ID number is never published (not even masked): the code item is dropped for
  persons, and ID-shaped numbers are removed from every text;
* phone numbers, bank accounts, e-mail addresses and long digit runs are removed from every text;
* the known personal data of the case (party address, phone, ID number, names of third parties) are
  removed wherever they appear;
* a natural person's name follows ``ZHIFA_DISCLOSURE_PERSON_NAME`` ("mask": 张* by
  ``zhifa.core.identifiers.mask_name``; "full": as recorded);
* the plate follows ``ZHIFA_DISCLOSURE_PLATE`` ("full" default: operating vehicles' plates; "mask").
Minors' cases and cases involving secrets or privacy never reach this layer (``not_public_reason``).
"""

from __future__ import annotations

import os
import re

from zhifa.core.identifiers import mask_name, validate

from . import rules

REMOVED = "［已隐去］"
THIRD_PARTY = "某某"
PLATE_RULE = os.environ.get("ZHIFA_DISCLOSURE_PLATE", "full")

_PATTERNS = [
    re.compile(r"[0-9０-９]{6}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]"),  # 18-digit ID
    re.compile(r"[0-9Xx０-９]{12,}"),  # 15-digit IDs, bank accounts, any long digit run
    re.compile(r"(?<![0-9])1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4}(?![0-9])"),  # mobile
    re.compile(r"(?<![0-9])0[0-9]{2,3}[ \-]?[0-9]{7,8}(?![0-9])"),  # landline
    re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),  # e-mail
    re.compile(r"(?:[0-9]{4}[ \-]){3,4}[0-9]{1,4}"),  # grouped card numbers
]


def scrub(text: object, *, secrets: list[str] = (), names: list[str] = ()) -> str:
    """Remove personal data from one free text."""
    if text is None:
        return ""
    out = str(text)
    for s in sorted({s for s in secrets if s and len(s) >= 2}, key=len, reverse=True):
        out = out.replace(s, REMOVED)
    for n in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        out = out.replace(n, THIRD_PARTY)
    for p in _PATTERNS:
        out = p.sub(REMOVED, out)
    return out


_KIND_KEYS = {
    "person": "person",
    "自然人": "person",
    "org": "org",
    "法人及非法人组织": "org",
    "individual": "individual",
    "个体工商户": "individual",
}


def _public_name(name: str, subject_kind: str) -> str:
    if subject_kind == "person" and rules.PERSON_NAME_RULE != "full":
        return mask_name(name)
    return name


def _public_plate(plate: str) -> str:
    if not plate:
        return ""
    if PLATE_RULE == "mask":
        return plate[:2] + "*" * (len(plate) - 4) + plate[-2:] if len(plate) > 4 else "*" * len(plate)
    return plate


def _org_code(code: str) -> str:
    """Only a valid 统一社会信用代码 of an organisation is published (never an ID number)."""
    code = (code or "").strip().upper()
    if not code or not validate("uscc", code).ok or validate("idcard", code).ok:
        return ""
    return code


_NUMBER = re.compile(r"[0-9A-Za-z\-]{1,40}")


def _public_number(value: str, *, secrets: list[str], names: list[str]) -> str:
    """A certificate number (许可编号): published as is when it is a plain number that is not an ID number,
    a mobile number or a known personal datum (a 从业资格证号 is often the holder's ID number); anything
    else is scrubbed like free text."""
    value = value.strip()
    if _NUMBER.fullmatch(value) and value not in secrets:
        id_or_phone = validate("idcard", value).ok or any(_PATTERNS[i].search(value) for i in (0, 2, 3))
        # 15 or more digits: a 15-digit ID number or a bank account, never published
        return "" if id_or_phone or (value.isdigit() and len(value) >= 15) else value
    return scrub(value, secrets=secrets, names=names)


def public_version(kind: str, items: dict, *, secrets: list[str] = (), names: list[str] = ()) -> dict:
    """The 公示版 of ``items``: whitelisted data items only, each masked by its rule."""
    subject_kind = _KIND_KEYS.get(items.get("subject_kind", ""), "")
    person_name = items.get("subject_name", "") if subject_kind == "person" else ""
    # the party's own name is published per the name rule; elsewhere in texts it follows the same rule
    name_secrets = list(secrets)
    if person_name and rules.PERSON_NAME_RULE != "full":
        name_secrets.append(person_name)
    out: dict[str, str] = {}
    for key, _label, _required in rules.ITEMS[kind]:
        value = items.get(key)
        if value in (None, ""):
            continue
        if key == "subject_name":
            out[key] = scrub(_public_name(str(value), subject_kind), secrets=secrets, names=names)
        elif key == "subject_code":
            if subject_kind != "person":
                out[key] = _org_code(str(value))
        elif key in ("agency_code", "source_unit_code"):
            out[key] = _org_code(str(value))
        elif key == "permit_no":
            out[key] = _public_number(str(value), secrets=name_secrets, names=names)
        elif key == "legal_rep":
            if subject_kind == "org":
                out[key] = scrub(value, secrets=secrets, names=names)
        elif key == "plate":
            out[key] = _public_plate(str(value))
        elif key == "subject_kind":
            out[key] = str(value) if str(value) in _KIND_KEYS else ""
        else:
            out[key] = scrub(value, secrets=name_secrets, names=names)
    return {k: v for k, v in out.items() if v != ""}


def missing_items(kind: str, items: dict) -> list[str]:
    """Labels of required data items that are empty (the record is held back, never half-published)."""
    return [label for key, label, required in rules.ITEMS[kind] if required and items.get(key) in (None, "")]


def public_subject_name(name: str, *, person: bool) -> str:
    """A subject's name as the public may see it (credit grades, lists): the person-name rule applies."""
    return scrub(_public_name(name, "person" if person else "org"))
