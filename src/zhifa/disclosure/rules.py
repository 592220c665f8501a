"""Disclosure rule data with sources: deadlines, publication periods by severity class, data items.

Confirmed while writing (search, 2026-11):
* 《信用修复管理办法》（国家发展改革委令2025年第36号，2025-11-19 通过，2026-04-01 施行）: 轻微 — in principle not
  published, at most 3 months where the regulator finds it necessary, repairable once obligations are met;
  一般 — minimum 3 months, maximum 1 year; 严重 — minimum 1 year, maximum 3 years; periods run from the date
  of the document that made the finding; publication stops automatically at the maximum. [S: NDRC
  announcement as reported by 证券之星/财闻 2025-11-26 and the text copy on law-lib.com id=786242]
* Before 2026-04-01: 《失信行为纠正后的信用信息修复管理办法（试行）》（2023年第58号令）. Its periods for
  行政处罚信息 (一般 3 months–1 year, 严重 1–3 years) could NOT be confirmed from a primary text here
  (procedure.md §3.4 [?]); they are encoded with ``confirmed=False``. 58号令 has no 轻微 class: such
  records fall under 一般 there.
"""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass
from datetime import date

from .models import DisclosureKind, Severity

# inspection results: 20 working days (《企业信息公示暂行条例》第六条, as zhifa.inspections uses);
# 执法公示 事前 items: 20 working days (《政府信息公开条例》第二十六条 [V])
# 36号令: 轻微 "原则上不予公示"; a bureau that finds it necessary may publish up to 3 months (0 = not published).
MINOR_PUBLISH_MONTHS = min(3, int(os.environ.get("ZHIFA_DISCLOSURE_MINOR_MONTHS", "0")))
# how natural persons' names appear: "mask" (张*) or "full" (as the 双公示 standard's 行政相对人名称)
PERSON_NAME_RULE = os.environ.get("ZHIFA_DISCLOSURE_PERSON_NAME", "mask")
AUTO_PUBLISH = os.environ.get("ZHIFA_DISCLOSURE_AUTO_PUBLISH", "1") == "1"


@dataclass(frozen=True)
class PeriodRule:
    key: str
    title: str
    effective_from: date
    effective_to: date | None
    # severity -> (minimum months, maximum months); maximum 0 = not published
    months: dict
    confirmed: bool


PERIOD_RULES = [
    PeriodRule(
        "ndrc2023-58",
        "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）",
        date(2023, 5, 1),
        date(2026, 3, 31),
        {Severity.MINOR: (3, 12), Severity.GENERAL: (3, 12), Severity.SERIOUS: (12, 36)},
        confirmed=False,
    ),
    PeriodRule(
        "ndrc2025-36",
        "《信用修复管理办法》（国家发展改革委令2025年第36号）第二章",
        date(2026, 4, 1),
        None,
        {
            Severity.MINOR: (0, MINOR_PUBLISH_MONTHS),
            Severity.GENERAL: (3, 12),
            Severity.SERIOUS: (12, 36),
        },
        confirmed=True,
    ),
]


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def period_rule_for(decided_on: date) -> PeriodRule:
    for r in PERIOD_RULES:
        if r.effective_from <= decided_on and (r.effective_to is None or decided_on <= r.effective_to):
            return r
    return PERIOD_RULES[0]  # older decisions: the earliest rule we hold


@dataclass(frozen=True)
class Period:
    publish: bool
    publish_until: date | None
    repair_eligible_from: date | None
    explanation: list


def period_for(*, severity: str, decided_on: date) -> Period:
    """公示截止期 and the first day a repair may be applied for; each explains itself."""
    rule = period_rule_for(decided_on)
    lo, hi = rule.months[severity]
    label = Severity(severity).label
    flag = "" if rule.confirmed else "（期限未经原文核实）"
    if hi == 0:
        return Period(False, None, decided_on, [f"{label}失信信息原则上不予公示：{rule.title}{flag}"])
    until = add_months(decided_on, hi)
    eligible = add_months(decided_on, lo)
    return Period(
        True,
        until,
        eligible,
        [
            f"依据{rule.title}{flag}，{label}失信信息最短公示{lo}个月、最长{hi}个月，自决定之日起算",
            f"{decided_on:%Y-%m-%d} 起最长公示至 {until:%Y-%m-%d}，{eligible:%Y-%m-%d} 起可申请信用修复",
        ],
    )


def severity_for(
    *, decided_on: date, violation_code: str = "", penalty_type: str = "", procedure: str = ""
) -> tuple[str, str]:
    """(severity, basis). A 简易程序 decision is 轻微; else the class of the violation in the rules catalogue
    version in force on the decision date (rules.violation_severity); else the 36号令 examples by penalty
    type."""
    from zhifa.rules.selectors import violation_severity

    if procedure == "summary":
        return Severity.MINOR, "简易程序作出的行政处罚（36号令所列轻微类例）"
    found = violation_severity(violation_code, on=decided_on) if violation_code else None
    if found:
        return found
    if penalty_type in ("revoke", "suspend"):
        return Severity.SERIOUS, "吊销许可证件、限制从业等（36号令所列严重类例）"
    if penalty_type == "warning":
        return Severity.MINOR, "警告、通报批评（36号令所列轻微类例）"
    return Severity.GENERAL, "罚款、没收等（36号令所列一般类例）"


