"""The indicators of 执法办案 (the seeds' 立案查处 cases, fines, cases by type, 简易/普通, hearings, legal
reviews, 不予处罚, 申请法院强制执行, 复议/应诉), registered in ``core.indicators`` (loaded by CasesConfig.ready)."""

from __future__ import annotations

from django.db.models import Q

from zhifa.core.indicators import Dim, query_indicator

from .enums import AppealKind, CaseState, Outcome, Procedure
from .list_exports import CASES
from .models import CaseAppeal
from .selectors import cases_visible

DOMAIN = "执法办案"
DIMS = {
    "org": Dim("承办单位", "org_id", "org__name"),
    "type": Dim("违法行为类别", "violation_name"),
    "state": Dim("办理状态", "state", dict(CaseState.choices)),
    "procedure": Dim("程序", "procedure", dict(Procedure.choices)),
    "month": Dim("月份", "month"),
}
PENALTY = Q(outcome=Outcome.PENALTY)


def _case_link(c) -> str:
    return f"/cases/{c.pk}/"


def _case(ident, name, formula, unit, date_field, **kw):
    return query_indicator(
        owner="cases",
        ident=ident,
        name=name,
        formula=formula,
        unit=unit,
        visible=lambda a: cases_visible(a).select_related("org"),
        date_field=date_field,
        dims=DIMS,
        domain=DOMAIN,
        export=CASES,
        link=_case_link,
        **kw,
    )


REGISTERED = _case(
    "registered",
    "立案查处案件",
    "立案日期在期间内的案件数（立案审批通过）",
    "宗",
    "registered_on",
    where=Q(registered_on__isnull=False),
)
PENALTIES = _case(
    "penalties",
    "作出行政处罚决定",
    "决定日期在期间内、决定给予行政处罚的案件数",
    "件",
    "decided_on",
    where=PENALTY,
)
FINES = _case(
    "fines",
    "罚款金额",
    "决定日期在期间内的行政处罚决定书载明的罚款合计（元 ÷ 10000）",
    "万元",
    "decided_on",
    where=PENALTY,
    sum_field="fine_fen",
    scale=1_000_000,
)
SUMMARY_SHARE = _case(
    "summary_share",
    "简易程序案件占比",
    "适用简易程序的处罚决定数 ÷ 处罚决定数 × 100%",
    "%",
    "decided_on",
    share_of=PENALTY,
    where=Q(procedure=Procedure.SUMMARY),
)
NO_PENALTY = _case(
    "no_penalty",
    "不予行政处罚决定",
    "决定日期在期间内的不予行政处罚决定数（处罚法第三十三条）",
    "件",
    "decided_on",
    where=Q(outcome=Outcome.NO_PENALTY),
)
HEARINGS = _case(
    "hearings",
    "举行听证",
    "听证日在期间内、已举行听证的案件数",
    "件",
    "hearing_on",
    where=Q(hearing_held=True),
)
LEGAL_REVIEWS = _case(
    "legal_reviews",
    "重大执法决定法制审核",
    "法制审核通过日在期间内的案件数",
    "件",
    "review_passed_on",
    where=Q(review_passed_on__isnull=False),
)
COURT = _case(
    "court_enforcement",
    "申请人民法院强制执行",
    "申请法院强制执行日在期间内的案件数",
    "件",
    "court_applied_on",
    where=Q(court_applied_on__isnull=False),
)


def _appeals_visible(actor):
    return CaseAppeal.objects.filter(case__in=cases_visible(actor).values("pk")).select_related("case", "org")


def _appeal(ident, name, kind):
    from zhifa.core.list_export import ListExport

    export = ListExport(
        title=name,
        columns=[
            ("案号", "case.number"),
            ("类型", "get_kind_display"),
            ("复议机关/人民法院", "organ"),
            ("申请/起诉日期", "filed_on"),
            ("结果", "get_outcome_display"),
            ("承办单位", "org.name"),
        ],
    )
    return query_indicator(
        owner="cases",
        ident=ident,
        name=name,
        unit="件",
        visible=_appeals_visible,
        formula=f"申请/起诉日期在期间内的{AppealKind(kind).label}案件数（以本单位为被申请人/被告）",
        date_field="filed_on",
        where=Q(kind=kind),
        domain=DOMAIN,
        export=export,
        dims={"month": Dim("月份", "month")},
        link=lambda a: f"/cases/{a.case_id}/",
    )


RECONSIDERATIONS = _appeal("reconsiderations", "行政复议", AppealKind.RECONSIDERATION)
LITIGATIONS = _appeal("litigations", "行政应诉", AppealKind.LITIGATION)
