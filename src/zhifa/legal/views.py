"""法制工作 pages: 行政规范性文件 (list, new, the document's page with the step its status allows), 重大行政决策,
案卷评查 campaigns, the 复议/应诉 register (the cases' own records), 权责清单 and the indicators. Reads
through ``legal.selectors``, writes through ``legal.services``; a refusal shows the service's message."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page
from zhifa.rules.checklists import checklist_for

from . import selectors, services
from .enums import (
    CampaignStatus,
    ChallengeOutcome,
    CheckResult,
    DecisionStep,
    DocStatus,
    Finding,
    PowerKind,
)

SUBNAV = [
    ("docs", "/legal/", "规范性文件"),
    ("cleanups", "/legal/cleanups/", "文件清理"),
    ("decisions", "/legal/decisions/", "重大行政决策"),
    ("reviews", "/legal/reviews/", "案卷评查"),
    ("appeals", "/legal/appeals/", "复议应诉"),
    ("counsel", "/legal/counsel/", "法律顾问"),
    ("powers", "/legal/powers/", "权责清单"),
    ("indicators", "/legal/indicators/", "统计指标"),
]


def _ctx(tab: str, **extra) -> dict:
    return {"subnav": SUBNAV, "tab": tab, **extra}


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError("legal.invalid", f"输入有误：{label}应为日期（YYYY-MM-DD）", status=422) from None


def _opt_date(value: str, label: str) -> date | None:
    return _date(value, label) if (value or "").strip() else None


def _int(value: str, label: str) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise DomainError("legal.invalid", f"输入有误：{label}应为整数", status=422) from None


def _bureau(user):
    return jurisdiction_of(user.org)


# --- 行政规范性文件 ------------------------------------------------------------------------------------


@business_required
def doc_list(request):
    f = {k: request.GET.get(k, "").strip() for k in ("q", "status")}
    qs = selectors.doc_search(request.user, **f)
    return list_page(
        request,
        "legal/doc_list.html",
        qs,
        context=_ctx(
            "docs", f=f, statuses=[("in_force", "现行有效"), *DocStatus.choices], today=timezone.localdate()
        ),
    )


@business_required
def doc_new(request):
    form = {"title": "", "drafting_unit": request.user.org.name, "subject": "", "body": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            doc = services.doc_create(
                actor=request.user,
                org=_bureau(request.user),
                title=form["title"],
                drafting_unit=form["drafting_unit"],
                subject=form["subject"],
                body=form["body"],
                is_trial=request.POST.get("is_trial") == "1",
                affects_business=request.POST.get("affects_business") == "1",
                on=timezone.localdate(),
            )
            messages.success(request, "已登记文件草案")
            return redirect("legal_doc", pk=doc.pk)
        except DomainError as e:
            messages.error(request, e.message)
    return render(request, "legal/doc_new.html", _ctx("docs", form=form))


@business_required
def doc_detail(request, pk: int):
    doc = selectors.doc_get(request.user, pk)
    today = timezone.localdate()
    fair = None
    if doc.status == DocStatus.FAIR_REVIEW or doc.fair_findings:
        try:
            fair = checklist_for("fair_competition", on=doc.fair_reviewed_on or today)
        except Exception:  # no checklist in force: the page says so instead of failing
            fair = None
    findings = [(it, doc.fair_findings.get(it["code"], "")) for it in fair.items] if fair else []
    return render(
        request,
        "legal/doc_detail.html",
        _ctx(
            "docs",
            doc=doc,
            today=today,
            fair=fair,
            findings=findings,
            finding_choices=Finding.choices,
            legal_checks=[
                (c, label, doc.legal_review_checks.get(c, "")) for c, label in services.LEGAL_CHECKS.items()
            ],
            check_choices=CheckResult.choices,
            outcome_choices=ChallengeOutcome.choices,
            events=doc.events.select_related("actor"),
            comments=doc.comments.all(),
            challenges=doc.challenges.all(),
            in_force=doc.status == DocStatus.PUBLISHED,
            notice_on=services.evaluation_notice_on(doc.valid_until) if doc.valid_until else None,
        ),
    )


def _doc_action(request, doc, action: str, today: date):
    P, user = request.POST, request.user
    if action == "consult":
        services.doc_consult(
            actor=user,
            doc=doc,
            comment_from=_date(P.get("comment_from"), "征求意见开始"),
            comment_to=_date(P.get("comment_to"), "征求意见截止"),
            channel=P.get("channel", ""),
        )
    elif action == "comment":
        services.doc_comment_add(
            actor=user,
            doc=doc,
            source=P.get("source", ""),
            content=P.get("content", ""),
            handling=P.get("handling", ""),
        )
    elif action == "submit":
        services.doc_submit_review(actor=user, doc=doc, on=_date(P.get("on"), "送审日期"))
    elif action == "legal_review":
        checks = {c: P.get(f"check_{c}", "") for c in services.LEGAL_CHECKS}
        services.doc_legal_review(
            actor=user,
            doc=doc,
            checks=checks,
            opinion=P.get("opinion", ""),
            on=_date(P.get("on"), "审核日期"),
        )
    elif action == "fair_review":
        on = _date(P.get("on"), "审查日期")
        codes = [it["code"] for it in checklist_for("fair_competition", on=on).items]
        services.doc_fair_review(
            actor=user,
            doc=doc,
            findings={c: P.get(f"f_{c}", "") for c in codes},
            exception_reason=P.get("exception_reason", ""),
            exception_until=_opt_date(P.get("exception_until"), "例外实施期限"),
            on=on,
        )
    elif action == "deliberate":
        services.doc_deliberate(
            actor=user, doc=doc, on=_date(P.get("on"), "审议日期"), minutes=P.get("minutes", "")
        )
    elif action == "register":
        services.doc_register(
            actor=user,
            doc=doc,
            doc_no=P.get("doc_no", ""),
            issued_on=_date(P.get("issued_on"), "印发日期"),
            effective_from=_date(P.get("effective_from"), "施行日期"),
        )
    elif action == "publish":
        services.doc_publish(actor=user, doc=doc, on=_date(P.get("on"), "公布日期"), url=P.get("url", ""))
    elif action == "file":
        services.doc_file(
            actor=user, doc=doc, on=_date(P.get("on"), "备案日期"), filed_to=P.get("filed_to", "")
        )
    elif action == "renew":
        services.doc_renew(actor=user, doc=doc, on=today)
    elif action == "repeal":
        services.doc_repeal(
            actor=user, doc=doc, on=_date(P.get("on"), "废止日期"), reason=P.get("reason", "")
        )
    elif action == "amend":
        new = services.doc_amend(actor=user, doc=doc, on=today, reason=P.get("reason", ""))
        return redirect("legal_doc", pk=new.pk)
    elif action == "challenge":
        services.challenge_add(
            actor=user,
            doc=doc,
            organ=P.get("organ", ""),
            their_number=P.get("their_number", ""),
            notified_on=_date(P.get("notified_on"), "收到通知日期"),
            clauses=P.get("clauses", ""),
            suspend=P.get("suspend") == "1",
        )
    elif action == "challenge_close":
        ch = doc.challenges.filter(pk=_int(P.get("challenge"), "附带审查")).first()
        if ch is None:
            raise Http404
        services.challenge_close(
            actor=user,
            challenge=ch,
            answered_on=_date(P.get("answered_on"), "答复日期"),
            outcome=P.get("outcome", ""),
            on=today,
        )
    else:
        raise Http404
    return None


@require_POST
@business_required
def doc_act(request, pk: int):
    doc = selectors.doc_get(request.user, pk)
    try:
        response = _doc_action(request, doc, request.POST.get("action", ""), timezone.localdate())
        if response is not None:
            return response
        messages.success(request, "已办理")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("legal_doc", pk=doc.pk)


# --- 清理 ---------------------------------------------------------------------------------------------


@business_required
def cleanup_list(request):
    from .models import CleanupCampaign

    if request.method == "POST":
        P = request.POST
        try:
            ids = [int(x) for x in P.getlist("reviewers") if x.isdigit()]
            c = services.cleanup_create(
                actor=request.user,
                org=_bureau(request.user),
                title=P.get("title", ""),
                issued_from=_date(P.get("issued_from"), "印发日期自"),
                issued_to=_date(P.get("issued_to"), "印发日期至"),
                subject=P.get("subject", ""),
                reviewers=_reviewer_choices(request.user).filter(pk__in=ids),
                on=timezone.localdate(),
            )
            return redirect("legal_cleanup", pk=c.pk)
        except DomainError as e:
            messages.error(request, e.message)
    qs = CleanupCampaign.objects.filter(org=_bureau(request.user))
    return list_page(
        request,
        "legal/cleanup_list.html",
        qs,
        context=_ctx("cleanups", reviewers=_reviewer_choices(request.user), year=timezone.localdate().year),
    )


@business_required
def cleanup_detail(request, pk: int):
    from .enums import CleanupDecision
    from .models import CleanupCampaign

    c = CleanupCampaign.objects.filter(org=_bureau(request.user), pk=pk).first()
    if c is None:
        raise Http404
    if request.method == "POST":
        P = request.POST
        try:
            if P.get("action") == "close":
                services.cleanup_close(actor=request.user, campaign=c, on=timezone.localdate())
            else:
                item = c.items.filter(pk=_int(P.get("item"), "文件")).first()
                if item is None:
                    raise Http404
                services.cleanup_decide(
                    actor=request.user,
                    item=item,
                    decision=P.get("decision", ""),
                    reason=P.get("reason", ""),
                    on=timezone.localdate(),
                )
            messages.success(request, "已保存")
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("legal_cleanup", pk=c.pk)
    return render(
        request,
        "legal/cleanup_detail.html",
        _ctx(
            "cleanups",
            c=c,
            items=c.items.select_related("doc", "reviewer"),
            decisions=CleanupDecision.choices,
        ),
    )


# --- 重大行政决策 ---------------------------------------------------------------------------------------


@business_required
def decision_list(request):
    if request.method == "POST":
        P = request.POST
        try:
            d = services.decision_create(
                actor=request.user,
                org=_bureau(request.user),
                year=_int(P.get("year"), "目录年度"),
                title=P.get("title", ""),
                lead_unit=P.get("lead_unit", ""),
                risk_needed=P.get("risk_needed") == "1",
                on=timezone.localdate(),
            )
            return redirect("legal_decision", pk=d.pk)
        except DomainError as e:
            messages.error(request, e.message)
    return list_page(
        request,
        "legal/decision_list.html",
        selectors.decisions_visible(request.user),
        context=_ctx("decisions", year=timezone.localdate().year),
    )


@business_required
def decision_detail(request, pk: int):
    d = selectors.decision_get(request.user, pk)
    if request.method == "POST":
        P = request.POST
        try:
            services.decision_step_record(
                actor=request.user,
                decision=d,
                step=P.get("step", ""),
                started_on=_opt_date(P.get("started_on"), "开始日期"),
                done_on=_date(P.get("done_on"), "完成日期"),
                evidence=P.get("evidence", ""),
                reason=P.get("reason", ""),
            )
            messages.success(request, "已登记")
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("legal_decision", pk=d.pk)
    done = {s.step for s in d.steps.all()}
    return render(
        request,
        "legal/decision_detail.html",
        _ctx(
            "decisions",
            d=d,
            steps=d.steps.all(),
            todo=[(v, lbl) for v, lbl in DecisionStep.choices if v not in done],
        ),
    )


# --- 案卷评查 ------------------------------------------------------------------------------------------


def _reviewer_choices(user):
    from zhifa.accounts.enums import Role
    from zhifa.accounts.models import User

    root = _bureau(user)
    return (
        User.objects.filter(
            org__path__startswith=root.path,
            is_active=True,
            roles__role__in=[Role.LEGAL_REVIEWER, Role.OFFICER, Role.HEAD],
        )
        .distinct()
        .order_by("pk")
    )


@business_required
def review_list(request):
    if request.method == "POST":
        P = request.POST
        try:
            ids = [int(x) for x in P.getlist("reviewers") if x.isdigit()]
            c = services.campaign_create(
                actor=request.user,
                org=_bureau(request.user),
                title=P.get("title", ""),
                closed_from=_date(P.get("closed_from"), "结案日期自"),
                closed_to=_date(P.get("closed_to"), "结案日期至"),
                ratio_percent=_int(P.get("ratio"), "抽取比例"),
                per_unit=_int(P.get("per_unit") or "0", "每单位件数"),
                rectify_days=_int(P.get("rectify_days"), "整改期限"),
                reviewers=_reviewer_choices(request.user).filter(pk__in=ids),
            )
            return redirect("legal_review", pk=c.pk)
        except DomainError as e:
            messages.error(request, e.message)
    today = timezone.localdate()
    return list_page(
        request,
        "legal/review_list.html",
        selectors.campaigns_visible(request.user),
        context=_ctx("reviews", reviewers=_reviewer_choices(request.user), year=today.year),
    )


@business_required
def review_detail(request, pk: int):
    c = selectors.campaign_get(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "sample":
                services.campaign_sample(
                    actor=request.user,
                    campaign=c,
                    cases=selectors.closed_cases_for_review(request.user),
                    on=timezone.localdate(),
                )
                messages.success(request, "已抽取案卷并分配评查人员")
            elif request.POST.get("action") == "report":
                job = services.campaign_report_submit(actor=request.user, campaign=c)
                messages.success(request, f"通报已提交生成（后台任务 #{job.pk}）")
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("legal_review", pk=c.pk)
    job = None
    if c.report_job_id:
        from zhifa.jobs.models import Job

        job = Job.objects.filter(pk=c.report_job_id).first()
    return render(
        request,
        "legal/review_detail.html",
        _ctx(
            "reviews",
            c=c,
            files=selectors.campaign_files(c),
            units=selectors.scores_by_unit(c),
            job=job,
            verified=services.campaign_verify(c) if c.seed_hex else None,
            closed=c.status == CampaignStatus.CLOSED,
        ),
    )


@business_required
def review_file(request, pk: int, fid: int):
    c = selectors.campaign_get(request.user, pk)
    f = c.files.select_related("case", "unit", "reviewer").filter(pk=fid).first()
    if f is None:
        raise Http404
    sheet = checklist_for("casefile_review", on=c.sampled_on or timezone.localdate())
    if request.method == "POST":
        P = request.POST
        try:
            if P.get("action") == "rectified":
                services.file_rectified(actor=request.user, file=f, on=timezone.localdate())
            else:
                points = {}
                for it in sheet.items:
                    if not it.get("veto"):
                        raw = P.get(f"p_{it['code']}", "").strip()
                        points[it["code"]] = int(raw) if raw.isdigit() else None
                services.file_score(
                    actor=request.user,
                    file=f,
                    points=points,
                    vetoes=P.getlist("veto"),
                    findings=P.get("findings", ""),
                    on=timezone.localdate(),
                )
            messages.success(request, "已保存")
            return redirect("legal_review", pk=c.pk)
        except DomainError as e:
            messages.error(request, e.message)
    items = [(it, f.points.get(it["code"], it.get("points")), it["code"] in f.vetoes) for it in sheet.items]
    return render(
        request,
        "legal/review_file.html",
        _ctx("reviews", c=c, f=f, sheet=sheet, items=items, mine=f.reviewer_id == request.user.pk),
    )


@business_required
def review_report(request, pk: int):
    from zhifa.jobs.files import export_file

    c = selectors.campaign_get(request.user, pk)
    path = export_file(c.report_job_id) if c.report_job_id and c.status == CampaignStatus.CLOSED else None
    if path is None:
        raise Http404
    from django.utils.http import content_disposition_header

    resp = HttpResponse(
        path.read_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    resp["Content-Disposition"] = content_disposition_header(True, f"案卷评查通报-{c.title}.docx")
    return resp


# --- 复议/应诉 register, 权责清单, indicators -------------------------------------------------------------


@business_required
def appeals(request):
    from zhifa.cases.enums import AppealKind

    kind = request.GET.get("kind", "")
    kind = kind if kind in AppealKind.values else ""
    return list_page(
        request,
        "legal/appeals.html",
        selectors.appeals_register(request.user, kind=kind),
        context=_ctx("appeals", kind=kind, kinds=AppealKind.choices, today=timezone.localdate()),
    )


@business_required
def powers(request):
    if request.method == "POST":
        P = request.POST
        try:
            services.power_item_save(
                actor=request.user,
                org=_bureau(request.user),
                code=P.get("code", ""),
                name=P.get("name", ""),
                kind=P.get("kind", ""),
                basis=P.get("basis", ""),
                level=P.get("level", ""),
                valid_from=_date(P.get("valid_from"), "施行日期"),
                delegated_to=P.get("delegated_to", ""),
                responsibilities=P.get("responsibilities", ""),
                accountability=P.get("accountability", ""),
                change_reason=P.get("change_reason", ""),
            )
            messages.success(request, "已保存权责事项")
            return redirect("legal_powers")
        except DomainError as e:
            messages.error(request, e.message)
    return list_page(
        request,
        "legal/powers.html",
        selectors.powers_visible(request.user),
        context=_ctx("powers", kinds=PowerKind.choices, today=timezone.localdate()),
    )


@business_required
def indicators(request):
    from zhifa.core.indicator_pages import period, totals, totals_xlsx

    start, end = period(request)
    rows = totals(request.user, "legal", start, end)
    if request.GET.get("export") == "xlsx":
        return totals_xlsx(rows, title="法制工作统计指标", start=start, end=end)
    return render(request, "legal/indicators.html", _ctx("indicators", rows=rows, start=start, end=end))


# --- one 复议/诉讼: hearings with 负责人出庭, 复议意见书/司法建议; 法律顾问 ------------------------------------


def _yes(value) -> bool:
    return value in ("1", "on", "yes")


@business_required
def appeal_detail(request, pk: int):
    from .enums import HeadRank, Instance, RecommendationKind

    a = selectors.appeal_get(request.user, pk)
    if request.method == "POST":
        P, today = request.POST, timezone.localdate()
        try:
            action = P.get("action")
            if action == "hearing":
                services.hearing_record(
                    actor=request.user,
                    appeal=a,
                    held_on=_date(P.get("held_on"), "开庭日期"),
                    court=P.get("court", ""),
                    instance=P.get("instance", ""),
                    head_present=_yes(P.get("head_present")),
                    head_name=P.get("head_name", ""),
                    head_rank=P.get("head_rank", ""),
                    head_title=P.get("head_title", ""),
                    identity_filed=_yes(P.get("identity_filed")),
                    appeared_instead=P.get("appeared_instead", ""),
                    absent_reason=P.get("absent_reason", ""),
                )
                messages.success(request, "已登记开庭及负责人出庭情况")
            elif action == "recommendation":
                services.recommendation_add(
                    actor=request.user,
                    appeal=a,
                    kind=P.get("kind", ""),
                    doc_no=P.get("doc_no", ""),
                    received_on=_date(P.get("received_on"), "收到日期"),
                    content=P.get("content", ""),
                )
                messages.success(request, "已登记")
            elif action == "reply":
                rec = a.legal_recommendations.filter(pk=_int(P.get("rec"), "记录")).first()
                if rec is None:
                    raise Http404
                services.recommendation_reply(
                    actor=request.user,
                    recommendation=rec,
                    replied_on=_opt_date(P.get("replied_on"), "报送日期") or today,
                    corrective_action=P.get("corrective_action", ""),
                )
                messages.success(request, "已登记整改情况")
            return redirect("legal_appeal", pk=a.pk)
        except DomainError as e:
            messages.error(request, e.message)
    return render(
        request,
        "legal/appeal_detail.html",
        _ctx(
            "appeals",
            a=a,
            **selectors.appeal_followups(a),
            instances=Instance.choices,
            ranks=HeadRank.choices,
            rec_kinds=RecommendationKind.choices,
            today=timezone.localdate(),
        ),
    )


def _fee(text: str) -> int | None:
    from zhifa.core.money import MoneyError, parse_yuan

    try:
        return parse_yuan(text, label="顾问费") if text else None
    except MoneyError as e:
        raise DomainError("legal.invalid", f"输入有误：{e}", status=422) from None


@business_required
def counsel(request):
    from .enums import MatterKind

    if request.method == "POST":
        P = request.POST
        try:
            action = P.get("action")
            if action == "contract":
                fee = P.get("fee", "").strip()
                services.counsel_contract_add(
                    actor=request.user,
                    org=_bureau(request.user),
                    counsel=P.get("counsel", ""),
                    lawyers=P.get("lawyers", ""),
                    starts_on=_date(P.get("starts_on"), "聘期开始"),
                    ends_on=_date(P.get("ends_on"), "聘期届满"),
                    scope=P.get("scope", ""),
                    fee_fen=_fee(fee),
                )
            elif action == "opinion":
                mid = P.get("matter_id", "").strip()
                adopted = P.get("adopted", "")
                services.counsel_opinion_add(
                    actor=request.user,
                    contract=selectors.counsel_contract_get(
                        request.user, _int(P.get("contract"), "法律顾问合同")
                    ),
                    matter_kind=P.get("matter_kind", ""),
                    matter_id=_int(mid, "事项编号") if mid else None,
                    matter_title=P.get("matter_title", ""),
                    given_on=_date(P.get("given_on"), "出具日期"),
                    summary=P.get("summary", ""),
                    adopted={"1": True, "0": False}.get(adopted),
                )
            elif action == "qualification":
                who = {u.pk: u for u, _ in selectors.legal_reviewers(request.user)}.get(
                    _int(P.get("user"), "法制审核人员")
                )
                if who is None:
                    raise Http404
                services.reviewer_qualification_record(
                    actor=request.user,
                    user=who,
                    certificate_no=P.get("certificate_no", ""),
                    obtained_on=_opt_date(P.get("obtained_on"), "取得日期"),
                )
            messages.success(request, "已保存")
            return redirect("legal_counsel")
        except DomainError as e:
            messages.error(request, e.message)
    return render(
        request,
        "legal/counsel.html",
        _ctx(
            "counsel",
            contracts=selectors.counsel_contracts(request.user),
            opinions=selectors.counsel_opinions(request.user)[:200],
            reviewers=selectors.legal_reviewers(request.user),
            matter_kinds=MatterKind.choices,
            today=timezone.localdate(),
        ),
    )
