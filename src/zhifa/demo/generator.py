"""Deterministic generation of the demo county as plain data: no database access, no Django models.

Everything comes from one ``random.Random(seed)`` (never the global generator, never the clock), so the
same seed gives the same USCCs, ID numbers, plates, names and dates; ``today`` only shifts the dates.
:func:`generate_demo` is what the loader writes and what tests compare without a database.

The county is 郁南县 (云浮市, 广东省; division code 445322): the 2022 annual report of its transport
bureau (shared/seeds/001) names 30 key freight-source enterprises and two non-site overload detection
points, 南江口 and 平台, after which two of the three squads are named. A neighbouring county, 新兴县
(445321), gets a handful of its own subjects so that jurisdiction scoping is visible.

Rows of regulated subjects are dicts of raw strings keyed by the registry importers' field names, with
Chinese labels where a person would type them (经营类别“道路货物运输”, 车牌颜色“黄色”), so that they go
through exactly the validation users' imports go through.

Numbers that have no national format are invented but plausible and unique (documented where built):
执法证号, 道路运输证号, 道路运输经营许可证号 and 从业资格证号.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from zhifa.accounts.enums import CertField, OrgKind, ReviewStatus, Role
from zhifa.core.identifiers import PlateColor, idcard_check_char, orgcode_check_char, uscc_check_char
from zhifa.registry.enums import BusinessType, LicenceKind, QualificationCategory, VehicleType

# --- the organisation tree ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    key: str
    parent: str | None
    name: str
    kind: str
    short_name: str = ""
    division_code: str = ""
    uscc: str = ""


def agency_uscc(division_code: str) -> str:
    """A valid 统一社会信用代码 for a demo 机关: 1 (机构编制) 1 (机关), the division code, a 9-character
    organisation code (GB 11714 check character) and the GB 32100-2015 check character."""
    org8 = f"0{division_code}7"
    first17 = f"11{division_code}{org8}{orgcode_check_char(org8)}"
    return first17 + uscc_check_char(first17)


# fmt: off
ORG_TREE: tuple[OrgSpec, ...] = (
    OrgSpec("province", None, "广东省交通运输厅", OrgKind.PROVINCE, "粤", "440000", agency_uscc("440000")),
    OrgSpec("city", "province", "云浮市交通运输局", OrgKind.CITY, "云", "445300", agency_uscc("445300")),
    OrgSpec("yunan", "city", "郁南县交通运输局", OrgKind.BUREAU, "郁", "445322", agency_uscc("445322")),
    OrgSpec("yunan_brigade", "yunan", "郁南县交通运输综合行政执法大队", OrgKind.BRIGADE),
    OrgSpec("yunan_s1", "yunan_brigade", "第一中队（都城）", OrgKind.SQUAD),
    OrgSpec("yunan_s2", "yunan_brigade", "第二中队（南江口）", OrgKind.SQUAD),
    OrgSpec("yunan_s3", "yunan_brigade", "第三中队（平台）", OrgKind.SQUAD),
    OrgSpec("xinxing", "city", "新兴县交通运输局", OrgKind.BUREAU, "新", "445321", agency_uscc("445321")),
    OrgSpec("xinxing_brigade", "xinxing", "新兴县交通运输综合行政执法大队", OrgKind.BRIGADE),
    OrgSpec("xinxing_s1", "xinxing_brigade", "第一中队（新城）", OrgKind.SQUAD),
)
ORG_BY_KEY = {o.key: o for o in ORG_TREE}
# fmt: on

# The two counties whose subjects are generated: (bureau key, division code, county name, towns).
# fmt: off
YUNAN_TOWNS = ("都城镇", "平台镇", "千官镇", "大方镇", "南江口镇", "连滩镇", "河口镇", "宝珠镇", "东坝镇", "桂圩镇",
               "通门镇", "建城镇", "宋桂镇", "历洞镇", "大湾镇")
# The county seat and the towns on national/provincial roads get more businesses.
YUNAN_TOWN_WEIGHTS = (30, 8, 5, 5, 10, 7, 5, 4, 4, 4, 3, 4, 3, 3, 5)
XINXING_TOWNS = ("新城镇", "六祖镇", "东成镇", "太平镇", "车岗镇", "天堂镇", "河头镇", "簕竹镇")
XINXING_TOWN_WEIGHTS = (30, 6, 8, 5, 5, 4, 4, 4)
# fmt: on

CERT_AUTHORITY = "广东省交通运输厅"
CERT_YEARS = 5  # 交通运输行政执法证件 validity
QUALIFICATION_YEARS = 6  # 从业资格证 validity
PERMIT_YEARS = 4
VEHICLE_CERT_YEARS = 3

# --- people's names ------------------------------------------------------------------------------

# Surnames common in western Guangdong (云浮、肇庆), weighted roughly by frequency there.
# fmt: off
_SURNAMES = (
    ("陈", 9), ("李", 7), ("黄", 7), ("梁", 7), ("林", 4), ("张", 4), ("罗", 4), ("何", 3), ("刘", 3), ("邓", 3),
    ("吴", 3), ("冯", 2), ("周", 2), ("叶", 2), ("谭", 3), ("苏", 2), ("钟", 2), ("莫", 3), ("曾", 2), ("卢", 2),
    ("杨", 2), ("彭", 1), ("朱", 2), ("区", 1), ("陆", 1), ("潘", 2), ("蔡", 1), ("麦", 2), ("严", 1), ("赖", 1),
    ("覃", 1), ("植", 1), ("伍", 1), ("邱", 1), ("廖", 1), ("黎", 2), ("郑", 1), ("胡", 1), ("温", 1), ("徐", 1),
    ("江", 1), ("骆", 1), ("龙", 1), ("谢", 1), ("余", 1), ("王", 2), ("赵", 1), ("关", 1), ("邝", 1), ("甘", 1),
    ("欧阳", 1), ("司徒", 1),
)
_SURNAME_LIST = [s for s, _ in _SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in _SURNAMES]
_MALE_CHARS = "伟强明军华建国志勇杰俊峰辉文斌海涛锋德荣坚权振宇浩嘉健永锦炳汉灿鸿耀光达新源成彬家超卓铭骏晖炜棠伦培基添智泽均广"
_FEMALE_CHARS = "丽芳婷燕敏玲静红霞娟琳慧欣颖晓雪梅秀美凤洁莹嘉思雅诗佩碧彩惠兰桂翠"
# fmt: on


def person_name(rng: random.Random, male: bool) -> str:
    surname = rng.choices(_SURNAME_LIST, weights=_SURNAME_WEIGHTS)[0]
    chars = _MALE_CHARS if male else _FEMALE_CHARS
    if rng.random() < 0.72:
        first, second = rng.sample(chars, 2)
        return surname + first + second
    return surname + rng.choice(chars)


# --- identifiers --------------------------------------------------------------------------------

# Address codes (GB/T 2260) of people born in the area: 郁南 mostly, the rest of 云浮, a few from
# neighbouring 广西 (梧州市苍梧县、岑溪市) and 肇庆 (德庆县).
# fmt: off
_YUNAN_BIRTHPLACES = (("445322", 70), ("445302", 6), ("445303", 4), ("445321", 4), ("445381", 8),
                      ("441226", 3), ("450421", 3), ("450481", 2))
_XINXING_BIRTHPLACES = (("445321", 80), ("445302", 8), ("445322", 4), ("445381", 5), ("441283", 3))
# fmt: on


@dataclass
class Registry:
    """Values already handed out, so generated natural keys never collide (membership only, never iterated,
    so set ordering cannot leak into the output)."""

    idcards: set[str] = field(default_factory=set)
    usccs: set[str] = field(default_factory=set)
    plates: set[str] = field(default_factory=set)
    vins: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


def idcard(
    rng: random.Random, reg: Registry, *, birthplaces, born_from: int, born_to: int, male: bool
) -> str:
    regions = [r for r, _ in birthplaces]
    weights = [w for _, w in birthplaces]
    while True:
        region = rng.choices(regions, weights=weights)[0]
        born = date(rng.randint(born_from, born_to), 1, 1) + timedelta(days=rng.randint(0, 364))
        seq = rng.randint(0, 499) * 2 + (1 if male else 0)  # GB 11643 顺序码: odd male, even female
        first17 = f"{region}{born:%Y%m%d}{seq:03d}"
        value = first17 + idcard_check_char(first17)
        if value not in reg.idcards:
            reg.idcards.add(value)
            return value


_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(rng: random.Random, reg: Registry, *, region: str, individual: bool = False) -> str:
    """A valid 统一社会信用代码: 9 (市场监管) + 1 企业 / 2 个体工商户, the county's division code, a
    9-character organisation code with its GB 11714 check character, and the GB 32100 check character.

    Codes issued since 2015 usually start the organisation code with "MA" + 6 characters; older ones are
    the former 8-digit 组织机构代码."""
    while True:
        if individual or rng.random() < 0.6:
            body = "MA" + "".join(rng.choice(_USCC_BODY) for _ in range(6))
        else:
            body = "".join(rng.choice("0123456789") for _ in range(8))
        first17 = "9" + ("2" if individual else "1") + region + body + orgcode_check_char(body)
        value = first17 + uscc_check_char(first17)
        if value not in reg.usccs:
            reg.usccs.add(value)
            return value


_PLATE_DIGITS = "0123456789"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # GA 36-2018: no I, O
# fmt: off
_ORDINARY_PATTERNS = (("DDDDD", 30), ("LDDDD", 30), ("DLDDD", 8), ("DDLDD", 6), ("DDDLD", 5), ("DDDDL", 5),
                      ("LLDDD", 8), ("LDLDD", 4), ("DLLDD", 4))
_SUFFIX_PATTERNS = (("DDDD", 55), ("LDDD", 35), ("DLDD", 10))
# fmt: on


def _serial(rng: random.Random, pattern: str) -> str:
    return "".join(rng.choice(_PLATE_DIGITS if c == "D" else _PLATE_LETTERS) for c in pattern)


def plate(rng: random.Random, reg: Registry, kind: str, *, prefix: str = "粤W") -> str:
    """A unique plate of ``kind``: ordinary (5-character serial), trailer (4 + 挂), coach (4 + 学),
    nev_small (D/F + letter or digit + 4 digits) or nev_large (5 digits + D/F)."""
    while True:
        if kind == "ordinary":
            pattern = rng.choices(*zip(*_ORDINARY_PATTERNS, strict=True))[0]
            value = prefix + _serial(rng, pattern)
        elif kind in ("trailer", "coach"):
            pattern = rng.choices(*zip(*_SUFFIX_PATTERNS, strict=True))[0]
            value = prefix + _serial(rng, pattern) + ("挂" if kind == "trailer" else "学")
        elif kind == "nev_small":
            energy = "D" if rng.random() < 0.85 else "F"
            value = prefix + energy + rng.choice(_PLATE_DIGITS + _PLATE_LETTERS) + _serial(rng, "DDDD")
        elif kind == "nev_large":
            value = prefix + _serial(rng, "DDDDD") + ("D" if rng.random() < 0.8 else "F")
        else:  # pragma: no cover - programming error
            raise ValueError(kind)
        if value not in reg.plates:
            reg.plates.add(value)
            return value


# GB 16735 / ISO 3779 VIN: check digit at position 9, model-year code at position 10.
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
# fmt: off
_VIN_VALUE = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9),
                      strict=True)) | {d: int(d) for d in "0123456789"}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_YEAR = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 = A ... (no I, O, Q, U, Z, 0)
_WMI = {
    "truck": ("LFW", "LZZ", "LGA", "LZG", "LFN", "LRD"),
    "bus": ("LZY", "LKL", "LA6", "LGX"),
    "car": ("LGX", "LSV", "LFV", "LVS", "LSG", "LGB"),
    "trailer": ("LA9",),
}
# fmt: on


def vin(rng: random.Random, reg: Registry, family: str, year: int) -> str:
    while True:
        wmi = rng.choice(_WMI[family])
        vds = "".join(rng.choice(_VIN_CHARS) for _ in range(5))
        tail = (
            _VIN_YEAR[(year - 2010) % 30]
            + rng.choice(_VIN_CHARS)
            + "".join(rng.choice("0123456789") for _ in range(6))
        )
        body = wmi + vds + "0" + tail
        total = sum(_VIN_VALUE[c] * w for c, w in zip(body, _VIN_WEIGHTS, strict=True))
        check = "X" if total % 11 == 10 else str(total % 11)
        value = wmi + vds + check + tail
        if value not in reg.vins:
            reg.vins.add(value)
            return value


def phone_mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + "".join(rng.choice("0123456789") for _ in range(9))


# --- dates ---------------------------------------------------------------------------------------


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def span_ending(valid_to: date, years: int) -> date:
    """valid_from of a ``years``-year validity ending on ``valid_to`` (inclusive)."""
    return add_years(valid_to + timedelta(days=1), -years)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` over ``weights`` by largest remainder (deterministic, sums exactly to total)."""
    if not weights:
        return []
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def scaled(n: int, scale: float) -> int:
    return max(1, round(n * scale))


