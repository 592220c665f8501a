"""The indicators of 双公示 (seeds: records published, 上传率), registered in ``core.indicators``."""

from __future__ import annotations

from django.db.models import F, Q

from zhifa.core.indicators import Dim, query_indicator

from .list_exports import RECORDS
from .models import DisclosureKind, DisclosureState
from .selectors import records_visible

DOMAIN = "双公示"
DIMS = {
    "org": Dim("公示单位", "org_id", "org__name"),
    "kind": Dim("类别", "kind", dict(DisclosureKind.choices)),
    "month": Dim("月份", "month"),
}
DUE = Q(kind__in=[DisclosureKind.PENALTY, DisclosureKind.PERMIT]) & ~Q(state=DisclosureState.NOT_PUBLIC)


def _ind(ident, name, formula, unit, date_field, **kw):
    return query_indicator(
        owner="disclosure",
        ident=ident,
        name=name,
        formula=formula,
        unit=unit,
        visible=lambda a: records_visible(a).select_related("org"),
        date_field=date_field,
        dims=DIMS,
        domain=DOMAIN,
        export=RECORDS,
        link=lambda r: f"/disclosure/records/{r.pk}/",
        **kw,
    )


PUBLISHED = _ind(
    "published",
    "双公示信息公示",
    "公示日期在期间内的公示记录数（行政许可、行政处罚、检查结果、执法公示）",
    "条",
    "published_on",
    where=Q(published_on__isnull=False),
)
ON_TIME_RATE = _ind(
    "on_time_rate",
    "双公示按期上传率",
    "决定日期在期间内、应公示的行政许可和行政处罚中，在公示期限内（作出决定之日起7个工作日）公示的数 ÷ 应公示数 × 100%",
    "%",
    "decided_on",
    share_of=DUE,
    where=Q(published_on__lte=F("publish_due")),
)
