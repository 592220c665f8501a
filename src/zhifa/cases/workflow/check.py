"""案卷评查 (case-file check): the veto items of procedure.md §6 and the form items of a configurable
scoresheet (``local_rules.scoresheet``). Each finding names the step or document that causes it and the
article it checks. Runs on demand and before 结案 (a veto finding blocks closing).

A veto is decided on what the file holds, never on what the workflow is supposed to have prevented: a
file imported, migrated or edited outside the workflow is judged by the same tests (no legal basis, a
fine outside the legal range, a hearing right not told, a deemed service date that is wrong, a missing
送达回证 or signature).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from zhifa.accounts.selectors import officer_can_enforce

from ..clocks import param
from ..enums import Outcome, PenaltyType, Procedure, RecordSignature, ServiceMethod
from ..local_rules import scoresheet
from ..models import Case, CaseCheck


@dataclass
class CheckResult:
    passed: bool
    score: int
    max_score: int
    findings: list[dict]


def _documents(case: Case) -> list[dict]:
    """Every document the case's steps issued (template name, id, number)."""
    return [d for s in case.steps.all() for d in (s.documents or [])]


def _issued(case: Case, template: str) -> bool:
    return any(d.get("template") == template and d.get("id") for d in _documents(case))


# --- the veto tests: each returns (where, detail) when the file fails it, else None ---------------------
# (code -> label and article are in local_rules.VETO_ITEMS; a bureau's scoresheet cannot switch one off)

Finding = tuple[str, str] | None


def veto_subject(case: Case, on: date) -> Finding:
    """The decision is made by a head of the case's own authority (处罚法 Art 17, 38 para 2)."""
    who = case.decided_by
    if not case.decided_on or case.procedure == Procedure.SUMMARY or who is None:
        return None
    from zhifa.accounts.enums import Role
    from zhifa.accounts.selectors import jurisdiction_of

    root = jurisdiction_of(case.org)
    if not who.has_role(Role.HEAD) or not who.org.path.startswith(root.path):
        return ("作出处罚决定", f"决定人 {who} 不是{root.name}的执法部门负责人")
    return None


def veto_certificate(case: Case, on: date) -> Finding:
    act_on = case.decided_on or on
    bad = [
        co.officer.name
        for co in case.case_officers.select_related("officer").prefetch_related("officer__certificates")
        if co.removed_on is None and not officer_can_enforce(co.officer, on=act_on).ok
    ]
    return ("执法人员", f"{'、'.join(bad)} 于 {act_on:%Y-%m-%d} 无有效执法证") if bad else None


def veto_two_officers(case: Case, on: date) -> Finding:
    if case.outcome == Outcome.TRANSFER or case.state == "revoked":
        return None
    act_on = case.decided_on or on
    certified = [
        co
        for co in case.case_officers.select_related("officer").prefetch_related("officer__certificates")
        if (co.removed_on is None or co.removed_on > act_on) and officer_can_enforce(co.officer, on=act_on).ok
    ]
    need = param("min_officers").value
    return ("指派执法人员", f"持证承办人员 {len(certified)} 人，应不少于 {need} 人") if len(certified) < need else None


def veto_basis(case: Case, on: date) -> Finding:
    """A decision states the provision violated and the provision it is given under (处罚法 Art 38, 59)."""
    if not case.decided_on or case.outcome not in (Outcome.PENALTY, Outcome.NO_PENALTY):
        return None
    missing = [
        label
        for label, value in (("违反条款", case.violated_article), ("处罚依据", case.penalty_article))
        if not str(value or "").strip() or str(value).strip() in ("—", "-")
    ]
    if case.outcome == Outcome.NO_PENALTY and missing == ["处罚依据"]:
        return None  # a no-penalty decision rests on Art 33, not on a penalty provision
    return ("行政处罚决定书", f"未载明{'、'.join(missing)}") if missing else None


def veto_range(case: Case, on: date) -> Finding:
    """Each violation's fine within its legal range in the version in force on the day of the act, or below the
    minimum only as 减轻处罚 with reasons (处罚法 Arts 32, 38); a legacy file without rows is judged on its
    catalogue code."""
    if case.outcome != Outcome.PENALTY or case.penalty_type != PenaltyType.FINE or case.fine_fen is None:
        return None
    from zhifa.rules.models import yuan

    from .basis import legal_bounds, version_on, violations_of

    rows = violations_of(case)
    if rows:
        single = len(rows) == 1
        pairs = [(r, r.version, r.variant, r.fine_fen if r.fine_fen is not None else (case.fine_fen if single else None))
                 for r in rows]
    else:
        v = version_on(case.violation_code, case) if case.violation_code else None
        pairs = [(None, v, None, case.fine_fen)] if v else []
    problems = []
    for row, version, variant, fine in pairs:
        if version is None or fine is None:
            continue
        b = legal_bounds(version, variant)
        name = row.name if row is not None else version.name
        if b.max_fen is not None and fine > b.max_fen:
            problems.append(f"{name}罚款{yuan(fine)}，超过{b.basis}规定的最高{yuan(b.max_fen)}")
        elif fine < b.min_fen and not (case.tier == "reduced" and case.tier_reasons.strip()):
            problems.append(f"{name}罚款{yuan(fine)}，低于{b.basis}规定的最低{yuan(b.min_fen)}且未说明减轻理由")
    return ("作出处罚决定", "；".join(problems)) if problems else None


