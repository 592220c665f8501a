"""The legal clocks of 行政许可 (《中华人民共和国行政许可法》, 2019 text) and the catalogue's first version.

Every period the Act sets for the agency counts working days (Art 82: "本法规定的行政机关实施行政许可的期限
以工作日计算，不含法定节假日"), through ``core.calendar.add_workdays`` (2026 holidays incl. Spring Festival).
The applicant's 30 days before expiry for a renewal (Art 50) is not an agency period: calendar days.
Local (not national) figures are settings, marked as such: ZHIFA_PERMITS_FIX_DAYS (差评整改, 5 working days
as 德州; national figure unconfirmed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from zhifa.core.calendar import add_workdays, is_workday

XKF = "《中华人民共和国行政许可法》"
CORRECTION_DAYS = 5  # Art 32 para 1 (四): 当场或者在五日内一次告知申请人需要补正的全部内容
DECISION_DAYS = 20  # Art 42 para 1: 自受理行政许可申请之日起二十日内作出行政许可决定
EXTENSION_DAYS = 10  # Art 42 para 1: 经本行政机关负责人批准，可以延长十日，并应当将延长期限的理由告知申请人
ISSUE_DAYS = 10  # Art 44: 自作出决定之日起十日内向申请人颁发、送达行政许可证件
HEARING_REQUEST_DAYS = 5  # Art 47 para 1: 申请人、利害关系人在被告知听证权利之日起五日内提出听证申请
HEARING_HOLD_DAYS = 20  # Art 47 para 2: 行政机关应当在二十日内组织听证
RENEWAL_BEFORE_DAYS = 30  # Art 50: 在该行政许可有效期届满三十日前向作出行政许可决定的行政机关提出申请

ART = {
    "correction": f"{XKF}第三十二条第一款第（四）项",
    "accept": f"{XKF}第三十二条第一款第（五）项、第二款",
    "decision": f"{XKF}第四十二条第一款",
    "excluded": f"{XKF}第四十五条",
    "issue": f"{XKF}第四十四条",
    "hearing": f"{XKF}第四十七条",
    "renewal": f"{XKF}第五十条第一款",
    "workdays": f"{XKF}第八十二条",
}

# 不予受理 / 不予许可 must tell the applicant the right to 复议 or 诉讼 (行政许可法 Art 38 para 2; Art 32 para 2:
# a dated written document). Periods: 行政复议法 (2023) 第二十条第一款 (sixty days from knowing of the act) and
# 行政诉讼法 第四十六条第一款 (six months). The competent 复议机关 / court are the bureau's own words (ZHIFA_TEMPLATE_DIR).
REMEDY_TEXT = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者自收到本决定书之日起六个月内依法提起行政诉讼（《中华人民共和国行政复议法》第二十条第一款、"
    "《中华人民共和国行政诉讼法》第四十六条第一款）。"
)


def fix_days() -> int:
    """差评整改 deadline in working days: local rule (德州 5; others 7 or 15), national figure unconfirmed."""
    import os

    return int(os.environ.get("ZHIFA_PERMITS_FIX_DAYS") or 5)


@dataclass
class Clock:
    """A computed deadline with its rule and the explanation a page shows."""

    due: date
    rule: str
    lines: list[str] = field(default_factory=list)


def correction_due(received_on: date) -> Clock:
    """The last day to tell the applicant everything to add (Art 32: five days); silence means the
    application is deemed accepted on the day the materials were received."""
    r = add_workdays(received_on, CORRECTION_DAYS)
    return Clock(
        r.date,
        ART["correction"],
        [
            f"收到申请材料之日起{CORRECTION_DAYS}个工作日内一次告知补正，"
            "逾期不告知的，自收到申请材料之日起即为受理",
            *r.explanation,
        ],
    )


def deemed_accepted(received_on: date, *, correction_on: date | None, today: date) -> bool:
    """Art 32: no correction notice within the five days → accepted on receipt."""
    return correction_on is None and today > correction_due(received_on).due


def excluded_workdays(pauses) -> int:
    """Working days inside the excluded periods (Art 45), each day counted once."""
    days: set[date] = set()
    for p in pauses:
        d = p.start
        while d <= p.end:
            if is_workday(d):
                days.add(d)
            d += timedelta(days=1)
    return len(days)


def decision_due(accepted_on: date, *, limit: int, extension: int = 0, pauses=(), basis: str = "") -> Clock:
    """The decision deadline: ``limit`` working days from acceptance (Art 42: 20; a special rule's own, e.g.
    超限运输 2/5/15), + ``extension`` when the head approved it (Art 42: 10), + the working days of the
    excluded periods (Art 45)."""
    skipped = excluded_workdays(pauses)
    r = add_workdays(accepted_on, limit + extension + skipped)
    lines = [f"自受理之日起{limit}个工作日（{basis or ART['decision']}）"]
    if extension:
        lines.append(f"经负责人批准延长{extension}个工作日（{ART['decision']}）")
    for p in pauses:
        lines.append(
            f"{p.get_kind_display()}期间 {p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d} 不计入（{ART['excluded']}）"
        )
    if skipped:
        lines.append(f"不计入的工作日共{skipped}日")
    return Clock(r.date, ART["decision"], lines + r.explanation)


def issue_due(decided_on: date) -> Clock:
    r = add_workdays(decided_on, ISSUE_DAYS)
    return Clock(
        r.date, ART["issue"], [f"自作出决定之日起{ISSUE_DAYS}个工作日内颁发、送达证件", *r.explanation]
    )


def hearing_request_due(told_on: date) -> Clock:
    r = add_workdays(told_on, HEARING_REQUEST_DAYS)
    return Clock(
        r.date, ART["hearing"], [f"被告知听证权利之日起{HEARING_REQUEST_DAYS}个工作日内提出听证申请"]
    )


def hearing_hold_due(requested_on: date) -> Clock:
    r = add_workdays(requested_on, HEARING_HOLD_DAYS)
    return Clock(r.date, ART["hearing"], [f"收到听证申请之日起{HEARING_HOLD_DAYS}个工作日内组织听证"])


def renewal_latest(valid_to: date) -> date:
    """Art 50: apply thirty days before the end of validity (calendar days: an applicant's period)."""
    return valid_to - timedelta(days=RENEWAL_BEFORE_DAYS)


def promised_due(start: date, days: int) -> date:
    return add_workdays(start, days).date


# --- the catalogue's first version (loaded by ``permits.services.catalogue_seed``) ---------------------------
_TL = "《中华人民共和国道路运输条例》"
_GD = "《道路货物运输及站场管理规定》"
_KY = "《道路旅客运输及客运站管理规定》"
_WH = "《道路危险货物运输管理规定》"
_CX = "《超限运输车辆行驶公路管理规定》（交通运输部令2016年第62号）"
_BIZ = ["申请书", "企业法定代表人身份证明", "经办人身份证明及委托书", "安全生产管理制度文本"]

CATALOGUE: list[dict] = [
    {
        "code": "dlhy",
        "name": "道路普通货物运输经营许可",
        "level": "county_level",
        "legal_days": 20,
        "legal_days_basis": f"{_TL}第二十四条（二十日；工作日计算为服务指南口径，待确认）",
        "promised_days": 5,
        "legal_basis": f"{_TL}第二十一条、第二十四条；{_GD}",
        "materials": _BIZ + ["车辆技术条件证明", "驾驶人员从业资格证"],
        "pledge_allowed": True,
        "pledge_waivable": "车辆技术条件证明\n驾驶人员从业资格证",
        "postcheck_days": 60,
        "licence_kind": "business_permit",
        "licence_years": 4,
        "permit_category": "01",
        "extension_days": 10,
    },
    {
        "code": "dlky",
        "name": "道路旅客运输经营许可",
        "level": "county_level",
        "legal_days": 20,
        "legal_days_basis": f"{_TL}第十条",
        "promised_days": 10,
        "legal_basis": f"{_TL}第八条、第十条；{_KY}",
        "materials": _BIZ + ["客运车辆技术等级评定证明", "驾驶人员从业资格证"],
        "licence_kind": "business_permit",
        "licence_years": 4,
        "permit_category": "01",
        "extension_days": 10,
    },
    {
        "code": "whhy",
        "name": "道路危险货物运输经营许可",
        "level": "city_level",
        "legal_days": 20,
        "legal_days_basis": f"{_TL}第二十四条",
        "promised_days": 15,
        "legal_basis": f"{_TL}第二十三条、第二十四条；{_WH}",
        "materials": _BIZ + ["专用车辆及设备证明", "停车场地证明", "专职安全管理人员证明"],
        "licence_kind": "business_permit",
        "licence_years": 4,
        "permit_category": "01",
        "extension_days": 10,
    },
    {
        "code": "yyz",
        "name": "道路运输证配发",
        "level": "county_level",
        "legal_days": 20,
        "promised_days": 0,
        "legal_days_basis": f"{_TL}第二十四条",
        "legal_basis": f"{_TL}第十条、第二十四条、第三十三条",
        "materials": ["车辆行驶证", "车辆技术等级评定证明", "道路运输经营许可证"],
        "licence_kind": "vehicle_cert",
        "licence_years": 8,
        "permit_category": "01",
        "extension_days": 10,
    },
    {
        "code": "cyzg",
        "name": "从业资格证核发",
        "level": "city_level",
        "legal_days": 20,
        "promised_days": 5,
        "legal_days_basis": f"{XKF}第四十二条",
        "legal_basis": f"{_TL}第九条、第二十二条；《道路运输从业人员管理规定》",
        "materials": ["申请表", "身份证明", "机动车驾驶证", "考试合格证明"],
        "licence_kind": "qualification",
        "licence_years": 6,
        "permit_category": "03",
        "extension_days": 10,
    },
    {
        "code": "kyz",
        "name": "客运站经营许可",
        "level": "county_level",
        "legal_days": 15,
        "promised_days": 10,
        "legal_days_basis": f"{_TL}第三十九条第一款（十五日）",
        "legal_basis": f"{_TL}第三十六条、第三十九条",
        "materials": ["申请书", "客运站竣工验收证明", "站场设施设备清单", "安全生产管理制度文本"],
        "licence_kind": "business_permit",
        "licence_years": 4,
        "permit_category": "01",
    },
    {
        "code": "cxys",
        "name": "超限运输许可",
        "level": "county_level",
        "legal_days": 15,
        "promised_days": 2,
        "legal_days_basis": f"{_CX}第十五条",
        "legal_basis": f"《中华人民共和国公路法》第五十条；{_CX}第十五条",
        "materials": ["公路超限运输申请表", "车辆行驶证", "护送方案（需要时）", "货物外廓尺寸和质量证明"],
        "tiers": [
            ["车货总高≤4.2米、总宽≤3米、总长≤20米且未超质量限值（2个工作日）", 2],
            ["车货总高≤4.5米、总宽≤3.75米、总长≤28米且总质量≤100吨（5个工作日）", 5],
            ["超过上述限值的（15个工作日）", 15],
        ],
        "note": "跨省运输的，受理后2个工作日内转报途经省份（第十六条）；车辆加固、改造时间不计入时限。",
    },
    {
        "code": "wxba",
        "name": "机动车维修经营备案",
        "kind": "filing",
        "level": "county_level",
        "legal_days": 0,
        "legal_days_basis": f"{_TL}第三十九条第二款（备案）",
        "promised_days": 0,
        "legal_basis": f"{_TL}第三十九条第二款",
        "materials": ["备案表", "营业执照", "维修场地和设备证明"],
    },
    {
        "code": "jpba",
        "name": "机动车驾驶员培训备案",
        "kind": "filing",
        "level": "county_level",
        "legal_days": 0,
        "legal_days_basis": f"{_TL}第三十九条第二款（备案）",
        "promised_days": 0,
        "legal_basis": f"{_TL}第三十九条第二款",
        "materials": ["备案表", "营业执照", "教练场地和教练车辆证明"],
    },
    {
        "code": "hyzba",
        "name": "道路货物运输站（场）经营备案",
        "kind": "filing",
        "level": "county_level",
        "legal_days": 0,
        "legal_days_basis": f"{_TL}第三十九条第二款（备案）",
        "promised_days": 0,
        "legal_basis": f"{_TL}第三十九条第二款",
        "materials": ["备案表", "营业执照", "站场平面图"],
    },
]
