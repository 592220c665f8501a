"""听证 (处罚法 Arts 63-65): the hearing noticed with its chair, members, clerk and whether it is public
(and announced), the party's agents, recusal of the hearing staff, withdrawal of the request, the party's
absence or walking out (deemed a waiver), the hearing held with its 笔录 signed or the refusal noted, and
the chair's 听证报告. The request itself and its waiver belong to ``notice_hearing.py``.

Articles (处罚法 2021, text checked): Art 64 (一) request within 5 days, (二) notice 7 days before, (三) public
unless state secret, commercial secret or privacy, (四) chaired by a non-investigator, recusal on request,
(五) one or two agents, (六) unexcused absence or leaving without permission counts as giving up the
right and the hearing ends, (七) investigators state facts, evidence and proposal, (八) the 笔录 is signed
by the party or its agent, a refusal noted by the chair; Art 65 the decision is made on the basis of the
笔录. The 听证报告 is required by the 交通运输行政执法程序规定 听证 section; its article number in the
2021 text could not be confirmed from the sources at hand.
"""

from __future__ import annotations

from zhifa.core.calendar import add_workdays

from ..clocks import param
from ..enums import HearingEnd, HearingRole, PrivateGround, RecordSignature, StatementForm
from ..errors import CaseError
from ..models import Case
from .base import _d, _req
from .criteria import review_reasons

_TRUE = ("1", "true", "on", "yes")


def _names(text: str) -> list[str]:
    return [n.strip() for n in str(text or "").replace("，", ",").replace("、", ",").split(",") if n.strip()]


def investigators(case: Case) -> set[str]:
    """Everyone who investigated the case: its officers, including those later withdrawn (回避 or
    reassignment), since they took part in the investigation."""
    return {co.officer.name for co in case.case_officers.select_related("officer")}


def check_staff_not_investigators(case: Case, chair: str, members: str = "", clerk: str = "") -> None:
    """处罚法 Art 64(四): the chair is not an investigator of the case; members and clerk are held to the
    same (they sit on the hearing panel and write its record)."""
    inv = investigators(case)
    for role, names in (
        (HearingRole.CHAIR, [chair]),
        (HearingRole.MEMBER, _names(members)),
        (HearingRole.CLERK, [clerk] if clerk else []),
    ):
        for name in names:
            if name in inv:
                raise CaseError.HEARING_STAFF.error(role=role.label, name=name)


def check_hearing_notice(case, data, actor, on):
    """听证通知书: the legal days before the hearing (Art 64(二)); chair, members and clerk not investigators
    (Art 64(四)); public and announced unless a ground of Art 64(三) is recorded."""
    hearing_on = _d(data, "hearing_on")
    if hearing_on is None:
        raise CaseError.INVALID.error(detail="请填写听证日期", fields={"hearing_on": "必填"})
    earliest = add_workdays(on, param("hearing_notice_before", on=on).value).date
    if hearing_on < earliest:
        raise CaseError.HEARING_NOTICE.error(earliest=f"{earliest:%Y-%m-%d}")
    chair = _req(data, "chair", "听证主持人")
    clerk = _req(data, "clerk", "记录员")
    check_staff_not_investigators(case, chair, str(data.get("members") or ""), clerk)
    ground = str(data.get("private_ground") or "")
    if ground and ground not in PrivateGround.values:
        raise CaseError.INVALID.error(detail="不公开举行理由取值无效", fields={"private_ground": "取值无效"})
    if not ground and not str(data.get("announcement") or "").strip():
        raise CaseError.HEARING_PUBLIC.error(detail="公开举行的听证请填写公告方式（如本局公告栏、门户网站）")


def record_hearing_notice(case, data, actor, on, after):
    """Records the 听证通知: date, place, chair, members, clerk; public with its 公告, or the ground for not."""
    case.hearing_noticed_on = on
    case.hearing_on = _d(data, "hearing_on")
    case.hearing_place = str(data.get("place") or "").strip()
    case.hearing_chair = str(data["chair"]).strip()
    case.hearing_members = "、".join(_names(str(data.get("members") or "")))
    case.hearing_clerk = str(data["clerk"]).strip()
    ground = str(data.get("private_ground") or "")
    case.hearing_public = not ground
    case.hearing_private_ground = ground
    case.hearing_announcement = "" if ground else str(data.get("announcement")).strip()
    case.hearing_announced_on = None if ground else on


def check_hearing_agent(case, data, actor, on):
    """委托代理人: at most two (Art 64(五)), each with the 授权委托书 recorded."""
    _req(data, "name", "代理人姓名")
    _req(data, "authorization", "授权委托书（编号、权限）")
    if len(case.hearing_agents) >= 2:
        raise CaseError.HEARING_AGENTS.error(detail=f"已登记代理人 {len(case.hearing_agents)} 人")