def veto_evidence(case: Case, on: date) -> Finding:
    if case.procedure == Procedure.ORDINARY and case.decided_on and not case.steps.filter(action="record").exists():
        return ("调查取证", "无询问/勘验/现场笔录")
    return None


def veto_notice(case: Case, on: date) -> Finding:
    if case.procedure != Procedure.ORDINARY or case.outcome != Outcome.PENALTY:
        return None
    if not case.notified_on or (case.decided_on and case.notified_on > case.decided_on):
        return ("告知（违法行为通知书）", "作出决定前未告知")
    if not _issued(case, "违法行为通知书"):
        return ("告知（违法行为通知书）", "案卷中无违法行为通知书")
    return None


def veto_hearing_told(case: Case, on: date) -> Finding:
    """Where the decided penalty carries the hearing right, the notice told the party of it (Art 44, 63, 64)."""
    if case.procedure != Procedure.ORDINARY or case.outcome != Outcome.PENALTY or not case.decided_on:
        return None
    from .criteria import hearing_decision

    due = hearing_decision(case, case.fine_fen, case.penalty_type)
    if due and not case.hearing_right:
        return ("告知（违法行为通知书）", f"应告知听证权利而未告知：{due.reason}")
    return None


def veto_hearing(case: Case, on: date) -> Finding:
    if case.procedure == Procedure.ORDINARY and case.outcome == Outcome.PENALTY:
        if case.hearing_requested_on and not case.hearing_held and not _hearing_ended_without_hold(case):
            return ("听证", "当事人申请听证，未举行听证即作出决定")
    return None


def _hearing_ended_without_hold(case: Case) -> bool:
    """A request withdrawn, or a party absent without reason (处罚法 Art 64(六)), ends the hearing lawfully."""
    return bool(case.hearing_end)


def veto_review(case: Case, on: date) -> Finding:
    ordinary_penalty = case.procedure == Procedure.ORDINARY and case.outcome == Outcome.PENALTY
    if ordinary_penalty and case.review_required and not case.review_passed_on:
        return ("法制审核", "；".join(case.review_reasons))
    return None


def veto_discussion(case: Case, on: date) -> Finding:
    ordinary_penalty = case.procedure == Procedure.ORDINARY and case.outcome == Outcome.PENALTY
    if ordinary_penalty and case.discussion_required and not case.discussed_on:
        return ("集体讨论", "情节复杂或重大违法未经集体讨论")
    return None


def veto_deadline(case: Case, on: date) -> Finding:
    if case.procedure == Procedure.ORDINARY and case.decided_on and case.limit_due and case.decided_on > case.limit_due:
        return ("作出决定", f"决定日 {case.decided_on:%Y-%m-%d} 晚于办案期限 {case.limit_due:%Y-%m-%d}")
    return None


def veto_service(case: Case, on: date) -> Finding:
    """Served, with a 送达回证 or other proof (处罚法 Art 61); 公告 deemed served after 30 days (民诉法 Art 95)."""
    if not case.decided_on or case.outcome == Outcome.TRANSFER:
        return None
    if not case.served_on:
        return ("送达", "决定书未送达")
    if case.procedure == Procedure.SUMMARY:
        return None  # handed over on the spot; the party's signature on the decision is the proof
    if case.service_method != ServiceMethod.PUBLIC_NOTICE:
        if not str(case.service_proof or "").strip() or not _issued(case, "送达回证"):
            return ("送达", "无送达回证或其他送达凭证")
        return None
    from ..clocks import deadline

    published = case.service_started_on
    if not published:
        return ("送达（公告送达）", "未记载公告发布日期，无法确定视为送达日")
    deemed = deadline("public_notice_service_period", published).due
    if case.served_on != deemed:
        return (
            "送达（公告送达）",
            f"公告发布于 {published:%Y-%m-%d}，应自发布之日起经过三十日即 {deemed:%Y-%m-%d} 视为送达，"
            f"案卷记载为 {case.served_on:%Y-%m-%d}",
        )
    return None


