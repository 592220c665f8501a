"""案卷评查 (case-file check): the veto items of procedure.md §6 and the form items of a configurable
scoresheet (``local_rules.scoresheet``). Each finding names the step or document that causes it. Runs on
demand and before 结案 (a veto finding blocks closing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from zhifa.accounts.selectors import officer_can_enforce

from .clocks import param
from .enums import Outcome, Procedure
from .local_rules import scoresheet
from .models import Case, CaseCheck


@dataclass
class CheckResult:
    passed: bool
    score: int
    max_score: int
    findings: list[dict]


def _step(case: Case, action: str):
    return case.steps.filter(action=action).order_by("-at").first()


def case_check_run(*, case: Case, actor=None, on: date | None = None, save: bool = True) -> CheckResult:
    on = on or timezone.localdate()
    sheet = scoresheet()
    veto_labels = {code: (label, art) for code, label, art in sheet["veto"]}
    findings: list[dict] = []

    def veto(code: str, where: str, detail: str = ""):
        label, art = veto_labels[code]
        findings.append(
            {"code": code, "label": label, "article": art, "veto": True, "where": where, "detail": detail}
        )

    penalty = case.outcome == Outcome.PENALTY
    ordinary = case.procedure == Procedure.ORDINARY
    officers = list(case.case_officers.select_related("officer").prefetch_related("officer__certificates"))
    act_on = case.decided_on or on
    certified = [co for co in officers if officer_can_enforce(co.officer, on=act_on).ok]
    if any(not officer_can_enforce(co.officer, on=act_on).ok for co in officers if co.removed_on is None):
        veto("certificate", "执法人员", "存在执法证无效的承办人员")
    if (
        len([co for co in certified if co.removed_on is None or co.removed_on > act_on])
        < param("min_officers").value
        and case.outcome != Outcome.TRANSFER
        and case.state not in ("revoked",)
    ):
        veto("two_officers", "指派执法人员", f"持证承办人员 {len(certified)} 人")
    if ordinary and case.decided_on and not case.steps.filter(action="record").exists():
        veto("evidence", "调查取证", "无询问/勘验/现场笔录")
    if ordinary and penalty and (not case.notified_on or case.notified_on > case.decided_on):
        veto("notice", "告知（违法行为通知书）")
    if ordinary and penalty and case.hearing_requested_on and not case.hearing_held and not case.hearing_end:
        veto("hearing", "听证")
    if ordinary and penalty and case.review_required and not case.review_passed_on:
        veto("review", "法制审核", "；".join(case.review_reasons))
    if ordinary and penalty and case.discussion_required and not case.discussed_on:
        veto("discussion", "集体讨论")
    if ordinary and case.decided_on and case.limit_due and case.decided_on > case.limit_due:
        veto("deadline", "作出决定", f"决定日 {case.decided_on} 晚于办案期限 {case.limit_due}")
    if case.decided_on and not case.served_on:
        veto("service", "送达")
    if case.outcome == Outcome.NO_PENALTY and not case.education_record.strip():
        veto("education", "不予行政处罚决定书")

    checks = {
        "register_form": (not ordinary) or bool(case.registered_by_id),
        "records": (not ordinary) or case.steps.filter(action="record").count() >= 1,
        "report": (not ordinary)
        or case.steps.filter(action="end_investigation").exists()
        or case.outcome == ""
        and case.state in ("revoked",),
        "reasons": (not penalty) or bool(case.tier_reasons) or not ordinary,
        "service_method": (not case.decided_on) or bool(case.service_method),
        "order": True,
        "timely": not (case.procedure == Procedure.SUMMARY and not case.summary_filed_on),
    }
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
                    "article": "案卷评查卷面标准",
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
