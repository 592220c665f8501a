"""Columns of the 监管对象 lists when exported (导出 Excel / CSV): what the page shows, masked as on the page."""

from __future__ import annotations

from zhifa.core.list_export import ListExport


def _holder(lic) -> str:
    if lic.enterprise_id:
        return lic.enterprise.name
    if lic.vehicle_id:
        return lic.vehicle.plate
    if lic.person_id:
        return lic.person.name
    return ""


VEHICLES = ListExport(
    title="车辆",
    columns=[
        ("车牌号", "plate"),
        ("车牌颜色", "get_plate_color_display"),
        ("车辆类型", "get_vehicle_type_display"),
        ("道路运输证号", "transport_cert_no"),
        ("所属企业", "enterprise.name"),
        ("状态", "get_status_display"),
    ],
)

ENTERPRISES = ListExport(
    title="企业",
    columns=[
        ("企业名称", "name"),
        ("统一社会信用代码", "uscc"),
        ("经营类别", "get_business_type_display"),
        ("法定代表人", "legal_rep"),
        ("状态", "get_status_display"),
    ],
)

PERSONS = ListExport(
    title="自然人",
    columns=[
        ("姓名", "name"),
        ("身份证号（脱敏）", "idcard_masked"),
        ("性别", "sex"),
        ("出生日期", "birth_date"),
        ("联系电话（脱敏）", "phone_masked"),
        ("所在企业", "employer.name"),
    ],
)

LICENCES = ListExport(
    title="证照",
    columns=[
        ("证照类型", "get_kind_display"),
        ("证号", "number"),
        ("持证对象", _holder),
        ("发证机关", "issuing_authority"),
        ("有效期自", "valid_from"),
        ("有效期至", "valid_to"),
        ("状态", "get_status_display"),
        ("暂扣至", "suspended_until"),
    ],
)
