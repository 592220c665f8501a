"""行政许可 pages for the window and the reviewers: applications (list, window intake, the application's page
with its clocks, timeline, 文书 and the moves its state allows), the catalogue (a new version by a legal
reviewer), due post-checks, the 好差评 ledger and the indicators. Reads through ``selectors``, writes
through ``services``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import Role
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.indicator_pages import period, table, xlsx
from zhifa.core.listing import list_page
from zhifa.documents.selectors import documents_for_target
from zhifa.registry.models import Licence

from . import list_exports, rules, selectors, services
from .enums import OPEN_POSTCHECK, AppKind, Channel, Grade, PauseKind, State
from .indicators import DIMENSIONS
from .models import Rating

SUBNAV = [
    ("list", "/permits/", "许可申请"),
    ("new", "/permits/new/", "窗口收件"),
    ("items", "/permits/items/", "许可事项"),
    ("postchecks", "/permits/postchecks/", "事后核查"),
    ("ratings", "/permits/ratings/", "好差评"),
    ("indicators", "/permits/indicators/", "统计指标"),
]
ACTIONS = {
    State.SUBMITTED: ["correction", "accept", "not_accept"],
    State.CORRECTION: ["corrected", "not_accept"],
    State.ACCEPTED: ["pause", "extend", "grant", "refuse"],
    State.GRANTED: ["issue"],
}
LABELS = {
    "correction": "一次性告知补正",
    "corrected": "补正齐全",
    "accept": "受理",
    "not_accept": "不予受理",
    "pause": "登记不计入期限的期间（听证、检测等）",
    "extend": "延长决定期限（负责人批准）",
    "grant": "准予许可",
    "refuse": "不予许可",
    "issue": "发证（生成电子证照）",
    "postcheck": "事后核查",
    "rate": "窗口评价",
}


def _ctx(tab: str, **extra) -> dict:
    return {"subnav": SUBNAV, "tab": tab, **extra}


def _date(value: str, default: date | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        raise DomainError(
            "permits.invalid",
            f"日期“{value}”格式有误，应为 YYYY-MM-DD",
            fields={"on": "日期格式有误"},
            status=422,
        ) from None


@business_required
def application_list(request):
    f = {k: request.GET.get(k, "").strip() for k in ("q", "state", "item", "month")}
    qs = selectors.application_search(request.user, **f)
    return list_page(
        request,
        "permits/application_list.html",
        qs.order_by("-received_on", "-pk"),
        context=_ctx("list", f=f, states=State.choices, items=selectors.items_current(timezone.localdate())),
        export=list_exports.APPLICATIONS,
    )


@business_required
def application_new(request):
    today = timezone.localdate()
    items = selectors.items_current(today)
    form = {
        "item": "",
        "applicant": "",
        "applicant_uscc": "",
        "contact_phone": "",
        "content": "",
        "tier": "",
        "kind": AppKind.NEW,
        "licence": "",
        "pledge_text": "",
    }
    error = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            item = next((i for i in items if i.code == form["item"]), None)
            if item is None:
                raise DomainError("permits.invalid", "请选择事项", fields={"item": "请选择事项"}, status=422)
            licence = None
            if form["licence"]:
                root = jurisdiction_of(request.user.org)
                licence = Licence.objects.filter(
                    number=form["licence"], org__path__startswith=root.path
                ).first()
                if licence is None:
                    raise DomainError(
                        "permits.invalid",
                        f"证号“{form['licence']}”未在本辖区登记",
                        fields={"licence": "证照不存在"},
                        status=422,
                    )
            app = services.application_submit(
                actor=request.user,
                org=jurisdiction_of(request.user.org),
                item=item,
                channel=Channel.WINDOW,
                applicant=form["applicant"],
                applicant_uscc=form["applicant_uscc"],
                contact_phone=form["contact_phone"],
                content=form["content"],
                tier=form["tier"],
                kind=form["kind"] or AppKind.NEW,
                licence=licence,
                pledge=bool(request.POST.get("pledge")),
                pledge_text=form["pledge_text"],
                received_on=today,
            )
            messages.success(request, f"已收件，申请编号 {app.number}")
            return redirect(f"/permits/{app.pk}/")
        except DomainError as e:
            error = e.message
    return render(
        request,
        "permits/application_new.html",
        _ctx("new", form=form, error=error, items=items, kinds=AppKind.choices),
    )


def _clocks(app) -> list[tuple[str, str, list[str]]]:
    out = []
    if app.state in (State.SUBMITTED, State.CORRECTION) and not app.correction_on:
        c = rules.correction_due(app.received_on)
        out.append(("告知补正期限", f"{c.due:%Y-%m-%d}", c.lines[:1]))
    if app.accepted_on:
        c = services.decision_clock(app)
        out.append(("决定期限", f"{c.due:%Y-%m-%d}", c.lines))
        if app.promised_due:
            out.append(
                (
                    "承诺办结日期",
                    f"{app.promised_due:%Y-%m-%d}",
                    [f"承诺时限{app.item.promised_days}个工作日"],
                )
            )
    if app.decided_on and app.state in (State.GRANTED, State.ISSUED):
        c = rules.issue_due(app.decided_on)
        out.append(("发证期限", f"{c.due:%Y-%m-%d}", c.lines[:1]))
    return out


@business_required
def application_detail(request, pk: int):
    app = selectors.application_get(request.user, pk)
    actions = list(ACTIONS.get(app.state, []))
    if app.pledge and app.postcheck in OPEN_POSTCHECK and app.state in (State.GRANTED, State.ISSUED):
        actions.append("postcheck")
    if app.state in services.DONE and not Rating.objects.filter(application=app).exists():
        actions.append("rate")
    return render(
        request,
        "permits/application_detail.html",
        _ctx(
            "list",
            a=app,
            steps=_steps_with_documents(request.user, app),
            pauses=app.pauses.all(),
            clocks=_clocks(app),
            actions=[(a, LABELS[a]) for a in actions],
            today=timezone.localdate(),
            pause_kinds=PauseKind.choices,
            grades=Grade.choices,
            cert=selectors.certificate_for(request.user, app),
            is_head=request.user.has_role(Role.HEAD),
        ),
    )


def _steps_with_documents(user, app):
    """The timeline with each step's issued 文书 (documents app, DOCX and PDF downloads)."""
    docs = {
        d.number: d
        for d in documents_for_target(user, target_type=services.DOC_TARGET, target_id=app.pk).filter(
            version=1
        )
    }
    steps = list(app.steps.select_related("actor"))
    for s in steps:
        s.document = docs.get(s.doc_no) if s.doc_no else None
    return steps


