"""Writes of 法制工作 (every one audited, in a transaction, refusing what the rules forbid with the article).

Periods come from the rule parameters (``rules.params``; ``ZHIFA_RULE_<NAME>`` overrides them):
``legal_doc_review_period`` (合法性审核, working days, 国办发〔2018〕115号, recalled),
``legal_doc_validity`` / ``legal_doc_trial_validity`` (years, local rule), ``legal_doc_evaluation_notice``
(months before expiry, local rule), ``legal_doc_filing_period`` (备案, days, unconfirmed),
``legal_doc_challenge_answer_period`` (复议法 Arts 58, 88: 10 working days), ``decision_comment_period``
(暂行条例 Art 15: 30 days) and ``decision_legality_review_period`` (Art 26: 7 working days).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max

from zhifa.accounts.enums import Role
from zhifa.core import draw
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_days, add_workdays
from zhifa.rules.checklists import checklist_for
from zhifa.rules.params import param_value

from .enums import (
    CampaignStatus,
    ChallengeOutcome,
    CheckResult,
    DecisionStep,
    DocStatus,
    FairConclusion,
    Finding,
)
from .errors import LegalError
from .models import (
    Decision,
    DecisionStepRecord,
    DocChallenge,
    DocComment,
    DocEvent,
    NormativeDoc,
    PowerItem,
    ReviewCampaign,
    ReviewFile,
)

# 合法性审核 covers 制定主体, 权限, 内容, 程序 (国办发〔2018〕115号) and no new 许可/处罚/强制/收费 without a
# legal basis (国办发〔2018〕37号).
LEGAL_CHECKS = {
    "subject": "制定主体是否合法",
    "power": "是否超越法定权限",
    "content": "内容是否符合法律、法规、规章和国家政策",
    "procedure": "制定程序是否合法（征求意见、集体审议等）",
    "no_new_power": "是否违法设定行政许可、行政处罚、行政强制、行政收费等事项，或减损公民、法人和其他组织合法权益、增加其义务",
}
ROLE_NAMES = {Role.LEGAL_REVIEWER: "法制审核人员", Role.HEAD: "执法部门负责人", Role.OFFICER: "执法人员"}


def _require(actor, what: str, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise LegalError.ROLE.error(what=what, roles="或".join(ROLE_NAMES[r] for r in roles))


def _state(doc: NormativeDoc, what: str, *allowed: str) -> None:
    if doc.status not in allowed:
        raise LegalError.STATE.error(state=doc.get_status_display(), what=what)


def _event(doc: NormativeDoc, actor, on: date, label: str, note: str = "") -> None:
    DocEvent.objects.create(doc=doc, on=on, label=label, note=note[:300], actor=actor)
    audit_record(action="legal.doc.step", actor=actor, target=doc, detail={"step": label, "note": note[:200]})


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months (the last day of a shorter month when the day does not exist)."""
    import calendar

    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def validity_end(effective_from: date, *, trial: bool) -> date:
    """有效期至: N years from 施行 (local rule, configurable; 暂行/试行 shorter), the day before the anniversary."""
    years = int(param_value("legal_doc_trial_validity" if trial else "legal_doc_validity", on=effective_from))
    return add_months(effective_from, 12 * years) - timedelta(days=1)


def evaluation_notice_on(valid_until: date) -> date:
    """The day the evaluation before expiry is due to start (6 months before, local rule, configurable)."""
    return add_months(valid_until, -int(param_value("legal_doc_evaluation_notice", on=valid_until)))


# --- 行政规范性文件 ------------------------------------------------------------------------------------


@transaction.atomic
def doc_create(
    *,
    actor,
    org,
    title: str,
    drafting_unit: str,
    subject: str = "",
    is_trial: bool = False,
    affects_business: bool = True,
    body: str = "",
    on: date,
) -> NormativeDoc:
    if not title.strip() or not drafting_unit.strip():
        raise LegalError.INVALID.error(detail="文件名称和起草单位必填")
    doc = NormativeDoc(
        org=org,
        title=title.strip(),
        drafting_unit=drafting_unit.strip(),
        subject=subject.strip(),
        is_trial=is_trial,
        affects_business=affects_business,
        body=body,
    )
    doc.full_clean()
    doc.save()
    _event(doc, actor, on, "起草", f"起草单位：{doc.drafting_unit}")
    return doc


@transaction.atomic
def doc_consult(
    *, actor, doc: NormativeDoc, comment_from: date, comment_to: date, channel: str
) -> NormativeDoc:
    _state(doc, "征求意见", DocStatus.DRAFT)
    if comment_to < comment_from:
        raise LegalError.INVALID.error(detail="征求意见截止日期早于开始日期")
    if not channel.strip():
        raise LegalError.INVALID.error(detail="请填写征求意见方式（如政府网站、座谈会）")
    doc.status, doc.comment_from, doc.comment_to, doc.comment_channel = (
        DocStatus.CONSULTING,
        comment_from,
        comment_to,
        channel.strip(),
    )
    doc.save()
    _event(
        doc, actor, comment_from, "征求意见", f"{comment_from:%Y-%m-%d} 至 {comment_to:%Y-%m-%d}，{channel}"
    )
    return doc


@transaction.atomic
def doc_comment_add(*, actor, doc: NormativeDoc, source: str, content: str, handling: str) -> DocComment:
    _state(doc, "登记意见", DocStatus.CONSULTING)
    if not source.strip() or not content.strip() or not handling.strip():
        raise LegalError.INVALID.error(detail="意见来源、意见内容和处理情况（采纳与否及理由）均须填写")
    c = DocComment.objects.create(
        doc=doc, source=source.strip(), content=content.strip(), handling=handling.strip()
    )
    audit_record(action="legal.doc.comment", actor=actor, target=doc, detail={"comment": c.pk})
    return c