def veto_signature(case: Case, on: date) -> Finding:
    """Every 笔录 is signed by the person heard or the refusal noted (处罚法 Art 55); a held hearing's 笔录 too
    (Art 64(八)); a 当场处罚决定书 is signed by the party or the refusal noted (程序规定 Art 61(七))."""
    unsigned = [
        f"{s.data.get('kind') or s.label}（{s.on:%Y-%m-%d}）"
        for s in case.steps.filter(action="record")
        if (s.data or {}).get("signature") not in RecordSignature.values
    ]
    if case.hearing_held and case.hearing_record_signature not in RecordSignature.values:
        unsigned.append("听证笔录")
    if case.procedure == Procedure.SUMMARY and case.summary_record and (
        case.summary_record.get("party_signature") not in RecordSignature.values
    ):
        unsigned.append("当场处罚决定书")
    return ("笔录", f"{'、'.join(unsigned)}未经签名，也未注明拒绝签名") if unsigned else None


def veto_measures(case: Case, on: date) -> Finding:
    """先行登记保存 decided within 7 days (处罚法 Art 56); 查封/扣押 released by their last day (行政强制法 Art 25,
    28). A measure still open when the file is checked counts against the check day."""
    late = []
    for p in case.preservations.all():
        if p.decided_late or p.overdue_on(on):
            late.append(f"先行登记保存（{p.started_on:%Y-%m-%d}）应于 {p.due:%Y-%m-%d} 前作出处理决定")
    for z in case.seizures.all():
        if (z.released_on and z.released_on > z.due) or (z.released_on is None and on > z.due):
            late.append(f"{z.get_kind_display()}（{z.started_on:%Y-%m-%d}）期限 {z.due:%Y-%m-%d} 届满未解除")
    return ("先行登记保存、查封扣押", "；".join(late)) if late else None


def veto_education(case: Case, on: date) -> Finding:
    if case.outcome == Outcome.NO_PENALTY and not case.education_record.strip():
        return ("不予行政处罚决定书", "未记录对当事人的教育")
    return None


VETO_TESTS: dict[str, Callable[[Case, date], Finding]] = {
    "subject": veto_subject,
    "certificate": veto_certificate,
    "two_officers": veto_two_officers,
    "basis": veto_basis,
    "range": veto_range,
    "evidence": veto_evidence,
    "notice": veto_notice,
    "hearing_told": veto_hearing_told,
    "hearing": veto_hearing,
    "review": veto_review,
    "discussion": veto_discussion,
    "deadline": veto_deadline,
    "service": veto_service,
    "signature": veto_signature,
    "measures": veto_measures,
    "education": veto_education,
}


def _form_checks(case: Case) -> dict[str, bool]:
    ordinary = case.procedure == Procedure.ORDINARY
    penalty = case.outcome == Outcome.PENALTY
    return {
        "register_form": (not ordinary) or bool(case.registered_by_id),
        "records": (not ordinary) or case.steps.filter(action="record").count() >= 1,
        "report": (not ordinary)
        or case.steps.filter(action="end_investigation").exists()
        or (case.outcome == "" and case.state in ("revoked",)),
        "reasons": (not penalty) or bool(case.tier_reasons) or not ordinary,
        "service_method": (not case.decided_on) or bool(case.service_method),
        "order": True,
        "timely": not (case.procedure == Procedure.SUMMARY and not case.summary_filed_on),
    }


def case_check_run(*, case: Case, actor=None, on: date | None = None, save: bool = True) -> CheckResult:
    on = on or timezone.localdate()
    sheet = scoresheet()
    findings: list[dict] = []
    for code, label, article in sheet["veto"]:
        test = VETO_TESTS.get(code)
        got = test(case, on) if test else None
        if got:
            where, detail = got
            findings.append(
                {"code": code, "label": label, "article": article, "veto": True, "where": where, "detail": detail}
            )
    checks = _form_checks(case)
    score = 0
    max_score = 0
    for item in sheet["form"]:
        max_score += int(item["points"])
        if checks.get(item["code"], True):
            score += int(item["points"])
        else:
            findings.append(
                {
                    "code": item["code"],
                    "label": item["label"],
                    "article": item.get("article") or "案卷评查卷面标准",
                    "veto": False,
                    "where": item["label"],
                    "detail": f"扣 {item['points']} 分",
                }
            )
    passed = not any(f["veto"] for f in findings)
    if not passed:
        score = 0  # procedure.md §6: a veto finding makes the file 不合格 (score 0)
    if save:
        CaseCheck.objects.create(
            case=case,
            actor_name=str(actor) if actor else "系统",
            passed=passed,
            score=score,
            max_score=max_score,
            findings=findings,
        )
    return CheckResult(passed, score, max_score, findings)
