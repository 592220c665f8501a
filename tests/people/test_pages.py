"""The pages of 队伍与保障 as an officer and a head (every page answers, in Chinese words, no internal codes),
the sign-in sheet import (bad rows reported with row number and reason, good rows in), the daily reminders of
plan reviews and overdue risk tasks, and the XLSX exports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.crawl.codes import internal_codes
from tests.crawl.crawler import parse_page
from tests.factories import PASSWORD
from tests.people.conftest import add_course
from zhifa.core.imports import run_import
from zhifa.notifications.daily import run_daily
from zhifa.notifications.models import Notification
from zhifa.people import services
from zhifa.people.models import Attendance, EquipmentKind


@pytest.fixture
def filled(tree, head_user, officer_user, crew, bank):
    today = timezone.localdate()
    course = add_course(tree.bureau_a, head_user)
    services.attendance_record(course=course, officer=crew.o1, actor=head_user)
    exam = services.exam_create(
        org=tree.bureau_a,
        title="学法考试",
        held_on=today,
        required=[crew.o1, crew.o2],
        question_count=3,
        actor=head_user,
    )
    s = services.sitting_start(exam=exam, officer=crew.o1, actor=officer_user)
    services.sitting_submit(sitting=s, answers={}, actor=officer_user)
    services.kinds_ensure()
    cam = services.item_add(
        kind=EquipmentKind.objects.get(code="bodycam"), serial="DSJ-1", org=tree.squad_a1, actor=head_user
    )
    services.joint_create(
        org=tree.squad_a1,
        on=today,
        kind="cross",
        lead_agency="县局",
        site="G324",
        staff=4,
        actor=officer_user,
        partner_outcomes=[{"agency": "交警", "points": 6}],
    )
    plan = services.plan_save(
        org=tree.bureau_a,
        name="道路运输突发事件应急预案",
        version="2026 版",
        approved_on=date(2026, 1, 5),
        review_due=today + timedelta(days=10),
        actor=head_user,
    )
    services.drill_add(plan=plan, on=today, participants=30, findings="通讯不畅", actor=head_user)
    services.standby_add(org=tree.bureau_a, kind="hazmat", name="危化品应急车队", count=6, actor=head_user)
    services.duty_add(org=tree.bureau_a, on=today, officer=crew.o2, actor=head_user)
    risk = services.risk_create(
        org=tree.bureau_a,
        title="穿村过镇路段整治",
        deadline=today - timedelta(days=3),
        lat="23.2",
        lng="111.5",
        actor=head_user,
    )
    return {"course": course, "exam": exam, "sitting": s, "cam": cam, "risk": risk}


def test_every_page_answers_in_chinese_words(filled, officer_user, head_user):
    pages = [
        "/people/",
        "/people/training/",
        f"/people/training/{filled['course'].pk}/",
        "/people/training/hours/",
        "/people/exams/",
        "/people/exams/questions/",
        f"/people/exams/{filled['exam'].pk}/",
        f"/people/exams/sitting/{filled['sitting'].pk}/",
        "/people/joint/",
        "/people/joint/new/",
        "/people/equipment/",
        f"/people/equipment/{filled['cam'].pk}/",
        "/people/emergency/",
        "/people/risks/",
        f"/people/risks/{filled['risk'].pk}/",
        "/people/indicators/",
        "/people/pufa/",
    ]
    for username in ("officer_a", "head_a"):
        c = Client()
        assert c.login(username=username, password=PASSWORD)
        for url in pages:
            r = c.get(url)
            assert r.status_code == 200, (username, url, r.status_code)
            _links, text = parse_page(r.content.decode())
            hits = [h for h in internal_codes(text) if h[1] != username]  # the test account's login name
            assert not hits, (url, hits)
    c = Client()
    c.login(username="head_a", password=PASSWORD)
    assert "超期" in c.get("/people/risks/").content.decode()
    for url in ("/people/indicators/?export=xlsx", "/people/training/hours/?export=xlsx"):
        r = c.get(url)
        assert r["Content-Type"].startswith("application/vnd.openxmlformats"), url


def test_another_county_gets_404_and_admins_are_refused(filled, officer_b, sysadmin):
    c = Client()
    c.login(username="officer_b", password=PASSWORD)
    assert c.get(f"/people/risks/{filled['risk'].pk}/").status_code == 404
    assert c.get(f"/people/equipment/{filled['cam'].pk}/").status_code == 404
    assert c.get(f"/people/exams/sitting/{filled['sitting'].pk}/").status_code == 404
    c = Client()
    c.login(username="sysadmin_a", password=PASSWORD)
    assert c.get("/people/").status_code in (302, 403)


def test_sign_in_sheet_import_reports_bad_rows_and_keeps_good_ones(filled, tree, crew, head_user, tmp_path):
    sheet = tmp_path / "签到表.csv"
    sheet.write_text(
        "课程名称,培训日期,姓名,学时\n"
        "行政处罚法专题,2026-03-02,李执法,\n"  # good: the course's 8 hours
        "行政处罚法专题,2026-03-02,王执法,6\n"  # good: 6 hours
        "行政处罚法专题,2026-03-02,查无此人,\n"  # unknown officer
        "没有的课,2026-03-02,王执法,\n"  # unknown course
        "行政处罚法专题,2026-13-02,王执法,\n"  # bad date
        "行政处罚法专题,2026-03-02,张执法,9\n",
        encoding="utf-8",
    )  # more than the course
    job = run_import("training_signin", sheet, actor=head_user, org=tree.bureau_a)
    assert job.created == 2
    rows = {
        line: reason
        for line, reason in (
            (e[0], e[1]) if isinstance(e, list | tuple) else (e["row"], e["reason"]) for e in job.errors
        )
    }
    assert set(rows) == {4, 5, 6, 7}, job.errors
    assert (
        "查无此人" in rows[4]
        and "没有的课" in rows[5]
        and "不是有效日期" in rows[6]
        and "超过课程学时" in rows[7]
    )
    assert Attendance.objects.get(officer=crew.o2).hours == 8
    again = run_import("training_signin", sheet, actor=head_user, org=tree.bureau_a)
    assert again.created == 0 and again.unchanged == 2


def test_daily_reminders_of_plan_reviews_and_overdue_risks(
    filled, head_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(on=today)
    titles = list(Notification.objects.filter(user=head_user).values_list("title", flat=True))
    assert any("应急预案" in t and "即将到期" in t for t in titles)
    assert any("穿村过镇路段整治" in t and "已超期" in t for t in titles)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(on=today)  # idempotent per deadline
    assert Notification.objects.filter(user=head_user).count() == len(titles)


def test_overdue_risk_tasks_are_on_the_heads_workbench(filled, head_user, officer_user):
    from zhifa.reports.selectors import nav_counts, todo_groups

    group = next(g for g in todo_groups(head_user) if g.key == "risks_overdue")
    assert group.count == 1 and group.items[0].link == f"/people/risks/{filled['risk'].pk}/"
    assert nav_counts(head_user).get("/people/") == 1
    assert all(g.key != "risks_overdue" for g in todo_groups(officer_user))
    c = Client()
    c.login(username="head_a", password=PASSWORD)
    assert "超期风险任务" in c.get("/").content.decode()
    services.risk_progress(
        task=filled["risk"], on=timezone.localdate(), note="整改完成", status="done", actor=head_user
    )
    assert all(g.key != "risks_overdue" for g in todo_groups(head_user))
    assert "超期风险任务" not in c.get("/").content.decode()


def test_sign_in_sheet_from_the_command_line(filled, tmp_path, capsys):
    from zhifa.cli import main

    sheet = tmp_path / "签到.csv"
    sheet.write_text(
        "课程名称,培训日期,姓名\n行政处罚法专题,2026-03-02,王执法\n行政处罚法专题,2026-03-02,无名氏\n",
        encoding="utf-8",
    )
    assert (
        main(["import", "training_signin", str(sheet), "--org", "郁南县交通运输局"]) == 1
    )  # a row was refused
    out = capsys.readouterr().out
    assert "新增 1" in out and "第 3 行" in out and "无名氏" in out


def test_api_indicators_and_monthly_joint_totals(filled, head_user, sysadmin):
    c = Client()
    c.login(username="head_a", password=PASSWORD)
    today = timezone.localdate()
    r = c.get(f"/api/v1/people/indicators?start={today.year}-01-01&end={today}")
    assert r.status_code == 200
    values = {v["id"]: v for v in r.json()}
    assert values["people.joint_staff"]["value"] == 4 and values["people.drills"]["value"] == 1
    months = c.get(f"/api/v1/people/joint-operations/monthly?year={today.year}").json()
    month = next(m for m in months if m["month"] == f"{today:%Y-%m}")
    assert (month["staff"], month["partner_points"]) == (4, 6)
    c = Client()
    c.login(username="sysadmin_a", password=PASSWORD)
    assert c.get(f"/api/v1/people/indicators?start={today.year}-01-01&end={today}").status_code == 403


def test_duty_roster_form_and_its_errors(filled, crew, head_user):
    from zhifa.people.models import Duty

    c = Client()
    c.login(username="head_a", password=PASSWORD)
    day = timezone.localdate() + timedelta(days=3)
    r = c.post(
        "/people/emergency/",
        {"act": "duty", "on": day.isoformat(), "officer": crew.o3.pk, "leader": "1"},
        follow=True,
    )
    assert "已登记值班" in r.content.decode()
    assert Duty.objects.filter(on=day, officer=crew.o3, leader=True).exists()
    r = c.post("/people/emergency/", {"act": "duty", "on": "2026-02-30", "officer": crew.o3.pk}, follow=True)
    assert "值班日期“2026-02-30”不是有效日期" in r.content.decode()