@transaction.atomic
def doc_submit_review(*, actor, doc: NormativeDoc, on: date) -> NormativeDoc:
    """送合法性审核: the 审核期限 runs ``legal_doc_review_period`` working days from the submission."""
    _state(doc, "送合法性审核", DocStatus.DRAFT, DocStatus.CONSULTING)
    if doc.comment_to and on <= doc.comment_to:
        raise LegalError.COMMENT_OPEN.error(until=f"{doc.comment_to:%Y-%m-%d}")
    doc.status = DocStatus.LEGAL_REVIEW
    doc.legal_review_submitted_on = on
    doc.legal_review_due = add_workdays(on, int(param_value("legal_doc_review_period", on=on))).date
    doc.save()
    _event(doc, actor, on, "送合法性审核", f"审核期限 {doc.legal_review_due:%Y-%m-%d}")
    return doc


@transaction.atomic
def doc_legal_review(
    *, actor, doc: NormativeDoc, checks: dict[str, str], opinion: str, on: date
) -> NormativeDoc:
    """合法性审核 by the 法制 unit: every point of the checklist answered; any 不符合 sends it back to draft."""
    _require(actor, "合法性审核", Role.LEGAL_REVIEWER)
    _state(doc, "合法性审核", DocStatus.LEGAL_REVIEW)
    missing = [label for code, label in LEGAL_CHECKS.items() if checks.get(code) not in CheckResult.values]
    if missing:
        raise LegalError.INVALID.error(detail="审核要点未逐项填写：" + "；".join(missing))
    passed = all(checks[c] == CheckResult.PASS for c in LEGAL_CHECKS)
    if not passed and not opinion.strip():
        raise LegalError.INVALID.error(detail="审核不通过的，须写明审核意见")
    doc.legal_review_checks = {c: checks[c] for c in LEGAL_CHECKS}
    doc.legal_review_passed, doc.legal_review_opinion, doc.legal_reviewed_on = passed, opinion.strip(), on
    doc.legal_reviewer = actor
    if passed:
        doc.status = DocStatus.FAIR_REVIEW if doc.affects_business else DocStatus.DELIBERATION
        if not doc.affects_business:
            doc.fair_conclusion = FairConclusion.NOT_APPLICABLE
    else:
        doc.status = DocStatus.DRAFT
    doc.save()
    late = doc.legal_review_due and on > doc.legal_review_due
    _event(
        doc,
        actor,
        on,
        "合法性审核",
        ("通过" if passed else "不通过，退回修改") + ("（超过审核期限）" if late else ""),
    )
    return doc


def fair_conclusion_of(findings: dict[str, str]) -> str:
    """The conclusion the findings allow: any 违反 → 不得出台 (Art 18); else any 例外 → 例外 (Art 12); else 符合."""
    values = set(findings.values())
    if Finding.VIOLATES in values:
        return FairConclusion.FAIL
    if Finding.EXCEPTION in values:
        return FairConclusion.EXCEPTION
    return FairConclusion.PASS


@transaction.atomic
def doc_fair_review(
    *,
    actor,
    doc: NormativeDoc,
    findings: dict[str, str],
    exception_reason: str = "",
    exception_until: date | None = None,
    on: date,
) -> NormativeDoc:
    """公平竞争审查 against the checklist in force (per-item findings, 条例 Arts 8–12); the conclusion follows."""
    _state(doc, "公平竞争审查", DocStatus.FAIR_REVIEW)
    sheet = checklist_for("fair_competition", on=on)
    codes = [it["code"] for it in sheet.items]
    missing = [c for c in codes if findings.get(c) not in Finding.values]
    if missing:
        raise LegalError.FAIR_FINDINGS.error(
            detail="以下标准未逐项作出审查结论：" + "、".join(missing), article="第八条至第十一条"
        )
    kept = {c: findings[c] for c in codes}
    conclusion = fair_conclusion_of(kept)
    if conclusion == FairConclusion.EXCEPTION and (not exception_reason.strip() or not exception_until):
        raise LegalError.FAIR_FINDINGS.error(
            detail="适用例外规定的，须说明理由（无对公平竞争影响更小的替代方案）并确定实施期限",
            article="第十二条",
        )
    if exception_until and exception_until <= on:
        raise LegalError.FAIR_FINDINGS.error(detail="例外情形的实施期限应晚于审查日期", article="第十二条")
    doc.fair_checklist_version = sheet.version
    doc.fair_findings, doc.fair_conclusion, doc.fair_reviewed_on = kept, conclusion, on
    if conclusion == FairConclusion.EXCEPTION:
        doc.fair_exception_reason, doc.fair_exception_until = exception_reason.strip(), exception_until
    doc.status = DocStatus.DRAFT if conclusion == FairConclusion.FAIL else DocStatus.DELIBERATION
    doc.save()
    _event(doc, actor, on, "公平竞争审查", FairConclusion(conclusion).label)
    return doc


def _fair_ok(doc: NormativeDoc) -> bool:
    if not doc.affects_business:
        return True
    return doc.fair_conclusion in (FairConclusion.PASS, FairConclusion.EXCEPTION)


@transaction.atomic
def doc_deliberate(*, actor, doc: NormativeDoc, on: date, minutes: str) -> NormativeDoc:
    _require(actor, "集体审议", Role.HEAD)
    if not doc.legal_review_passed:
        raise LegalError.LEGAL_REVIEW_MISSING.error()
    if not _fair_ok(doc):
        raise LegalError.FAIR_REVIEW_MISSING.error()
    _state(doc, "集体审议", DocStatus.DELIBERATION)
    if not minutes.strip():
        raise LegalError.INVALID.error(detail="请填写集体审议会议纪要")
    doc.status, doc.deliberated_on, doc.deliberation_minutes = DocStatus.DELIBERATED, on, minutes.strip()
    doc.save()
    _event(doc, actor, on, "集体审议", "审议通过")
    return doc


def _next_register_no(doc: NormativeDoc, year: int) -> str:
    prefix = f"规范性文件登记〔{year}〕"
    n = NormativeDoc.objects.filter(org=doc.org, register_no__startswith=prefix).count() + 1
    return f"{prefix}{n}号"