def record_hearing_agent(case, data, actor, on, after):
    """Adds the agent and its 授权委托书 to the case."""
    agent = {
        "name": str(data["name"]).strip(),
        "authorization": str(data["authorization"]).strip(),
        "on": on.isoformat(),
    }
    case.hearing_agents = [*case.hearing_agents, agent]


def _pending_recusal(case: Case) -> dict | None:
    return next((r for r in case.hearing_recusals if "granted" not in r), None)


def check_hearing_recusal_request(case, data, actor, on):
    """回避申请 against the hearing staff (Art 64(四)): names whom and why; one at a time."""
    role = str(data.get("role") or HearingRole.CHAIR)
    if role not in HearingRole.values:
        raise CaseError.INVALID.error(detail="回避对象取值无效", fields={"role": "取值无效"})
    _req(data, "applicant", "申请人")
    _req(data, "reason", "申请理由")
    if _pending_recusal(case):
        raise CaseError.HEARING_RECUSAL.error(detail="已有回避申请尚待负责人决定")


def record_hearing_recusal_request(case, data, actor, on, after):
    """Records the request against the person now in that role."""
    role = str(data.get("role") or HearingRole.CHAIR)
    person = {HearingRole.CHAIR: case.hearing_chair, HearingRole.CLERK: case.hearing_clerk}.get(
        role, case.hearing_members
    )
    req = {
        "role": role,
        "person": person,
        "applicant": str(data["applicant"]).strip(),
        "reason": str(data["reason"]).strip(),
        "requested_on": on.isoformat(),
    }
    case.hearing_recusals = [*case.hearing_recusals, req]


def check_hearing_recusal_decision(case, data, actor, on):
    """The head decides a pending request (Art 64(四)); a granted one names the replacement, who is not an
    investigator either."""
    if not _pending_recusal(case):
        raise CaseError.HEARING_RECUSAL.error(detail="没有待决定的听证回避申请")
    _req(data, "reason", "决定理由")
    if str(data.get("granted")).lower() in _TRUE:
        name = _req(data, "replacement", "更换后的人员")
        role = _pending_recusal(case)["role"]
        check_staff_not_investigators(
            case,
            name if role == HearingRole.CHAIR else case.hearing_chair,
            name if role == HearingRole.MEMBER else "",
            name if role == HearingRole.CLERK else "",
        )


def record_hearing_recusal_decision(case, data, actor, on, after):
    """Records the decision; a granted one replaces the person in that role."""
    granted = str(data.get("granted")).lower() in _TRUE
    out = []
    for r in case.hearing_recusals:
        if "granted" not in r:
            r = {**r, "granted": granted, "decided_on": on.isoformat(), "decided_by": str(actor)}
            r["decision_reason"] = str(data["reason"]).strip()
            if granted:
                new = str(data["replacement"]).strip()
                r["replacement"] = new
                if r["role"] == HearingRole.CHAIR:
                    case.hearing_chair = new
                elif r["role"] == HearingRole.CLERK:
                    case.hearing_clerk = new
                else:
                    rest = [n for n in _names(case.hearing_members) if n != r["person"]]
                    case.hearing_members = "、".join([*rest, new])
        out.append(r)
    case.hearing_recusals = out


def _form(data: dict) -> str:
    form = str(data.get("form") or "")
    if form not in StatementForm.values:
        raise CaseError.INVALID.error(detail="请选择书面或口头记录在案", fields={"form": "必填"})
    return form


def check_hearing_withdrawal(case, data, actor, on):
    """撤回听证申请 before the hearing is held: how (in writing, or orally and recorded) and its record."""
    _form(data)
    _req(data, "note", "撤回情况（书面申请或记录）")


def record_hearing_withdrawal(case, data, actor, on, after):
    """The hearing ends; the case returns to the notified stage and may proceed to review and decision
    once the statement period is over."""
    case.hearing_end = HearingEnd.WITHDRAWN
    case.hearing_ended_on = on
    case.hearing_end_note = f"{StatementForm(_form(data)).label}：{str(data['note']).strip()}"


def check_hearing_absence(case, data, actor, on):
    """Art 64(六): on or after the hearing day, the party absent without good reason or leaving without
    permission; the record says so."""
    how = str(data.get("how") or "")
    if how not in (HearingEnd.ABSENT, HearingEnd.LEFT):
        raise CaseError.INVALID.error(detail="请选择拒不出席或中途退出", fields={"how": "必填"})
    if case.hearing_on and on < case.hearing_on:
        raise CaseError.HEARING_ABSENCE.error(detail=f"听证日为 {case.hearing_on:%Y-%m-%d}，尚未到期")
    if str(data.get("no_good_reason")).lower() not in _TRUE:
        raise CaseError.HEARING_ABSENCE.error(detail="有正当理由的，应当延期举行听证，不得视为放弃")
    _req(data, "note", "缺席或退出情况记录")


