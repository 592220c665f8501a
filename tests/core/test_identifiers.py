"""Tests for zhifa.core.identifiers (pure Python: no Django, no database)."""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

try:
    import zhifa.core.identifiers  # noqa: F401
except ModuleNotFoundError:  # package not installed: run straight from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from zhifa.core.identifiers import (  # noqa: E402
    PLATE_COLOR_JTT697,
    PLATE_COLOR_TOLL,
    USCC_CHARSET,
    Check,
    PlateColor,
    expected_colors,
    idcard_15_to_18,
    idcard_birth_date,
    idcard_check_char,
    idcard_sex,
    mask_idcard,
    mask_name,
    mask_phone,
    orgcode_check_char,
    parse_plate_color,
    plate_color_code,
    plate_kind,
    uscc_check_char,
    validate,
    validate_idcard,
    validate_plate,
    validate_uscc,
)

TODAY = date(2025, 6, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")

# ---------------------------------------------------------------------------
# Module hygiene
# ---------------------------------------------------------------------------


def test_module_does_not_import_django():
    source = Path(sys.modules["zhifa.core.identifiers"].__file__).read_text(encoding="utf-8")
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert not any(m == "django" or m.startswith("django.") for m in modules)


def test_check_is_truthy_only_when_ok_and_frozen():
    assert Check(True, "x")
    assert not Check(False, "x", "原因")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Check(True, "x").ok = False  # type: ignore[misc]


# ---------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------

# Published codes; each one passes BOTH the position-18 check (GB 32100) and the
# embedded position-17 organisation-code check (GB 11714), which a random string does
# with probability 1/341 — test_published_uscc_pass_both_checks re-verifies them.
PUBLISHED_USCC = [
    "91350100M000100Y43",
    "91110000600037341L",
    "914403001922038216",
    "91440300708461136T",
    "91330100799655058B",
    "91110108551385082Q",
    "91110000802100433B",
    "91110000100006485K",
    "911100001000044477",
    "91110000710925462X",
]

uscc_body16 = st.text(alphabet=USCC_CHARSET, min_size=16, max_size=16)


def make_uscc(body16: str) -> str:
    first17 = body16 + orgcode_check_char(body16[8:16])
    return first17 + uscc_check_char(first17)


def test_uscc_weights_match_the_standard_table():
    # enforcement-tech.md §6.1: W_i = 3^(i-1) mod 31
    from zhifa.core import identifiers

    assert identifiers._USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert USCC_CHARSET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert not set("IOSVZ") & set(USCC_CHARSET)


@pytest.mark.parametrize("code", PUBLISHED_USCC)
def test_published_uscc_pass_both_checks(code):
    assert uscc_check_char(code[:17]) == code[17]
    assert orgcode_check_char(code[8:16]) == code[16]
    result = validate_uscc(code)
    assert result.ok, result.reason
    assert result.value == code
    assert result.reason == ""


def test_uscc_normalisation_full_width_lower_case_and_spaces():
    result = validate_uscc("  ９１３５０１００ｍ０００１００ｙ４３\u3000")
    assert result.ok, result.reason
    assert result.value == "91350100M000100Y43"
    assert validate_uscc("9135 0100 M000 100Y 43").value == "91350100M000100Y43"


@pytest.mark.parametrize("value", ["", "   ", "\u3000", None])
def test_uscc_empty(value):
    result = validate_uscc(value)
    assert not result
    assert result.reason == "统一社会信用代码不能为空"


@pytest.mark.parametrize("value", ["9135", "91350100M000100Y4", "91350100M000100Y433"])
def test_uscc_wrong_length(value):
    result = validate_uscc(value)
    assert not result
    assert result.reason == f"统一社会信用代码长度应为18位，实为{len(value)}位"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_forbidden_letters_named_with_position(letter):
    code = "9135" + letter + "100M000100Y43"
    result = validate_uscc(code)
    assert not result
    assert result.reason.startswith(f"第5位字符“{letter}”不合法")
    assert "I、O、S、V、Z" in result.reason


def test_uscc_other_illegal_character():
    result = validate_uscc("91350100M0001-0Y43")
    assert not result
    assert result.reason.startswith("第14位字符“-”不合法")


def test_uscc_wrong_check_character_reason():
    result = validate_uscc("91350100M000100Y44")
    assert not result
    assert result.reason == "校验码错误：第18位应为 3，实为 4"


def test_uscc_organisation_code_check_is_a_distinct_reason():
    good = "91350100M000100Y43"
    # wrong position 17, position 18 recomputed so that only GB 11714 fails
    first17 = good[:16] + "7"
    code = first17 + uscc_check_char(first17)
    result = validate_uscc(code)
    assert not result
    assert result.reason == "组织机构代码校验码错误（GB 11714）：第17位应为 4，实为 7"


def test_uscc_both_checks_failing_mentions_both():
    result = validate_uscc("91350100M000101Y43")  # typo at position 15
    assert not result
    assert result.reason.startswith("校验码错误：第18位应为 ")
    assert "组织机构代码" in result.reason


@given(body=uscc_body16)
def test_uscc_round_trip(body):
    """Random bodies (any registration authority / type code) with computed checks are accepted."""
    code = make_uscc(body)
    result = validate_uscc(code)
    assert result.ok, (code, result.reason)


@given(body=uscc_body16, wrong=st.sampled_from(USCC_CHARSET))
def test_uscc_wrong_check_char_rejected(body, wrong):
    code = make_uscc(body)
    assume(wrong != code[17])
    result = validate_uscc(code[:17] + wrong)
    assert not result
    assert result.reason == f"校验码错误：第18位应为 {code[17]}，实为 {wrong}"


_USCC_MUTATIONS = USCC_CHARSET + "IOSVZ-*中 "


@given(
    code=st.one_of(st.sampled_from(PUBLISHED_USCC), uscc_body16.map(make_uscc)),
    pos=st.integers(0, 17),
    char=st.sampled_from(_USCC_MUTATIONS),
)
def test_uscc_every_single_character_change_is_rejected(code, pos, char):
    assume(char != code[pos])
    mutated = code[:pos] + char + code[pos + 1 :]
    result = validate_uscc(mutated)
    assert not result, mutated
    assert CJK.search(result.reason)


@pytest.mark.parametrize("code", PUBLISHED_USCC[:3])
def test_uscc_exhaustive_single_substitutions(code):
    for pos in range(18):
        for char in _USCC_MUTATIONS:
            if char != code[pos]:
                assert not validate_uscc(code[:pos] + char + code[pos + 1 :])


def test_uscc_check_char_helper_rejects_bad_input():
    with pytest.raises(ValueError, match="前17位"):
        uscc_check_char("9135")
    with pytest.raises(ValueError, match="不合法"):
        uscc_check_char("91350100M0001O0Y4")
    with pytest.raises(ValueError, match="前8位"):
        orgcode_check_char("123")


def test_orgcode_check_char_special_values():
    # C = 11 - (sum mod 11); 10 -> X, 11 -> 0
    assert orgcode_check_char("00000000") == "0"
    found = {orgcode_check_char(f"{n:08d}") for n in range(200)}
    assert "X" in found and "0" in found


# ---------------------------------------------------------------------------
# 居民身份证号码 (GB 11643-1999)
# ---------------------------------------------------------------------------

STANDARD_IDCARD = "11010519491231002X"  # GB 11643-1999 appendix example


def test_idcard_weights_match_the_standard_table():
    from zhifa.core import identifiers

    assert identifiers._IDCARD_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_idcard_standard_example():
    assert idcard_check_char(STANDARD_IDCARD[:17]) == "X"
    result = validate_idcard(STANDARD_IDCARD, today=TODAY)
    assert result.ok, result.reason
    assert result.value == STANDARD_IDCARD
    assert idcard_birth_date(STANDARD_IDCARD) == date(1949, 12, 31)
    assert idcard_sex(STANDARD_IDCARD) == "女"  # sequence 002 is even


def test_idcard_normalisation_lower_x_and_full_width():
    assert validate_idcard("11010519491231002x").value == STANDARD_IDCARD
    assert validate_idcard(" １１０１０５１９４９１２３１００２ｘ ").ok


@pytest.mark.parametrize("value", ["", " ", None])
def test_idcard_empty(value):
    assert validate_idcard(value).reason == "身份证号码不能为空"


def test_idcard_legacy_15_digit_rejected_with_hint_and_convertible():
    legacy = "110105491231002"
    result = validate_idcard(legacy)
    assert not result
    assert result.reason == "15位旧号码请换算为18位"
    assert idcard_15_to_18(legacy) == STANDARD_IDCARD
    assert validate_idcard(idcard_15_to_18(legacy), today=TODAY)
    # helpers accept the legacy form
    assert idcard_birth_date(legacy) == date(1949, 12, 31)
    assert idcard_sex(legacy) == "女"
    with pytest.raises(ValueError):
        idcard_15_to_18("11010549123100X")


@pytest.mark.parametrize("value", ["1101051949123100", "11010519491231002X1", "1234567"])
def test_idcard_wrong_length(value):
    assert validate_idcard(value).reason == f"身份证号码长度应为18位，实为{len(value)}位"


def test_idcard_illegal_characters():
    assert validate_idcard("1101A519491231002X").reason.startswith("第5位字符“A”不合法")
    assert validate_idcard("11010519491231002Y").reason.startswith("第18位字符“Y”不合法")


@pytest.mark.parametrize(
    ("first17", "reason"),
    [
        ("91010519491231002", "地址码第1位应为1至8，实为“9”"),
        ("01010519491231002", "地址码第1位应为1至8，实为“0”"),
        ("19010519491231002", "地址码前两位“19”不是有效的省级行政区划代码"),
        ("24010519491231002", "地址码前两位“24”不是有效的省级行政区划代码"),
    ],
)
def test_idcard_address_code(first17, reason):
    code = first17 + idcard_check_char(first17)
    assert validate_idcard(code, today=TODAY).reason == reason


@pytest.mark.parametrize("region", ["11", "44", "65", "71", "81", "82", "83"])
def test_idcard_address_code_lenient_beyond_province(region):
    first17 = region + "999919800101001"
    assert validate_idcard(first17 + idcard_check_char(first17), today=TODAY)


@pytest.mark.parametrize(
    ("birth", "reason"),
    [
        ("19990230", "出生日期 19990230 不是真实日期"),
        ("19991301", "出生日期 19991301 不是真实日期"),
        ("19000229", "出生日期 19000229 不是真实日期"),  # 1900 is not a leap year
        ("18991231", "出生日期 18991231 早于1900年1月1日"),
        ("20250602", "出生日期 20250602 晚于今天（2025-06-01）"),
    ],
)
def test_idcard_birth_date_rejected(birth, reason):
    first17 = "110105" + birth + "001"
    code = first17 + idcard_check_char(first17)
    assert validate_idcard(code, today=TODAY).reason == reason


@pytest.mark.parametrize("birth", ["19000101", "20000229", "20250601"])
def test_idcard_birth_date_boundaries_accepted(birth):
    first17 = "110105" + birth + "001"
    code = first17 + idcard_check_char(first17)
    assert validate_idcard(code, today=TODAY).ok
    assert idcard_sex(code) == "男"  # sequence 001 is odd


def test_idcard_wrong_check_character_reason():
    assert validate_idcard("110105194912310021", today=TODAY).reason == "校验码错误：第18位应为 X，实为 1"


def test_idcard_helpers_raise_on_invalid():
    with pytest.raises(ValueError, match="校验码错误"):
        idcard_birth_date("110105194912310021")
    with pytest.raises(ValueError, match="长度"):
        idcard_sex("1234")
    with pytest.raises(ValueError, match="前17位"):
        idcard_check_char("1101051949")


@st.composite
def idcards(draw):
    region = draw(st.sampled_from(["11", "12", "31", "44", "50", "65", "81", "82"]))
    county = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.integers(0, 999))
    first17 = f"{region}{county}{birth:%Y%m%d}{seq:03d}"
    return first17 + idcard_check_char(first17), birth, seq


