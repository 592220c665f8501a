"""Pages of 队伍与保障: training and hours, the question bank and exams (taken in the browser, timed), joint
operations (a phone-usable field form), equipment and 配备率 (check-out/in, the evidence link of recording
devices), emergency plans, the risk ledger (list and map) and the indicators. Reads through
``people.selectors`` (jurisdiction-scoped), writes through ``people.services``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.models import Org
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.accounts.views_admin import business_required
from zhifa.core import cleaning
from zhifa.core.errors import DomainError
from zhifa.core.exports import spreadsheet_response
from zhifa.core.indicator_pages import period, totals, totals_xlsx

from . import files, rules, selectors, services
from .enums import JointKind, QuestionKind, RiskStatus, StandbyKind
from .models import EquipmentKind, Question, Sitting

SUBNAV = [
    ("home", "/people/", "概览"),
    ("training", "/people/training/", "培训与学时"),
    ("exams", "/people/exams/", "学法考试"),
    ("joint", "/people/joint/", "联合执法"),
    ("equipment", "/people/equipment/", "执法装备"),
    ("emergency", "/people/emergency/", "应急管理"),
    ("risks", "/people/risks/", "风险台账"),
    ("pufa", "/people/pufa/", "普法"),
    ("indicators", "/people/indicators/", "统计指标"),
]


def _ctx(tab: str, **extra) -> dict:
    return {"subnav": SUBNAV, "tab": tab, **extra}


def _get(qs, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("不存在或无权查看")
    return obj


def _do(request, fn, ok: str) -> bool:
    """Run a write; its refusal (a DomainError or a field's cleaning) becomes the page's Chinese message."""
    try:
        fn()
    except DomainError as e:
        messages.error(request, e.message)
        return False
    except cleaning.Invalid as e:
        messages.error(request, e.reason)
        return False
    messages.success(request, ok)
    return True


def _int(raw) -> int:
    """A posted record id; anything else finds nothing (0)."""
    return int(raw) if str(raw or "").isdigit() else 0


def _do_on(request, obj, missing: str, fn, ok: str) -> bool:
    """:func:`_do` on a record the form named (``obj``, looked up in the actor's scope); none: ``missing``."""
    if obj is None:
        messages.error(request, missing)
        return False
    return _do(request, lambda: fn(obj), ok)


def _coord(raw: dict, key: str, label: str):
    value = (raw.get(key) or "").strip()
    if not value:
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise cleaning.Invalid(key, f"{label}“{value}”应为数字") from None


def _unit(request, key: str = "org"):
    raw = request.POST.get(key, "")
    org = _units(request.user).filter(pk=raw).first() if raw.isdigit() else None
    return org or request.user.org


def _units(user):
    return Org.objects.filter(path__startswith=jurisdiction_of(user.org).path).order_by("path")


# --- overview -----------------------------------------------------------------------------------------


@business_required
def home(request):
    today = timezone.localdate()
    rows = selectors.hours_by_officer(request.user, year=today.year)
    eq = selectors.equipment_table(request.user, on=today)
    return render(
        request,
        "people/home.html",
        _ctx(
            "home",
            today=today,
            target=rules.annual_hours_target(),
            staff=len(rows),
            met=sum(r.met for r in rows),
            equipped=selectors.equipped_total(eq),
            joint=selectors.joint_totals(selectors.joint_ops(request.user).filter(on__year=today.year)),
            overdue=selectors.risks(request.user).filter(selectors.overdue_q(today)),
            plans_due=selectors.plans(request.user).filter(review_due__lte=today),
            exams=selectors.exams(request.user)[:5],
        ),
    )


# --- training -----------------------------------------------------------------------------------------


@business_required
def training(request):
    if request.method == "POST":
        p = request.POST
        ok = _do(
            request,
            lambda: services.course_create(
                org=_unit(request),
                title=cleaning.text(p, "title", "课程名称", required=True),
                start_on=cleaning.date_field(p, "start_on", "开始日期"),
                end_on=cleaning.date_field(p, "end_on", "结束日期"),
                hours=p.get("hours", ""),
                subject=cleaning.text(p, "subject", "培训内容"),
                provider=cleaning.text(p, "provider", "授课单位/教师", max_len=100),
                place=cleaning.text(p, "place", "地点"),
                actor=request.user,
            ),
            "已登记培训课程",
        )
        if ok:
            return redirect("/people/training/")
    return render(
        request,
        "people/training.html",
        _ctx(
            "training",
            courses=selectors.courses(request.user)[:200],
            units=_units(request.user),
            form=request.POST,
        ),
    )


@business_required
def course(request, pk: int):
    c = _get(selectors.courses(request.user), pk)
    if request.method == "POST":
        officer = selectors.officers(request.user).filter(pk=request.POST.get("officer") or 0).first()
        _do_on(
            request,
            officer,
            "请选择本单位的执法人员",
            lambda o: services.attendance_record(
                course=c, officer=o, hours=request.POST.get("hours"), actor=request.user
            ),
            f"已登记 {officer.name} 签到" if officer else "",
        )
        return redirect(f"/people/training/{c.pk}/")
    return render(
        request,
        "people/course.html",
        _ctx(
            "training",
            course=c,
            attendances=c.attendances.select_related("officer", "officer__org"),
            files=files.files_of(files.KINDS["course"], [c.pk])[c.pk],
            officers=selectors.officers(request.user),
        ),
    )


@business_required
def hours(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    rows = selectors.hours_by_officer(request.user, year=year)
    if request.GET.get("export") == "xlsx":
        body = [
            [
                r.officer.org.name,
                r.officer.name,
                float(r.hours),
                float(r.target),
                "达标" if r.met else "未达标",
            ]
            for r in rows
        ]
        return spreadsheet_response(
            ["单位", "姓名", "年度学时", "目标学时", "是否达标"],
            body,
            fmt="xlsx",
            filename=f"{year}年度培训学时",
            sheet="培训学时",
        )
    return render(
        request,
        "people/hours.html",
        _ctx(
            "training",
            rows=rows,
            year=year,
            target=rules.annual_hours_target(),
            source=rules.HOURS_SOURCE,
            met=sum(r.met for r in rows),
        ),
    )


# --- exams --------------------------------------------------------------------------------------------


@business_required
def exam_list(request):
    if request.method == "POST":
        p = request.POST

        def create():
            return services.exam_create(
                org=_unit(request),
                title=cleaning.text(p, "title", "考试名称", required=True),
                held_on=cleaning.date_field(p, "held_on", "考试日期"),
                minutes=cleaning.int_field(p, "minutes", "限时", lo=1, hi=600, required=True),
                question_count=cleaning.int_field(p, "question_count", "题量", lo=1, hi=200, required=True),
                required=list(selectors.officers(request.user)),
                actor=request.user,
            )

        if _do(request, create, "已组织考试（应考人员为本单位全部在岗执法人员）"):
            return redirect("/people/exams/")
    exams = [(e, selectors.exam_rates(e)) for e in selectors.exams(request.user)[:50]]
    return render(
        request,
        "people/exams.html",
        _ctx(
            "exams",
            exams=exams,
            units=_units(request.user),
            pass_mark=rules.pass_mark(),
            excellent=rules.excellent_mark(),
            lines_source=rules.EXAM_LINES_SOURCE,
            me=selectors.officer_of(request.user),
            bank=Question.objects.filter(active=True).count(),
        ),
    )


@business_required
def exam_detail(request, pk: int):
    exam = _get(selectors.exams(request.user), pk)
    if request.method == "POST":
        officer = exam.required.filter(pk=request.POST.get("officer") or 0).first()
        if officer is None:
            messages.error(request, "请选择应考人员")
        else:
            _do(
                request,
                lambda: services.sitting_paper_record(
                    exam=exam, officer=officer, score=request.POST.get("score", ""), actor=request.user
                ),
                f"已录入 {officer.name} 的纸质考试成绩",
            )
        return redirect(f"/people/exams/{exam.pk}/")
    me = selectors.officer_of(request.user)
    sittings = {s.officer_id: s for s in exam.sittings.all()}
    roster = [
        (o, sittings.get(o.pk)) for o in exam.required.select_related("org").order_by("org__path", "name")
    ]
    return render(
        request,
        "people/exam.html",
        _ctx(
            "exams",
            exam=exam,
            rates=selectors.exam_rates(exam),
            roster=roster,
            pass_mark=rules.pass_mark(),
            excellent=rules.excellent_mark(),
            me=me,
            my=sittings.get(me.pk) if me else None,
            can_take=bool(me and exam.open and exam.required.filter(pk=me.pk).exists()),
        ),
    )


@business_required
def exam_take(request, pk: int):
    """POST ``start``: open the paper (drawn from a fresh recorded seed) and start the timer; GET: the paper
    with the time left; POST: 交卷. A GET never starts an exam."""
    exam = _get(selectors.exams(request.user), pk)
    me = selectors.officer_of(request.user)
    if me is None:
        messages.error(request, "当前账号未关联执法人员档案，不能参加考试")
        return redirect(f"/people/exams/{exam.pk}/")
    if request.method == "POST" and request.POST.get("start"):
        try:
            services.sitting_start(exam=exam, officer=me, actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect(f"/people/exams/{exam.pk}/")
        return redirect(f"/people/exams/{exam.pk}/take/")
    sitting = Sitting.objects.filter(
        exam=exam, officer=me, submitted_at__isnull=True, seed__isnull=False
    ).first()
    if sitting is None:
        return redirect(f"/people/exams/{exam.pk}/")
    if request.method == "POST":
        answers = {
            str(line["q"]): [int(v) for v in request.POST.getlist(f"q{line['q']}") if v.isdigit()]
            for line in sitting.paper
        }
        try:
            services.sitting_submit(sitting=sitting, answers=answers, actor=request.user)
        except DomainError as e:
            messages.error(request, e.message)
        return redirect(f"/people/exams/sitting/{sitting.pk}/")
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[p["q"] for p in sitting.paper])}
    paper = [
        (n, questions[line["q"]], [(i, questions[line["q"]].options[i]) for i in line["order"]])
        for n, line in enumerate(sitting.paper, 1)
        if line["q"] in questions
    ]
    remaining = max(0, int((sitting.deadline_at - timezone.now()).total_seconds()))
    return render(
        request,
        "people/take.html",
        _ctx(
            "exams",
            exam=exam,
            sitting=sitting,
            paper=paper,
            remaining=remaining,
            multiple=QuestionKind.MULTIPLE,
        ),
    )


@business_required
def sitting_result(request, pk: int):
    sitting = _get(
        Sitting.objects.filter(exam__in=selectors.exams(request.user)).select_related("exam", "officer"), pk
    )
    me = selectors.officer_of(request.user)
    if (me is None or me.pk != sitting.officer_id) and not request.user.has_role(*services.MANAGERS):
        raise Http404("不存在或无权查看")
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[r["q"] for r in sitting.results])}
    lines = [
        (
            n,
            questions.get(r["q"]),
            r,
            [questions[r["q"]].options[i] for i in r["chosen"]] if r["q"] in questions else [],
            [questions[r["q"]].options[i] for i in questions[r["q"]].answer] if r["q"] in questions else [],
        )
        for n, r in enumerate(sitting.results, 1)
    ]
    return render(
        request,
        "people/sitting.html",
        _ctx(
            "exams",
            sitting=sitting,
            lines=lines,
            passed=sitting.score is not None and sitting.score >= rules.pass_mark(),
        ),
    )


