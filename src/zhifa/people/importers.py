"""Import of training sign-in sheets (培训签到表, XLSX/CSV) through ``core.imports`` (数据导入 page and
``zhifa import training_signin``): one row per officer present; the course is named by its title and start
date, the officer by 执法证号 or by a name unique in the unit's jurisdiction. A bad row is reported with its row
number and reason while the good rows go in; importing the same sheet again changes nothing."""

from __future__ import annotations

from typing import Any

from zhifa.accounts.models import Officer
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core import cleaning
from zhifa.core.errors import DomainError
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register

from .models import Attendance, Course
from .services import attendance_record


class AttendanceImporter(Importer):
    kind = "training_signin"
    label = "培训签到表"
    columns = {
        "course": ("课程名称", "培训名称", "课程"),
        "start_on": ("培训日期", "开始日期", "日期"),
        "name": ("姓名",),
        "cert_no": ("执法证号", "证件号"),
        "hours": ("学时", "计入学时"),
    }
    required = ("course", "start_on", "name")

    def clean(self, raw: dict[str, str], *, ctx: ImportContext) -> dict[str, Any]:
        try:
            title = cleaning.text(raw, "course", "课程名称", required=True)
            start_on = cleaning.date_field(raw, "start_on", "培训日期")
            name = cleaning.text(raw, "name", "姓名", required=True, max_len=50)
        except cleaning.Invalid as e:
            raise RowError(e.reason, e.field) from None
        root = jurisdiction_of(ctx.org)
        course = Course.objects.filter(
            title=title, start_on=start_on, org__path__startswith=root.path
        ).first()
        if course is None:
            raise RowError(f"没有 {start_on:%Y-%m-%d} 开始的课程“{title}”，请先登记课程", "course")
        officers = Officer.objects.filter(org__path__startswith=root.path, name=name)
        cert_no = (raw.get("cert_no") or "").strip()
        if cert_no:
            officers = officers.filter(certificates__number=cert_no)
        found = list(officers[:2])
        if not found:
            raise RowError(
                f"本单位没有执法人员“{name}”" + (f"（执法证号 {cert_no}）" if cert_no else ""), "name"
            )
        if len(found) > 1:
            raise RowError(f"执法人员“{name}”有重名，请填写执法证号", "cert_no")
        return {"course": course, "officer": found[0], "hours": (raw.get("hours") or "").strip()}

    def apply(self, rows: list[tuple[int, dict[str, Any]]], *, ctx: ImportContext) -> BatchOutcome:
        out = BatchOutcome()
        for line, row in rows:
            existing = Attendance.objects.filter(course=row["course"], officer=row["officer"]).first()
            try:
                att, created = attendance_record(
                    course=row["course"], officer=row["officer"], hours=row["hours"], actor=None
                )
            except DomainError as e:  # a refusal of the service is the row's reason
                out.errors.append((line, e.message))
                continue
            if created:
                out.created += 1
            elif existing is not None and existing.hours == att.hours:
                out.unchanged += 1
            else:
                out.updated += 1
        return out


register(AttendanceImporter())
