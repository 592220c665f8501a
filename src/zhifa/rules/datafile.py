"""Rule data files (JSON, format ``zhifa-rules/1``): reading, validation with Chinese errors, normalising.

A file holds ``legal_bases``, ``violations`` and ``params`` for one scope: ``province`` "" is the
national data, a two-digit GB/T 2260 code (e.g. "44" 广东) a province's overrides. Amounts are whole
yuan in files (``*_yuan``) and fen in the database. The shipped files live in ``rules/data/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zhifa.rules.models import ExemptionKind, PartyKind, PenaltyKind, SeverityClass, Tier

FORMAT = "zhifa-rules/1"
DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "national.json"

# GB/T 2260 province-level codes (first two digits of a division code).
PROVINCES = {
    "11": "北京",
    "12": "天津",
    "13": "河北",
    "14": "山西",
    "15": "内蒙古",
    "21": "辽宁",
    "22": "吉林",
    "23": "黑龙江",
    "31": "上海",
    "32": "江苏",
    "33": "浙江",
    "34": "安徽",
    "35": "福建",
    "36": "江西",
    "37": "山东",
    "41": "河南",
    "42": "湖北",
    "43": "湖南",
    "44": "广东",
    "45": "广西",
    "46": "海南",
    "50": "重庆",
    "51": "四川",
    "52": "贵州",
    "53": "云南",
    "54": "西藏",
    "61": "陕西",
    "62": "甘肃",
    "63": "青海",
    "64": "宁夏",
    "65": "新疆",
}
PROVINCE_FILES = {"44": DATA_DIR / "guangdong.json"}
DAY_TYPES = {"", "working", "calendar"}
CONFIDENCE = {"verified", "secondary", "local", "unconfirmed"}
CONFIDENCE_LABELS = {
    "verified": "已核对原文",
    "secondary": "二手资料",
    "local": "地方/可配置",
    "unconfirmed": "未核实",
}


def province_code(value: str | None) -> str:
    """Normalise "44", "440000", "广东", "广东省" to "44"; "" for national; ValueError if unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    if value[:2] in PROVINCES and value.isdigit() and len(value) in (2, 6):
        return value[:2]
    for code, name in PROVINCES.items():
        if value in (name, name + "省", name + "市") or value.startswith(name):
            return code
    raise ValueError(f"未知的省份“{value}”（请使用两位行政区划代码，如 44，或省份名称，如 广东）")


def province_label(code: str) -> str:
    return PROVINCES.get(code, "全国") if code else "全国"


class DataFileError(Exception):
    """A file that cannot be read at all (not JSON, wrong format)."""


