"""执法办案 lists exported (导出 Excel / CSV): cases, 期限看板, 案源 — the page's filter and scope, Chinese
headers and labels, money in yuan, formula injection escaped in the CSV."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import load_workbook

from tests.cases.conftest import new_case, step
from zhifa.cases import selectors
from zhifa.cases.services import case_source_create
from zhifa.core.models import AuditRecord


def _sheet(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    ws = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


def test_case_export_applies_the_filter(client, kit):
    c = new_case(kit, party_name="郁南县甲运输有限公司")
    type(c).objects.filter(pk=c.pk).update(fine_fen=150050)  # shown in yuan
    new_case(kit, party_name="郁南县乙物流有限公司")
    client.force_login(kit.officer_user)
    page = client.get("/cases/", {"q": "甲运输"}).content.decode()
    assert "q=%E7%94%B2%E8%BF%90%E8%BE%93&amp;export=xlsx" in page
    rows = _sheet(client.get("/cases/", {"q": "甲运输", "export": "xlsx"}))
    assert rows[0] == ["案号", "当事人", "违法行为", "程序", "状态", "罚款（元）", "拟罚款（元）", "办案期限", "承办单位"]
    assert [r[1] for r in rows[1:]] == ["郁南县甲运输有限公司"]
    assert not rows[1][3].isascii() and not rows[1][4].isascii()  # labels, not codes
    assert rows[1][5] == 1500.5
    rec = AuditRecord.objects.filter(action="list.export").latest("seq")
    assert rec.detail["list"] == "案件" and rec.detail["rows"] == 1 and rec.target_type == "cases.case"


def test_case_export_never_widens_scope(client, kit, officer_b):
    new_case(kit, party_name="郁南县甲运输有限公司")
    client.force_login(officer_b)
    rows = _sheet(client.get("/cases/", {"export": "xlsx"}))
    assert rows[1:] == []
    body = client.get("/cases/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "甲运输" not in body


def test_deadline_export_is_the_board(client, kit, officer_b):
    step(kit, new_case(kit, party_name="郁南县甲运输有限公司"), "register", kit.head)  # 立案 starts the clocks
    board = selectors.deadline_board(kit.officer_user, today=timezone.localdate())
    expected = len(board["overdue"]) + len(board["soon"])
    assert expected >= 1
    client.force_login(kit.officer_user)
    assert "export=xlsx" in client.get("/cases/deadlines/").content.decode()
    rows = _sheet(client.get("/cases/deadlines/", {"export": "xlsx"}))
    assert rows[0] == ["类别", "案号", "当事人", "期限", "届满日", "依据", "承办单位"]
    assert len(rows) - 1 == expected
    assert {r[2] for r in rows[1:]} == {"郁南县甲运输有限公司"}
    client.force_login(officer_b)
    assert _sheet(client.get("/cases/deadlines/", {"export": "xlsx"}))[1:] == []


def test_source_export_filter_and_csv_escaping(client, kit):
    org = kit.tree.squad_a1
    s1, _ = case_source_create(origin="complaint", org=org, facts='=HYPERLINK("http://x","点击")',
                               subject_name="@某人", external_ref="T1", actor=None)
    s2, _ = case_source_create(origin="complaint", org=org, facts="普通线索", subject_name="某公司",
                               external_ref="T2", actor=None)
    s2.status = "closed"
    s2.save(update_fields=["status"])
    client.force_login(kit.officer_user)
    r = client.get("/cases/sources/", {"status": "pending", "export": "csv"})
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["来源", "来源编号", "当事人/对象", "线索内容", "处理期限"]
    assert [row[1] for row in rows[1:]] == ["T1"]
    assert rows[1][2] == "'@某人" and rows[1][3] == '\'=HYPERLINK("http://x","点击")'
    rows = _sheet(client.get("/cases/sources/", {"status": "closed", "export": "xlsx"}))
    assert [r[1] for r in rows[1:]] == ["T2"]