@transaction.atomic
def doc_register(
    *, actor, doc: NormativeDoc, doc_no: str, issued_on: date, effective_from: date
) -> NormativeDoc:
    """统一登记、统一编号、统一印发 (国办发〔2018〕37号). Refused without a 公平竞争审查 conclusion (条例 Art 18)."""
    _require(actor, "登记编号印发", Role.LEGAL_REVIEWER, Role.HEAD)
    if not _fair_ok(doc):
        raise LegalError.FAIR_REVIEW_MISSING.error()
    if doc.status != DocStatus.DELIBERATED:
        raise LegalError.NOT_DELIBERATED.error()
    if not doc_no.strip():
        raise LegalError.INVALID.error(detail="请填写文号")
    if effective_from < issued_on:
        raise LegalError.INVALID.error(detail="施行日期不得早于印发日期")
    doc.register_no = _next_register_no(doc, issued_on.year)
    doc.doc_no, doc.issued_on, doc.effective_from = doc_no.strip(), issued_on, effective_from
    doc.valid_until = validity_end(effective_from, trial=doc.is_trial)
    doc.status = DocStatus.REGISTERED
    doc.save()
    _event(
        doc,
        actor,
        issued_on,
        "登记编号印发",
        f"{doc.register_no}，{doc.doc_no}，有效期至 {doc.valid_until:%Y-%m-%d}",
    )
    return doc


@transaction.atomic
def doc_publish(*, actor, doc: NormativeDoc, on: date, url: str) -> NormativeDoc:
    """公布 (mandatory before it may be applied); the 备案 clock starts (local rule, default 30 days, unconfirmed)."""
    _require(actor, "公布", Role.LEGAL_REVIEWER, Role.HEAD)
    _state(doc, "公布", DocStatus.REGISTERED)
    if not url.strip().startswith(("http://", "https://")):
        raise LegalError.INVALID.error(detail="请填写公布网址（以 http:// 或 https:// 开头）")
    if on < doc.issued_on:
        raise LegalError.INVALID.error(detail="公布日期不得早于印发日期")
    doc.status, doc.published_on, doc.published_url = DocStatus.PUBLISHED, on, url.strip()
    doc.filing_due = add_days(on, int(param_value("legal_doc_filing_period", on=on))).date
    doc.save()
    if doc.replaces_id:
        old = doc.replaces
        if old.status == DocStatus.PUBLISHED:
            old.status, old.ended_on = DocStatus.AMENDED, on
            old.save(update_fields=["status", "ended_on"])
            _event(old, actor, on, "修改", f"由《{doc.title}》（{doc.doc_no}）替代")
    _event(doc, actor, on, "公布", f"备案期限 {doc.filing_due:%Y-%m-%d}")
    return doc


@transaction.atomic
def doc_file(*, actor, doc: NormativeDoc, on: date, filed_to: str) -> NormativeDoc:
    _require(actor, "报送备案", Role.LEGAL_REVIEWER, Role.HEAD)
    if doc.status != DocStatus.PUBLISHED:
        raise LegalError.NOT_PUBLISHED.error(what="报送备案")
    if not filed_to.strip():
        raise LegalError.INVALID.error(detail="请填写备案机关")
    doc.filed_on, doc.filed_to = on, filed_to.strip()
    doc.save(update_fields=["filed_on", "filed_to"])
    late = doc.filing_due and on > doc.filing_due
    _event(doc, actor, on, "报送备案", f"{doc.filed_to}" + ("（逾期）" if late else ""))
    return doc


@transaction.atomic
def doc_renew(*, actor, doc: NormativeDoc, on: date) -> NormativeDoc:
    """延续 after the evaluation: re-registered and re-numbered, its validity restarting (local rule)."""
    _require(actor, "延续", Role.LEGAL_REVIEWER, Role.HEAD)
    if doc.status != DocStatus.PUBLISHED:
        raise LegalError.NOT_PUBLISHED.error(what="延续")
    start = max(on, doc.valid_until + timedelta(days=1)) if doc.valid_until else on
    doc.register_no = _next_register_no(doc, on.year)
    doc.valid_until = validity_end(start, trial=doc.is_trial)
    doc.renewals += 1
    doc.save()
    _event(doc, actor, on, "延续", f"重新登记为 {doc.register_no}，有效期至 {doc.valid_until:%Y-%m-%d}")
    return doc


@transaction.atomic
def doc_repeal(*, actor, doc: NormativeDoc, on: date, reason: str) -> NormativeDoc:
    _require(actor, "废止", Role.LEGAL_REVIEWER, Role.HEAD)
    _state(doc, "废止", DocStatus.PUBLISHED)
    if not reason.strip():
        raise LegalError.INVALID.error(detail="请填写废止理由")
    doc.status, doc.ended_on, doc.end_reason = DocStatus.REPEALED, on, reason.strip()[:300]
    doc.save()
    _event(doc, actor, on, "废止", reason)
    return doc


@transaction.atomic
def doc_amend(*, actor, doc: NormativeDoc, on: date, reason: str) -> NormativeDoc:
    """修改: a new draft that goes through the whole procedure; the old one stays in force until it is published."""
    _state(doc, "修改", DocStatus.PUBLISHED)
    if not reason.strip():
        raise LegalError.INVALID.error(detail="请填写修改理由")
    new = doc_create(
        actor=actor,
        org=doc.org,
        title=doc.title,
        drafting_unit=doc.drafting_unit,
        subject=doc.subject,
        is_trial=doc.is_trial,
        affects_business=doc.affects_business,
        body=doc.body,
        on=on,
    )
    new.replaces, new.end_reason = doc, reason.strip()[:300]
    new.save(update_fields=["replaces", "end_reason"])
    _event(doc, actor, on, "启动修改", reason)
    return new


def docs_expire(*, on: date) -> int:
    """Documents past their 有效期 lapse (the daily run)."""
    n = 0
    for doc in NormativeDoc.objects.filter(status=DocStatus.PUBLISHED, valid_until__lt=on):
        with transaction.atomic():
            doc.status, doc.ended_on = DocStatus.EXPIRED, doc.valid_until + timedelta(days=1)
            doc.save(update_fields=["status", "ended_on"])
            _event(doc, None, on, "有效期届满失效")
        n += 1
    return n