# --- officers, accounts ------------------------------------------------------------------------


@dataclass(frozen=True)
class CertSpec:
    number: str
    field: str
    valid_from: date
    valid_to: date
    review_status: str = ReviewStatus.PASSED
    reviewed_on: date | None = None


@dataclass(frozen=True)
class OfficerSpec:
    org: str  # OrgSpec key
    name: str
    idcard: str
    position: str
    cert: CertSpec | None
    account: str = ""  # username of the demo account linked to this officer
    left_on: date | None = None  # left the unit (certificate withdrawn)
    tag: str = ""  # expiring / expired / failed / left / recruit (for tests and the summary)


@dataclass(frozen=True)
class AccountSpec:
    username: str
    display_name: str
    org: str
    role: str


@dataclass
class CountyData:
    bureau: str  # OrgSpec key of the bureau the rows are imported into
    enterprises: list[dict[str, str]] = field(default_factory=list)
    persons: list[dict[str, str]] = field(default_factory=list)
    vehicles: list[dict[str, str]] = field(default_factory=list)
    licences: list[dict[str, str]] = field(default_factory=list)


@dataclass
class DemoData:
    seed: int
    scale: float
    today: date
    accounts: list[AccountSpec]
    officers: list[OfficerSpec]
    counties: list[CountyData]

    def usccs(self) -> list[str]:
        return [e["uscc"] for c in self.counties for e in c.enterprises]

    def plates(self) -> list[str]:
        return [v["plate"] for c in self.counties for v in c.vehicles]

    def idcards(self) -> list[str]:
        return [o.idcard for o in self.officers] + [p["idcard"] for c in self.counties for p in c.persons]


