"""The indicators of 治超 (seeds: overloaded trucks handled, 一超四罚), registered in ``core.indicators``.

卸载吨数 is not here: zhifa records what a weigh-in-motion station measured, not what was unloaded at a
checkpoint, so the bureau's 卸载 tonnage is read from the level above (reports' provincial import)."""

from __future__ import annotations

from django.db.models import Q

from zhifa.core.indicators import Dim, query_indicator
from zhifa.core.list_export import ListExport

from .list_exports import LEADS
from .models import LeadStatus, SanctionKind
from .selectors import leads_visible, sanctions_visible

DOMAIN = "治超"
DIMS = {
    "org": Dim("管辖单位", "org_id", "org__name"),
    "station": Dim("检测点", "station_id", "station__name"),
    "month": Dim("月份", "month"),
}
CONFIRMED = Q(status=LeadStatus.CONFIRMED)


def _lead(ident, name, formula, unit, **kw):
    return query_indicator(
        owner="overload",
        ident=ident,
        name=name,
        formula=formula,
        unit=unit,
        visible=lambda a: leads_visible(a),
        date_field="passed_at__date",
        dims=DIMS,
        domain=DOMAIN,
        export=LEADS,
        link=lambda x: f"/overload/leads/{x.pk}/",
        **kw,
    )


CONFIRMED_TRUCKS = _lead(
    "confirmed",
    "超限车辆查处",
    "过车日期在期间内、经审核确认超限的记录数（非现场执法）",
    "辆次",
    where=CONFIRMED,
)
EXCESS_T = _lead(
    "excess_t",
    "超限质量合计",
    "经审核确认超限记录的超限质量之和（千克 ÷ 1000）",
    "吨",
    where=CONFIRMED,
    sum_field="excess_kg",
    scale=1000,
    decimals=1,
)
OVERLOAD_RATE = _lead(
    "overload_rate",
    "检测点超限率",
    "经审核确认超限的记录数 ÷ 已审核的超限线索数 × 100%",
    "%",
    share_of=Q(status__in=[LeadStatus.CONFIRMED, LeadStatus.REJECTED]),
    where=CONFIRMED,
)

SANCTIONS = query_indicator(
    owner="overload",
    ident="sanctions",
    name="一超四罚",
    unit="起",
    formula="生成日期在期间内的“一超四罚”处理线索数（车辆、驾驶人、运输企业、货运源头单位）",
    visible=sanctions_visible,
    date_field="created_at__date",
    domain=DOMAIN,
    dims={"kind": Dim("对象类别", "kind", dict(SanctionKind.choices)), "month": Dim("月份", "month")},
    export=ListExport(
        title="一超四罚",
        columns=[
            ("类别", "get_kind_display"),
            ("对象名称", "subject_name"),
            ("次数/违法车辆数", "count"),
            ("统计起", "window_from"),
            ("统计止", "window_to"),
            ("拟采取措施", "measure"),
            ("依据", "article"),
            ("状态", "get_status_display"),
        ],
    ),
    link=lambda _s: "/overload/sanctions/",
)
