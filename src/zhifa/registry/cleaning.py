"""Validation of regulated-subject data, shared by the import, the API and the pages.

Each ``clean_*`` takes raw strings (a CSV row, a form, a JSON body) and returns typed values or raises
:class:`Invalid` with the field and a Chinese reason. One place decides what a valid vehicle is.
"""

from __future__ import annotations

import re
from typing import Any

from zhifa.core.cleaning import (  # noqa: F401  (the generic helpers, used here as cleaning.text etc.)
    Invalid,
    choice,
    date_field,
    idcard_field,
    int_field,
    parse_date,
    plate_fields,
    text,
    uscc_field,
)
from zhifa.registry.enums import (
    BusinessType,
    LicenceKind,
    LicenceStatus,
    PermitAction,
    PermitCategory,
    QualificationCategory,
    SubjectStatus,
    VehicleType,
)

# --- per kind -----------------------------------------------------------------------------------

_BUSINESS_ALIASES = {"客运": BusinessType.PASSENGER, "货运": BusinessType.FREIGHT, "危货": BusinessType.DANGEROUS,
                     "维修": BusinessType.REPAIR, "驾培": BusinessType.DRIVING_SCHOOL,
                     "出租车": BusinessType.TAXI, "源头单位": BusinessType.SOURCE}


def clean_enterprise(raw: dict) -> dict[str, Any]:
    return {
        "uscc": uscc_field(raw),
        "name": text(raw, "name", "企业名称", required=True, name=True),
        "business_type": choice(raw, "business_type", "经营类别", BusinessType, aliases=_BUSINESS_ALIASES),
        "legal_rep": text(raw, "legal_rep", "法定代表人", max_len=50, name=True),
        "address": text(raw, "address", "地址"),
        "phone": text(raw, "phone", "联系电话", max_len=30),
        "status": choice(raw, "status", "状态", SubjectStatus, default=SubjectStatus.ACTIVE),
    }


def clean_person(raw: dict) -> dict[str, Any]:
    phone = text(raw, "phone", "联系电话", max_len=20)
    if phone and not re.fullmatch(r"1\d{10}|0\d{2,3}-?\d{7,8}", phone):
        raise Invalid("phone", f"联系电话“{phone}”格式不正确")
    return {
        "name": text(raw, "name", "姓名", required=True, max_len=50, name=True),
        "idcard": idcard_field(raw),
        "phone": phone,
        "employer_uscc": uscc_field(raw, "employer_uscc", "所在企业统一社会信用代码", required=False),
    }


_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")


def clean_vehicle(raw: dict) -> dict[str, Any]:
    plate, color = plate_fields(raw)
    vin = text(raw, "vin", "车辆识别代号", max_len=17).upper()
    if vin and not _VIN.fullmatch(vin):
        raise Invalid("vin", f"车辆识别代号“{vin}”应为17位字母数字（不含 I、O、Q）")
    return {
        "plate": plate,
        "plate_color": color,
        "vehicle_type": choice(raw, "vehicle_type", "车辆类型", VehicleType),
        "axle_count": int_field(raw, "axle_count", "轴数", lo=1, hi=12),
        "gross_mass_kg": int_field(raw, "gross_mass_kg", "总质量（千克）", lo=100, hi=200_000),
        "vin": vin,
        "transport_cert_no": text(raw, "transport_cert_no", "道路运输证号", max_len=30),
        "enterprise_uscc": uscc_field(raw, "enterprise_uscc", "所属企业统一社会信用代码", required=False),
        "status": choice(raw, "status", "状态", SubjectStatus, default=SubjectStatus.ACTIVE),
    }


def clean_licence(raw: dict) -> dict[str, Any]:
    kind = choice(raw, "kind", "证照类型", LicenceKind)
    data: dict[str, Any] = {
        "kind": kind,
        "number": text(raw, "number", "证号", required=True, max_len=40),
        "issuing_authority": text(raw, "issuing_authority", "发证机关", required=True, max_len=100, name=True),
        "valid_from": date_field(raw, "valid_from", "有效期起"),
        "valid_to": date_field(raw, "valid_to", "有效期至"),
        "scope": text(raw, "scope", "经营范围"),
        "status": choice(raw, "status", "状态", LicenceStatus, default=LicenceStatus.VALID),
        "category": "",
        "holder_uscc": "", "holder_plate": "", "holder_plate_color": "", "holder_idcard": "",
    }
    if data["valid_to"] < data["valid_from"]:
        raise Invalid("valid_to", "有效期至不能早于有效期起")
    if kind == LicenceKind.BUSINESS_PERMIT:
        data["holder_uscc"] = uscc_field(raw, "holder_uscc", "持证企业统一社会信用代码")
    elif kind == LicenceKind.VEHICLE_CERT:
        data["holder_plate"], data["holder_plate_color"] = plate_fields(raw, "holder_plate", "holder_plate_color")
    else:
        data["holder_idcard"] = idcard_field(raw, "holder_idcard", "持证人身份证号码")
        data["category"] = choice(raw, "category", "从业资格类别", QualificationCategory)
    return data