@transaction.atomic
def challenge_add(
    *,
    actor,
    doc: NormativeDoc,
    organ: str,
    their_number: str,
    notified_on: date,
    clauses: str,
    suspend: bool = True,
) -> DocChallenge:
    """附带审查 of the document in a 复议 (复议法 Art 13): the 制定机关 answers in writing within 10 days of the
    notice (Art 58), working days (Art 88 para 2); the clauses under review may be suspended."""
    _require(actor, "登记附带审查", Role.LEGAL_REVIEWER, Role.HEAD)
    if doc.status not in (DocStatus.PUBLISHED, DocStatus.EXPIRED, DocStatus.AMENDED):
        raise LegalError.NOT_PUBLISHED.error(what="登记附带审查")
    if not organ.strip() or not clauses.strip():
        raise LegalError.INVALID.error(detail="复议机关和被审查条款必填")
    due = add_workdays(
        notified_on, int(param_value("legal_doc_challenge_answer_period", on=notified_on))
    ).date
    ch = DocChallenge.objects.create(
        doc=doc,
        organ=organ.strip(),
        their_number=their_number.strip(),
        notified_on=notified_on,
        answer_due=due,
        clauses=clauses.strip(),
        suspended=suspend,
    )
    _event(
        doc,
        actor,
        notified_on,
        "附带审查",
        f"{ch.organ}；书面答复期限 {due:%Y-%m-%d}" + ("；相关条款中止执行" if suspend else ""),
    )
    return ch


@transaction.atomic
def challenge_close(
    *, actor, challenge: DocChallenge, answered_on: date, outcome: str, on: date
) -> DocChallenge:
    _require(actor, "登记附带审查结果", Role.LEGAL_REVIEWER, Role.HEAD)
    if outcome not in ChallengeOutcome.values:
        raise LegalError.INVALID.error(detail="请选择审查结果")
    challenge.answered_on, challenge.outcome, challenge.outcome_on = answered_on, outcome, on
    challenge.suspended = outcome == ChallengeOutcome.CORRECTED
    challenge.save()
    _event(challenge.doc, actor, on, "附带审查结果", ChallengeOutcome(outcome).label)
    return challenge


# --- 重大行政决策 ---------------------------------------------------------------------------------------

STEP_ORDER = [s.value for s in DecisionStep]


@transaction.atomic
def decision_create(
    *, actor, org, year: int, title: str, lead_unit: str, risk_needed: bool, on: date
) -> Decision:
    _require(actor, "登记重大行政决策", Role.LEGAL_REVIEWER, Role.HEAD)
    if not title.strip() or not lead_unit.strip():
        raise LegalError.INVALID.error(detail="决策事项和承办单位必填")
    d = Decision.objects.create(
        org=org, year=year, title=title.strip(), lead_unit=lead_unit.strip(), risk_needed=risk_needed
    )
    audit_record(action="legal.decision.create", actor=actor, target=d)
    return d


def _step_refusal(decision: Decision, step: str, started_on: date | None, done_on: date, reason: str):
    have = {s.step: s for s in decision.steps.all()}
    if step in have:
        return LegalError.DECISION_STEP.error(detail=f"“{DecisionStep(step).label}”已登记", article="")
    if step == DecisionStep.COMMENT:
        if not started_on:
            return LegalError.INVALID.error(detail="请填写征求意见开始日期")
        need = int(param_value("decision_comment_period", on=started_on))
        if (done_on - started_on).days < need and not reason.strip():
            return LegalError.DECISION_STEP.error(
                detail=f"公开征求意见期限不足{need}日（{started_on:%Y-%m-%d} 至 {done_on:%Y-%m-%d}），缩短期限须说明理由",
                article="第十五条第二款",
            )
    if step == DecisionStep.LEGALITY and not started_on:
        return LegalError.INVALID.error(detail="请填写送请合法性审查日期")
    if step == DecisionStep.DISCUSSION:
        if DecisionStep.COMMENT not in have:
            return LegalError.DECISION_STEP.error(
                detail="未经公众参与不得提交集体讨论", article="第十四条、第二十五条"
            )
        if decision.risk_needed and DecisionStep.RISK not in have:
            return LegalError.DECISION_STEP.error(
                detail="涉及稳定、安全等风险的决策须先作风险评估", article="第二十二条"
            )
        legality = have.get(DecisionStep.LEGALITY)
        if legality is None:
            return LegalError.DECISION_STEP.error(
                detail="决策草案未经合法性审查的，不得提交决策机关讨论；不得以征求意见代替合法性审查",
                article="第二十五条",
            )
        n = int(param_value("decision_legality_review_period", on=legality.started_on))
        earliest = add_workdays(legality.started_on, n).date
        if done_on < earliest:
            return LegalError.DECISION_STEP.error(
                detail=(
                    f"合法性审查自 {legality.started_on:%Y-%m-%d} 送审，须保证不少于{n}个工作日的审查时间，"
                    f"{earliest:%Y-%m-%d} 前不得集体讨论"
                ),
                article="第二十六条",
            )
    if step == DecisionStep.PUBLISH and DecisionStep.DISCUSSION not in have:
        return LegalError.DECISION_STEP.error(
            detail="未经集体讨论决定的不得公布", article="第三十条、第三十二条"
        )
    if step in (DecisionStep.ARCHIVE, DecisionStep.EVALUATION) and DecisionStep.PUBLISH not in have:
        return LegalError.DECISION_STEP.error(
            detail="决策公布后方可归档或后评估", article="第三十二条、第三十三条"
        )
    return None


@transaction.atomic
def decision_step_record(
    *,
    actor,
    decision: Decision,
    step: str,
    done_on: date,
    evidence: str,
    started_on: date | None = None,
    reason: str = "",
) -> DecisionStepRecord:
    _require(actor, "登记决策步骤", Role.LEGAL_REVIEWER, Role.HEAD)
    if step not in DecisionStep.values:
        raise LegalError.INVALID.error(detail="请选择步骤")
    if not evidence.strip():
        raise LegalError.INVALID.error(detail="请填写该步骤的材料（网址、名单、报告、意见或纪要）")
    if started_on and done_on < started_on:
        raise LegalError.INVALID.error(detail="完成日期早于开始日期")
    refusal = _step_refusal(decision, step, started_on, done_on, reason)
    if refusal:
        audit_record(
            action="legal.decision.refused",
            actor=actor,
            target=decision,
            success=False,
            reason=refusal.message[:200],
        )
        raise refusal
    rec = DecisionStepRecord.objects.create(
        decision=decision,
        step=step,
        started_on=started_on,
        done_on=done_on,
        evidence=evidence.strip(),
        reason=reason.strip(),
        actor=actor,
    )
    audit_record(action="legal.decision.step", actor=actor, target=decision, detail={"step": step})
    return rec