@given(idcards())
def test_idcard_round_trip(generated):
    code, birth, seq = generated
    result = validate_idcard(code, today=TODAY)
    assert result.ok, (code, result.reason)
    assert idcard_birth_date(code) == birth
    assert idcard_sex(code) == ("男" if seq % 2 else "女")


@given(idcards(), st.sampled_from("0123456789X"))
def test_idcard_wrong_check_char_rejected(generated, wrong):
    code = generated[0]
    assume(wrong != code[17])
    result = validate_idcard(code[:17] + wrong, today=TODAY)
    assert not result
    assert result.reason == f"校验码错误：第18位应为 {code[17]}，实为 {wrong}"


_IDCARD_MUTATIONS = "0123456789X" + "A*中 "


@given(
    generated=idcards(),
    pos=st.integers(0, 17),
    char=st.sampled_from(_IDCARD_MUTATIONS),
)
def test_idcard_every_single_character_change_is_rejected(generated, pos, char):
    code = generated[0]
    assume(char != code[pos])
    mutated = code[:pos] + char + code[pos + 1 :]
    result = validate_idcard(mutated, today=TODAY)
    assert not result, mutated
    assert CJK.search(result.reason)


def test_idcard_exhaustive_single_substitutions_of_standard_example():
    for pos in range(18):
        for char in _IDCARD_MUTATIONS:
            if char != STANDARD_IDCARD[pos]:
                mutated = STANDARD_IDCARD[:pos] + char + STANDARD_IDCARD[pos + 1 :]
                assert not validate_idcard(mutated, today=TODAY), mutated


