"""Replies and results back to the city platform in its own shape (issue 18 item 4): the list page's button
(XLSX/CSV, date range and channel, scoped), the CLI and the API; the export imported into an empty install
gives the same orders."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from zhifa.cli import main as zhifa
from zhifa.complaints.models import OrderEvent, WorkOrder
from zhifa.complaints.services import order_transition
from zhifa.core.imports import run_import

from .test_import_api import HEADER, ROWS, _write

pytestmark = pytest.mark.django_db

COMPARED = ("external_no", "channel", "category", "urgency", "title", "content", "subject_text", "place",
            "received_on", "received_at", "occurred_at", "due")


def _snapshot():
    return {o["external_no"]: o for o in WorkOrder.objects.values(*COMPARED)}


def _imported(tree, tmp_path, officer_user):
    job = run_import("complaints_12345", _write(tmp_path / "in.csv", HEADER, ROWS), actor=None, org=tree.bureau_a)
    assert job.created == 3
    o = WorkOrder.objects.get(external_no="GD12345-0001")
    order_transition(order=o, action="accept", actor=officer_user, on=date(2026, 3, 3))
    order_transition(order=o, action="reply", actor=officer_user, data={"reply_text": "已责令出租车公司退还多收费用"},
                     on=date(2026, 3, 5))
    return o


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_install_matches(tree, tmp_path, officer_user, monkeypatch, fmt):
    monkeypatch.setenv("ZHIFA_COMPLAINT_12345_COLUMNS", json.dumps({"external_no": "市热线单号", "result": "处理意见"}))
    _imported(tree, tmp_path, officer_user)
    before = _snapshot()
    out = tmp_path / f"back.{fmt}"
    assert zhifa(["complaints", "export", str(out), "--from", "2026-03-01", "--to", "2026-03-31"]) == 0
    if fmt == "xlsx":
        table = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]
    else:
        table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    header, rows = table[0], table[1:]
    assert header[0] == "市热线单号" and "处理意见" in header and "办理状态" in header and "来电人" not in header
    by_no = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_no["GD12345-0001"]["处理意见"] == "已责令出租车公司退还多收费用"
    assert by_no["GD12345-0001"]["办理状态"] == "已答复" and by_no["GD12345-0001"]["答复时间"] == "2026-03-05"
    assert "李四" not in repr(table) and "13800001111" not in repr(table)
    # an empty install: no orders, no timeline
    OrderEvent.objects.all().delete()
    WorkOrder.objects.all().delete()
    job = run_import("complaints_12345", out, actor=None, org=tree.bureau_a)
    assert (job.created, job.failed) == (3, 0), job.errors
    assert _snapshot() == before


def test_list_page_export_filters_and_scope(client, tree, tmp_path, officer_user, officer_b):
    from .conftest import new_order

    _imported(tree, tmp_path, officer_user)
    new_order(tree, channel="letter", title="来信")
    client.force_login(officer_user)
    assert "导出至热线平台" in client.get("/complaints/").content.decode()
    resp = client.get("/complaints/platform-export/", {"channel": "12345", "by": "replied", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["GD12345-0001"]
    resp = client.get("/complaints/platform-export/", {"channel": "12345", "from": "2026-03-03", "format": "csv"})
    got = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert resp["Content-Type"].startswith("text/csv") and [r[0] for r in got[1:]] == ["GD12345-0003"]
    client.force_login(officer_b)
    resp = client.get("/complaints/platform-export/", {"channel": "", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))) == 1  # header only