# --- 案卷评查 ------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor,
    org,
    title: str,
    closed_from: date,
    closed_to: date,
    ratio_percent: int,
    per_unit: int,
    rectify_days: int,
    reviewers,
) -> ReviewCampaign:
    _require(actor, "组织案卷评查", Role.LEGAL_REVIEWER, Role.HEAD)
    if not title.strip():
        raise LegalError.INVALID.error(detail="请填写评查名称")
    if closed_to < closed_from:
        raise LegalError.INVALID.error(detail="结案日期范围有误")
    if not 0 < ratio_percent <= 100 or per_unit < 0 or rectify_days < 1:
        raise LegalError.INVALID.error(detail="抽取比例应为1–100，每单位件数不得为负，整改期限至少1日")
    reviewers = list(reviewers)
    if not reviewers:
        raise LegalError.INVALID.error(detail="请至少选择一名评查人员")
    c = ReviewCampaign.objects.create(
        org=org,
        title=title.strip(),
        closed_from=closed_from,
        closed_to=closed_to,
        ratio_bp=ratio_percent * 100,
        per_unit=per_unit,
        rectify_days=rectify_days,
    )
    c.reviewers.set(reviewers)
    audit_record(action="legal.review.create", actor=actor, target=c)
    return c


def campaign_draw(
    seed: bytes, population: dict[str, list[str]], ratio_bp: int, per_unit: int
) -> dict[str, list[str]]:
    """The files drawn per unit: the unit's stratum ordered by zhifa-draw-v1 (``core.draw``, all weights 1),
    then the first max(ceil(N × ratio), min(per_unit, N)). Replaying with the same seed and population gives
    the same files (the published seed and population digest let anyone check)."""
    out = {}
    for unit in sorted(population):
        ids = sorted(population[unit])
        n = max(draw.quota(len(ids), ratio_bp), min(per_unit, len(ids)))
        order = draw.sample_stratum(seed, unit, [{"id": i, "weight": 1} for i in ids], 10000)
        out[unit] = order[:n]
    return out


@transaction.atomic
def campaign_sample(*, actor, campaign: ReviewCampaign, cases, on: date) -> ReviewCampaign:
    """Draw the files from ``cases`` (closed in the range, visible to the actor) and assign reviewers who did
    not handle them (round robin)."""
    from zhifa.cases.models import CaseOfficer

    _require(actor, "抽取案卷", Role.LEGAL_REVIEWER, Role.HEAD)
    if campaign.status != CampaignStatus.DRAFT:
        raise LegalError.CAMPAIGN.error(detail="本次评查已抽取，不能重新抽取")
    rows = list(
        cases.filter(closed_on__gte=campaign.closed_from, closed_on__lte=campaign.closed_to).values(
            "pk", "number", "org_id"
        )
    )
    if not rows:
        raise LegalError.CAMPAIGN.error(detail="结案日期范围内没有已结案的案卷")
    population: dict[str, list[str]] = {}
    by_number = {}
    for r in rows:
        population.setdefault(str(r["org_id"]), []).append(r["number"])
        by_number[r["number"]] = r
    seed = secrets.token_bytes(32)
    chosen = campaign_draw(seed, population, campaign.ratio_bp, campaign.per_unit)
    reviewers = sorted(campaign.reviewers.all(), key=lambda u: u.pk)
    handlers: dict[int, set[int]] = {}
    ids = [by_number[n]["pk"] for ns in chosen.values() for n in ns]
    for case_id, user_id in CaseOfficer.objects.filter(case_id__in=ids).values_list(
        "case_id", "officer__user_id"
    ):
        handlers.setdefault(case_id, set()).add(user_id)
    turn = 0
    for unit, numbers in chosen.items():
        for order, number in enumerate(numbers, 1):
            case_id = by_number[number]["pk"]
            eligible = [u for u in reviewers if u.pk not in handlers.get(case_id, set())]
            if not eligible:
                raise LegalError.REVIEWER_IS_HANDLER.error(case=number)
            reviewer = eligible[turn % len(eligible)]
            turn += 1
            ReviewFile.objects.create(
                campaign=campaign, case_id=case_id, unit_id=int(unit), draw_order=order, reviewer=reviewer
            )
    sheet = checklist_for("casefile_review", on=on)
    campaign.population = {u: sorted(v) for u, v in population.items()}
    campaign.population_digest = draw.digest(campaign.population)
    campaign.seed_hex, campaign.sampled_on, campaign.scoresheet_version = seed.hex(), on, sheet.version
    campaign.status = CampaignStatus.SAMPLED
    campaign.save()
    audit_record(
        action="legal.review.sample",
        actor=actor,
        target=campaign,
        detail={"files": len(ids), "seed": campaign.seed_hex, "population": campaign.population_digest},
    )
    return campaign


def campaign_verify(campaign: ReviewCampaign) -> bool:
    """Replay the draw from the stored seed and population; True if it gives exactly the files on record."""
    if not campaign.seed_hex:
        return False
    if draw.digest(campaign.population) != campaign.population_digest:
        return False
    again = campaign_draw(
        bytes.fromhex(campaign.seed_hex), campaign.population, campaign.ratio_bp, campaign.per_unit
    )
    on_record: dict[str, list[str]] = {}
    for f in campaign.files.select_related("case").order_by("unit_id", "draw_order"):
        on_record.setdefault(str(f.unit_id), []).append(f.case.number)
    return {u: v for u, v in again.items() if v} == on_record