_TRUE = {"1", "true", "yes", "on", "是"}

LICENCE_STATUS_BY_DECISION = (
    "证照状态不能在登记信息中修改：注销、撤销、暂扣、发还、吊销请在证照页“记录许可决定”并写明理由"
    "（《中华人民共和国行政许可法》第六十九条、第七十条；《中华人民共和国行政处罚法》第九条），"
    "注销、撤销、吊销决定将同时撤回原许可的公示记录并记入信用档案"
)


def licence_status_kept(raw_status: str, status: str, current: str) -> str:
    """The status of a registered licence on an edit or a re-import: its ``current`` one. The status moves
    only through a decision (``services.permit_decide``); a blank ``raw_status`` means "unchanged", a
    ``status`` (the cleaned value) other than ``current`` is refused with the reason."""
    if (raw_status or "").strip() and status != current:
        refused = f"状态“{LicenceStatus(status).label}”与登记状态“{LicenceStatus(current).label}”不同。"
        raise Invalid("status", refused + LICENCE_STATUS_BY_DECISION)
    return current


def clean_permit_decision(raw: dict, *, action: str) -> dict[str, Any]:
    """The data items of a 行政许可决定 (the licence fields of a 准予许可 are checked by ``clean_licence``).

    准予许可 needs 许可类别, 许可内容 and both validity dates; 延续 the new 有效期至; 变更 the content or the
    changed items (理由); 注销/撤销/吊销 the reason. Dates are ``date`` or None."""
    granting = action in (PermitAction.GRANT, PermitAction.CHANGE, PermitAction.RENEWAL)
    out: dict[str, Any] = {
        "doc_no": text(raw, "doc_no", "许可决定书文号", required=True, max_len=80),
        "doc_name": text(raw, "doc_name", "行政许可决定文书名称", max_len=60),
        "permit_category": (
            choice(raw, "permit_category", "许可类别", PermitCategory)
            if action == PermitAction.GRANT or (raw.get("permit_category") or "").strip()
            else ""
        ),
        "content": text(raw, "content", "许可内容", required=action == PermitAction.GRANT, max_len=500),
        "decided_on": date_field(raw, "decided_on", "决定日期"),
        "valid_from": date_field(raw, "valid_from", "有效期自", required=action == PermitAction.GRANT),
        "valid_to": date_field(
            raw, "valid_to", "有效期至", required=action in (PermitAction.GRANT, PermitAction.RENEWAL)
        ),
        "reason": text(raw, "reason", "理由", required=not granting or action == PermitAction.CHANGE, max_len=500),
        "holder_fault": str(raw.get("holder_fault") or "").strip().lower() in _TRUE,
    }
    # 暂扣 names the end of its period; 发还 before that end needs a decision that revoked or changed the 暂扣
    out["suspend_until"] = date_field(raw, "suspend_until", "暂扣期限至", required=action == PermitAction.SUSPEND)
    out["early"] = str(raw.get("early") or "").strip().lower() in _TRUE
    # 恢复 of a 吊销 stands only on the 复议决定书/判决书 that revoked the 吊销 decision (行政复议法 Art 64,
    # 行政诉讼法 Art 70)
    out["appeal_doc_no"] = text(
        raw,
        "appeal_doc_no",
        "撤销吊销决定的行政复议决定书或行政判决书文号",
        required=action == PermitAction.RESTORE,
        max_len=80,
    )
    if out["suspend_until"] is not None and out["suspend_until"] <= out["decided_on"]:
        raise Invalid("suspend_until", "暂扣期限至应晚于决定日期")
    if out["holder_fault"] and action != PermitAction.ANNUL:
        raise Invalid("holder_fault", "“以欺骗、贿赂等不正当手段取得”仅适用于撤销决定（《中华人民共和国行政许可法》第六十九条第二款）")
    if out["valid_from"] and out["valid_to"] and out["valid_to"] < out["valid_from"]:
        raise Invalid("valid_to", "有效期至不能早于有效期自")
    if out["valid_from"] and not out["valid_to"]:
        raise Invalid("valid_to", "填写有效期自时须同时填写有效期至")
    if action == PermitAction.GRANT and out["valid_from"] < out["decided_on"]:
        raise Invalid("valid_from", "有效期自不能早于决定日期")
    return out
