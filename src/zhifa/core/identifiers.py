"""Validation, normalisation and masking of Chinese identifiers.

Pure Python, no Django imports, so that forms, importers, the API and the demo
data generator can all share one implementation.

Covered:

* 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015, including the
  embedded 组织机构代码 check character of GB 11714;
* 居民身份证号码 (resident identity card number), GB 11643-1999;
* 机动车号牌 (licence plates), GA 36-2018, and the plate-colour code sets used by
  JT/T 697.7-2014 (JT/T 808/809 feeds) and by toll / ETC systems;
* masking of ID numbers, phone numbers and names for public disclosure.

Sources: /work/shared/domain/enforcement-tech.md §6 ("Identifier validation") and
/work/shared/domain/security.md B3 (masking). Each rule below names its source:
the standard and the clause by its title (e.g. GB 11643-1999 "地址码"); clause
numbers are not quoted because the standard texts were not checked line by line.

Every reason a person may see is in Simplified Chinese; code and comments are in
English.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "PLATE_COLOR_JTT697",
    "PLATE_COLOR_TOLL",
    "PLATE_PROVINCES",
    "USCC_CHARSET",
    "Check",
    "PlateColor",
    "expected_colors",
    "idcard_15_to_18",
    "idcard_birth_date",
    "idcard_check_char",
    "idcard_sex",
    "mask_idcard",
    "mask_name",
    "mask_phone",
    "normalise_plate",
    "orgcode_check_char",
    "parse_plate_color",
    "plate_color_code",
    "plate_kind",
    "uscc_check_char",
    "validate",
    "validate_idcard",
    "validate_plate",
    "validate_uscc",
]


@dataclass(frozen=True)
class Check:
    """Result of a validation.

    ``value`` is the normalised input (even when ``ok`` is false), ``reason`` a
    Chinese sentence explaining the failure (empty when ``ok``).
    """

    ok: bool
    value: str
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


# ---------------------------------------------------------------------------
# Normalisation helpers
# ---------------------------------------------------------------------------

_WHITESPACE_RE = re.compile(r"\s+")


def _to_halfwidth(text: str) -> str:
    """Map full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space to ASCII."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _compact_upper(value: object) -> str:
    """Full-width to half-width, drop all whitespace, upper-case."""
    if value is None:
        return ""
    text = _to_halfwidth(str(value))
    return _WHITESPACE_RE.sub("", text).upper()


def _show(ch: str) -> str:
    """Quote a character for a message; invisible characters are shown as U+XXXX."""
    if ch.isprintable() and not ch.isspace():
        return f"“{ch}”"
    return f"“U+{ord(ch):04X}”"


def _bad_char(pos: int, ch: str, why: str) -> str:
    return f"第{pos}位字符{_show(ch)}不合法：{why}"


# ---------------------------------------------------------------------------
# 统一社会信用代码 — GB 32100-2015
# ---------------------------------------------------------------------------