@transaction.atomic
def file_score(
    *, actor, file: ReviewFile, points: dict[str, int], vetoes: list[str], findings: str, on: date
) -> ReviewFile:
    """Score one file against the campaign's scoresheet: a veto item makes it 不合格 (0); otherwise the sum of
    the items (each 0..max). A file short of full marks goes back to the unit for 整改 with a deadline."""
    if file.reviewer_id != actor.pk:
        raise LegalError.ROLE.error(what="评查本案卷", roles="分配的评查人员")
    if file.campaign.status != CampaignStatus.SAMPLED:
        raise LegalError.CAMPAIGN.error(detail="本次评查已通报，不能再评分")
    sheet = checklist_for("casefile_review", on=file.campaign.sampled_on or on)
    veto_codes = {it["code"] for it in sheet.items if it.get("veto")}
    scored = {it["code"]: it for it in sheet.items if not it.get("veto")}
    bad = [c for c in vetoes if c not in veto_codes]
    if bad:
        raise LegalError.INVALID.error(detail="未知的否决项：" + "、".join(bad))
    kept = {}
    for code, it in scored.items():
        v = points.get(code)
        if not isinstance(v, int) or not 0 <= v <= it["points"]:
            raise LegalError.INVALID.error(detail=f"{code}“{it['text']}”得分应为 0 至 {it['points']} 的整数")
        kept[code] = v
    file.points, file.vetoes = kept, sorted(vetoes)
    file.score = 0 if vetoes else sum(kept.values())
    file.findings, file.scored_on = findings.strip(), on
    if file.score < sheet.total_points:
        if not file.findings:
            raise LegalError.INVALID.error(detail="扣分或否决的，须写明发现的问题")
        file.rectify_due = add_days(on, file.campaign.rectify_days).date
    else:
        file.rectify_due = None
    file.save()
    audit_record(
        action="legal.review.score",
        actor=actor,
        target=file.campaign,
        detail={"case": file.case_id, "score": file.score},
    )
    return file


@transaction.atomic
def file_rectified(*, actor, file: ReviewFile, on: date) -> ReviewFile:
    if not file.rectify_due:
        raise LegalError.CAMPAIGN.error(detail="该案卷无需整改")
    file.rectified_on = on
    file.save(update_fields=["rectified_on"])
    audit_record(
        action="legal.review.rectified", actor=actor, target=file.campaign, detail={"case": file.case_id}
    )
    return file


def campaign_report_submit(*, actor, campaign: ReviewCampaign):
    """Queue the 通报 (DOCX, scores by unit) as a background job; refused while a file is unscored."""
    from zhifa.jobs.services import job_submit

    _require(actor, "印发通报", Role.LEGAL_REVIEWER, Role.HEAD)
    if campaign.status != CampaignStatus.SAMPLED:
        raise LegalError.CAMPAIGN.error(detail="只有已抽取、评查中的评查可以印发通报")
    left = campaign.files.filter(score__isnull=True).count()
    if left:
        raise LegalError.CAMPAIGN.error(detail=f"还有 {left} 份案卷未评分，全部评分后方可通报")
    job = job_submit("legal.review_report", params={"campaign": campaign.pk}, actor=actor)
    ReviewCampaign.objects.filter(pk=campaign.pk).update(report_job_id=job.pk)
    return job


def campaign_mark_reported(campaign: ReviewCampaign, *, on: date) -> None:
    with transaction.atomic():
        ReviewCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED, closed_on=on)
        audit_record(action="legal.review.report", target=campaign)


# --- 权责清单 ------------------------------------------------------------------------------------------


@transaction.atomic
def power_item_save(
    *,
    actor,
    org,
    code: str,
    name: str,
    kind: str,
    basis: str,
    level: str,
    valid_from: date,
    delegated_to: str = "",
    responsibilities: str = "",
    accountability: str = "",
    change_reason: str = "",
) -> PowerItem:
    """Add an item, or a new version of it (the current version ends the day before; the reason is kept)."""
    _require(actor, "调整权责清单", Role.LEGAL_REVIEWER, Role.HEAD)
    code, name = code.strip(), name.strip()
    if not code or not name or not basis.strip() or not level.strip():
        raise LegalError.INVALID.error(detail="事项编码、名称、设定依据和行使层级必填")
    from .enums import PowerKind

    if kind not in PowerKind.values:
        raise LegalError.INVALID.error(detail="请选择事项类型")
    current = PowerItem.objects.filter(org=org, code=code, valid_to__isnull=True).first()
    version = 1
    if current:
        if not change_reason.strip():
            raise LegalError.INVALID.error(detail=f"事项 {code} 已在清单中，调整须写明理由")
        if valid_from <= current.valid_from:
            raise LegalError.INVALID.error(detail="新版本的施行日期须晚于现行版本")
        current.valid_to = valid_from - timedelta(days=1)
        current.save(update_fields=["valid_to"])
        version = (PowerItem.objects.filter(org=org, code=code).aggregate(m=Max("version"))["m"] or 0) + 1
    item = PowerItem(
        org=org,
        code=code,
        name=name,
        kind=kind,
        basis=basis.strip(),
        level=level.strip(),
        delegated_to=delegated_to.strip(),
        responsibilities=responsibilities.strip(),
        accountability=accountability.strip(),
        version=version,
        valid_from=valid_from,
        change_reason=change_reason.strip(),
    )
    item.full_clean()
    item.save()
    audit_record(action="legal.power.save", actor=actor, target=item, detail={"version": version})
    return item


# --- 存量文件登记 (import) -----------------------------------------------------------------------------


@transaction.atomic
def doc_register_existing(
    *,
    actor,
    org,
    title: str,
    doc_no: str,
    issued_on: date,
    effective_from: date,
    status: str,
    valid_until: date | None = None,
    drafting_unit: str = "",
    published_url: str = "",
    is_trial: bool = False,
    subject: str = "",
) -> bool:
    """Enter a document the bureau issued before zhifa (its reviews are on paper): registered, numbered and
    dated as it was; 有效期 computed by the local rule when the sheet has none. False if that 文号 of the
    unit is already in the register (a re-import changes nothing)."""
    if NormativeDoc.objects.filter(org=org, doc_no=doc_no).exists():
        return False
    doc = NormativeDoc(
        org=org,
        title=title[:200],
        doc_no=doc_no[:60],
        drafting_unit=(drafting_unit or org.name)[:100],
        subject=subject[:60],
        is_trial=is_trial,
        status=status,
        issued_on=issued_on,
        effective_from=effective_from,
        published_on=issued_on,
        published_url=published_url,
        valid_until=valid_until or validity_end(effective_from, trial=is_trial),
    )
    doc.register_no = _next_register_no(doc, issued_on.year)
    doc.full_clean()
    doc.save()
    _event(doc, actor, issued_on, "存量文件登记", f"{doc.doc_no}，{doc.get_status_display()}")
    return True