# ---------------------------------------------------------------------------
# Licence plates (GA 36-2018)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plate", "kind"),
    [
        ("粤W12345", "ordinary"),
        ("京A8C9D2", "ordinary"),
        ("粤WD12345", "nev_small"),
        ("沪AFA1234", "nev_small"),
        ("粤WA12345", "nev_small"),  # extended energy-letter pool (unconfirmed, accepted)
        ("粤WK12345", "nev_small"),
        ("粤W12345D", "nev_large"),
        ("苏E12345F", "nev_large"),
        ("粤W1234挂", "trailer"),
        ("浙A1234学", "coach"),
        ("京A1234警", "police"),
        ("粤Z1234港", "hk_macao"),
        ("粤Z1234澳", "hk_macao"),
    ],
)
def test_valid_plates(plate, kind):
    result = validate_plate(plate)
    assert result.ok, result.reason
    assert result.value == plate
    assert plate_kind(plate) == kind


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("粤w12345", "粤W12345"),
        ("粤W·12345", "粤W12345"),
        ("粤 W 12345", "粤W12345"),
        ("粤W-12345", "粤W12345"),
        ("粤Ｗ１２３４５", "粤W12345"),
        ("粤B•D1234５", "粤BD12345"),
        ("\u3000粤W・1234挂 ", "粤W1234挂"),
    ],
)
def test_plate_normalisation(raw, normalised):
    result = validate_plate(raw)
    assert result.ok, result.reason
    assert result.value == normalised