# fmt: off
_CERT_FIELDS = ((CertField.COMPREHENSIVE, 60), (CertField.ROAD_TRANSPORT, 25), (CertField.ROAD_ADMIN, 15))

# 郁南: (org key, positions) per unit; 40 officers. The head account is the 大队长.
_YUNAN_ROSTER = (
    ("yunan_brigade", ["大队长", "副大队长"]),
    ("yunan_s1", ["中队长", "副中队长"] + ["执法队员"] * 11),
    ("yunan_s2", ["中队长", "副中队长"] + ["执法队员"] * 11),
    ("yunan_s3", ["中队长", "副中队长"] + ["执法队员"] * 10),
)
_XINXING_ROSTER = (("xinxing_s1", ["中队长", "执法队员", "执法队员", "执法队员"]),)
# fmt: on
# Special cases among the plain 执法队员 of 郁南 without a demo account: 3 certificates expiring within
# 60 days, 2 expired, 1 failed at 年审, 1 officer who left (certificate withdrawn), 2 new recruits awaiting a
# certificate. Every other officer (the account holders included) holds a certificate valid for > 60 days.
SPECIAL_TAGS = ("expiring",) * 3 + ("expired",) * 2 + ("failed", "left") + ("recruit",) * 2


class _CertNumbers:
    """执法证号: no national format is published (enforcement-tech.md has none either). Demo choice:
    “粤交执” + the officer's county division code + two-digit year of issue + a 4-digit sequence, e.g.
    粤交执445322210137 — plausible on a Guangdong certificate and unique by construction."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seq = rng.randint(100, 300)

    def next(self, division: str, issued: date) -> str:
        self.seq += self.rng.randint(1, 7)
        return f"粤交执{division}{issued.year % 100:02d}{self.seq:04d}"


def _officers(rng: random.Random, reg: Registry, today: date) -> list[OfficerSpec]:
    numbers = _CertNumbers(rng)
    slots: list[tuple[str, str, str]] = []  # (org, position, account)
    for org, positions in _YUNAN_ROSTER:
        for i, pos in enumerate(positions):
            account = ""
            if org == "yunan_brigade" and pos == "大队长":
                account = "head"
            elif org == "yunan_s1" and i == 2:
                account = "officer"
            elif org == "yunan_s2" and i == 2:
                account = "officer2"
            slots.append((org, pos, account))
    plain = [i for i, (_, pos, acc) in enumerate(slots) if pos == "执法队员" and not acc]
    tags = dict(zip(rng.sample(plain, len(SPECIAL_TAGS)), SPECIAL_TAGS, strict=True))
    for org, positions in _XINXING_ROSTER:
        slots.extend((org, pos, "") for pos in positions)

    out = []
    for i, (org, pos, account) in enumerate(slots):
        tag = tags.get(i, "")
        division = "445321" if org.startswith("xinxing") else "445322"
        birthplaces = _XINXING_BIRTHPLACES if division == "445321" else _YUNAN_BIRTHPLACES
        male = rng.random() < 0.82
        if tag == "recruit":
            born = (1996, 1998)
        elif pos in ("大队长", "副大队长", "中队长"):
            born = (1968, 1984)
        else:
            born = (1965, 1998)
        name = person_name(rng, male)
        number = idcard(rng, reg, birthplaces=birthplaces, born_from=born[0], born_to=born[1], male=male)
        field_ = rng.choices(*zip(*_CERT_FIELDS, strict=True))[0]
        cert = None
        left_on = None
        if tag == "expiring":
            valid_to = today + timedelta(days=rng.randint(5, 55))
        elif tag == "expired":
            valid_to = today - timedelta(days=rng.randint(15, 200))
        else:
            valid_to = today + timedelta(days=rng.randint(90, CERT_YEARS * 365 - 45))
        valid_from = span_ending(valid_to, CERT_YEARS)
        review_status = ReviewStatus.FAILED if tag == "failed" else ReviewStatus.PASSED
        # 年审 once a year on the certificate's anniversary; the latest one before today (none in its first year).
        reviewed_on = None
        last = min(today, valid_to)
        years_in = (last - valid_from).days // 365
        if years_in >= 1:
            reviewed_on = add_years(valid_from, years_in) + timedelta(days=rng.randint(0, 20))
            reviewed_on = min(reviewed_on, last)
        if tag == "failed" and reviewed_on is None:
            reviewed_on = today - timedelta(days=rng.randint(10, 60))
        if tag != "recruit":
            cert = CertSpec(
                numbers.next(division, valid_from), field_, valid_from, valid_to, review_status, reviewed_on
            )
        if tag == "left":
            left_on = today - timedelta(days=rng.randint(20, 150))
        out.append(OfficerSpec(org, name, number, pos, cert, account, left_on, tag))
    return out


# fmt: off
_ACCOUNT_ORDER = (
    ("officer", "yunan_s1", Role.OFFICER),
    ("officer2", "yunan_s2", Role.OFFICER),
    ("reviewer", "yunan", Role.LEGAL_REVIEWER),
    ("head", "yunan_brigade", Role.HEAD),
    ("sysadmin", "province", Role.SYSADMIN),  # the calendar and the security policy are installation-wide:
    ("secadmin", "province", Role.SECADMIN),  # set by the administrators of the top unit only
    ("auditadmin", "yunan", Role.AUDITADMIN),
    # a catalogue version binds both counties, so the city's 法制审核人员 publishes it (appended last: the
    # names drawn for the accounts above stay those of earlier demos)
    ("reviewer_city", "city", Role.LEGAL_REVIEWER),
)
# fmt: on
DEMO_USERNAMES = tuple(username for username, _org, _role in _ACCOUNT_ORDER)


def _accounts(rng: random.Random, officers: list[OfficerSpec]) -> list[AccountSpec]:
    linked = {o.account: o for o in officers if o.account}
    out = []
    for username, org, role in _ACCOUNT_ORDER:
        name = linked[username].name if username in linked else person_name(rng, rng.random() < 0.6)
        out.append(AccountSpec(username, name, org, role))
    return out


# --- enterprises ---------------------------------------------------------------------------------

# fmt: off
_BRAND_FIRST = "宏永恒鸿锦顺通安华盛金鑫富裕兴粤南西泰瑞骏联达诚信佳新嘉利广丰源万吉昌隆荣汇远志聚凯天"
_BRAND_SECOND = "达运通发顺程盛兴源丰泰利和昌安捷航宇辉成祥旺福鑫基宝力胜邦越"
_STREETS = ("建设路", "人民路", "文化路", "新华路", "工业大道", "环城路", "民主路", "解放路", "沿江路", "站前路",
            "滨江路", "府前路", "河堤路", "商贸街", "新兴路", "光明路")

# (business type, subkind, name templates, count at scale 1.0) per county. {b} brand, {t} town.
_YUNAN_MIX = (
    (BusinessType.FREIGHT, "logistics", ("郁南县{b}物流有限公司", "云浮市{b}物流有限公司", "郁南县{b}供应链管理有限公司"), 40),
    (BusinessType.FREIGHT, "general", ("郁南县{b}运输有限公司", "云浮市{b}汽车运输有限公司", "郁南县{b}货运有限公司"), 70),
    (BusinessType.FREIGHT, "light", ("郁南县{b}速递有限公司", "郁南县{b}货运服务有限公司"), 16),
    (BusinessType.FREIGHT, "individual", ("郁南县{t}{b}货运部", "郁南县{t}{b}运输服务部"), 30),
    (BusinessType.REPAIR, "", ("郁南县{b}机动车维修厂", "郁南县{b}汽车维修服务有限公司", "郁南县{t}{b}汽车修理厂"), 48),
    (BusinessType.REPAIR, "individual", ("郁南县{t}{b}汽车修理店", "郁南县{t}{b}轮胎修补店"), 12),
    (BusinessType.PASSENGER, "coach", ("郁南县{b}汽车客运有限公司", "云浮市{b}客运有限公司"), 7),
    (BusinessType.PASSENGER, "bus", ("郁南县{b}公共汽车有限公司",), 1),
    (BusinessType.PASSENGER, "charter", ("郁南县{b}旅游客运有限公司", "云浮市{b}旅游汽车有限公司"), 4),
    (BusinessType.DANGEROUS, "", ("郁南县{b}危险货物运输有限公司", "云浮市{b}危险品运输有限公司", "郁南县{b}燃气运输有限公司"), 10),
    (BusinessType.DRIVING_SCHOOL, "", ("郁南县{b}机动车驾驶员培训有限公司", "郁南县{b}驾驶培训有限公司"), 8),
    (BusinessType.TAXI, "", ("郁南县{b}出租汽车有限公司", "郁南县{b}出租车客运有限公司"), 6),
    (BusinessType.SOURCE, "", ("郁南县{b}石场有限公司", "郁南县{b}建材有限公司", "郁南县{b}混凝土有限公司",
                               "郁南县{b}砂石有限公司", "云浮市{b}石材有限公司", "郁南县{b}水泥制品有限公司"), 30),
    (BusinessType.PORT, "", ("郁南县{b}港务有限公司", "郁南县{t}{b}码头有限公司"), 4),
    (BusinessType.OTHER, "rental", ("郁南县{b}汽车租赁有限公司",), 6),
    (BusinessType.OTHER, "", ("郁南县{b}停车场管理有限公司", "郁南县{b}汽车检测有限公司", "郁南县{b}公路工程有限公司"), 8),
)  # 300 in all
# fmt: on
# fmt: off
_XINXING_MIX = (
    (BusinessType.FREIGHT, "general", ("新兴县{b}运输有限公司", "新兴县{b}物流有限公司"), 6),
    (BusinessType.REPAIR, "", ("新兴县{b}汽车维修有限公司",), 2),
    (BusinessType.PASSENGER, "coach", ("新兴县{b}汽车客运有限公司",), 1),
    (BusinessType.DANGEROUS, "", ("新兴县{b}危险货物运输有限公司",), 1),
    (BusinessType.SOURCE, "", ("新兴县{b}石场有限公司", "新兴县{b}建材有限公司"), 2),
)
# fmt: on


@dataclass
class _Ent:
    row: dict[str, str]
    btype: str
    sub: str
    fleet: int = 0
    staff: int = 0


def _enterprises(
    rng: random.Random, reg: Registry, *, mix, scale: float, division: str, county: str, towns, town_weights
) -> list[_Ent]:
    out = []
    for btype, sub, templates, n in mix:
        for _ in range(scaled(n, scale)):
            town = rng.choices(towns, weights=town_weights)[0]
            while True:
                brand = rng.choice(_BRAND_FIRST) + rng.choice(_BRAND_SECOND)
                if brand[0] == brand[1]:
                    continue
                name = rng.choice(templates).format(b=brand, t=town)
                if name not in reg.names:
                    reg.names.add(name)
                    break
            individual = sub == "individual"
            status = ""
            if btype in (BusinessType.REPAIR, BusinessType.OTHER) and sub != "rental":
                r = rng.random()
                status = "停业" if r < 0.05 else "注销" if r < 0.08 else ""
            phone = (
                f"0766-{rng.choice('7825')}{rng.randint(100000, 999999)}"
                if rng.random() < 0.55
                else phone_mobile(rng)
            )
            out.append(
                _Ent(
                    row={
                        "uscc": uscc(rng, reg, region=division, individual=individual),
                        "name": name,
                        "business_type": BusinessType(btype).label,
                        "legal_rep": person_name(rng, rng.random() < 0.85),
                        "address": f"{county}{town}{rng.choice(_STREETS)}{rng.randint(1, 268)}号",
                        "phone": phone,
                        "status": status,
                    },
                    btype=btype,
                    sub=sub,
                )
            )
    return out


# --- vehicles ------------------------------------------------------------------------------------


def _vehicle_spec(rng: random.Random, vtype: str, *, light: bool = False) -> tuple[str, str, int, int, str]:
    """(plate kind, colour, axles, gross mass kg, VIN family) consistent with the type (GB 1589 limits)."""
    if vtype == VehicleType.TRUCK:
        if light:
            kind = "nev_small" if rng.random() < 0.2 else "ordinary"
            color = PlateColor.GREEN_GRADIENT if kind == "nev_small" else PlateColor.BLUE
            return kind, color, 2, rng.choice((3495, 4260, 4495)), "truck"
        return "ordinary", PlateColor.YELLOW, 2, rng.choice((7360, 8275, 10000, 12000, 16000, 18000)), "truck"
    if vtype == VehicleType.HEAVY_TRUCK:
        axles = rng.choices((2, 3, 4), weights=(2, 4, 4))[0]
        return "ordinary", PlateColor.YELLOW, axles, {2: 18000, 3: 25000, 4: 31000}[axles], "truck"
    if vtype == VehicleType.TRACTOR:
        axles = rng.choices((2, 3), weights=(3, 7))[0]
        return "ordinary", PlateColor.YELLOW, axles, {2: 18000, 3: 25000}[axles], "truck"
    if vtype == VehicleType.TRAILER:
        axles = rng.choices((2, 3), weights=(2, 8))[0]
        return "trailer", PlateColor.YELLOW, axles, {2: 30000, 3: 40000}[axles], "trailer"
    if vtype == VehicleType.DANGEROUS:
        axles = rng.choices((2, 3, 4), weights=(4, 3, 3))[0]
        return "ordinary", PlateColor.YELLOW, axles, {2: 18000, 3: 25000, 4: 31000}[axles], "truck"
    if vtype in (VehicleType.COACH, VehicleType.CHARTER):
        if rng.random() < 0.85:
            return "ordinary", PlateColor.YELLOW, 2, rng.choice((11000, 12500, 16500, 18000)), "bus"
        return "ordinary", PlateColor.YELLOW, 3, 25000, "bus"
    if vtype == VehicleType.BUS:
        if rng.random() < 0.6:
            return "nev_large", PlateColor.YELLOW_GREEN, 2, rng.choice((13500, 16000, 18000)), "bus"
        return "ordinary", PlateColor.YELLOW, 2, rng.choice((13500, 16000)), "bus"
    if vtype == VehicleType.TAXI:
        if rng.random() < 0.55:
            return "nev_small", PlateColor.GREEN_GRADIENT, 2, rng.choice((1960, 2050, 2150)), "car"
        return "ordinary", PlateColor.BLUE, 2, rng.choice((1705, 1830, 1880)), "car"
    if vtype == VehicleType.TRAINING:
        if light:  # training truck for C1/B2
            return "coach", PlateColor.YELLOW, 2, rng.choice((9000, 12000, 16000)), "truck"
        return "coach", PlateColor.YELLOW, 2, rng.choice((1495, 1620, 1750)), "car"
    # OTHER: rental cars
    if rng.random() < 0.15:
        return "nev_small", PlateColor.GREEN_GRADIENT, 2, rng.choice((1960, 2100)), "car"
    return "ordinary", PlateColor.BLUE, 2, rng.choice((1650, 1830, 2230, 2600)), "car"


# vehicle types by enterprise kind: (type, weight, light?)
# fmt: off
_FLEET_TYPES = {
    ("freight", "logistics"): ((VehicleType.TRACTOR, 30, False), (VehicleType.TRAILER, 25, False),
                               (VehicleType.HEAVY_TRUCK, 30, False), (VehicleType.TRUCK, 15, False)),
    ("freight", "general"): ((VehicleType.HEAVY_TRUCK, 45, False), (VehicleType.TRUCK, 40, False),
                             (VehicleType.TRUCK, 15, True)),
    ("freight", "light"): ((VehicleType.TRUCK, 90, True), (VehicleType.TRUCK, 10, False)),
    ("freight", "individual"): ((VehicleType.HEAVY_TRUCK, 55, False), (VehicleType.TRUCK, 45, False)),
    ("dangerous", ""): ((VehicleType.DANGEROUS, 85, False), (VehicleType.TRAILER, 15, False)),
    ("passenger", "coach"): ((VehicleType.COACH, 85, False), (VehicleType.CHARTER, 15, False)),
    ("passenger", "charter"): ((VehicleType.CHARTER, 100, False),),
    ("passenger", "bus"): ((VehicleType.BUS, 100, False),),
    ("taxi", ""): ((VehicleType.TAXI, 100, False),),
    ("driving_school", ""): ((VehicleType.TRAINING, 85, False), (VehicleType.TRAINING, 15, True)),
    ("other", "rental"): ((VehicleType.OTHER, 100, False),),
    ("private", ""): ((VehicleType.HEAVY_TRUCK, 50, False), (VehicleType.TRUCK, 35, False),
                      (VehicleType.TRACTOR, 15, False)),
}
# Share of the county's vehicles per enterprise kind; "private" = 非营运 trucks of no enterprise.
_YUNAN_VEHICLE_SHARES = {
    ("freight", "logistics"): 0.34, ("freight", "general"): 0.30, ("freight", "light"): 0.04,
    ("freight", "individual"): 0.04, ("dangerous", ""): 0.05, ("passenger", "coach"): 0.035,
    ("passenger", "bus"): 0.015, ("passenger", "charter"): 0.015, ("taxi", ""): 0.04,
    ("driving_school", ""): 0.07, ("other", "rental"): 0.015, ("private", ""): 0.03,
}
_XINXING_VEHICLE_SHARES = {("freight", "general"): 0.8, ("dangerous", ""): 0.06, ("passenger", "coach"): 0.08,
                           ("private", ""): 0.06}
# 道路运输证 is issued to operating vehicles: not to buses (城市公交), training cars, rental cars or 非营运.
_OPERATING = {VehicleType.TRUCK, VehicleType.HEAVY_TRUCK, VehicleType.TRACTOR, VehicleType.TRAILER,
              VehicleType.DANGEROUS, VehicleType.COACH, VehicleType.CHARTER, VehicleType.TAXI}
# fmt: on


def _fleet_weights(rng: random.Random, n: int) -> list[float]:
    """Heavy-tailed fleet sizes: a few large carriers, many small ones."""
    return [rng.paretovariate(1.4) for _ in range(n)]


def _vehicles(
    rng: random.Random, reg: Registry, ents: list[_Ent], *, total: int, shares, division: str, today: date
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Vehicle rows and their 道路运输证 licence rows."""
    groups: dict[tuple[str, str], list[_Ent]] = {k: [] for k in shares}
    for e in ents:
        key = (e.btype, e.sub)
        if key in groups:
            groups[key].append(e)
    keys = [k for k in shares if groups[k] or k == ("private", "")]
    counts = allocate(total, [shares[k] for k in keys])
    cert_seq = rng.randint(1000, 9000)
    vehicles, licences = [], []
    for key, count in zip(keys, counts, strict=True):
        owners: list[_Ent | None]
        if key == ("private", ""):
            owners = [None] * count
        else:
            members = groups[key]
            sizes = [1] * len(members) if count >= len(members) else [0] * len(members)
            rest = allocate(count - sum(sizes), _fleet_weights(rng, len(members)))
            owners = []
            for e, a, b in zip(members, sizes, rest, strict=True):
                e.fleet = a + b
                owners.extend([e] * e.fleet)
        types = _FLEET_TYPES[key]
        for owner in owners:
            vtype, _, light = rng.choices(types, weights=[w for _, w, _ in types])[0]
            kind, color, axles, mass, family = _vehicle_spec(rng, vtype, light=light)
            year = rng.randint(max(2012, today.year - 12), today.year - 1)
            row = {
                "plate": plate(rng, reg, kind),
                "plate_color": color.label,
                "vehicle_type": VehicleType(vtype).label,
                "axle_count": str(axles),
                "gross_mass_kg": str(mass),
                "vin": vin(rng, reg, family, year) if rng.random() < 0.92 else "",
                "transport_cert_no": "",
                "enterprise_uscc": owner.row["uscc"] if owner else "",
                "status": "停业" if rng.random() < 0.01 else "",
            }
            if owner is not None and vtype in _OPERATING:
                # 道路运输证号: no normative format (enforcement-tech.md §6.4); common practice and the
                # platform's soft check is 12 digits = issuing county's division code + 6-digit sequence.
                cert_seq += rng.randint(1, 3)
                row["transport_cert_no"] = f"{division}{cert_seq:06d}"
                valid_to = _licence_valid_to(rng, today, VEHICLE_CERT_YEARS, expired=0.02, expiring=0.03)
                licences.append(
                    {
                        "kind": LicenceKind(LicenceKind.VEHICLE_CERT).label,
                        "number": row["transport_cert_no"],
                        "holder_plate": row["plate"],
                        "holder_plate_color": row["plate_color"],
                        "issuing_authority": "",  # filled by the caller (the county bureau)
                        "valid_from": span_ending(valid_to, VEHICLE_CERT_YEARS).isoformat(),
                        "valid_to": valid_to.isoformat(),
                    }
                )
            vehicles.append(row)
    return vehicles, licences