# --- 清理 ----------------------------------------------------------------------------------------------


@transaction.atomic
def cleanup_create(
    *, actor, org, title: str, issued_from: date, issued_to: date, subject: str = "", reviewers, on: date
):
    """A 清理 of the documents in force issued in the range (and of the subject): each assigned in turn."""
    from .models import CleanupCampaign, CleanupItem

    _require(actor, "组织清理", Role.LEGAL_REVIEWER, Role.HEAD)
    reviewers = sorted(reviewers, key=lambda u: u.pk)
    if not title.strip() or not reviewers:
        raise LegalError.INVALID.error(detail="请填写清理名称并至少选择一名清理人")
    if issued_to < issued_from:
        raise LegalError.INVALID.error(detail="印发日期范围有误")
    docs = NormativeDoc.objects.filter(
        org=org, status=DocStatus.PUBLISHED, issued_on__gte=issued_from, issued_on__lte=issued_to
    )
    if subject.strip():
        docs = docs.filter(subject=subject.strip())
    docs = list(docs.order_by("issued_on", "pk"))
    if not docs:
        raise LegalError.CAMPAIGN.error(detail="范围内没有现行有效的文件")
    c = CleanupCampaign.objects.create(
        org=org, title=title.strip(), issued_from=issued_from, issued_to=issued_to, subject=subject.strip()
    )
    CleanupItem.objects.bulk_create(
        [CleanupItem(campaign=c, doc=d, reviewer=reviewers[i % len(reviewers)]) for i, d in enumerate(docs)]
    )
    audit_record(action="legal.cleanup.create", actor=actor, target=c, detail={"documents": len(docs)})
    return c


@transaction.atomic
def cleanup_decide(*, actor, item, decision: str, reason: str, on: date):
    from .enums import CleanupDecision

    if item.reviewer_id != actor.pk:
        raise LegalError.ROLE.error(what="清理该文件", roles="分配的清理人")
    if item.campaign.closed_on:
        raise LegalError.CAMPAIGN.error(detail="本次清理已完成")
    if decision not in CleanupDecision.values:
        raise LegalError.INVALID.error(detail="请选择清理意见（继续有效、修改或废止）")
    if decision != CleanupDecision.KEEP and not reason.strip():
        raise LegalError.INVALID.error(detail="修改或废止的，须写明理由")
    item.decision, item.reason, item.decided_on = decision, reason.strip()[:300], on
    item.save()
    audit_record(
        action="legal.cleanup.decide",
        actor=actor,
        target=item.campaign,
        detail={"doc": item.doc_id, "decision": decision},
    )
    return item


@transaction.atomic
def cleanup_close(*, actor, campaign, on: date):
    """Close the 清理: refused while a document has no decision; repeals and amendments then take effect and the
    report counts them."""
    from .enums import CleanupDecision

    _require(actor, "完成清理", Role.LEGAL_REVIEWER, Role.HEAD)
    if campaign.closed_on:
        raise LegalError.CAMPAIGN.error(detail="本次清理已完成")
    items = list(campaign.items.select_related("doc"))
    left = sum(1 for i in items if not i.decision)
    if left:
        raise LegalError.CAMPAIGN.error(detail=f"还有 {left} 件文件未提出清理意见")
    counts = {d: 0 for d in CleanupDecision.values}
    for i in items:
        counts[i.decision] += 1
        if i.decision == CleanupDecision.REPEAL and i.doc.status == DocStatus.PUBLISHED:
            doc_repeal(actor=actor, doc=i.doc, on=on, reason=f"{campaign.title}：{i.reason}")
        elif i.decision == CleanupDecision.AMEND and i.doc.status == DocStatus.PUBLISHED:
            doc_amend(actor=actor, doc=i.doc, on=on, reason=f"{campaign.title}：{i.reason}")
    campaign.closed_on = on
    campaign.report = (
        f"清理文件 {len(items)} 件：继续有效 {counts['keep']} 件，修改 {counts['amend']} 件，"
        f"废止 {counts['repeal']} 件。"
    )
    campaign.save()
    audit_record(action="legal.cleanup.close", actor=actor, target=campaign, detail=counts)
    return campaign


# --- 应诉 hearings, 复议意见书/司法建议 (on the cases' own 复议/诉讼 records) ------------------------------

RECOMMENDATION_PERIOD = {
    "opinion": "legal_reconsideration_opinion_reply_period",  # 复议法 (2023) Art 76: 60 days, confirmed
    "judicial": "legal_judicial_suggestion_reply_period",  # as the court sets it; unconfirmed nationally
}


@transaction.atomic
def hearing_record(
    *,
    actor,
    appeal,
    held_on: date,
    court: str,
    instance: str,
    head_present: bool,
    head_name: str = "",
    head_rank: str = "",
    head_title: str = "",
    identity_filed: bool = False,
    appeared_instead: str = "",
    absent_reason: str = "",
):
    """A hearing of a 行政诉讼 and the 负责人's appearance (规定 2020): the 负责人 is the 正职, a 副职 or another
    负责人 in charge of the act (Art 2) and files a 身份证明 (Art 6); one who cannot appear entrusts a
    staff member and explains why (Arts 8, 9 as recalled)."""
    from zhifa.cases.enums import AppealKind

    from .enums import HeadRank, Instance
    from .models import AppealHearing

    _require(actor, "登记开庭及负责人出庭情况", Role.LEGAL_REVIEWER, Role.HEAD)
    if appeal.kind != AppealKind.LITIGATION:
        raise LegalError.INVALID.error(detail="开庭及负责人出庭应诉只登记在行政诉讼上")
    if not court.strip():
        raise LegalError.INVALID.error(detail="人民法院必填")
    if instance not in Instance.values:
        raise LegalError.INVALID.error(detail="请选择审级")
    if head_present:
        if not head_name.strip() or not head_title.strip():
            raise LegalError.HEARING.error(
                detail="负责人出庭的，须填写出庭负责人姓名和职务", article="第二条"
            )
        if head_rank not in HeadRank.values:
            raise LegalError.HEARING.error(
                detail="出庭的负责人须为正职、副职或参与分管被诉行政行为的其他负责人", article="第二条"
            )
    elif not appeared_instead.strip() or not absent_reason.strip():
        raise LegalError.HEARING.error(
            detail="负责人未出庭的，须填写代为出庭的工作人员和未出庭理由", article="第八条、第九条"
        )
    h = AppealHearing.objects.create(
        appeal=appeal,
        held_on=held_on,
        court=court.strip(),
        instance=instance,
        head_present=head_present,
        head_name=head_name.strip() if head_present else "",
        head_rank=head_rank if head_present else "",
        head_title=head_title.strip() if head_present else "",
        identity_filed=identity_filed and head_present,
        appeared_instead=appeared_instead.strip(),
        absent_reason="" if head_present else absent_reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        action="legal.hearing",
        actor=actor,
        target=appeal,
        detail={"hearing": h.pk, "head_present": head_present},
    )
    return h