@pytest.mark.parametrize(
    ("plate", "reason"),
    [
        ("", "车牌号不能为空"),
        (" · ", "车牌号不能为空"),
        ("粤WI2345", "第3位字符“I”不合法：号牌不使用字母 I 和 O"),
        ("粤W12O45", "第5位字符“O”不合法：号牌不使用字母 I 和 O"),
        ("粤I12345", "第2位字符“I”不合法：号牌不使用字母 I 和 O"),
        ("粤W1234", "车牌号长度应为7位（普通号牌）或8位（新能源号牌），实为6位"),
        ("粤W123456D", "车牌号长度应为7位（普通号牌）或8位（新能源号牌），实为9位"),
        ("无A12345", "第1位“无”不是有效的省份简称"),
        ("A123456", "第1位应为省份简称（如“京”“粤”），实为“A”"),
        ("粤112345", "第2位字符“1”不合法：第2位应为发牌机关代号字母"),
        ("粤W1挂345", "第4位字符“挂”不合法：“挂”只能位于7位号牌的末位"),
        ("粤W12345挂", "第8位字符“挂”不合法：“挂”只能位于7位号牌的末位"),
        ("粤W12345A", "第8位字符“A”不合法：大型新能源号牌第8位应为 D 或 F"),
        ("粤W1234AD", "第7位字符“A”不合法：大型新能源号牌第3至7位应为数字"),
        ("粤WD1234A", "第8位字符“A”不合法：小型新能源号牌第5至8位应为数字"),
        (
            "粤WL12345",
            "第3位字符“L”不合法：新能源号牌第3位应为能源类型字母（D、F 等）或数字（大型新能源号牌）",
        ),
        ("粤W1234#", "第7位字符“#”不合法：末位只能是数字、字母或“挂”“学”“警”“港”“澳”"),
    ],
)
def test_invalid_plates(plate, reason):
    result = validate_plate(plate)
    assert not result
    assert result.reason == reason
    with pytest.raises(ValueError):
        plate_kind(plate)