def _licence_valid_to(
    rng: random.Random, today: date, years: int, *, expired: float, expiring: float
) -> date:
    """Mostly valid; a share expired (up to a year ago) and a share expiring within 30 days."""
    r = rng.random()
    if r < expired:
        return today - timedelta(days=rng.randint(1, 365))
    if r < expired + expiring:
        return today + timedelta(days=rng.randint(0, 30))
    return today + timedelta(days=rng.randint(31, years * 365 - 30))


# --- persons and licences ------------------------------------------------------------------------

# (category, weight, share male) of 从业资格证 by employer kind.
# fmt: off
_CATEGORIES = {
    "freight": ((QualificationCategory.FREIGHT_DRIVER, 100, 0.97),),
    "dangerous": ((QualificationCategory.DANGEROUS_DRIVER, 55, 0.98),
                  (QualificationCategory.DANGEROUS_ESCORT, 35, 0.6),
                  (QualificationCategory.DANGEROUS_LOADER, 10, 0.8)),
    "passenger": ((QualificationCategory.PASSENGER_DRIVER, 100, 0.93),),
    "taxi": ((QualificationCategory.TAXI_DRIVER, 100, 0.9),),
    "driving_school": ((QualificationCategory.INSTRUCTOR, 100, 0.85),),
    "repair": ((QualificationCategory.REPAIR_TECH, 100, 0.9),),
    "none": ((QualificationCategory.FREIGHT_DRIVER, 80, 0.97), (QualificationCategory.PASSENGER_DRIVER, 20, 0.95)),
}
# Staff (persons) per vehicle, or a fixed number for businesses without vehicles.
_STAFF_PER_VEHICLE = {"freight": 0.75, "dangerous": 1.6, "passenger": 1.3, "taxi": 1.7, "driving_school": 0.9}
_STAFF_FIXED = {"repair": 4.0}

