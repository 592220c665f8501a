"""What the case documents must say, as a function of the case: the 救济 (remedy) text of a decision by
procedure and decision date, the rights and periods stated in the 违法行为通知书, the office where the party
states its case, and the facts of a service (送达) with its deemed date. ``paperwork.doc_context`` puts them in
the documents' context; the texts cite the articles they follow."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from zhifa.accounts.selectors import jurisdiction_of

from .. import clocks as ck
from ..enums import Procedure, ServiceMethod
from ..models import Case

# 《中华人民共和国行政复议法》(2023 修订) in force: 复议前置 for 当场处罚 (Art 23) and the county government as the
# only 复议机关 of a county department (Art 24). Before it the 1999 law (as amended 2009/2017): Art 9 (60 days),
# Art 12 (本级人民政府 or 上一级主管部门), no 复议前置 for 当场处罚.
REVIEW_LAW_2023 = date(2024, 1, 1)

_FUYI_2023 = "《中华人民共和国行政复议法》"
_SUSONG = "《中华人民共和国行政诉讼法》"


def cn_date(d: date | None) -> str:
    """``2026年4月1日`` (as documents write dates), or "" for none."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _place(case: Case) -> tuple[str, str, str]:
    """The administrative area of the deciding bureau ("郁南县"), the upper competent department, if any, and
    the court: a county-level department is sued before the county's basic court (行政诉讼法 Arts 14, 18);
    above that the competent court depends on local jurisdiction rules, so the text names none."""
    from zhifa.accounts.enums import OrgKind

    j = jurisdiction_of(case.org)
    area = j.name
    for suffix in (
        "交通运输局",
        "交通运输厅",
        "交通运输委员会",
    ):  # the department's own name off, the area left
        if area.endswith(suffix) and len(area) > len(suffix):
            area = area[: -len(suffix)]
            break
    upper = ""
    if j.parent_id:
        parent = jurisdiction_of(j.parent)
        if parent.pk != j.pk and "交通运输" in parent.name:
            upper = parent.name
    county_level = j.kind in (OrgKind.BUREAU, OrgKind.COUNTY)
    return area, upper, f"{area}人民法院" if county_level else "有管辖权的人民法院"


def remedy_for(case: Case, on: date | None = None) -> dict:
    """The 救济 the decision must state (处罚法 Art 59 para 1 item (五)): which 复议机关 and court, in which
    period, and — for a 当场 (简易程序) decision made since 2024-01-01 — that 复议 comes first
    (行政复议法 2023 Art 23 para 1 item (一), para 2: the agency must tell the party so)."""
    from zhifa.documents import legal_terms

    decided = case.decided_on or on or timezone.localdate()
    terms = legal_terms.terms_on(decided)
    review = terms.get("review_period", "六十日")
    litig = terms.get("litigation_period", "六个月")
    area, upper, court = _place(case)
    government = f"{area}人民政府"
    if decided >= REVIEW_LAW_2023:
        organ = government  # 复议法 2023 Art 24 para 1 item (一): 本级人民政府
        organ_basis = f"{_FUYI_2023}第二十四条第一款第（一）项"
        if case.procedure == Procedure.SUMMARY:
            text = (
                f"如不服本决定，应当先向{organ}申请行政复议，申请期限为自收到本决定书之日起{review}"
                f"（{_FUYI_2023}第二十条第一款）；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内"
                f"依法向{court}提起行政诉讼（{_SUSONG}第四十五条）。对当场作出的行政处罚决定不服的，应当先申请"
                f"行政复议，不能直接提起行政诉讼（{_FUYI_2023}第二十三条第一款第（一）项、第二款）。"
            )
            basis = f"{_FUYI_2023}第二十条第一款、第二十三条、第二十四条；{_SUSONG}第四十五条"
        else:
            text = (
                f"如不服本决定，可以自收到本决定书之日起{review}内向{organ}申请行政复议"
                f"（{_FUYI_2023}第二十条第一款、第二十四条），或者自收到本决定书之日起{litig}内依法向{court}"
                f"提起行政诉讼（{_SUSONG}第四十六条第一款）。"
            )
            basis = f"{_FUYI_2023}第二十条第一款、第二十四条；{_SUSONG}第四十六条第一款"
    else:
        organ = f"{government}或者{upper}" if upper else government
        organ_basis = f"{_FUYI_2023}（2017修正）第十二条第一款"
        text = (
            f"如不服本决定，可以自收到本决定书之日起{review}内向{organ}申请行政复议"
            f"（{_FUYI_2023}（2017修正）第九条第一款、第十二条第一款），或者自收到本决定书之日起{litig}内"
            f"依法向{court}提起行政诉讼（{_SUSONG}第四十六条第一款）。"
        )
        basis = f"{_FUYI_2023}（2017修正）第九条、第十二条；{_SUSONG}第四十六条第一款"
    return {
        "review_organ": organ,
        "court": court,
        "text": text,
        "basis": basis,
        "organ_basis": organ_basis,
        "review_first": decided >= REVIEW_LAW_2023 and case.procedure == Procedure.SUMMARY,
    }


