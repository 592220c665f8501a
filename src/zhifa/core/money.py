"""Money for people: amounts are stored as integer fen (分) and entered and read in yuan (元) with two
decimals. One parser (:func:`parse_yuan`) for every form and import, one formatter (:func:`yuan_text`,
the template filter ``yuan``) for every page and document,. The capital amount (大写) a decision states is the
documents renderer's ``upper_yuan`` filter (``zhifa.documents.render``).

The conversion is exact (``Decimal``, never ``float``): "1,234.50" → 123450 fen; full-width digits and
separators ("１，２３４．５０") are tolerated; more than two decimals, a negative or a non-number is refused
with a Chinese reason."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation


class MoneyError(ValueError):
    """A yuan amount that cannot be read; ``str(e)`` is the Chinese reason."""


_YUAN = re.compile(r"\d+(\.\d{1,2})?|\.\d{1,2}")


def parse_yuan(text: str | int | Decimal, *, label: str = "金额") -> int:
    """A yuan amount typed by a person as integer fen: "2,000.50" → 200050, "3000" → 300000."""
    if isinstance(text, bool):
        raise MoneyError(f"{label}应为金额（元）")
    raw = unicodedata.normalize("NFKC", str(text)).strip()  # full-width digits, ．，
    raw = raw.replace(",", "").replace("，", "").replace(" ", "").removeprefix("¥").removesuffix("元")
    if not raw:
        raise MoneyError(f"{label}不能为空")
    if raw.startswith("-"):
        raise MoneyError(f"{label}不能为负数")
    if not _YUAN.fullmatch(raw):
        if re.fullmatch(r"\d*\.\d{3,}", raw):
            raise MoneyError(f"{label}“{text}”最多保留两位小数（元，精确到分）")
        raise MoneyError(f"{label}“{text}”不是有效金额（元），例如 2,000.50")
    try:
        fen = Decimal(raw) * 100
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise MoneyError(f"{label}“{text}”不是有效金额（元）") from None
    return int(fen)


def yuan_plain(fen: int | None) -> str:
    """200050 → "2,000.50" (no unit); ``None`` → ""."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def yuan_text(fen: int | None) -> str:
    """200050 → "2,000.50元"; ``None`` → "—"."""
    return "—" if fen is None else f"{yuan_plain(fen)}元"