_PERMIT_SCOPE = {
    ("freight", "logistics"): "道路普通货物运输；货物专用运输（集装箱）；大型物件运输",
    ("freight", "general"): "道路普通货物运输",
    ("freight", "light"): "道路普通货物运输",
    ("freight", "individual"): "道路普通货物运输",
    ("dangerous", ""): "道路危险货物运输（2类1项、3类、8类）",
    ("passenger", "coach"): "县内班车客运；县际班车客运；市际班车客运",
    ("passenger", "charter"): "县际包车客运；市际包车客运；省际包车客运",
    ("passenger", "bus"): "城市公共汽车客运",
    ("taxi", ""): "巡游出租汽车客运",
    ("driving_school", ""): "机动车驾驶员培训（普通机动车驾驶员培训一级：A1、A3、B2、C1、C2）",
}
# fmt: on


def _persons(
    rng: random.Random,
    reg: Registry,
    ents: list[_Ent],
    *,
    total: int,
    division: str,
    today: date,
    birthplaces,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Person rows and their 从业资格证 licence rows. About 2.5% are drivers of no enterprise without a
    qualification (parties to cases); another 2.5% are qualified drivers of no enterprise."""
    weights: list[float] = []
    for e in ents:
        active = e.row["status"] != "注销"
        if e.btype in _STAFF_PER_VEHICLE:
            weights.append(e.fleet * _STAFF_PER_VEHICLE[e.btype])
        else:
            weights.append(_STAFF_FIXED.get(e.btype, 0.0) * (rng.uniform(0.5, 1.8) if active else 0.0))
    loose = sum(weights) * 0.05 / 0.95
    counts = allocate(total, weights + [loose])
    qual_seq = rng.randint(1000, 5000)
    persons, licences = [], []
    holders = [(e, n) for e, n in zip(ents, counts[:-1], strict=True)] + [(None, counts[-1])]
    for employer, n in holders:
        kind = employer.btype if employer else "none"
        for i in range(n):
            qualified = employer is not None or i % 2 == 0
            cat, _, male_share = rng.choices(_CATEGORIES[kind], weights=[w for _, w, _ in _CATEGORIES[kind]])[
                0
            ]
            male = rng.random() < male_share
            born = (
                (1965, 1998)
                if cat in (QualificationCategory.PASSENGER_DRIVER, QualificationCategory.INSTRUCTOR)
                else (1963, 2001)
            )
            number = idcard(rng, reg, birthplaces=birthplaces, born_from=born[0], born_to=born[1], male=male)
            persons.append(
                {
                    "name": person_name(rng, male),
                    "idcard": number,
                    "phone": phone_mobile(rng) if rng.random() < 0.8 else "",
                    "employer_uscc": employer.row["uscc"] if employer else "",
                }
            )
            if not qualified:
                continue
            # 从业资格证号: in practice often the holder's ID number; the demo does not repeat personal data in
            # a clear-text column and uses division code + 2-digit year of issue + 6-digit sequence instead.
            valid_to = _licence_valid_to(rng, today, QUALIFICATION_YEARS, expired=0.03, expiring=0.04)
            valid_from = span_ending(valid_to, QUALIFICATION_YEARS)
            qual_seq += rng.randint(1, 4)
            licences.append(
                {
                    "kind": LicenceKind(LicenceKind.QUALIFICATION).label,
                    "number": f"{division}{valid_from.year % 100:02d}{qual_seq:06d}",
                    "holder_idcard": number,
                    "category": QualificationCategory(cat).label,
                    # 从业资格 examinations and certificates are the 设区的市's (《道路运输从业人员管理规定》).
                    "issuing_authority": "云浮市交通运输局",
                    "valid_from": valid_from.isoformat(),
                    "valid_to": valid_to.isoformat(),
                    "status": "暂扣" if rng.random() < 0.005 else "",
                }
            )
    return persons, licences


def _permits(rng: random.Random, ents: list[_Ent], *, division: str, today: date) -> list[dict[str, str]]:
    """道路运输经营许可证 for the businesses that need one. Number: no normative format (§6.4); demo uses
    the 12-digit common practice, division code + 6-digit sequence."""
    seq = rng.randint(100, 600)
    out = []
    for e in ents:
        scope = _PERMIT_SCOPE.get((e.btype, e.sub))
        if scope is None or e.row["status"] == "注销":
            continue
        seq += rng.randint(1, 5)
        valid_to = _licence_valid_to(rng, today, PERMIT_YEARS, expired=0.02, expiring=0.05)
        out.append(
            {
                "kind": LicenceKind(LicenceKind.BUSINESS_PERMIT).label,
                "number": f"{division}{seq:06d}",
                "holder_uscc": e.row["uscc"],
                "scope": scope,
                # 危险货物运输 is licensed by the 设区的市 transport authority.
                "issuing_authority": "云浮市交通运输局" if e.btype == BusinessType.DANGEROUS else "",
                "valid_from": span_ending(valid_to, PERMIT_YEARS).isoformat(),
                "valid_to": valid_to.isoformat(),
            }
        )
    return out


def _county(
    rng: random.Random,
    reg: Registry,
    *,
    bureau: str,
    mix,
    vehicle_shares,
    scale: float,
    vehicles: int,
    persons: int,
    towns,
    town_weights,
    birthplaces,
    today: date,
) -> CountyData:
    org = ORG_BY_KEY[bureau]
    county = org.name.removesuffix("交通运输局")
    ents = _enterprises(
        rng,
        reg,
        mix=mix,
        scale=scale,
        division=org.division_code,
        county=county,
        towns=towns,
        town_weights=town_weights,
    )
    vrows, vcerts = _vehicles(
        rng, reg, ents, total=vehicles, shares=vehicle_shares, division=org.division_code, today=today
    )
    prows, quals = _persons(
        rng, reg, ents, total=persons, division=org.division_code, today=today, birthplaces=birthplaces
    )
    permits = _permits(rng, ents, division=org.division_code, today=today)
    licences = permits + vcerts + quals
    for lic in licences:
        lic["issuing_authority"] = lic["issuing_authority"] or org.name
    return CountyData(
        bureau=bureau, enterprises=[e.row for e in ents], persons=prows, vehicles=vrows, licences=licences
    )


# Subject counts at scale 1.0 (enterprises come from the mixes: 300 in 郁南, 12 in 新兴).
YUNAN_VEHICLES = 3000
YUNAN_PERSONS = 2000
XINXING_VEHICLES = 80
XINXING_PERSONS = 40


def generate_demo(*, seed: int = 2022, scale: float = 1.0, today: date) -> DemoData:
    """The whole demo county as data. Officers and accounts do not depend on ``scale``."""
    master = random.Random(seed)
    rng_people, rng_yunan, rng_xinxing = (random.Random(master.getrandbits(64)) for _ in range(3))
    reg = Registry()
    officers = _officers(rng_people, reg, today)
    accounts = _accounts(rng_people, officers)
    yunan = _county(
        rng_yunan,
        reg,
        bureau="yunan",
        mix=_YUNAN_MIX,
        vehicle_shares=_YUNAN_VEHICLE_SHARES,
        scale=scale,
        vehicles=scaled(YUNAN_VEHICLES, scale),
        persons=scaled(YUNAN_PERSONS, scale),
        towns=YUNAN_TOWNS,
        town_weights=YUNAN_TOWN_WEIGHTS,
        birthplaces=_YUNAN_BIRTHPLACES,
        today=today,
    )
    xinxing = _county(
        rng_xinxing,
        reg,
        bureau="xinxing",
        mix=_XINXING_MIX,
        vehicle_shares=_XINXING_VEHICLE_SHARES,
        scale=scale,
        vehicles=max(6, round(XINXING_VEHICLES * scale)),
        persons=max(4, round(XINXING_PERSONS * scale)),
        towns=XINXING_TOWNS,
        town_weights=XINXING_TOWN_WEIGHTS,
        birthplaces=_XINXING_BIRTHPLACES,
        today=today,
    )
    return DemoData(
        seed=seed, scale=scale, today=today, accounts=accounts, officers=officers, counties=[yunan, xinxing]
    )
