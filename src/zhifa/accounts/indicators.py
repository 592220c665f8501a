"""The indicator of the enforcement staff (seeds S2/S3: 持证率 100%), registered in ``core.indicators``:
the share of active officers holding a 执法证 valid on the period's last day (``officer_can_enforce``)."""

from __future__ import annotations

from datetime import date

from zhifa.core.indicators import Indicator, Value, register
from zhifa.core.list_export import ListExport

from .enums import OfficerStatus
from .selectors import officer_can_enforce, officers_visible


def _split(actor, end: date) -> tuple[list[int], int]:
    officers = officers_visible(actor).filter(status=OfficerStatus.ACTIVE).prefetch_related("certificates")
    total, certified = 0, []
    for officer in officers:
        total += 1
        if officer_can_enforce(officer, on=end):
            certified.append(officer.pk)
    return certified, total


def _compute(actor, *, start: date, end: date, dimension: str = "") -> list[Value]:
    certified, total = _split(actor, end)
    return [
        Value("", "合计", round(100 * len(certified) / total, 1) if total else None, len(certified), total)
    ]


def _records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
    certified, _total = _split(actor, end)
    return officers_visible(actor).filter(pk__in=certified).select_related("org", "user")


CERTIFIED_RATE = register(
    Indicator(
        id="accounts.certified_rate",
        name="执法人员持证率",
        unit="%",
        period="year",
        dimensions={},
        formula="期末在岗执法人员中持有效行政执法证件的人数 ÷ 在岗执法人员数 × 100%",
        compute=_compute,
        records=_records,
        owner="accounts",
        domain="队伍建设",
        export=ListExport(
            title="持证执法人员", columns=[("姓名", "user.display_name"), ("单位", "org.name")]
        ),
        link=lambda o: f"/officers/{o.pk}/",
    )
)