@transaction.atomic
def recommendation_add(*, actor, appeal, kind: str, doc_no: str, received_on: date, content: str):
    """A 行政复议意见书 (复议法 2023 Art 76: report the correction within 60 days of receipt) or a 司法建议
    (reply period a rule parameter, unconfirmed) received on the 复议/诉讼."""
    from .enums import RecommendationKind
    from .models import AppealRecommendation

    _require(actor, "登记复议意见书/司法建议", Role.LEGAL_REVIEWER, Role.HEAD)
    if kind not in RecommendationKind.values:
        raise LegalError.INVALID.error(detail="请选择类型（行政复议意见书或司法建议）")
    if not content.strip():
        raise LegalError.INVALID.error(detail="主要内容必填")
    due = add_days(received_on, int(param_value(RECOMMENDATION_PERIOD[kind], on=received_on))).date
    r = AppealRecommendation.objects.create(
        appeal=appeal,
        kind=kind,
        doc_no=doc_no.strip(),
        received_on=received_on,
        content=content.strip(),
        reply_due=due,
    )
    audit_record(action="legal.recommendation", actor=actor, target=appeal, detail={"recommendation": r.pk})
    return r


@transaction.atomic
def recommendation_reply(*, actor, recommendation, replied_on: date, corrective_action: str):
    _require(actor, "报送整改情况", Role.LEGAL_REVIEWER, Role.HEAD)
    if not corrective_action.strip():
        raise LegalError.INVALID.error(detail="整改措施必填")
    if replied_on < recommendation.received_on:
        raise LegalError.INVALID.error(detail="报送日期不能早于收到日期")
    recommendation.replied_on, recommendation.corrective_action = replied_on, corrective_action.strip()
    recommendation.save(update_fields=["replied_on", "corrective_action"])
    audit_record(
        action="legal.recommendation.reply",
        actor=actor,
        target=recommendation.appeal,
        detail={"recommendation": recommendation.pk, "late": replied_on > recommendation.reply_due},
    )
    return recommendation


# --- 法律顾问 ------------------------------------------------------------------------------------------


@transaction.atomic
def counsel_contract_add(
    *, actor, org, counsel: str, lawyers: str, starts_on: date, ends_on: date, scope: str, fee_fen=None
):
    from .models import CounselContract

    _require(actor, "登记法律顾问合同", Role.LEGAL_REVIEWER, Role.HEAD)
    if not counsel.strip() or not scope.strip():
        raise LegalError.INVALID.error(detail="律师事务所/法律顾问和服务范围必填")
    if ends_on < starts_on:
        raise LegalError.INVALID.error(detail="聘期届满日期不能早于聘期开始日期")
    c = CounselContract.objects.create(
        org=org,
        counsel=counsel.strip(),
        lawyers=lawyers.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        scope=scope.strip(),
        fee_fen=fee_fen,
    )
    audit_record(action="legal.counsel.contract", actor=actor, target=c)
    return c


@transaction.atomic
def counsel_opinion_add(
    *,
    actor,
    contract,
    matter_kind: str,
    matter_id,
    matter_title: str,
    given_on: date,
    summary: str,
    adopted=None,
):
    """An opinion of the 法律顾问 on one matter; it must fall within the contract's period."""
    from .enums import MatterKind
    from .models import CounselOpinion

    _require(actor, "登记法律顾问意见", Role.LEGAL_REVIEWER, Role.HEAD)
    if matter_kind not in MatterKind.values:
        raise LegalError.INVALID.error(detail="请选择事项类型")
    if not matter_title.strip() or not summary.strip():
        raise LegalError.INVALID.error(detail="事项名称和意见要点必填")
    if not contract.starts_on <= given_on <= contract.ends_on:
        raise LegalError.INVALID.error(
            detail=f"出具日期 {given_on:%Y-%m-%d} 不在聘期（{contract.starts_on:%Y-%m-%d} 至 "
            f"{contract.ends_on:%Y-%m-%d}）内"
        )
    o = CounselOpinion.objects.create(
        contract=contract,
        matter_kind=matter_kind,
        matter_id=matter_id,
        matter_title=matter_title.strip(),
        given_on=given_on,
        summary=summary.strip(),
        adopted=adopted,
    )
    audit_record(action="legal.counsel.opinion", actor=actor, target=contract, detail={"opinion": o.pk})
    return o


def reviewer_qualification_record(*, actor, user, certificate_no: str, obtained_on: date | None):
    """The 法律职业资格 of a 法制审核 officer, kept in ``cases.ReviewerQualification`` (the record the case's
    法制审核 step checks, 处罚法 Art 58 para 2); recorded from the legal page by the 负责人 or a reviewer."""
    from zhifa.cases.services import reviewer_qualification_set

    _require(actor, "登记法律职业资格", Role.LEGAL_REVIEWER, Role.HEAD)
    return reviewer_qualification_set(
        user=user, certificate_no=certificate_no, obtained_on=obtained_on, actor=actor
    )