# ---------------------------------------------------------------------------
# Plate colours
# ---------------------------------------------------------------------------


def test_plate_color_labels():
    labels = {c: c.label for c in PlateColor}
    assert labels == {
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
    assert PlateColor.GREEN_GRADIENT == "green_gradient"


def test_code_set_tables():
    assert PLATE_COLOR_JTT697 == {
        1: PlateColor.BLUE,
        2: PlateColor.YELLOW,
        3: PlateColor.BLACK,
        4: PlateColor.WHITE,
        5: PlateColor.GREEN,
        9: PlateColor.OTHER,
    }
    assert PLATE_COLOR_TOLL == {
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


@pytest.mark.parametrize(("code_set", "table"), [("jtt697", PLATE_COLOR_JTT697), ("toll", PLATE_COLOR_TOLL)])
def test_code_mapping_both_ways(code_set, table):
    for code, color in table.items():
        assert parse_plate_color(code, code_set=code_set) is color
        assert parse_plate_color(str(code), code_set=code_set) is color
        assert plate_color_code(color, code_set) == code


def test_same_number_differs_between_code_sets():
    assert parse_plate_color(2, code_set="jtt697") is PlateColor.YELLOW
    assert parse_plate_color(2, code_set="toll") is PlateColor.BLACK
    assert parse_plate_color(5, code_set="jtt697") is PlateColor.GREEN
    assert parse_plate_color(5, code_set="toll") is PlateColor.YELLOW_GREEN


def test_colour_without_code_in_set_maps_to_none():
    assert plate_color_code(PlateColor.GREEN_GRADIENT, "jtt697") is None
    assert plate_color_code(PlateColor.YELLOW_GREEN, "jtt697") is None
    assert plate_color_code(PlateColor.OTHER, "toll") is None
    assert plate_color_code("渐变绿", "toll") == 4


@pytest.mark.parametrize("value", [2, "2", " 2 "])
def test_bare_number_is_ambiguous(value):
    with pytest.raises(ValueError) as excinfo:
        parse_plate_color(value)
    assert str(excinfo.value).startswith("车牌颜色代码 2 在 JT/T 697.7 和收费代码集中含义不同，请指明代码集")


def test_bare_number_of_one_set_still_needs_code_set():
    with pytest.raises(ValueError, match="请指明代码集"):
        parse_plate_color(11)


@pytest.mark.parametrize(
    ("value", "code_set", "message"),
    [
        (8, "jtt697", "车牌颜色代码 8 不在JT/T 697.7-2014 代码集中"),
        (10, "toll", "车牌颜色代码 10 不在收费代码集中"),
        (1, "gb", "未知的车牌颜色代码集“gb”，应为 jtt697 或 toll"),
        ("紫", None, "无法识别的车牌颜色“紫”"),
        ("", None, "车牌颜色不能为空"),
        (True, None, "无法识别的车牌颜色“True”"),
    ],
)
def test_parse_plate_color_errors(value, code_set, message):
    with pytest.raises(ValueError) as excinfo:
        parse_plate_color(value, code_set=code_set)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("value", "color"),
    [
        ("黄", PlateColor.YELLOW),
        ("黄色", PlateColor.YELLOW),
        ("黄牌", PlateColor.YELLOW),
        ("蓝", PlateColor.BLUE),
        ("蓝牌", PlateColor.BLUE),
        ("黑色", PlateColor.BLACK),
        ("白", PlateColor.WHITE),
        ("渐变绿", PlateColor.GREEN_GRADIENT),
        ("渐变绿色", PlateColor.GREEN_GRADIENT),
        ("黄绿双拼", PlateColor.YELLOW_GREEN),
        ("黄绿双拼色", PlateColor.YELLOW_GREEN),
        ("蓝白渐变色", PlateColor.BLUE_WHITE),
        ("临时牌照", PlateColor.TEMPORARY),
        ("绿色", PlateColor.GREEN),
        ("红", PlateColor.RED),
        ("其他", PlateColor.OTHER),
        ("未确定", PlateColor.UNKNOWN),
        ("yellow", PlateColor.YELLOW),
        ("GREEN_GRADIENT", PlateColor.GREEN_GRADIENT),
        (" yellow_green ", PlateColor.YELLOW_GREEN),
        (PlateColor.RED, PlateColor.RED),
    ],
)
def test_parse_plate_color_names(value, color):
    assert parse_plate_color(value) is color


def test_every_label_and_value_parses_back():
    for color in PlateColor:
        assert parse_plate_color(color.label) is color
        assert parse_plate_color(color.value) is color


@pytest.mark.parametrize(
    ("plate", "colors"),
    [
        ("粤WD12345", {PlateColor.GREEN_GRADIENT}),
        ("粤W12345D", {PlateColor.YELLOW_GREEN}),
        ("粤W1234挂", {PlateColor.YELLOW}),
        ("浙A1234学", {PlateColor.YELLOW}),
        ("京A1234警", {PlateColor.WHITE}),
        ("粤Z1234港", {PlateColor.BLACK}),
        ("粤W12345", {PlateColor.BLUE, PlateColor.YELLOW, PlateColor.BLACK, PlateColor.WHITE}),
    ],
)
def test_expected_colors(plate, colors):
    assert expected_colors(plate) == colors


def test_expected_colors_returns_a_fresh_set_and_rejects_invalid_plates():
    expected_colors("粤W12345").clear()
    assert len(expected_colors("粤W12345")) == 4
    with pytest.raises(ValueError, match="省份简称"):
        expected_colors("无A12345")


# ---------------------------------------------------------------------------
# Dispatch and robustness
# ---------------------------------------------------------------------------


def test_validate_dispatch():
    assert validate("uscc", PUBLISHED_USCC[0])
    assert validate("idcard", STANDARD_IDCARD)
    assert validate("plate", "粤W12345")
    assert not validate("plate", "粤WI2345")
    with pytest.raises(ValueError, match="未知的标识类型“vin”"):
        validate("vin", "LSVAU2180N2183294")


@given(kind=st.sampled_from(["uscc", "idcard", "plate"]), value=st.text(max_size=24))
def test_validators_never_raise_and_explain_in_chinese(kind, value):
    result = validate(kind, value)
    assert isinstance(result, Check)
    if not result:
        assert result.reason
        assert CJK.search(result.reason)


# ---------------------------------------------------------------------------
# Masking (security.md B3)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110105194912311234", "110***********1234"),
        (STANDARD_IDCARD, "110***********002X"),
        ("11010519491231002x", "110***********002X"),
        ("110105491231002", "110********1002"),
        ("1234567", "*******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_idcard(value, masked):
    assert mask_idcard(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("诸葛亮", "诸葛*"),
        ("欧阳", "欧*"),
        ("张", "*"),
        ("阿依古丽·买买提", "阿***·***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


@given(st.text(alphabet="0123456789X", min_size=8, max_size=18))
def test_mask_idcard_hides_the_middle(value):
    masked = mask_idcard(value)
    assert len(masked) == len(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert set(masked[3:-4]) == {"*"}
