"""工作日历 page: a year's holidays and make-up working days, the deadline calculator, and for the
系统管理员 the import of a newly published year's schedule (国务院办公厅放假安排).

Every signed-in user may look; only the 系统管理员 of the top unit of the org tree may import (the
calendar counts every unit's legal deadlines).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.accounts.enums import Role
from zhifa.console.calendar_services import calendar_schedule_import, check_schedule_editor
from zhifa.core import calendar
from zhifa.core.cleaning import parse_date
from zhifa.core.errors import DomainError
from zhifa.core.models import HolidaySchedule

MIN_YEAR, MAX_YEAR = 2000, 2099
MAX_N = 3650
UPLOAD_MAX_BYTES = 256 * 1024
KINDS = {"workdays": "工作日", "days": "自然日"}
WEEKDAYS = "一二三四五六日"


def _year(raw: str, default: int) -> int:
    return int(raw) if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR else default


def _status_label(year: int) -> tuple[str, str, str]:
    """(css class, short label, explanation) of the year's calendar source."""
    status = calendar.year_status(year)
    if status == calendar.STATUS_ENTERED:
        sched = HolidaySchedule.objects.filter(year=year).first()
        doc = sched.document if sched else ""
        return (
            "ok",
            "官方",
            f"已录入{year}年放假安排（{doc}）"
            + (
                f"，{sched.entered_by} 于 {sched.entered_at:%Y-%m-%d} 录入"
                if sched and sched.entered_by
                else ""
            ),
        )
    if status == calendar.STATUS_LIBRARY:
        return "ok", "官方", f"依据国务院办公厅公布的{year}年放假安排（内置数据）"
    return (
        "warn",
        "暂定",
        (
            f"{year}年放假安排尚未公布或尚未录入：按{calendar.STATUTE_LABEL}推算法定节假日及周末补假，"
            "未包含调休上班日，据此计算的期限为暂定结果"
        ),
    )


def _holiday_rows(year: int) -> list[dict]:
    rows = []
    for info in calendar.holidays_in(year):
        rows.append(
            {
                "date": info.date,
                "weekday": WEEKDAYS[info.date.weekday()],
                "name": info.name,
                "festival": info.festival,
                "workday": info.is_workday,
                "source": info.source,
                "provisional": info.provisional,
            }
        )
    return rows


def _calculate(params) -> tuple[dict, dict | None, str]:
    """Read the calculator inputs; returns (form values, result or None, error)."""
    form = {
        "start": params.get("start", "").strip(),
        "n": params.get("n", "").strip(),
        "kind": params.get("kind", "workdays"),
        "roll": params.get("roll", "1"),
    }
    if not form["start"] and not form["n"]:
        return form, None, ""
    try:
        start = parse_date(form["start"])
    except ValueError:
        return form, None, f"起算日“{form['start']}”不是有效日期"
    if not form["n"].isdigit() or int(form["n"]) > MAX_N:
        return form, None, f"期间天数应为 0 到 {MAX_N} 之间的整数"
    n = int(form["n"])
    try:
        if form["kind"] == "days":
            res = calendar.add_days(start, n, roll_over=form["roll"] != "0")
        else:
            form["kind"] = "workdays"
            res = calendar.add_workdays(start, n)
    except DomainError as e:
        return form, None, e.message
    return (
        form,
        {
            "date": res.date,
            "weekday": WEEKDAYS[res.date.weekday()],
            "rule": res.rule,
            "explanation": res.explanation,
            "provisional": res.provisional,
        },
        "",
    )


def _may_import(user) -> bool:
    try:
        check_schedule_editor(user)
    except DomainError:
        return False
    return True


def _page(request, *, status: int = 200, **extra):
    today = date.today()
    year = _year(request.GET.get("year", ""), today.year)
    ctx = {
        "page_title": "工作日历",
        "year": year,
        "years": list(range(2004, today.year + 4)),
        "today": today,
        "kinds": KINDS,
        "can_import": _may_import(request.user),
        "import_form": {"year": str(today.year + 1)},
    }
    if year not in ctx["years"]:
        ctx["years"].append(year)
    try:
        ctx["css"], ctx["status"], ctx["status_text"] = _status_label(year)
        ctx["holidays"] = _holiday_rows(year)
    except DomainError as e:
        ctx["year_error"] = e.message
        ctx["holidays"] = []
    ctx["calc"], ctx["result"], ctx["calc_error"] = _calculate(request.GET)
    ctx.update(extra)
    return render(request, "console/calendar.html", ctx, status=status)


@login_required
def calendar_page(request):
    return _page(request)


@require_POST
@login_required
def calendar_import(request):
    """Replace a year's entered schedule from a CSV (日期,类型,名称); rejected whole, every error listed."""
    if not request.user.has_role(Role.SYSADMIN):
        raise PermissionDenied
    try:  # installation-wide: a county's 系统管理员 is told why (403)
        check_schedule_editor(request.user)
    except DomainError as e:
        return render(request, "core/error.html", {"code": 403, "message": e.message}, status=403)
    form = {k: request.POST.get(k, "").strip() for k in ("year", "document", "published_on")}
    upload = request.FILES.get("file")
    errors: list[tuple[int, str]] = []
    year = int(form["year"]) if form["year"].isdigit() else None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        errors.append((0, f"年度应为 {MIN_YEAR} 到 {MAX_YEAR} 之间的整数"))
    if upload is None:
        errors.append((0, "请选择要导入的 CSV 文件"))
    elif upload.size > UPLOAD_MAX_BYTES:
        errors.append((0, "文件过大：放假安排 CSV 不应超过 256 KB"))
    if not errors:
        try:
            rows = calendar.parse_schedule_csv(upload.read())
            schedule = calendar_schedule_import(
                year=year,
                rows=rows,
                document=form["document"],
                published_on=form["published_on"] or None,
                entered_by=request.user.get_username(),
                actor=request.user,
            )
        except calendar.ScheduleImportError as e:
            errors = list(e.errors)
        except DomainError as e:
            errors = [(0, e.message)]
        else:
            n = schedule.days.count()
            messages.success(request, f"{schedule.year}年放假安排已导入（{schedule.document}，共 {n} 天）")
            return redirect(f"/calendar/?year={schedule.year}")
    return _page(request, status=422, import_errors=errors, import_form=form)