# GB 32100-2015, "代码结构" and "代码字符集" clauses (enforcement-tech.md §6.1): 31
# characters, the digits and the capital letters except I, O, S, V, Z. A
# character's value is its index.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
# GB 32100-2015, "校验码" clause (computed per GB/T 17710): weights
# W_i = 3^(i-1) mod 31 for positions 1..17, C18 = 31 - (sum mod 31), with 31 -> 0.
# = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (enforcement-tech.md §6.1)
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714-1997 组织机构代码, "校验码" clause (positions 9..17 of a USCC are the
# 9-character organisation code, GB 32100-2015 "主体标识码" clause): weights
# 3 7 9 10 5 8 4 2 over its first 8 characters, digits at face value, letters
# A=10 .. Z=35;
# C = 11 - (sum mod 11), 10 -> 'X', 11 -> '0' (enforcement-tech.md §6.1).
_ORGCODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGCODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Positions 1 (登记管理部门代码) and 2 (机构类别代码) are deliberately NOT checked
# against a list: the list in enforcement-tech.md §6.1 is marked unconfirmed (⚠️),
# so any character of the charset is accepted there.


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character (position 18) for the first 17 characters."""
    body = _compact_upper(first17)
    if len(body) != 17:
        raise ValueError(f"计算统一社会信用代码校验码需要前17位，实为{len(body)}位")
    for pos, ch in enumerate(body, start=1):
        if ch not in _USCC_VALUE:
            raise ValueError(
                _bad_char(pos, ch, "统一社会信用代码只能使用数字和大写字母（不含 I、O、S、V、Z）")
            )
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def orgcode_check_char(first8: str) -> str:
    """Return the GB 11714 组织机构代码 check character for its first 8 characters.

    In a USCC these are positions 9..16 and the result is position 17.
    """
    body = _compact_upper(first8)
    if len(body) != 8:
        raise ValueError(f"计算组织机构代码校验码需要前8位，实为{len(body)}位")
    for pos, ch in enumerate(body, start=1):
        if ch not in _ORGCODE_CHARSET:
            raise ValueError(_bad_char(pos, ch, "组织机构代码只能使用数字和大写字母"))
    total = sum(_ORGCODE_CHARSET.index(ch) * w for ch, w in zip(body, _ORGCODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def validate_uscc(value: str) -> Check:
    """Validate a 统一社会信用代码 (GB 32100-2015)."""
    code = _compact_upper(value)
    if not code:
        return Check(False, code, "统一社会信用代码不能为空")
    # GB 32100-2015 "代码结构": 18 characters.
    if len(code) != 18:
        return Check(False, code, f"统一社会信用代码长度应为18位，实为{len(code)}位")
    # GB 32100-2015 "代码字符集": no I, O, S, V, Z.
    for pos, ch in enumerate(code, start=1):
        if ch not in _USCC_VALUE:
            if ch in "IOSVZ":
                why = "统一社会信用代码不使用字母 I、O、S、V、Z"
            else:
                why = "统一社会信用代码只能使用数字和大写字母（不含 I、O、S、V、Z）"
            return Check(False, code, _bad_char(pos, ch, why))
    # GB 32100-2015 "校验码": check character at position 18.
    expected18 = uscc_check_char(code[:17])
    # GB 11714 "校验码" of the embedded organisation code, position 17. Reported as
    # its own reason when only this check fails.
    expected17 = orgcode_check_char(code[8:16])
    bad18 = code[17] != expected18
    bad17 = code[16] != expected17
    if bad18 and bad17:
        return Check(
            False,
            code,
            f"校验码错误：第18位应为 {expected18}，实为 {code[17]}"
            "（第9至17位的组织机构代码校验也未通过，第9至17位可能有误）",
        )
    if bad18:
        return Check(False, code, f"校验码错误：第18位应为 {expected18}，实为 {code[17]}")
    if bad17:
        return Check(
            False,
            code,
            f"组织机构代码校验码错误（GB 11714）：第17位应为 {expected17}，实为 {code[16]}",
        )
    return Check(True, code)


# ---------------------------------------------------------------------------
# 居民身份证号码 — GB 11643-1999
# ---------------------------------------------------------------------------

# GB 11643-1999 "校验码" clause (ISO 7064:1983 MOD 11-2): weights
# 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 for positions 1..17, i.e. 2^(18-i) mod 11 for
# left-to-right position i (the "2^(17-i)" in enforcement-tech.md §6.2 is off by one;
# its listed weights are right); check = "10X98765432"[sum mod 11].
_IDCARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_IDCARD_CHECK = "10X98765432"
# GB 11643-1999 "地址码" clause: the address code is a GB/T 2260 division code. Province-level
# codes of GB/T 2260 plus 83: 港澳台居民居住证 use 810000 / 820000 / 830000 for
# Hong Kong / Macao / Taiwan residents (83 is not in GB/T 2260; accepted leniently,
# unconfirmed). Only the first two digits are checked; counties change too often to
# check the remaining four.
_IDCARD_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {"31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46"}
    | {"50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65"}
    | {"71", "81", "82", "83"}
)
_MIN_BIRTH = date(1900, 1, 1)


def idcard_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character (ISO 7064 MOD 11-2) for 17 digits."""
    body = _compact_upper(first17)
    if len(body) != 17:
        raise ValueError(f"计算身份证校验码需要前17位，实为{len(body)}位")
    for pos, ch in enumerate(body, start=1):
        if ch not in "0123456789":
            raise ValueError(_bad_char(pos, ch, "身份证号码前17位只能是数字"))
    total = sum(int(ch) * w for ch, w in zip(body, _IDCARD_WEIGHTS, strict=True))
    return _IDCARD_CHECK[total % 11]


def idcard_15_to_18(value: str) -> str:
    """Convert a legacy 15-digit number to the 18-digit form.

    The 15-digit format (GB 11643-1989 社会保障号码) is 6-digit address + YYMMDD +
    3-digit sequence; the century is taken as 19 (common practice, the 1999 foreword
    only says the year became 4 digits).
    The result is not validated here; pass it to :func:`validate_idcard`.
    """
    code = _compact_upper(value)
    if len(code) != 15 or not code.isascii() or not code.isdigit():
        raise ValueError(f"15位旧身份证号码应为15位数字，实为“{code}”")
    body = code[:6] + "19" + code[6:]
    return body + idcard_check_char(body)


def validate_idcard(value: str, *, today: date | None = None) -> Check:
    """Validate an 18-character 居民身份证号码 (GB 11643-1999).

    ``today`` (default: the current date) bounds the birth date.
    """
    code = _compact_upper(value)
    if not code:
        return Check(False, code, "身份证号码不能为空")
    if len(code) == 15 and code.isascii() and code.isdigit():
        # Legacy format (no check character, 2-digit year): rejected on purpose;
        # idcard_15_to_18() converts it.
        return Check(False, code, "15位旧号码请换算为18位")
    # GB 11643-1999 "号码的结构": 18 characters.
    if len(code) != 18:
        return Check(False, code, f"身份证号码长度应为18位，实为{len(code)}位")
    # GB 11643-1999 "号码的结构": 17 digits, then a check character 0-9 or X.
    for pos, ch in enumerate(code[:17], start=1):
        if ch not in "0123456789":
            return Check(False, code, _bad_char(pos, ch, "身份证号码前17位只能是数字"))
    if code[17] not in "0123456789X":
        return Check(False, code, _bad_char(18, code[17], "校验码只能是数字或 X"))
    # GB 11643-1999 "地址码" (GB/T 2260): first digit 1-8 is the region.
    if code[0] not in "12345678":
        return Check(False, code, f"地址码第1位应为1至8，实为“{code[0]}”")
    if code[:2] not in _IDCARD_PROVINCES:
        return Check(False, code, f"地址码前两位“{code[:2]}”不是有效的省级行政区划代码")
    # GB 11643-1999 "出生日期码": YYYYMMDD (GB/T 7408), must be a real date; not in
    # the future and not before 1900 (enforcement-tech.md §6.2).
    birth_text = code[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        return Check(False, code, f"出生日期 {birth_text} 不是真实日期")
    if birth < _MIN_BIRTH:
        return Check(False, code, f"出生日期 {birth_text} 早于1900年1月1日")
    today = today or date.today()
    if birth > today:
        return Check(False, code, f"出生日期 {birth_text} 晚于今天（{today.isoformat()}）")
    # GB 11643-1999 "校验码" (ISO 7064 MOD 11-2).
    expected = idcard_check_char(code[:17])
    if code[17] != expected:
        return Check(False, code, f"校验码错误：第18位应为 {expected}，实为 {code[17]}")
    return Check(True, code)


def _valid_idcard(value: str) -> str:
    """Normalise and validate; 15-digit legacy numbers are converted first."""
    code = _compact_upper(value)
    if len(code) == 15 and code.isascii() and code.isdigit():
        code = idcard_15_to_18(code)
    result = validate_idcard(code)
    if not result:
        raise ValueError(result.reason)
    return result.value


def idcard_birth_date(value: str) -> date:
    """Birth date of a valid ID number (15-digit legacy numbers are accepted)."""
    code = _valid_idcard(value)
    return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def idcard_sex(value: str) -> str:
    """ "男" or "女" from the sequence code: odd = male, even = female (GB 11643-1999 "顺序码")."""
    code = _valid_idcard(value)
    return "男" if int(code[16]) % 2 == 1 else "女"


# ---------------------------------------------------------------------------
# 机动车号牌 — GA 36-2018
# ---------------------------------------------------------------------------

# GA 36-2018: 31 province-level abbreviations (enforcement-tech.md §6.3 regex).
# Not covered: 使/领 (embassy/consulate), 应急, military and WJ plates.
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# GA 36-2018: letters I and O are never used (confusable with 1 and 0).
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_PLATE_DIGITS = "0123456789"
_PLATE_ALNUM = _PLATE_DIGITS + _PLATE_LETTERS
# GA 36-2018: 7-character plates whose last character is a Chinese suffix.
_PLATE_SUFFIX_KIND = {"挂": "trailer", "学": "coach", "警": "police", "港": "hk_macao", "澳": "hk_macao"}
# GA 36-2018 small NEV: serial position 1 (plate position 3) shows the energy type,
# D = battery-electric, F = non-battery-electric (confirmed). The extended pool
# A B C E (battery-electric) and G H J K (non-battery-electric) is reported but
# UNCONFIRMED (enforcement-tech.md §6.3 ⚠️, §7 item 8); accepted here.
_NEV_SMALL_ENERGY = "DF" + "ABCE" + "GHJK"
# GA 36-2018 large NEV: serial positions 1-5 digits, position 6 D or F (confirmed).
_NEV_LARGE_ENERGY = "DF"
# Separators people type inside plates: middle dots and hyphens/dashes.
_PLATE_SEPARATORS_RE = re.compile(r"[\s·•・‧∙\-‐‑‒–—]+")

_PLATE_KIND_LABELS = {
    "ordinary": "普通号牌",
    "nev_small": "小型新能源号牌",
    "nev_large": "大型新能源号牌",
    "trailer": "挂车号牌",
    "coach": "教练车号牌",
    "police": "警用号牌",
    "hk_macao": "港澳入出境车号牌",
}


def normalise_plate(value: object) -> str:
    """The one plate normalisation (every plate the platform stores or compares goes through it):
    full-width to half-width, spaces, middle dots and hyphens/dashes dropped, upper case. ``None`` → ""."""
    if value is None:
        return ""
    text = _to_halfwidth(str(value))
    return _PLATE_SEPARATORS_RE.sub("", text).upper()


def _plate_char_reason(pos: int, ch: str, expected: str) -> str:
    if ch in "IO":
        return _bad_char(pos, ch, "号牌不使用字母 I 和 O")
    if ch in _PLATE_SUFFIX_KIND:
        return _bad_char(pos, ch, f"“{ch}”只能位于7位号牌的末位")
    return _bad_char(pos, ch, expected)


def _classify_plate(plate: str) -> tuple[str | None, str]:
    """Return (kind, "") for a valid normalised plate, or (None, reason)."""
    if not plate:
        return None, "车牌号不能为空"
    first = plate[0]
    if first not in PLATE_PROVINCES:
        if "\u4e00" <= first <= "\u9fff":
            return None, f"第1位{_show(first)}不是有效的省份简称"
        return None, f"第1位应为省份简称（如“京”“粤”），实为{_show(first)}"
    if len(plate) not in (7, 8):
        return None, f"车牌号长度应为7位（普通号牌）或8位（新能源号牌），实为{len(plate)}位"
    # Position 2: 发牌机关代号, a letter (GA 36-2018). The per-province range of office
    # letters is not checked (needs the 车管所 list, enforcement-tech.md §6.3).
    if plate[1] not in _PLATE_LETTERS:
        return None, _plate_char_reason(2, plate[1], "第2位应为发牌机关代号字母")

    if len(plate) == 7:
        # Ordinary: 5-character serial of digits and letters; a suffix plate has a
        # 4-character serial and one of 挂 学 警 港 澳 last (GA 36-2018).
        for pos in range(3, 7):
            ch = plate[pos - 1]
            if ch not in _PLATE_ALNUM:
                return None, _plate_char_reason(pos, ch, "序号只能是数字或字母")
        last = plate[6]
        if last in _PLATE_SUFFIX_KIND:
            return _PLATE_SUFFIX_KIND[last], ""
        if last not in _PLATE_ALNUM:
            return None, _plate_char_reason(7, last, "末位只能是数字、字母或“挂”“学”“警”“港”“澳”")
        return "ordinary", ""

    # 8 characters: new-energy plates (GA 36-2018).
    third = plate[2]
    if third in _PLATE_DIGITS:
        # Large NEV: positions 3-7 digits, position 8 D or F.
        for pos in range(4, 8):
            ch = plate[pos - 1]
            if ch not in _PLATE_DIGITS:
                return None, _plate_char_reason(pos, ch, "大型新能源号牌第3至7位应为数字")
        if plate[7] not in _NEV_LARGE_ENERGY:
            return None, _plate_char_reason(8, plate[7], "大型新能源号牌第8位应为 D 或 F")
        return "nev_large", ""
    # Small NEV: position 3 energy letter, position 4 letter or digit, 5-8 digits.
    if third not in _NEV_SMALL_ENERGY:
        return None, _plate_char_reason(
            3,
            third,
            "新能源号牌第3位应为能源类型字母（D、F 等）或数字（大型新能源号牌）",
        )
    if plate[3] not in _PLATE_ALNUM:
        return None, _plate_char_reason(4, plate[3], "小型新能源号牌第4位应为数字或字母")
    for pos in range(5, 9):
        ch = plate[pos - 1]
        if ch not in _PLATE_DIGITS:
            return None, _plate_char_reason(pos, ch, "小型新能源号牌第5至8位应为数字")
    return "nev_small", ""


def validate_plate(value: str) -> Check:
    """Validate a licence plate number (GA 36-2018).

    Normalisation: full-width to half-width, spaces, middle dots and hyphens
    removed, upper-cased ("粤b·12345" -> "粤B12345").
    """
    plate = normalise_plate(value)
    kind, reason = _classify_plate(plate)
    if kind is None:
        return Check(False, plate, reason)
    return Check(True, plate)


def plate_kind(value: str) -> str:
    """Kind of a valid plate: 'ordinary', 'nev_small', 'nev_large', 'trailer', 'coach',
    'police' or 'hk_macao'. Raises ValueError (Chinese reason) for an invalid plate."""
    kind, reason = _classify_plate(normalise_plate(value))
    if kind is None:
        raise ValueError(reason)
    return kind


# ---------------------------------------------------------------------------
# Plate colours
# ---------------------------------------------------------------------------


class PlateColor(enum.StrEnum):
    """Canonical plate colour, stored as-is; source code sets map onto it."""

    BLUE = "blue"
    YELLOW = "yellow"
    BLACK = "black"
    WHITE = "white"
    GREEN_GRADIENT = "green_gradient"  # 渐变绿, small NEV
    YELLOW_GREEN = "yellow_green"  # 黄绿双拼, large NEV
    BLUE_WHITE = "blue_white"  # 蓝白渐变
    TEMPORARY = "temporary"  # 临时牌照
    GREEN = "green"
    RED = "red"
    OTHER = "other"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _PLATE_COLOR_LABELS[self]


_PLATE_COLOR_LABELS = {
    PlateColor.BLUE: "蓝色",
    PlateColor.YELLOW: "黄色",
    PlateColor.BLACK: "黑色",
    PlateColor.WHITE: "白色",
    PlateColor.GREEN_GRADIENT: "渐变绿色",
    PlateColor.YELLOW_GREEN: "黄绿双拼色",
    PlateColor.BLUE_WHITE: "蓝白渐变色",
    PlateColor.TEMPORARY: "临时牌照",
    PlateColor.GREEN: "绿色",
    PlateColor.RED: "红色",
    PlateColor.OTHER: "其他",
    PlateColor.UNKNOWN: "未确定",
}

# JT/T 697.7-2014 plate-colour codes (used in JT/T 808 0x0100 and JT/T 809):
# 1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other (enforcement-tech.md §6.3 ✅).
# 5 "green" maps to GREEN. How JT/T 809-2019 feeds code 渐变绿 / 黄绿双拼 NEV plates
# is UNCONFIRMED (§7 item 8): a feed that sends 5 for an NEV plate yields GREEN, and
# GREEN_GRADIENT / YELLOW_GREEN have no code in this set (plate_color_code -> None).
PLATE_COLOR_JTT697: dict[int, PlateColor] = {
    1: PlateColor.BLUE,
    2: PlateColor.YELLOW,
    3: PlateColor.BLACK,
    4: PlateColor.WHITE,
    5: PlateColor.GREEN,
    9: PlateColor.OTHER,
}

# Toll / ETC (and many non-site enforcement systems) plate-colour codes
# (enforcement-tech.md §6.3 ✅ from several code bases; the defining standard is
# UNCONFIRMED): 0 blue, 1 yellow, 2 black, 3 white, 4 gradient green,
# 5 yellow-green split, 6 blue-white gradient, 7 temporary, 9 undetermined,
# 11 green, 12 red.
PLATE_COLOR_TOLL: dict[int, PlateColor] = {
    0: PlateColor.BLUE,
    1: PlateColor.YELLOW,
    2: PlateColor.BLACK,
    3: PlateColor.WHITE,
    4: PlateColor.GREEN_GRADIENT,
    5: PlateColor.YELLOW_GREEN,
    6: PlateColor.BLUE_WHITE,
    7: PlateColor.TEMPORARY,
    9: PlateColor.UNKNOWN,
    11: PlateColor.GREEN,
    12: PlateColor.RED,
}

_CODE_SETS: dict[str, dict[int, PlateColor]] = {
    "jtt697": PLATE_COLOR_JTT697,
    "toll": PLATE_COLOR_TOLL,
}
_CODE_SET_NAMES = {"jtt697": "JT/T 697.7-2014 代码集", "toll": "收费代码集"}

# Chinese names and colloquial forms. "绿" / "绿牌" map to the plain GREEN: NEV plates
# must be given as 渐变绿 / 黄绿双拼 (or by code with code_set="toll").
_PLATE_COLOR_ALIASES: dict[str, PlateColor] = {}
for _color, _names in {
    PlateColor.BLUE: ("蓝", "蓝色", "蓝牌", "蓝底白字"),
    PlateColor.YELLOW: ("黄", "黄色", "黄牌", "黄底黑字"),
    PlateColor.BLACK: ("黑", "黑色", "黑牌", "黑底白字"),
    PlateColor.WHITE: ("白", "白色", "白牌", "白底黑字"),
    PlateColor.GREEN_GRADIENT: ("渐变绿", "渐变绿色", "渐变绿牌", "小型新能源"),
    PlateColor.YELLOW_GREEN: ("黄绿", "黄绿色", "黄绿双拼", "黄绿双拼色", "黄绿牌", "大型新能源"),
    PlateColor.BLUE_WHITE: ("蓝白", "蓝白渐变", "蓝白渐变色"),
    PlateColor.TEMPORARY: ("临时", "临时牌", "临时牌照", "临牌"),
    PlateColor.GREEN: ("绿", "绿色", "绿牌"),
    PlateColor.RED: ("红", "红色", "红牌"),
    PlateColor.OTHER: ("其他", "其它"),
    PlateColor.UNKNOWN: ("未确定", "未知", "不确定"),
}.items():
    for _name in _names:
        _PLATE_COLOR_ALIASES[_name] = _color
del _color, _names, _name


def _code_set_key(code_set: str | None) -> str | None:
    if code_set is None:
        return None
    key = str(code_set).strip().lower()
    if key not in _CODE_SETS:
        raise ValueError(f"未知的车牌颜色代码集“{code_set}”，应为 jtt697 或 toll")
    return key


def _color_from_code(code: int, code_set: str | None) -> PlateColor:
    key = _code_set_key(code_set)
    if key is None:
        if code in PLATE_COLOR_JTT697 and code in PLATE_COLOR_TOLL:
            raise ValueError(
                f"车牌颜色代码 {code} 在 JT/T 697.7 和收费代码集中含义不同，请指明代码集"
                f'（code_set="jtt697" 或 "toll"）'
            )
        raise ValueError(f'车牌颜色代码 {code} 是数字代码，请指明代码集（code_set="jtt697" 或 "toll"）')
    table = _CODE_SETS[key]
    if code not in table:
        raise ValueError(f"车牌颜色代码 {code} 不在{_CODE_SET_NAMES[key]}中")
    return table[code]


def parse_plate_color(value: str | int, *, code_set: str | None = None) -> PlateColor:
    """Parse a plate colour from a canonical value, a Chinese name or a numeric code.

    Numeric codes (int or digit string) need ``code_set`` ("jtt697" or "toll")
    because the two sets disagree; raises ValueError with a Chinese message.
    """
    if isinstance(value, PlateColor):
        return value
    if isinstance(value, bool):
        raise ValueError(f"无法识别的车牌颜色“{value}”")
    if isinstance(value, int):
        return _color_from_code(value, code_set)
    if value is None:
        raise ValueError("车牌颜色不能为空")
    text = _WHITESPACE_RE.sub("", _to_halfwidth(str(value)))
    if not text:
        raise ValueError("车牌颜色不能为空")
    if text.isascii() and text.isdigit():
        return _color_from_code(int(text), code_set)
    lowered = text.lower()
    try:
        return PlateColor(lowered)
    except ValueError:
        pass
    if text in _PLATE_COLOR_ALIASES:
        return _PLATE_COLOR_ALIASES[text]
    raise ValueError(f"无法识别的车牌颜色“{text}”")


def plate_color_code(color: PlateColor | str, code_set: str) -> int | None:
    """Code of ``color`` in ``code_set`` ("jtt697" or "toll"); None if the set has no code for it."""
    key = _code_set_key(code_set)
    if key is None:
        raise ValueError("请指明车牌颜色代码集（jtt697 或 toll）")
    table = _CODE_SETS[key]
    canonical = parse_plate_color(color) if not isinstance(color, PlateColor) else color
    for code, mapped in table.items():
        if mapped is canonical:
            return code
    return None


# Expected colours per plate kind (GA 36-2018; enforcement-tech.md §6.3 colour table).
# A soft consistency check only: callers should warn, not reject, on a mismatch.
_EXPECTED_COLORS: dict[str, frozenset[PlateColor]] = {
    "ordinary": frozenset({PlateColor.BLUE, PlateColor.YELLOW, PlateColor.BLACK, PlateColor.WHITE}),
    "nev_small": frozenset({PlateColor.GREEN_GRADIENT}),
    "nev_large": frozenset({PlateColor.YELLOW_GREEN}),
    "trailer": frozenset({PlateColor.YELLOW}),
    "coach": frozenset({PlateColor.YELLOW}),
    "police": frozenset({PlateColor.WHITE}),
    "hk_macao": frozenset({PlateColor.BLACK}),
}


def expected_colors(plate: str) -> set[PlateColor]:
    """Colours a valid plate of this kind is expected to have (soft check)."""
    return set(_EXPECTED_COLORS[plate_kind(plate)])


# ---------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------

_VALIDATORS = {
    "uscc": validate_uscc,
    "idcard": validate_idcard,
    "plate": validate_plate,
}


def validate(kind: str, value: str) -> Check:
    """Validate ``value`` as ``kind``: "uscc", "idcard" or "plate"."""
    try:
        validator = _VALIDATORS[kind]
    except (KeyError, TypeError):
        raise ValueError(f"未知的标识类型“{kind}”，应为 uscc、idcard 或 plate") from None
    return validator(value)


# ---------------------------------------------------------------------------
# Masking for disclosure (security.md B3: ID 110***********1234, phone 138****5678)
# ---------------------------------------------------------------------------


def _mask_middle(text: str, keep_head: int, keep_tail: int) -> str:
    if len(text) <= keep_head + keep_tail:
        return "*" * len(text)
    return text[:keep_head] + "*" * (len(text) - keep_head - keep_tail) + text[len(text) - keep_tail :]


def mask_idcard(value: str) -> str:
    """First 3 and last 4 characters kept: 110***********1234. Never raises."""
    return _mask_middle(_compact_upper(value), 3, 4)


def mask_phone(value: str) -> str:
    """First 3 and last 4 characters kept: 138****5678. Never raises."""
    if value is None:
        return ""
    text = _to_halfwidth(str(value))
    text = re.sub(r"[\s\-()]+", "", text)
    return _mask_middle(text, 3, 4)


# Common two-character (compound) surnames, kept whole: 欧阳娜娜 -> 欧阳**.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 司徒 夏侯 尉迟 公孙 长孙 宇文 轩辕 端木 独孤 "
    "南宫 西门 百里 呼延 澹台 公羊 闻人 万俟 赫连 申屠 太叔 钟离 仲孙 濮阳 淳于 单于 "
    "拓跋 东郭 第五 左丘 梁丘 司空 司寇 公冶 壤驷 漆雕 乐正 宰父 谷梁 段干 巫马 鲜于".split()
)
_NAME_SEPARATORS = "·• "


def mask_name(value: str) -> str:
    """Keep the surname, star the rest: 张三 -> 张*, 欧阳娜娜 -> 欧阳**.

    The surname is the first character, or the first two for a common compound
    surname (when the name is longer than two characters). Separators such as
    the middle dot in transliterated names are kept. Never raises.
    """
    if value is None:
        return ""
    text = _to_halfwidth(str(value)).strip()
    if not text:
        return ""
    if len(text) == 1:
        return "*"
    keep = 2 if len(text) > 2 and text[:2] in _COMPOUND_SURNAMES else 1
    rest = "".join(ch if ch in _NAME_SEPARATORS else "*" for ch in text[keep:])
    return text[:keep] + rest
