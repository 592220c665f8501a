"""Officer pages of 投诉举报: list with filters and export, new order, order page with its moves, 转为案源
with the case's outcome flowing back, the workbench's to-dos, hand-off notifications, indicators."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from zhifa.complaints.models import WorkOrder
from zhifa.complaints.services import order_transition
from zhifa.notifications.models import Notification

from .conftest import IDCARD, NAME, PHONE, new_order

pytestmark = pytest.mark.django_db


def test_list_filters_and_export_masked(client, tree, officer_user):
    new_order(tree, channel="12345", category="complaint", external_no="GD-9", title="出租车拒载")
    new_order(tree, channel="letter", category="report", title="货车超载")
    client.force_login(officer_user)
    page = client.get("/complaints/", {"channel": "12345"}).content.decode()
    assert "出租车拒载" in page and "货车超载" not in page and "欧阳**" in page and NAME not in page
    resp = client.get("/complaints/", {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(resp.content)).active
    text = repr([c.value for row in ws.iter_rows() for c in row])
    assert "货车超载" in text and NAME not in text and PHONE not in text


def test_other_county_gets_404(client, tree, officer_b):
    o = new_order(tree)
    client.force_login(officer_b)
    assert client.get(f"/complaints/{o.pk}/").status_code == 404
    assert client.get("/complaints/").content.decode().count(o.number) == 0


def test_new_order_form_and_duplicate_offer(client, tree, officer_user):
    client.force_login(officer_user)
    data = {"channel": "phone", "category": "complaint", "received_on": "2026-03-02", "title": "客车超员",
            "content": "郁南至广州班车超员", "name": NAME, "phone": PHONE, "idcard": IDCARD,
            "lat": "23.234000", "lng": "111.535000", "place": "郁南汽车站", "urgency": "normal"}
    resp = client.post("/complaints/new/", data)
    assert resp.status_code == 302
    o = WorkOrder.objects.get()
    assert o.title == "客车超员" and o.received_org == tree.bureau_a
    # a second report 100 m away, same category, same week: offered for 并单 first
    page = client.post("/complaints/new/", {**data, "lat": "23.234900"}).content.decode()
    assert "附近可能是同一事项的工单" in page and o.number in page and WorkOrder.objects.count() == 1
    assert client.post("/complaints/new/", {**data, "lat": "23.234900", "confirm": "1"}).status_code == 302
    assert WorkOrder.objects.count() == 2


def test_detail_moves_and_handler_reveal(client, tree, officer_user, head_user):
    o = new_order(tree)
    client.force_login(officer_user)
    client.post(f"/complaints/{o.pk}/act/", {"action": "accept", "on": "2026-03-03"})
    o.refresh_from_db()
    assert o.state == "accepted" and o.handler == officer_user and o.due == date(2026, 5, 6)
    page = client.get(f"/complaints/{o.pk}/").content.decode()
    assert NAME not in page and "显示完整信息" in page and "第三十四条" in page
    page = client.post(f"/complaints/{o.pk}/", {"reveal": "1"}).content.decode()
    assert NAME in page and IDCARD in page
    client.force_login(head_user)  # not the handler: masked, no button
    page = client.get(f"/complaints/{o.pk}/").content.decode()
    assert NAME not in page and "显示完整信息" not in page
    resp = client.post(f"/complaints/{o.pk}/act/", {"action": "close"}, follow=True)
    assert "未答复诉求人不得办结" in resp.content.decode()


def test_to_case_and_outcome_flow_back(client, tree, officer_user, head_user):
    from zhifa.cases.services import case_source_close

    o = new_order(tree)
    client.force_login(officer_user)
    client.post(f"/complaints/{o.pk}/to-case/")
    o.refresh_from_db()
    src = o.case_source
    assert src is not None and src.origin == "complaint" and src.external_ref == o.number
    assert NAME not in repr(src.__dict__)
    case_source_close(source=src, reason="现场核查未发现违法行为", actor=head_user)
    o.refresh_from_db()
    assert o.case_outcome == "not_registered" and "现场核查未发现违法行为" in o.reply_draft
    assert NAME not in o.reply_draft and PHONE not in o.reply_draft
    resp = client.get(f"/complaints/{o.pk}/reply.docx")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_workbench_and_notifications(client, tree, officer_user, head_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        o = new_order(tree, actor=officer_user)
    client.force_login(head_user)
    assert "待受理投诉举报" in client.get("/").content.decode()
    assert Notification.objects.filter(user=head_user, kind="complaint.new").exists()
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=o, action="dispatch", actor=head_user, data={"org_id": tree.squad_a1.pk})
    assert Notification.objects.filter(user=officer_user, kind="complaint.dispatch").exists()
    order_transition(order=o, action="handle", actor=officer_user)
    client.force_login(officer_user)
    assert "我承办的投诉举报" in client.get("/").content.decode()


def test_daily_reminder_once_per_deadline(tree, officer_user, django_capture_on_commit_callbacks):
    from zhifa.complaints.daily import remind

    o = new_order(tree, channel="12345", category="consult", external_no="R-1", received_on=date(2026, 3, 2))
    order_transition(order=o, action="accept", actor=officer_user, on=date(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(on=date(2026, 3, 3)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2026, 3, 3))
    assert Notification.objects.filter(user=officer_user, kind="complaint.deadline").count() == 1


def test_indicators_page_drill_and_export(client, tree, officer_user):
    a = new_order(tree, channel="12345", category="complaint", external_no="I-1", received_on=date(2026, 3, 2))
    new_order(tree, channel="letter", category="report", received_on=date(2026, 3, 5))
    for act, data in (("accept", {}), ("reply", {"reply_text": "已处理"}), ("revisit", {"satisfaction": "satisfied"}),
                      ("close", {})):
        a = order_transition(order=a, action=act, actor=officer_user, data=data, on=date(2026, 3, 6))
    client.force_login(officer_user)
    page = client.get("/complaints/indicators/", {"start": "2026-01-01", "end": "2026-12-31", "by": "channel"})
    text = page.content.decode()
    assert "办结率" in text and "按期办结率" in text and "12345政务服务便民热线" in text
    drill = client.get("/complaints/indicators/drill/", {"id": "complaints.close_rate", "start": "2026-01-01",
                                                        "end": "2026-12-31", "by": "channel", "key": "12345"})
    assert a.number in drill.content.decode()
    x = client.get("/complaints/indicators/", {"start": "2026-01-01", "end": "2026-12-31", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][1] == "受理量（件）" and rows[1][1] == 2 and rows[1][2] == 50.0