def notice_rights(case: Case, on: date) -> dict:
    """The 陈述申辩 period and the 听证 window stated in the 违法行为通知书, counted from the day of 告知 as the
    case clocks count them (处罚法 Art 44, 45; Art 63, 64 item (一), Art 85: 五日 are working days). The
    陈述申辩 period is the bureau's setting (rules parameter ``statement_period``)."""
    start = case.notified_on or on
    st = ck.deadline("statement_period", start)
    p = ck.param("statement_period", on=start)
    unit = "个工作日" if p.day_type == "working" else "日"
    out = {
        "statement": {
            "period": f"{_cn_number(p.value)}{unit}",
            "due": cn_date(st.due),
            "due_date": st.due,
        },
        "hearing_eligible": bool(case.hearing_right),
        "hearing_request": {},
    }
    if case.hearing_right:
        hr = ck.deadline("hearing_request_period", start)
        out["hearing_request"] = {"due": cn_date(hr.due), "due_date": hr.due}
    return out


def _cn_number(n: int) -> str:
    from zhifa.documents.legal_terms import chinese_number

    return chinese_number(n)


def contact_for(case: Case, lead_name: str = "") -> dict:
    """Where the party states its case or asks for a hearing: the deciding bureau's office address and phone
    (accounts.Org ``address`` / ``phone``, set by the 系统管理员), the lead officer as contact person."""
    j = jurisdiction_of(case.org)
    unit = case.org if case.org.address or case.org.phone else j
    return {
        "person": lead_name,
        "phone": unit.phone or j.phone,
        "address": unit.address or j.address or j.name,
    }


# What each method needs recorded and which day counts as the day of service, with its article.
SERVICE_RULES = {
    ServiceMethod.DIRECT: (
        "受送达人在送达回证上的签收日期为送达日期",
        "《中华人民共和国民事诉讼法》第八十七条；《中华人民共和国行政处罚法》第六十一条",
    ),
    ServiceMethod.LEFT: (
        "受送达人拒绝签收，邀请见证人到场或者采用拍照、录像等方式记录，把文书留在受送达人的住所，留置之日视为送达",
        "《中华人民共和国民事诉讼法》第八十九条",
    ),
    ServiceMethod.ENTRUSTED: (
        "委托送达的，受送达人在送达回证上的签收日期为送达日期",
        "《中华人民共和国民事诉讼法》第九十一条",
    ),
    ServiceMethod.MAIL: (
        "邮寄送达的，以回执上注明的收件日期为送达日期",
        "《中华人民共和国民事诉讼法》第九十一条",
    ),
    ServiceMethod.ELECTRONIC: (
        "当事人同意并签订送达地址确认书的电子送达，以送达信息到达受送达人特定系统的日期为送达日期",
        "《中华人民共和国行政处罚法》第六十一条第二款；《中华人民共和国民事诉讼法》第九十条",
    ),
    ServiceMethod.PUBLIC_NOTICE: (
        "受送达人下落不明或者用其他方式无法送达的，公告送达，自发出公告之日起经过法定期间即视为送达",
        "《中华人民共和国民事诉讼法》第九十五条；《中华人民共和国行政处罚法》第六十一条第一款",
    ),
}


def service_facts(case: Case, data: dict | None = None) -> dict:
    """The 送达回证's method, act date, deemed date and the method's facts, from the case (after ``serve``)
    or the step's data."""
    data = data or {}
    method = case.service_method or data.get("method") or ServiceMethod.DIRECT
    detail = dict(case.service_detail or {})
    rule, basis = SERVICE_RULES.get(method, ("", ""))
    if method == ServiceMethod.PUBLIC_NOTICE and case.service_started_on:
        p = ck.param("public_notice_service_period", on=case.service_started_on)
        rule = rule.replace("经过法定期间", f"经过{_cn_number(p.value)}日")
    parts = []
    for key, label in (
        ("witness", "见证人"),
        ("record", "拍照录像记录"),
        ("address_confirmation", "送达地址确认书"),
        ("medium", "公告媒体"),
        ("failed_reason", "公告原因"),
        ("proof", "凭证"),
    ):
        if detail.get(key):
            parts.append(f"{label}：{detail[key]}")
    started = case.service_started_on or case.served_on
    return {
        "method": dict(ServiceMethod.choices).get(method, "直接送达"),
        "place": detail.get("place") or "",
        "at": cn_date(started),
        "deemed_on": cn_date(case.served_on),
        "rule": rule,
        "basis": basis,
        "detail": "；".join(parts),
    }
