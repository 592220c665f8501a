"""Generic cleaning of raw field values (a CSV row, a form, a JSON body) into typed values, with a Chinese
reason per field: text, choices, dates, integers and the identifiers of :mod:`zhifa.core.identifiers`.

Every app's importers, forms and API use these, so that one place decides what a valid date or 统一社会信用代码
is; the per-kind rules (what a valid vehicle or licence is) live with the app that owns the kind
(e.g. :mod:`zhifa.registry.cleaning`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import models

from zhifa.core.exports import import_text_error
from zhifa.core.identifiers import (
    expected_colors,
    parse_plate_color,
    validate_idcard,
    validate_plate,
    validate_uscc,
)


class Invalid(ValueError):
    def __init__(self, field: str, reason: str):
        super().__init__(f"{reason}")
        self.field = field
        self.reason = reason


def text(raw: dict, key: str, label: str, *, required: bool = False, max_len: int = 200,
         name: bool = False) -> str:
    """A text field; never with a NUL. ``name=True`` for a name (企业名称, 姓名, 法定代表人, 发证机关):
    a value a spreadsheet would evaluate as a formula (``=HYPERLINK(…)``) cannot be one, and is refused
    rather than stored and exported (issue 16 item 1)."""
    value = (raw.get(key) or "").strip()
    if required and not value:
        raise Invalid(key, f"{label}不能为空")
    if len(value) > max_len:
        raise Invalid(key, f"{label}不能超过 {max_len} 个字符")
    reason = import_text_error(value, label) if name or "\x00" in value else ""
    if reason:
        raise Invalid(key, reason)
    return value


def choice(raw: dict, key: str, label: str, choices: type[models.TextChoices], *, default: str | None = None,
           aliases: dict[str, str] | None = None) -> str:
    value = (raw.get(key) or "").strip()
    if not value:
        if default is not None:
            return default
        raise Invalid(key, f"{label}不能为空")
    if value in choices.values:
        return value
    for v, lab in choices.choices:
        if value == lab:
            return v
    if aliases and value in aliases:
        return aliases[value]
    raise Invalid(key, f"{label}“{value}”无效，应为：{'、'.join(choices.labels)}")


_DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


def parse_date(value: str) -> date:
    value = value.strip()
    for fmt in _DATE_PATTERNS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def date_field(raw: dict, key: str, label: str, *, required: bool = True) -> date | None:
    value = (raw.get(key) or "").strip()
    if not value:
        if required:
            raise Invalid(key, f"{label}不能为空")
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise Invalid(key, f"{label}“{value}”不是有效日期（格式如 2026-03-01）") from None


def int_field(raw: dict, key: str, label: str, *, lo: int, hi: int, required: bool = False) -> int | None:
    value = (raw.get(key) or "").strip()
    if not value:
        if required:
            raise Invalid(key, f"{label}不能为空")
        return None
    if not re.fullmatch(r"\d+", value):
        raise Invalid(key, f"{label}“{value}”应为整数")
    n = int(value)
    if not lo <= n <= hi:
        raise Invalid(key, f"{label}应在 {lo} 到 {hi} 之间，实为 {n}")
    return n


def uscc_field(raw: dict, key: str = "uscc", label: str = "统一社会信用代码", *, required: bool = True) -> str:
    value = (raw.get(key) or "").strip()
    if not value and not required:
        return ""
    check = validate_uscc(value)
    if not check:
        raise Invalid(key, f"{label}无效：{check.reason}")
    return check.value


def idcard_field(raw: dict, key: str = "idcard", label: str = "身份证号码") -> str:
    check = validate_idcard(raw.get(key) or "")
    if not check:
        raise Invalid(key, f"{label}无效：{check.reason}")
    return check.value


def plate_fields(raw: dict, plate_key: str = "plate", color_key: str = "plate_color") -> tuple[str, str]:
    check = validate_plate(raw.get(plate_key) or "")
    if not check:
        raise Invalid(plate_key, f"车牌号无效：{check.reason}")
    color_raw = (raw.get(color_key) or "").strip()
    if not color_raw:
        raise Invalid(color_key, "车牌颜色不能为空")
    try:
        color = parse_plate_color(color_raw)
    except ValueError as e:
        raise Invalid(color_key, str(e)) from None
    allowed = expected_colors(check.value)
    if allowed and color not in allowed:
        raise Invalid(color_key, f"车牌 {check.value} 的颜色不应为{color.label}（应为"
                                 f"{'或'.join(c.label for c in sorted(allowed, key=str))}）")
    return check.value, color.value
