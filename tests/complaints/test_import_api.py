"""12345 exports imported (row errors with numbers, the same file twice changes nothing, a city's own column
names) and the platform's REST exchange (token auth, idempotent push, moves, replies back)."""

from __future__ import annotations

import csv
import json

import pytest

from zhifa.complaints.models import OrderEvent, WorkOrder
from zhifa.core.imports import run_import

pytestmark = pytest.mark.django_db

HEADER = ["工单编号", "受理时间", "诉求类型", "诉求标题", "诉求内容", "来电人", "联系电话", "被反映对象", "事发地点"]
ROWS = [
    ["GD12345-0001", "2026-03-02 09:15", "投诉", "出租车绕路", "乘客反映出租车绕路多收费", "李四", "13800001111", "粤W T1234", "郁南县城"],
    ["GD12345-0002", "2026-03-02 10:00", "咨询", "道路运输证年审", "咨询道路运输证年审材料", "", "", "", ""],
    ["GD12345-0003", "2026/03/03 11:20", "举报", "黑车", "汽车站黑车拉客", "王五", "13900002222", "", "郁南汽车站"],
    ["GD12345-0004", "明天", "投诉", "坏行", "时间不对", "", "", "", ""],
    ["GD12345-0005", "2026-03-04 08:00", "夸夸", "坏行", "类型不对", "", "", "", ""],
    ["GD12345-0001", "2026-03-02 09:15", "投诉", "重复", "同一文件中重复的工单", "", "", "", ""],
]


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_import_reports_rows_and_is_idempotent(tree, tmp_path):
    path = _write(tmp_path / "12345.csv", HEADER, ROWS)
    job = run_import("complaints_12345", path, actor=None, org=tree.bureau_a)
    assert (job.created, job.failed) == (3, 3), job.errors
    errors = {e["row"]: e["reason"] for e in job.errors}
    assert "不是有效时间" in errors[5] and "诉求类型“夸夸”无法识别" in errors[6] and "与第 2 行工单编号重复" in errors[7]
    o = WorkOrder.objects.get(external_no="GD12345-0001")
    assert o.channel == "12345" and o.track == "h12345" and o.category == "complaint" and o.due is not None
    assert "李四" not in repr(WorkOrder.objects.values().get(pk=o.pk)) and o.name_masked == "李*"
    assert WorkOrder.objects.get(external_no="GD12345-0002").anonymous
    assert OrderEvent.objects.filter(action="receive").count() == 3
    again = run_import("complaints_12345", path, actor=None, org=tree.bureau_a)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert WorkOrder.objects.count() == 3


def test_city_column_names_are_configurable(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_COMPLAINT_12345_COLUMNS", json.dumps({"external_no": "市热线单号", "content": "市民诉求"}))
    path = _write(tmp_path / "city.csv", ["市热线单号", "受理时间", "市民诉求"], [["YF-1", "2026-03-02 09:00", "公交车不按站停靠"]])
    job = run_import("complaints_12345", path, actor=None, org=tree.bureau_a)
    assert job.created == 1 and WorkOrder.objects.get().external_no == "YF-1"


def test_api_push_act_and_replies(client, tree, officer_user):
    from zhifa.accounts.services import api_token_create

    raw = api_token_create(user=officer_user, name="12345平台", actor=officer_user)[1]
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {"channel": "12345", "external_no": "API-1", "category": "complaint", "content": "货车夜间噪音扰民",
            "received_on": "2026-03-02", "name": "赵六", "phone": "13700003333"}
    r = client.post("/api/v1/complaints/orders", json.dumps(body), content_type="application/json", **h)
    assert r.status_code == 201 and r.json()["complainant"] == "赵*" and "13700003333" not in r.content.decode()
    r2 = client.post("/api/v1/complaints/orders", json.dumps(body), content_type="application/json", **h)
    assert r2.status_code == 200 and r2.json()["id"] == r.json()["id"]
    for action, data in (("accept", {}), ("reply", {"reply_text": "已约谈企业整改"})):
        r = client.post("/api/v1/complaints/orders/API-1/actions", json.dumps({"action": action, "data": data}),
                        content_type="application/json", **h)
        assert r.status_code == 200, r.content
    r = client.post("/api/v1/complaints/orders/API-1/actions", json.dumps({"action": "close"}),
                    content_type="application/json", **h)
    assert r.status_code == 409 and r.json()["code"] == "complaints.no_revisit"
    rows = client.get("/api/v1/complaints/replies", **h).json()
    expected = {"工单编号": "API-1", "诉求内容": "货车夜间噪音扰民", "诉求类型": "投诉", "办理状态": "已答复",
                "办理单位": "郁南县交通运输局", "办理结果": "已约谈企业整改", "办结时间": "", "满意度": ""}
    assert len(rows) == 1 and {k: rows[0][k] for k in expected} == expected
    assert rows[0]["答复时间"] and "赵六" not in repr(rows) and "13700003333" not in repr(rows)
    assert client.get("/api/v1/complaints/orders/API-1").status_code == 401


def test_api_other_county_404(client, tree, officer_b):
    from zhifa.accounts.services import api_token_create

    from .conftest import new_order

    o = new_order(tree)
    raw = api_token_create(user=officer_b, name="t", actor=officer_b)[1]
    r = client.get(f"/api/v1/complaints/orders/{o.number}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 404