def record_hearing_absence(case, data, actor, on, after):
    """The hearing ends, recorded as 视为放弃听证权利; the case returns to the notified stage and proceeds."""
    case.hearing_end = str(data["how"])
    case.hearing_ended_on = on
    case.hearing_end_note = f"视为放弃听证权利：{str(data['note']).strip()}"


def check_hearing_held(case, data, actor, on):
    """举行听证: on or after the noticed day, no recusal pending, staff not investigators (Art 64(四)); the
    笔录 given and signed by the party or the refusal noted (Art 64(八))."""
    if case.hearing_on and on < case.hearing_on:
        raise CaseError.INVALID.error(detail=f"听证通知的日期为 {case.hearing_on:%Y-%m-%d}")
    if _pending_recusal(case):
        raise CaseError.HEARING_RECUSAL.error(detail="回避申请尚待负责人决定，不能举行听证")
    check_staff_not_investigators(case, case.hearing_chair, case.hearing_members, case.hearing_clerk)
    _req(data, "record", "听证笔录")
    signature = str(data.get("signature") or "")
    if signature not in RecordSignature.values:
        raise CaseError.HEARING_RECORD.error(detail="未记录当事人签字或者拒绝签字")
    if signature == RecordSignature.REFUSED and not str(data.get("refusal_note") or "").strip():
        raise CaseError.HEARING_RECORD.error(detail="当事人拒绝签字的，请填写主持人在笔录中注明的情况")


def record_hearing_held(case, data, actor, on, after):
    """Records the hearing and its 笔录; a hearing held makes the decision one for legal review (处罚法
    Art 58 para 1 (二))."""
    case.hearing_held = True
    case.hearing_end = HearingEnd.HELD
    case.hearing_ended_on = on
    case.hearing_record_signature = str(data["signature"])
    case.hearing_record_note = str(data.get("refusal_note") or "").strip()
    case.review_reasons = review_reasons(case)
    case.review_required = bool(case.review_reasons)


def check_hearing_report(case, data, actor, on):
    """听证报告 by the chair after the hearing, with the chair's opinion."""
    if not case.hearing_held:
        raise CaseError.HEARING_BASIS.error(detail="尚未举行听证")
    if case.hearing_report_on:
        raise CaseError.HEARING_BASIS.error(detail=f"听证报告已于 {case.hearing_report_on:%Y-%m-%d} 提交")
    _req(data, "opinion", "主持人意见")


def record_hearing_report(case, data, actor, on, after):
    """Records the day of the report and the chair's opinion."""
    case.hearing_report_on = on
    case.hearing_report_opinion = str(data["opinion"]).strip()


def check_hearing_basis(case: Case) -> None:
    """处罚法 Art 65: after a held hearing the decision rests on its 笔录 (signed or the refusal noted) and
    the chair's 听证报告. Called by the decision guards of ``review_decide``."""
    if not case.hearing_held:
        return
    if case.hearing_record_signature not in RecordSignature.values:
        raise CaseError.HEARING_BASIS.error(detail="听证笔录未经当事人签字或注明拒绝签字")
    if not case.hearing_report_on:
        raise CaseError.HEARING_BASIS.error(detail="听证主持人尚未提交听证报告")


def hearing_context(case: Case, data: dict) -> dict:
    """The ``hearing`` group of the documents' context (听证通知书, 听证笔录, 听证报告)."""
    ground = str(data.get("private_ground") or case.hearing_private_ground or "")
    public = (
        f"不公开举行（{PrivateGround(ground).label}，《中华人民共和国行政处罚法》第六十四条第（三）项）"
        if ground
        else "公开举行"
    )
    return {
        "applied_on": f"{case.hearing_requested_on:%Y年%m月%d日}" if case.hearing_requested_on else "",
        "at": str(data.get("hearing_on") or (case.hearing_on or "")),
        "place": str(data.get("place") or case.hearing_place or "本局"),
        "host": str(data.get("chair") or case.hearing_chair or ""),
        "members": "、".join(_names(str(data.get("members") or case.hearing_members or ""))) or "—",
        "clerk": str(data.get("clerk") or case.hearing_clerk or ""),
        "public": public,
        "signature": RecordSignature(case.hearing_record_signature).label
        if case.hearing_record_signature in RecordSignature.values
        else "",
        "refusal_note": case.hearing_record_note,
        "opinion": str(data.get("opinion") or case.hearing_report_opinion or ""),
        "summary": str(data.get("summary") or ""),
    }


def hearing_statements(data: dict) -> list[dict]:
    """The 听证笔录's body: what was said, then whether the party signed it or refused (Art 64(八))."""
    out = [{"speaker": "听证经过", "content": str(data.get("record") or "—")}]
    signature = str(data.get("signature") or "")
    if signature in RecordSignature.values:
        note = str(data.get("refusal_note") or "").strip()
        out.append(
            {
                "speaker": "笔录签字",
                "content": RecordSignature(signature).label + (f"：{note}" if note else ""),
            }
        )
    return out
