"""审计日志 pages (审计管理员 only) and, at the end, the 工作日历 page.

Permission rules tested here:
* /audit/…: the 审计管理员 only; every other role, the 系统管理员 and 安全管理员 included, gets 403;
* every search (audit.query), record view (audit.view), export (audit.export) and chain check
  (audit.verify) by the audit admin is itself in the log;
* /calendar/: every signed-in user; the schedule import: 系统管理员 only.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhifa.core import calendar as cal
from zhifa.core.audit import audit_record
from zhifa.core.models import AuditRecord


def _text(r) -> str:
    return r.content.decode()


@pytest.fixture
def events(officer_user, head_user):
    audit_record(
        action="registry.vehicles.save",
        actor=head_user,
        target_type="registry.vehicles",
        target_repr="粤W12345",
    )
    audit_record(
        action="auth.login", actor=officer_user, target=officer_user, success=False, reason="密码错误"
    )
    audit_record(action="auth.login", actor=officer_user, target=officer_user)


def test_audit_list_search_is_itself_audited(client, auditadmin, events):
    client.force_login(auditadmin)
    r = client.get("/audit/")
    assert r.status_code == 200
    page = _text(r)
    assert "registry.vehicles.save" in page and "粤W12345" in page and "校验审计链" in page
    q = AuditRecord.objects.filter(action="audit.query", actor_id=auditadmin.pk)
    assert q.count() == 1
    r = client.get("/audit/", {"action": "auth.login", "success": "0"})
    page = _text(r)
    assert "密码错误" in page and "粤W12345" not in page and "共 1 条" in page
    last = q.order_by("-seq").first()
    assert q.count() == 2 and last.detail == {"action": "auth.login", "success": False}
    # the audit admin's own actions appear in the log
    page = _text(client.get("/audit/", {"actor": "auditadmin_a"}))
    assert "audit.query" in page and "共 3 条" in page  # two earlier searches + this one


def test_audit_filters(client, auditadmin, events, head_user):
    client.force_login(auditadmin)
    page = _text(client.get("/audit/", {"target": "粤W12345"}))
    assert "共 1 条" in page and "registry.vehicles.save" in page
    page = _text(client.get("/audit/", {"actor": "head_a", "action": "registry"}))
    assert "共 1 条" in page
    now = timezone.localtime()
    page = _text(
        client.get(
            "/audit/",
            {
                "start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "end": now.strftime("%Y-%m-%d"),
                "action": "auth.login",
            },
        )
    )
    assert "共 2 条" in page
    tomorrow = (now + timedelta(days=1)).strftime("%Y-%m-%d")
    assert "共 0 条" in _text(client.get("/audit/", {"start": tomorrow, "action": "auth.login"}))
    r = client.get("/audit/", {"start": "昨天"})
    assert r.status_code == 422 and "开始时间“昨天”格式不正确" in _text(r)


def test_audit_pagination(client, auditadmin, officer_user):
    for i in range(60):
        audit_record(action="test.bulk", actor=officer_user, target_repr=f"对象{i}")
    client.force_login(auditadmin)
    page = _text(client.get("/audit/", {"action": "test.bulk"}))
    assert "共 60 条，第 1 / 2 页" in page and "action=test.bulk&page=2" in page
    page = _text(client.get("/audit/", {"action": "test.bulk", "page": "2"}))
    assert "第 2 / 2 页" in page and "对象0<" in page


def test_audit_detail(client, auditadmin, events):
    client.force_login(auditadmin)
    rec = AuditRecord.objects.get(action="registry.vehicles.save")
    page = _text(client.get(f"/audit/{rec.seq}/"))
    assert rec.hash in page and rec.prev_hash in page and "粤W12345" in page
    assert AuditRecord.objects.filter(action="audit.view", target_id=str(rec.seq)).exists()
    assert client.get("/audit/999999/").status_code == 404


def test_audit_export_csv_is_audited(client, auditadmin, events):
    client.force_login(auditadmin)
    r = client.get("/audit/export.csv", {"action": "auth.login"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    body = b"".join(r.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["序号", "时间", "操作人"] and len(rows) == 3
    assert {row[6] for row in rows[1:]} == {"auth.login"}
    assert {row[10] for row in rows[1:]} == {"成功", "失败"}
    exp = AuditRecord.objects.get(action="audit.export")
    assert exp.actor_id == auditadmin.pk and exp.detail["rows"] == 2 and exp.detail["action"] == "auth.login"


def test_audit_export_neutralises_formulas(client, auditadmin, officer_user):
    audit_record(action="test.formula", actor=officer_user, target_repr='=HYPERLINK("http://x")')
    client.force_login(auditadmin)
    body = b"".join(client.get("/audit/export.csv", {"action": "test.formula"}).streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_verify_chain_button(client, auditadmin, events):
    client.force_login(auditadmin)
    r = client.post("/audit/verify/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "审计链完整" in _text(r) and "<html" not in _text(r)
    v = AuditRecord.objects.get(action="audit.verify")
    assert v.success and v.actor_id == auditadmin.pk and v.detail["checked"] >= 3
    # without htmx: redirect back to the list, which shows the result once
    r = client.post("/audit/verify/")
    assert r.status_code == 302
    assert "审计链完整" in _text(client.get("/audit/"))
    assert client.get("/audit/verify/").status_code == 405


@pytest.mark.parametrize("who", ["officer_user", "head_user", "reviewer_user", "sysadmin", "secadmin"])
def test_audit_pages_forbidden_to_everyone_else(client, request, who, events):
    client.force_login(request.getfixturevalue(who))
    before = AuditRecord.objects.count()
    for url in ("/audit/", "/audit/export.csv", "/audit/1/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/audit/verify/").status_code == 403
    assert not AuditRecord.objects.filter(action__startswith="audit.").exists()
    assert AuditRecord.objects.count() == before


def test_audit_requires_login(client, db):
    r = client.get("/audit/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


# --- 工作日历 ------------------------------------------------------------------------------------------
# (the calendar page, console.views_calendar)


@pytest.fixture
def fresh_calendar():
    cal.invalidate_cache()
    yield
    cal.invalidate_cache()


def test_calendar_year_view(client, officer_user, fresh_calendar):
    client.force_login(officer_user)
    page = _text(client.get("/calendar/", {"year": "2026"}))
    assert "2026年节假日与调休上班日" in page and "官方" in page
    assert "国庆节" in page and "2026-10-01" in page and "调休上班" in page and "2026-09-20" in page
    page = _text(client.get("/calendar/", {"year": "2031"}))
    assert "暂定" in page and "2031-10-01" in page
    page = _text(client.get("/calendar/", {"year": "2001"}))
    assert "不在法定节假日推算范围内" in page


def test_calendar_deadline_calculator(client, sysadmin, fresh_calendar):
    client.force_login(sysadmin)  # every signed-in user, the administrators included
    page = _text(client.get("/calendar/", {"start": "2026-09-30", "n": "3", "kind": "workdays"}))
    # 10/1-10/7 National Day, 10/8 Thu, 10/9 Fri, 10/10 Sat make-up workday
    assert "2026年10月10日（周六）" in page and "跳过国庆节假期" in page and "调休上班日" in page
    page = _text(client.get("/calendar/", {"start": "2026-09-27", "n": "5", "kind": "days"}))
    assert "2026年10月8日（周四）" in page and "民法典第二百零三条" in page
    page = _text(client.get("/calendar/", {"start": "2026-09-27", "n": "-1"}))
    assert "期间天数应为 0 到" in page
    page = _text(client.get("/calendar/", {"start": "9/27", "n": "5"}))
    assert "起算日“9/27”不是有效日期" in page


def _schedule_csv(year: int, extra: str = "") -> bytes:
    lines = ["日期,类型,名称"] + [f"{d.isoformat()},放假,{name}" for d, name in cal.statutory_holidays(year)]
    return ("\n".join(lines) + "\n" + extra).encode("utf-8")


def test_calendar_import_by_sysadmin(client, top_sysadmin, fresh_calendar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(top_sysadmin)
    assert "导入年度放假安排" in _text(client.get("/calendar/"))
    # a bad row (a make-up working day on a weekday, line 15): nothing is imported, the row is named
    bad = SimpleUploadedFile("2030.csv", _schedule_csv(2030, "2030-03-05,上班,春节\n"))
    r = client.post("/calendar/import/", {"year": "2030", "document": "国办发明电〔2029〕1号", "file": bad})
    assert r.status_code == 422
    page = _text(r)
    assert "<td>15</td>" in page and "无需录入为调休上班日" in page
    assert cal.year_status(2030) == cal.STATUS_PROVISIONAL
    good = SimpleUploadedFile("2030.csv", _schedule_csv(2030, "2030-02-09,上班,春节\n"))
    r = client.post("/calendar/import/", {"year": "2030", "document": "国办发明电〔2029〕1号", "file": good})
    assert r.status_code == 302 and r["Location"] == "/calendar/?year=2030"
    page = _text(client.get(r["Location"]))
    assert "已录入2030年放假安排（国办发明电〔2029〕1号）" in page and "2030-02-09" in page
    r = client.post("/calendar/import/", {"year": "2030", "document": ""})
    assert "请选择要导入的 CSV 文件" in _text(r)


@pytest.mark.parametrize("who", ["officer_user", "head_user", "secadmin", "auditadmin"])
def test_calendar_import_is_sysadmin_only(client, request, who, fresh_calendar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(request.getfixturevalue(who))
    page = _text(client.get("/calendar/"))
    assert "工作日历" in page and "导入年度放假安排" not in page
    r = client.post(
        "/calendar/import/",
        {"year": "2030", "document": "x", "file": SimpleUploadedFile("a.csv", _schedule_csv(2030))},
    )
    assert r.status_code == 403
    assert cal.year_status(2030) == cal.STATUS_PROVISIONAL


def test_calendar_requires_login(client, db):
    assert client.get("/calendar/").status_code == 302
    assert date.today().year in range(2004, 2100)