@dataclass
class CheckResult:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_file(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"文件不存在：{p}") from None
    except UnicodeDecodeError:
        raise DataFileError(f"文件 {p.name} 不是 UTF-8 编码") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise DataFileError(
            f"文件 {p.name} 不是有效的 JSON：第 {e.lineno} 行第 {e.colno} 列，{e.msg}"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataFileError(f"文件 {p.name} 不是规则数据文件（format 应为 “{FORMAT}”）")
    return doc


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError("日期格式应为 YYYY-MM-DD") from None


def _nonneg_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_document(doc: dict[str, Any], *, known_bases: set[str] | None = None) -> CheckResult:
    """Validate a parsed data file; every error names the entry and the field, in Chinese.

    ``known_bases``: legal-basis keys already in the database (a province file may cite national ones).
    """
    res = CheckResult()
    err = res.errors
    try:
        province_code(doc.get("province", ""))
    except ValueError as e:
        err.append(f"文件头 字段 province：{e}")
    bases = doc.get("legal_bases", [])
    violations = doc.get("violations", [])
    params = doc.get("params", [])
    for name, value in (("legal_bases", bases), ("violations", violations), ("params", params)):
        if not isinstance(value, list):
            err.append(f"文件头 字段 {name}：应为数组")
    if err:
        return res
    keys = set(known_bases or ())
    seen: set[str] = set()
    for i, b in enumerate(bases, 1):
        where = f"法律依据第 {i} 条（{b.get('key', '无编号') if isinstance(b, dict) else '?'}）"
        if not isinstance(b, dict):
            err.append(f"{where}：应为对象")
            continue
        for f in ("key", "law", "summary"):
            if not isinstance(b.get(f), str) or not b.get(f).strip():
                err.append(f"{where} 字段 {f}：不能为空")
        if b.get("key") in seen:
            err.append(f"{where} 字段 key：编号重复")
        seen.add(b.get("key"))
        law = b.get("law", "")
        if isinstance(law, str) and law and not (law.startswith("《") and law.endswith("》")):
            err.append(
                f"{where} 字段 law：法律法规名称应使用全称并带书名号，如《中华人民共和国道路运输条例》"
            )
        if not _nonneg_int(b.get("article")):
            err.append(f"{where} 字段 article：应为条号整数（条款序号未核实时填 0）")
        for f in ("paragraph", "item"):
            if b.get(f) is not None and not (_nonneg_int(b.get(f)) and b.get(f) > 0):
                err.append(f"{where} 字段 {f}：应为正整数或 null")
        _check_dates(b, where, err, required=True)
        if not isinstance(b.get("confirmed", False), bool):
            err.append(f"{where} 字段 confirmed：应为 true 或 false")
    keys |= seen
    codes: set[tuple[str, str]] = set()
    for i, v in enumerate(violations, 1):
        code = v.get("code", "无编码") if isinstance(v, dict) else "?"
        where = f"执法事项第 {i} 条（{code}）"
        if not isinstance(v, dict):
            err.append(f"{where}：应为对象")
            continue
        for f in ("code", "name", "category"):
            if not isinstance(v.get(f), str) or not v.get(f).strip():
                err.append(f"{where} 字段 {f}：不能为空")
        ident = (str(v.get("code")), str(v.get("effective_from")))
        if ident in codes:
            err.append(f"{where} 字段 code：同一编码同一生效日期重复")
        codes.add(ident)
        _check_dates(v, where, err, required=True)
        for f in ("violated", "penalised"):
            refs = v.get(f, [])
            if not isinstance(refs, list):
                err.append(f"{where} 字段 {f}：应为法律依据编号数组")
                continue
            for ref in refs:
                if ref not in keys:
                    err.append(f"{where} 字段 {f}：引用的法律依据“{ref}”不存在")
        if not v.get("penalised"):
            err.append(f"{where} 字段 penalised：至少需要一条处罚条款")
        if v.get("party", "any") not in PartyKind.values:
            err.append(f"{where} 字段 party：应为 any、person 或 organisation")
        _check_penalty(v.get("penalty"), where, err)
        if (
            "summary_allowed" in v
            and v["summary_allowed"] is not None
            and not isinstance(v["summary_allowed"], bool)
        ):
            err.append(f"{where} 字段 summary_allowed：应为 true、false 或 null（按罚款下限自动判断）")
        if not isinstance(v.get("other_sanctions", []), list):
            err.append(f"{where} 字段 other_sanctions：应为文字数组")
        _check_tiers(v, where, err)
        _check_exemptions(v.get("exemptions", []), where, err)
        _check_severity(v, where, err)
    names: set[tuple[str, str]] = set()
    for i, p in enumerate(params, 1):
        where = f"程序参数第 {i} 条（{p.get('name', '无名称') if isinstance(p, dict) else '?'}）"
        if not isinstance(p, dict):
            err.append(f"{where}：应为对象")
            continue
        for f in ("name", "label", "unit", "article"):
            if not isinstance(p.get(f), str) or not p.get(f).strip():
                err.append(f"{where} 字段 {f}：不能为空")
        if "value" not in p or p["value"] is None:
            err.append(f"{where} 字段 value：不能为空")
        elif p.get("unit") in (
            "fen",
            "kg",
            "day",
            "year",
            "month",
            "percent",
            "percent_per_day",
            "person",
        ) and not _nonneg_int(p["value"]):
            err.append(f"{where} 字段 value：单位为 {p.get('unit')} 时应为非负整数")
        if p.get("day_type", "") not in DAY_TYPES:
            err.append(f"{where} 字段 day_type：应为 working（工作日）、calendar（自然日）或空")
        if p.get("confidence") not in CONFIDENCE:
            err.append(f"{where} 字段 confidence：应为 {'、'.join(sorted(CONFIDENCE))} 之一")
        _check_dates(p, where, err, required=True)
        ident = (str(p.get("name")), str(p.get("effective_from")))
        if ident in names:
            err.append(f"{where} 字段 name：同一参数同一生效日期重复")
        names.add(ident)
    res.counts = {"legal_bases": len(bases), "violations": len(violations), "params": len(params)}
    return res


def _check_dates(obj: dict, where: str, err: list[str], *, required: bool) -> None:
    try:
        start = _date(obj.get("effective_from"))
        if start is None and required:
            err.append(f"{where} 字段 effective_from：不能为空")
    except ValueError as e:
        err.append(f"{where} 字段 effective_from：{e}")
        return
    try:
        end = _date(obj.get("effective_to"))
    except ValueError as e:
        err.append(f"{where} 字段 effective_to：{e}")
        return
    if start and end and end < start:
        err.append(f"{where} 字段 effective_to：失效日期早于生效日期")


def _check_penalty(pen: Any, where: str, err: list[str]) -> None:
    if not isinstance(pen, dict):
        err.append(f"{where} 字段 penalty：应为对象")
        return
    kind = pen.get("kind")
    if kind not in PenaltyKind.values:
        err.append(f"{where} 字段 penalty.kind：应为 {'、'.join(PenaltyKind.values)} 之一")
        return
    lo, hi = pen.get("min_yuan", 0), pen.get("max_yuan", 0)
    if not _nonneg_int(lo):
        err.append(f"{where} 字段 penalty.min_yuan：应为非负整数（元）")
    if not _nonneg_int(hi):
        err.append(f"{where} 字段 penalty.max_yuan：应为非负整数（元）")
    if _nonneg_int(lo) and _nonneg_int(hi):
        if (
            kind in (PenaltyKind.RANGE, PenaltyKind.FIXED, PenaltyKind.UP_TO, PenaltyKind.PER_UNIT)
            and hi < lo
        ):
            err.append(f"{where} 字段 penalty.max_yuan：最高罚款低于最低罚款")
        if kind in (PenaltyKind.RANGE, PenaltyKind.UP_TO, PenaltyKind.PER_UNIT) and hi == 0:
            err.append(f"{where} 字段 penalty.max_yuan：幅度罚款须有最高额")
        if kind == PenaltyKind.FIXED and lo != hi:
            err.append(f"{where} 字段 penalty：定额罚款的 min_yuan 与 max_yuan 应相同")
    if kind == PenaltyKind.PER_UNIT:
        for f in ("unit_kg", "unit_yuan", "warning_max_kg"):
            if not _nonneg_int(pen.get(f)):
                err.append(f"{where} 字段 penalty.{f}：应为非负整数")
    if kind == PenaltyKind.MULTIPLE:
        _check_multiple(pen, f"{where} 字段 penalty", err)
    for j, var in enumerate(pen.get("variants", []) or [], 1):
        w = f"{where} 字段 penalty.variants[{j}]"
        if not isinstance(var, dict) or not var.get("when"):
            err.append(f"{w}：应写明适用情形 when")
            continue
        if var.get("kind") == PenaltyKind.MULTIPLE:
            _check_multiple(var, w, err)
        elif var.get("kind") in (PenaltyKind.RANGE, PenaltyKind.UP_TO, PenaltyKind.FIXED):
            if not (_nonneg_int(var.get("min_yuan", 0)) and _nonneg_int(var.get("max_yuan"))):
                err.append(f"{w}：min_yuan、max_yuan 应为非负整数（元）")
            elif var.get("max_yuan") < var.get("min_yuan", 0):
                err.append(f"{w}：最高罚款低于最低罚款")
        else:
            err.append(f"{w} 字段 kind：应为 multiple、range、up_to 或 fixed")


def _check_multiple(obj: dict, where: str, err: list[str]) -> None:
    lo, hi = obj.get("multiple_min"), obj.get("multiple_max")
    if not isinstance(lo, int | float) or not isinstance(hi, int | float) or lo < 0 or hi < lo:
        err.append(f"{where}：倍数罚应有 multiple_min ≤ multiple_max（非负数）")


def _check_tiers(v: dict, where: str, err: list[str]) -> None:
    tiers = v.get("tiers")
    if tiers is None:
        return
    if not isinstance(tiers, list):
        err.append(f"{where} 字段 tiers：应为数组")
        return
    pen = v.get("penalty") or {}
    legal_max = pen.get("max_yuan", 0) if isinstance(pen, dict) else 0
    seen = set()
    for j, t in enumerate(tiers, 1):
        w = f"{where} 字段 tiers[{j}]"
        if not isinstance(t, dict) or t.get("tier") not in Tier.values:
            err.append(f"{w}.tier：应为 {'、'.join(Tier.values)} 之一")
            continue
        if t["tier"] in seen:
            err.append(f"{w}.tier：阶次“{Tier(t['tier']).label}”重复")
        seen.add(t["tier"])
        if not t.get("conditions"):
            err.append(f"{w}.conditions：应写明适用条件")
        lo, hi = t.get("min_yuan", 0), t.get("max_yuan", 0)
        if not (_nonneg_int(lo) and _nonneg_int(hi)) or hi < lo:
            err.append(f"{w}：min_yuan、max_yuan 应为非负整数且不小于下限（元）")
            continue
        if t["tier"] != Tier.MITIGATED and isinstance(legal_max, int) and legal_max and hi > legal_max:
            err.append(
                f"{w}.max_yuan：超出法定最高罚款 {legal_max} 元（国办发〔2022〕27号：裁量基准不得超出法定幅度）"
            )
        if t["tier"] == Tier.NO_PENALTY and hi:
            err.append(f"{w}：不予处罚阶次的金额应为 0")


def _check_severity(v: dict, where: str, err: list[str]) -> None:
    """失信程度 (36号令): optional; a class needs the source of the classification."""
    sev, src = v.get("severity", ""), v.get("severity_source", "")
    if sev in (None, ""):
        return
    if sev not in SeverityClass.values:
        err.append(f"{where} 字段 severity：应为 {'、'.join(SeverityClass.values)}（轻微、一般、严重）之一或省略")
    if not isinstance(src, str) or not src.strip():
        err.append(f"{where} 字段 severity_source：填写失信程度分类时应写明分类依据")
    elif len(src) > 300:
        err.append(f"{where} 字段 severity_source：不能超过 300 个字符")


def _check_exemptions(items: Any, where: str, err: list[str]) -> None:
    if not isinstance(items, list):
        err.append(f"{where} 字段 exemptions：应为数组")
        return
    for j, e in enumerate(items, 1):
        w = f"{where} 字段 exemptions[{j}]"
        if not isinstance(e, dict) or e.get("kind") not in ExemptionKind.values:
            err.append(f"{w}.kind：应为 {'、'.join(ExemptionKind.values)} 之一")
            continue
        if not isinstance(e.get("conditions"), list) or not e["conditions"]:
            err.append(f"{w}.conditions：应列明需同时满足的条件")
        if not e.get("source"):
            err.append(f"{w}.source：应写明清单或法律来源")


def check_file(path: str | Path, *, known_bases: set[str] | None = None) -> CheckResult:
    try:
        doc = read_file(path)
    except DataFileError as e:
        return CheckResult(errors=[str(e)])
    if known_bases is None and province_code_safe(doc.get("province", "")):
        # A province file may cite the national legal bases.
        try:
            known_bases = {b["key"] for b in read_file(NATIONAL_FILE).get("legal_bases", [])}
        except DataFileError:
            known_bases = set()
    return check_document(doc, known_bases=known_bases)


def province_code_safe(value: Any) -> str:
    try:
        return province_code(str(value or ""))
    except ValueError:
        return ""


# --- normalisation ----------------------------------------------------------------------------------


def model_tiers(kind: str, min_fen: int, max_fen: int) -> list[dict[str, Any]]:
    """Model discretion tiers when a file gives none: the legal range split into grades as 国办发〔2022〕27号
    asks (从轻 lower 30 %, 一般 30–70 %, 从重 upper 30 %), plus 不予处罚 and 减轻 with their legal
    conditions (处罚法 Arts 32–33). Not a province's official benchmark."""
    tiers: list[dict[str, Any]] = [
        {
            "tier": Tier.NO_PENALTY.value,
            "min_fen": 0,
            "max_fen": 0,
            "conditions": "符合《行政处罚法》第三十三条不予处罚情形（轻微并及时改正且无危害后果；首次违法且危害后果轻微并及时改正；"
            "无主观过错），并对当事人进行教育",
        }
    ]
    if kind in (PenaltyKind.RANGE, PenaltyKind.UP_TO) and max_fen > min_fen:
        span = max_fen - min_fen

        def at(share: int) -> int:  # whole yuan
            return (min_fen + span * share // 100) // 100 * 100

        if min_fen > 0:
            tiers.append(
                {
                    "tier": Tier.MITIGATED.value,
                    "min_fen": 0,
                    "max_fen": min_fen - 100,
                    "conditions": "具有《行政处罚法》第三十二条应当从轻或者减轻处罚情形，且情节符合减轻条件，"
                    "经法制审核和集体讨论；低于法定最低罚款",
                }
            )
        tiers += [
            {
                "tier": Tier.LIGHTER.value,
                "min_fen": min_fen,
                "max_fen": at(30),
                "conditions": "具有《行政处罚法》第三十二条从轻情形（主动消除或减轻危害后果、受胁迫或诱骗、主动供述、立功等）",
            },
            {
                "tier": Tier.GENERAL.value,
                "min_fen": at(30),
                "max_fen": at(70),
                "conditions": "无从轻、从重情节",
            },
            {
                "tier": Tier.HEAVIER.value,
                "min_fen": at(70),
                "max_fen": max_fen,
                "conditions": "情节较重：危害后果较大、多次违法、拒不改正或妨碍执法检查等",
            },
        ]
    elif kind == PenaltyKind.FIXED:
        tiers.append(
            {"tier": Tier.GENERAL.value, "min_fen": min_fen, "max_fen": max_fen, "conditions": "定额罚款"}
        )
    elif kind == PenaltyKind.PER_UNIT:
        tiers.append(
            {
                "tier": Tier.GENERAL.value,
                "min_fen": 0,
                "max_fen": max_fen,
                "conditions": "按超限质量逐1000千克计算（见程序参数中的治超罚款各项），不另设阶次",
            }
        )
    return tiers


MODEL_TIER_SOURCE = (
    "示范阶次：按国办发〔2022〕27号将法定幅度划分为从轻（下30%）、一般（30%–70%）、从重（上30%），"
    "非省级正式裁量基准"
)


def normalise_violation(v: dict[str, Any], *, summary_limits: tuple[int, int]) -> dict[str, Any]:
    """File entry -> model fields (fen). ``summary_limits``: (person, organisation) in fen (处罚法 Art 51)."""
    pen = dict(v["penalty"])
    kind = pen.pop("kind")
    min_fen = int(pen.pop("min_yuan", 0)) * 100
    max_fen = int(pen.pop("max_yuan", 0)) * 100
    if kind == PenaltyKind.FIXED and not max_fen:
        max_fen = min_fen
    if "tiers" in v and v["tiers"] is not None:
        tiers = [
            {
                "tier": t["tier"],
                "conditions": t["conditions"],
                "min_fen": int(t.get("min_yuan", 0)) * 100,
                "max_fen": int(t.get("max_yuan", 0)) * 100,
                "note": t.get("note", ""),
            }
            for t in v["tiers"]
        ]
        tier_source = v.get("tier_source") or "数据文件"
    else:
        tiers = model_tiers(kind, min_fen, max_fen)
        tier_source = MODEL_TIER_SOURCE
    summary = v.get("summary_allowed")
    if summary is None:
        summary = summary_possible(kind, min_fen, v.get("party", "any"), summary_limits)
    return {
        "name": v["name"].strip(),
        "category": v["category"].strip(),
        "party_kind": v.get("party", "any"),
        "effective_from": _date(v["effective_from"]),
        "effective_to": _date(v.get("effective_to")),
        "penalty_kind": kind,
        "min_fen": min_fen,
        "max_fen": max_fen,
        "penalty_detail": pen,
        "other_sanctions": list(v.get("other_sanctions", [])),
        "summary_allowed": bool(summary),
        "tiers": tiers,
        "tier_source": tier_source,
        "exemptions": list(v.get("exemptions", [])),
        "severity": v.get("severity") or "",
        "severity_source": (v.get("severity_source") or "").strip() if v.get("severity") else "",
        "note": v.get("note", ""),
        "confirmed": bool(v.get("confirmed", False)),
        "violated": list(v.get("violated", [])),
        "penalised": list(v.get("penalised", [])),
    }


def summary_possible(kind: str, min_fen: int, party: str, limits: tuple[int, int]) -> bool:
    """Whether 简易程序 can apply in principle: a warning, or a legal minimum within Art 51's amount for
    the party kinds the violation concerns. Confiscation-only or sanction-only entries cannot."""
    if kind == PenaltyKind.WARNING:
        return True
    if kind in (PenaltyKind.NONE, PenaltyKind.MULTIPLE):
        return False
    if kind == PenaltyKind.PER_UNIT:
        return True  # the warning band (超限规定 Art 43: ≤1000 kg) and the first units are within limits
    person, org = limits
    if party == PartyKind.PERSON:
        return min_fen <= person
    if party == PartyKind.ORGANISATION:
        return min_fen <= org
    return min_fen <= max(person, org)