# 双公示 data items (procedure.md §3.2, field names after the 信用中国 2020/2021 standard [S]). ``required``
# items must be present before a record goes out; a record missing one is held back with the reason.
ITEMS = {
    DisclosureKind.PENALTY: [
        ("subject_name", "行政相对人名称", True),
        ("subject_kind", "行政相对人类别", True),
        ("subject_code", "统一社会信用代码", False),
        ("legal_rep", "法定代表人", False),
        ("doc_no", "行政处罚决定书文号", True),
        ("violation_type", "违法行为类型", True),
        ("facts", "违法事实", True),
        ("basis", "处罚依据", True),
        ("penalty_category", "处罚类别", True),
        ("penalty_content", "处罚内容", True),
        ("fine_wan", "罚款金额（万元）", False),
        ("confiscated_wan", "没收违法所得、没收非法财物的金额（万元）", False),
        ("licence_revoked", "暂扣或吊销证照名称及编号", False),
        ("decided_on", "处罚决定日期", True),
        ("valid_until", "处罚有效期", False),
        ("publish_until", "公示截止期", False),
        ("agency", "处罚机关", True),
        ("agency_code", "处罚机关统一社会信用代码", False),
        ("source_unit", "数据来源单位", True),
        ("source_unit_code", "数据来源单位统一社会信用代码", False),
        ("plate", "车牌号", False),
        ("remark", "备注", False),
    ],
    # 行政许可: the 信用中国 行政许可信息 data items (fields XK_XDR_MC, XK_XDR_LB, XK_XDR_SHXYM, XK_FRDB,
    # XK_XKWS, XK_WSH, XK_XKLB 许可类别 coded 01 普通 / 02 特许 / 03 认可 / 04 核准 / 05 登记 / 06 其他 =
    # registry.enums.PermitCategory, XK_XKZS, XK_XKBH, XK_NR, XK_JDRQ, XK_YXQZ, XK_YXQZI (2099-12-31 = 长期),
    # XK_XKJG, XK_XKJGDM, XK_ZT, XK_LYDW, XK_LYDWDM, BZ). Checked 2026-12 against government systems that
    # implement the standard (e.g. GitHub dragdream/cc src/com/beidasoft/zfjd/permission/bean/
    # PermissionList.java, a 执法监督 platform's 许可清单 entity carrying the category code list) [S]; the
    # NDRC/信用中国 specification PDF itself was not available, so the required flags follow procedure.md §3.2.
    # The two 统一社会信用代码 of the 许可机关 / 数据来源单位 come from accounts.Org.uscc; optional here (a unit
    # without a code on file must not block publication) [?] whether the standard makes them mandatory.
    DisclosureKind.PERMIT: [
        ("subject_name", "行政相对人名称", True),
        ("subject_kind", "行政相对人类别", True),
        ("subject_code", "统一社会信用代码", False),
        ("legal_rep", "法定代表人", False),
        ("doc_name", "行政许可决定文书名称", True),
        ("doc_no", "行政许可决定文书号", True),
        ("permit_category", "许可类别", True),
        ("certificate_name", "许可证书名称", False),
        ("permit_no", "许可编号", False),
        ("permit_content", "许可内容", True),
        ("decided_on", "许可决定日期", True),
        ("valid_from", "有效期自", True),
        ("valid_to", "有效期至", True),
        ("agency", "许可机关", True),
        ("agency_code", "许可机关统一社会信用代码", False),
        ("status", "当前状态", True),
        ("source_unit", "数据来源单位", True),
        ("source_unit_code", "数据来源单位统一社会信用代码", False),
        ("remark", "备注", False),
    ],
    DisclosureKind.INSPECTION: [
        ("subject_name", "检查对象", True),
        ("subject_code", "统一社会信用代码", False),
        ("agency", "检查实施机关", True),
        ("inspection_type", "检查类型", True),
        ("item", "检查事项", False),
        ("decided_on", "检查日期", True),
        ("result", "检查结果", True),
        ("remark", "备注", False),
    ],
    DisclosureKind.ENFORCEMENT: [
        ("category", "公示类别", True),
        ("title", "标题", True),
        ("content", "内容", True),
        ("agency", "公示机关", True),
        ("decided_on", "发布日期", True),
        ("remark", "备注", False),
    ],
}
# free-text items: scrubbed of personal data by the masking layer
FREE_TEXT = {
    "facts",
    "penalty_content",
    "permit_content",
    "remark",
    "content",
    "result",
    "basis",
    "title",
    "violation_type",
    "item",
    "licence_revoked",
    "certificate_name",
}


def publish_workdays(kind: str) -> tuple[int, str]:
    """Working days from the decision to publication, and the rule it comes from (rules library data;
    env overrides ZHIFA_RULE_<PARAM>)."""
    from zhifa.rules.params import procedure_param

    name = {DisclosureKind.INSPECTION: "inspection_result_publication_period",
            DisclosureKind.ENFORCEMENT: "gov_info_disclosure_period"}.get(kind, "publication_period")
    param = procedure_param(name)
    return int(param.value), param.article


def withdraw_workdays() -> int:
    """处罚法 Art 48 para 2: withdraw within 3 (working, Art 85) days of a change — rules library data."""
    from zhifa.rules.params import procedure_param

    return int(procedure_param("publication_withdrawal_period").value)