@business_required
@require_POST
def application_act(request, pk: int):
    app = selectors.application_get(request.user, pk)
    p = request.POST
    action = p.get("action", "")
    try:
        on = _date(p.get("on", ""), timezone.localdate())
        if action == "correction":
            services.application_correction(app=app, actor=request.user, on=on, items=p.get("items", ""))
        elif action == "corrected":
            services.application_corrected(app=app, actor=request.user, on=on)
        elif action == "accept":
            services.application_accept(app=app, actor=request.user, on=on)
        elif action == "not_accept":
            services.application_not_accept(app=app, actor=request.user, on=on, reason=p.get("reason", ""))
        elif action == "pause":
            services.application_pause(
                app=app,
                actor=request.user,
                kind=p.get("kind", ""),
                note=p.get("note", ""),
                start=_date(p.get("start", ""), on),
                end=_date(p.get("end", ""), on),
            )
        elif action == "extend":
            services.application_extend(app=app, actor=request.user, on=on, reason=p.get("reason", ""))
        elif action in ("grant", "refuse"):
            services.application_decide(
                app=app,
                actor=request.user,
                on=on,
                grant=action == "grant",
                reason=p.get("reason", ""),
                content=p.get("content", ""),
                valid_to=_date(p.get("valid_to", ""), None),
            )
        elif action == "issue":
            services.application_issue(
                app=app, actor=request.user, on=on, base_url=request.build_absolute_uri("/")
            )
        elif action == "postcheck":
            services.postcheck_record(
                app=app, actor=request.user, on=on, truthful=p.get("truthful") == "1", note=p.get("note", "")
            )
        elif action == "rate":
            services.rating_submit(
                app=app, grade=p.get("grade", ""), channel=Channel.WINDOW, on=on, comment=p.get("comment", "")
            )
        else:
            raise Http404
        messages.success(request, f"已办理：{LABELS[action]}")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(f"/permits/{app.pk}/")