@business_required
def question_bank(request):
    if request.method == "POST":
        p = request.POST
        options = [p.get(f"option{i}", "") for i in range(6)]
        answer = [int(v) for v in p.getlist("answer") if v.isdigit()]
        if _do(
            request,
            lambda: services.question_add(
                kind=p.get("kind", ""),
                stem=p.get("stem", ""),
                options=options,
                answer=answer,
                law=p.get("law", ""),
                article=p.get("article", ""),
                actor=request.user,
            ),
            "已加入题库",
        ):
            return redirect("/people/exams/questions/")
    return render(
        request,
        "people/questions.html",
        _ctx("exams", questions=Question.objects.all()[:500], kinds=QuestionKind.choices, form=request.POST),
    )


# --- joint operations ---------------------------------------------------------------------------------


@business_required
def joint_list(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    ops = selectors.joint_ops(request.user)
    return render(
        request,
        "people/joint.html",
        _ctx(
            "joint",
            year=year,
            months=selectors.joint_monthly(request.user, year=year),
            total=selectors.joint_totals(ops.filter(on__year=year)),
            ops=ops.prefetch_related("partner_outcomes")[:100],
        ),
    )


def _fen(raw: str, label: str) -> int:
    value = (raw or "").strip()
    if not value:
        return 0
    try:
        return int((Decimal(value) * 100).quantize(Decimal("1")))
    except InvalidOperation:
        raise cleaning.Invalid("fines", f"{label}“{value}”应为金额（元）") from None


@business_required
def joint_new(request):
    form = request.POST if request.method == "POST" else {"on": timezone.localdate().isoformat()}
    if request.method == "POST":
        p = request.POST
        created = {}

        def save():
            n = lambda key, label: cleaning.int_field(p, key, label, lo=0, hi=10_000_000) or 0  # noqa: E731
            tonnes = (p.get("unloaded_t") or "").strip()
            try:
                kg = int(Decimal(tonnes) * 1000) if tonnes else 0
            except InvalidOperation:
                raise cleaning.Invalid("unloaded_t", f"卸载吨数“{tonnes}”应为数字") from None
            partners = [
                {
                    "agency": p.get(f"p{i}_agency", ""),
                    "cases": n(f"p{i}_cases", "协作单位处理案件"),
                    "fines_fen": _fen(p.get(f"p{i}_fines", ""), "协作单位罚款"),
                    "points": n(f"p{i}_points", "记分"),
                }
                for i in range(2)
            ]
            created["op"] = services.joint_create(
                org=_unit(request),
                on=cleaning.date_field(p, "on", "日期"),
                kind=p.get("kind", ""),
                campaign=cleaning.text(p, "campaign", "专项行动名称", max_len=100),
                lead_agency=cleaning.text(p, "lead_agency", "牵头单位", max_len=100),
                partners=cleaning.text(p, "partners", "参与单位", max_len=300),
                site=cleaning.text(p, "site", "路段/地点"),
                lat=_coord(p, "lat", "纬度"),
                lng=_coord(p, "lng", "经度"),
                staff=n("staff", "出动人次"),
                vehicles=n("vehicles", "出动车次"),
                checked=n("checked", "检查车辆"),
                violations=n("violations", "违法行为"),
                unloaded_kg=kg,
                cases_opened=n("cases_opened", "本局立案"),
                note=cleaning.text(p, "note", "备注", max_len=500),
                partner_outcomes=partners,
                actor=request.user,
            )

        if _do(request, save, "已登记联合执法"):
            return redirect("/people/joint/")
    return render(
        request,
        "people/joint_new.html",
        _ctx("joint", form=form, kinds=JointKind.choices, units=_units(request.user)),
    )


# --- equipment ----------------------------------------------------------------------------------------


@business_required
def equipment(request):
    today = timezone.localdate()
    if request.method == "POST":
        p = request.POST
        kind = EquipmentKind.objects.filter(pk=p.get("kind") or 0).first()
        holder = selectors.officers(request.user).filter(pk=p.get("holder") or 0).first()
        if kind is None:
            messages.error(request, "请选择装备种类")
        elif _do(
            request,
            lambda: services.item_add(
                kind=kind,
                serial=cleaning.text(p, "serial", "编号", required=True, max_len=64),
                org=_unit(request),
                holder=holder,
                acquired_on=cleaning.date_field(p, "acquired_on", "购置日期", required=False),
                actor=request.user,
            ),
            "已登记装备",
        ):
            return redirect("/people/equipment/")
    rows = selectors.equipment_table(request.user, on=today)
    return render(
        request,
        "people/equipment.html",
        _ctx(
            "equipment",
            rows=rows,
            total=selectors.equipped_total(rows),
            version=rules.quota_version(today),
            items=selectors.items(request.user)[:300],
            kinds=EquipmentKind.objects.all(),
            units=_units(request.user),
            officers=selectors.officers(request.user),
        ),
    )


@business_required
def item_detail(request, pk: int):
    item = _get(selectors.items(request.user), pk)
    if request.method == "POST":
        p, act = request.POST, request.POST.get("act")
        if act == "out":
            officer = selectors.officers(request.user).filter(pk=p.get("officer") or 0).first()
            if officer is None:
                messages.error(request, "请选择领用人")
            else:
                _do(
                    request,
                    lambda: services.item_check_out(item=item, officer=officer, actor=request.user),
                    f"{officer.name} 已领用",
                )
        elif act == "in":
            _do(request, lambda: services.item_check_in(item=item, actor=request.user), "已归还")
        elif act == "maintain":
            _do(
                request,
                lambda: services.item_maintain(
                    item=item,
                    on=cleaning.date_field(p, "on", "维护日期"),
                    note=p.get("note", ""),
                    actor=request.user,
                ),
                "已记录维护",
            )
        elif act == "dispose":
            _do(
                request,
                lambda: services.item_dispose(
                    item=item,
                    on=cleaning.date_field(p, "on", "处置日期"),
                    reason=p.get("reason", ""),
                    actor=request.user,
                ),
                "已报废处置",
            )
        elif act == "link":
            _link(request, item)
        return redirect(f"/people/equipment/{item.pk}/")
    from zhifa.evidence.selectors import evidence_visible

    return render(
        request,
        "people/item.html",
        _ctx(
            "equipment",
            item=item,
            logs=item.logs.select_related("officer")[:50],
            officers=selectors.officers(request.user),
            today=timezone.localdate(),
            recorded=evidence_visible(request.user)
            .filter(device_ref=item.serial)
            .select_related("recorded_by")[:50],
        ),
    )


def _link(request, item) -> None:
    from zhifa.evidence.selectors import evidence_visible

    raw = request.POST.get("evidence", "").strip().lstrip("#")
    ev = evidence_visible(request.user).filter(pk=raw).first() if raw.isdigit() else None
    if ev is None:
        messages.error(request, f"证据编号“{raw}”不存在或无权查看")
        return
    _do(
        request,
        lambda: services.bodycam_link(evidence=ev, serial=item.serial, actor=request.user),
        f"证据 #{ev.pk} 已关联本设备",
    )


# --- emergencies --------------------------------------------------------------------------------------


@business_required
def emergency(request):
    if request.method == "POST":
        p, act = request.POST, request.POST.get("act")
        if act == "plan":
            _do(
                request,
                lambda: services.plan_save(
                    org=_unit(request),
                    name=cleaning.text(p, "name", "预案名称", required=True),
                    version=cleaning.text(p, "version", "版本", required=True, max_len=30),
                    approved_on=cleaning.date_field(p, "approved_on", "批准日期"),
                    review_due=cleaning.date_field(p, "review_due", "修订期限"),
                    actor=request.user,
                ),
                "已登记预案",
            )
        elif act == "drill":
            plan = selectors.plans(request.user).filter(pk=p.get("plan") or 0).first()
            if plan is None:
                messages.error(request, "请选择预案")
            else:
                _do(
                    request,
                    lambda: services.drill_add(
                        plan=plan,
                        on=cleaning.date_field(p, "on", "演练日期"),
                        participants=cleaning.int_field(p, "participants", "参演人数", lo=0, hi=100000) or 0,
                        findings=cleaning.text(p, "findings", "发现问题", max_len=2000),
                        actor=request.user,
                    ),
                    "已登记演练",
                )
        elif act == "standby":
            _do(
                request,
                lambda: services.standby_add(
                    org=_unit(request),
                    kind=cleaning.choice(p, "kind", "类型", StandbyKind),
                    name=cleaning.text(p, "name", "名称", required=True, max_len=100),
                    count=cleaning.int_field(p, "count", "数量", lo=0, hi=100000) or 0,
                    contact=cleaning.text(p, "contact", "联系人", max_len=50),
                    phone=cleaning.text(p, "phone", "联系电话", max_len=30),
                    location=cleaning.text(p, "location", "驻地"),
                    actor=request.user,
                ),
                "已登记备用资源",
            )
        elif act == "duty":
            officer = selectors.officers(request.user).filter(pk=p.get("officer") or 0).first()
            if officer is None:
                messages.error(request, "请选择值班人员")
            else:
                _do(
                    request,
                    lambda: services.duty_add(
                        org=_unit(request),
                        on=cleaning.date_field(p, "on", "值班日期"),
                        officer=officer,
                        leader=p.get("leader") == "1",
                        phone=cleaning.text(p, "phone", "值班电话", max_len=30),
                        actor=request.user,
                    ),
                    "已登记值班",
                )
        return redirect("/people/emergency/")
    from .models import Drill, Duty, StandbyResource

    today = timezone.localdate()
    return render(
        request,
        "people/emergency.html",
        _ctx(
            "emergency",
            plans=files.with_files(files.KINDS["plan"], selectors.plans(request.user)),
            today=today,
            units=_units(request.user),
            drills=Drill.objects.filter(plan__in=selectors.plans(request.user)).select_related("plan")[:50],
            resources=selectors.visible(request.user, StandbyResource.objects.all()),
            duties=selectors.visible(request.user, Duty.objects.filter(on__gte=today)).select_related(
                "officer"
            )[:30],
            standby_kinds=StandbyKind.choices,
            officers=selectors.officers(request.user),
        ),
    )


# --- risk ledger --------------------------------------------------------------------------------------


@business_required
def risks(request):
    today = timezone.localdate()
    if request.method == "POST":
        p = request.POST
        if _do(
            request,
            lambda: services.risk_create(
                org=_unit(request),
                title=cleaning.text(p, "title", "风险任务", required=True),
                deadline=cleaning.date_field(p, "deadline", "完成期限"),
                responsibility=cleaning.text(p, "responsibility", "责任清单", max_len=2000),
                tasks=cleaning.text(p, "tasks", "任务清单", max_len=2000),
                location=cleaning.text(p, "location", "位置"),
                lat=_coord(p, "lat", "纬度"),
                lng=_coord(p, "lng", "经度"),
                actor=request.user,
            ),
            "已登记风险任务",
        ):
            return redirect("/people/risks/")
    qs = selectors.risks(request.user)
    points = [
        {
            "lat": float(t.lat),
            "lng": float(t.lng),
            "title": t.title,
            "url": f"/people/risks/{t.pk}/",
            "late": t.status != RiskStatus.DONE and t.deadline < today,
        }
        for t in qs
        if t.lat is not None and t.lng is not None
    ]
    from zhifa.core import basemap

    return render(
        request,
        "people/risks.html",
        _ctx(
            "risks",
            tasks=qs,
            today=today,
            overdue=qs.filter(selectors.overdue_q(today)).count(),
            points=points,
            map_data={"base": basemap.base_map(), "tiles": ""},
            units=_units(request.user),
            form=request.POST,
        ),
    )


@business_required
def risk_detail(request, pk: int):
    task = _get(selectors.risks(request.user), pk)
    if request.method == "POST":
        p = request.POST
        _do(
            request,
            lambda: services.risk_progress(
                task=task,
                on=cleaning.date_field(p, "on", "日期"),
                note=p.get("note", ""),
                status=p.get("status", ""),
                actor=request.user,
            ),
            "已记录进展",
        )
        return redirect(f"/people/risks/{task.pk}/")
    return render(
        request,
        "people/risk.html",
        _ctx(
            "risks",
            task=task,
            progress=task.progress.all(),
            statuses=RiskStatus.choices,
            today=timezone.localdate(),
        ),
    )


# --- 普法 ---------------------------------------------------------------------------------------------


@business_required
def pufa(request):
    from zhifa.cases.enums import FINAL_STATES
    from zhifa.cases.selectors import cases_visible

    from .models import CaseStory, PufaActivity, PufaItem

    today = timezone.localdate()
    if request.method == "POST":
        p, act = request.POST, request.POST.get("act")
        if act == "item":
            _do(
                request,
                lambda: services.pufa_item_add(
                    org=_unit(request),
                    year=cleaning.int_field(p, "year", "年度", lo=2000, hi=2100, required=True),
                    kind=p.get("kind", ""),
                    content=cleaning.text(p, "content", "内容", required=True, max_len=500),
                    owner=cleaning.text(p, "owner", "责任科室/中队", max_len=100),
                    actor=request.user,
                ),
                "已登记",
            )
        elif act == "activity":
            _do(
                request,
                lambda: services.pufa_activity_add(
                    org=_unit(request),
                    on=cleaning.date_field(p, "on", "日期"),
                    place=cleaning.text(p, "place", "地点"),
                    form=cleaning.text(p, "form", "形式", max_len=100),
                    audience=cleaning.text(p, "audience", "对象", max_len=100),
                    count=cleaning.int_field(p, "count", "人数/份数", lo=0, hi=10_000_000) or 0,
                    actor=request.user,
                ),
                "已登记普法活动",
            )
        elif act == "story":
            number = (p.get("case") or "").strip()
            _do_on(
                request,
                cases_visible(request.user).filter(number=number).first(),
                f"案号“{number}”不存在或无权查看",
                lambda case: services.case_story_create(
                    case=case, lesson=p.get("lesson", ""), actor=request.user
                ),
                "已编写以案释法",
            )
        elif act in ("publish", "withdraw"):
            _do_on(
                request,
                selectors.visible(request.user, CaseStory.objects.all())
                .filter(pk=_int(p.get("story")))
                .first(),
                "该以案释法不存在或无权查看",
                lambda s: services.case_story_publish(story=s, publish=act == "publish", actor=request.user),
                "已在门户公开" if act == "publish" else "已撤回门户公开",
            )
        return redirect("/people/pufa/")
    return render(
        request,
        "people/pufa.html",
        _ctx(
            "pufa",
            today=today,
            units=_units(request.user),
            kinds=PufaItem.KINDS,
            items=selectors.visible(request.user, PufaItem.objects.all())[:200],
            activities=files.with_files(
                files.KINDS["activity"], selectors.visible(request.user, PufaActivity.objects.all())[:100]
            ),
            stories=selectors.visible(request.user, CaseStory.objects.all())[:50],
            can_publish=request.user.has_role("head"),
            closed=cases_visible(request.user)
            .filter(state__in=FINAL_STATES)
            .order_by("-closed_on", "-pk")[:30],
        ),
    )


# --- files (course materials, plan documents, activity photos; in the evidence store) -------------------

_BACK = {
    "course": "/people/training/{pk}/#files",
    "plan": "/people/emergency/#plans",
    "activity": "/people/pufa/#activities",
}


def _file_record(request, kind: str, pk: int):
    """The record a file belongs to, looked up in the user's scope (another county's: 404)."""
    from .models import PufaActivity

    try:
        k = files.kind_of(kind)
    except DomainError as e:
        raise Http404(e.message) from e
    scoped = {
        "course": selectors.courses(request.user),
        "plan": selectors.plans(request.user),
        "activity": selectors.visible(request.user, PufaActivity.objects.all()),
    }[kind]
    return k, _get(scoped, pk)


@business_required
@require_POST
def file_upload(request, kind: str, pk: int):
    k, record = _file_record(request, kind, pk)
    try:
        item = files.attach(
            kind=k,
            record=record,
            upload=request.FILES.get("file"),
            actor=request.user,
            description=request.POST.get("description", ""),
        )
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已上传“{item.filename}”，{item.digest_algorithm} 摘要 {item.digest}")
    return redirect(_BACK[kind].format(pk=pk))


@require_http_methods(["GET", "HEAD"])
@business_required
def file_download(request, kind: str, pk: int, item_pk: int):
    """A file to whoever may see its record (custody-logged by the evidence store)."""
    from zhifa.evidence import http

    k, record = _file_record(request, kind, pk)
    try:
        item = files.file_of(k, record, item_pk)
    except DomainError as e:
        raise Http404(e.message) from e
    return http.serve(request, item, inline=kind == "activity")


# --- indicators ---------------------------------------------------------------------------------------


@business_required
def indicators(request):
    start, end = period(request)
    rows = totals(request.user, "people", start, end)
    if request.GET.get("export") == "xlsx":
        return totals_xlsx(rows, title="队伍与保障统计指标", start=start, end=end)
    return render(request, "people/indicators.html", _ctx("indicators", rows=rows, start=start, end=end))