@business_required
def certificate_pdf(request, pk: int):
    app = selectors.application_get(request.user, pk)
    cert = selectors.certificate_for(request.user, app)
    if cert is None:
        raise Http404
    resp = HttpResponse(bytes(cert.pdf), content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="{cert.cert_id}.pdf"'
    return resp


@business_required
def item_list(request):
    today = timezone.localdate()
    return render(
        request,
        "permits/item_list.html",
        _ctx(
            "items",
            items=selectors.items_current(today),
            can_edit=request.user.has_role(*services.RULE_EDITORS),
        ),
    )


@business_required
def item_edit(request, code: str):
    today = timezone.localdate()
    item = selectors.item_current(code, today) or selectors.item_versions(code).first()
    if item is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.item_version_save(
                actor=request.user,
                code=code,
                data=request.POST,
                version_from=_date(request.POST.get("version_from", ""), today),
            )
            messages.success(request, "已保存新版本")
            return redirect(f"/permits/items/{code}/")
        except DomainError as e:
            error = e.message
    return render(
        request,
        "permits/item_edit.html",
        _ctx(
            "items",
            item=item,
            versions=selectors.item_versions(code),
            error=error,
            today=today,
            can_edit=request.user.has_role(*services.RULE_EDITORS),
        ),
    )


@business_required
def postcheck_list(request):
    today = timezone.localdate()
    return list_page(
        request,
        "permits/postcheck_list.html",
        selectors.postchecks_open(request.user),
        context=_ctx("postchecks", today=today),
        export=list_exports.APPLICATIONS,
    )


@business_required
def rating_list(request):
    qs = selectors.ratings_visible(request.user)
    if request.GET.get("bad") == "1":
        qs = qs.filter(grade__lte=Grade.UNSATISFIED)
    return list_page(
        request,
        "permits/rating_list.html",
        qs,
        context=_ctx(
            "ratings",
            bad=request.GET.get("bad") == "1",
            today=timezone.localdate(),
            fix_days=rules.fix_days(),
        ),
        export=list_exports.RATINGS,
    )


@business_required
@require_POST
def rating_act(request, pk: int):
    rating = selectors.ratings_visible(request.user).filter(pk=pk).first()
    if rating is None:
        raise Http404
    try:
        on = _date(request.POST.get("on", ""), timezone.localdate())
        entry = "callback" if request.POST.get("action") == "callback" else "fix"
        text = request.POST.get("note" if entry == "callback" else "result", "")
        services.rating_record(rating=rating, actor=request.user, on=on, entry=entry, text=text)
        messages.success(request, "已记录")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("/permits/ratings/?bad=1")


@business_required
def indicators(request):
    start, end = period(request)
    dimension = request.GET.get("by", "")
    dimension = dimension if dimension in DIMENSIONS else ""
    inds, rows = table(request.user, "permits", start, end, dimension)
    if request.GET.get("export") == "xlsx":
        return xlsx(
            inds,
            rows,
            dimension_label=DIMENSIONS.get(dimension, "范围"),
            title="行政许可统计指标",
            start=start,
            end=end,
        )
    return render(
        request,
        "permits/indicators.html",
        _ctx(
            "indicators",
            inds=inds,
            table=rows,
            start=start,
            end=end,
            by=dimension,
            dimensions=DIMENSIONS.items(),
        ),
    )
