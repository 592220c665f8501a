"""The public's side: the complaint form with its offline captcha and per-address limit, nearby reports
offered first, the tracking number, and a status page with the stages and the reply only."""

from __future__ import annotations

import pytest

from zhifa.complaints import captcha
from zhifa.complaints.models import WorkOrder
from zhifa.complaints.services import order_transition

pytestmark = pytest.mark.django_db

NAME, PHONE = "司马相如", "13911112222"


def _answer(client) -> str:
    svg = client.get("/public/complaints/captcha.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    return str(client.session[captcha.SESSION_KEY]["answer"])


def _post(client, tree, **kw):
    data = {"org": tree.bureau_a.pk, "category": "report", "title": "黑车拉客", "content": "汽车站门口有黑车拉客",
            "place": "郁南汽车站", "lat": "23.234", "lng": "111.535", "name": NAME, "phone": PHONE,
            "captcha": _answer(client), **kw}
    return client.post("/public/complaints/", data)


def test_file_track_and_see_only_stages_and_reply(client, tree, officer_user):
    page = _post(client, tree).content.decode()
    o = WorkOrder.objects.get()
    assert o.channel == "portal" and o.number in page and o.tracking_code in page
    assert o.name_masked == "司马**"
    order_transition(order=o, action="accept", actor=officer_user)
    order_transition(order=o, action="reply", actor=officer_user, data={"reply_text": "已责令客运站加强管理并开展联合整治"})
    status = client.get("/public/complaints/status/", {"number": o.number, "code": o.tracking_code}).content.decode()
    assert "已受理" in status and "已责令客运站加强管理" in status
    for secret in (NAME, PHONE, o.name_masked, o.phone_masked, "officer_a"):
        assert secret not in status
    wrong = client.get("/public/complaints/status/", {"number": o.number, "code": "AAAAAAAAAA"}).content.decode()
    assert "不正确" in wrong and "已责令" not in wrong


def test_wrong_or_reused_captcha_is_refused(client, tree):
    assert "验证码不正确" in _post(client, tree, captcha="999").content.decode()
    client.get("/public/complaints/captcha.svg")
    answer = str(client.session[captcha.SESSION_KEY]["answer"])
    client.post("/public/complaints/", {"org": tree.bureau_a.pk, "category": "report", "content": "一", "captcha": answer})
    again = client.post("/public/complaints/", {"org": tree.bureau_a.pk, "category": "report", "content": "二",
                                                "captcha": answer})
    assert "验证码不正确" in again.content.decode() and WorkOrder.objects.count() == 1


def test_rate_limit_per_address(client, tree, monkeypatch):
    monkeypatch.setenv("ZHIFA_COMPLAINT_PORTAL_PER_HOUR", "2")
    for i in range(2):
        _post(client, tree, content=f"第{i}件", lat="", lng="", place=f"地点{i}")
    page = _post(client, tree, content="第三件", lat="", lng="", place="地点9").content.decode()
    assert "提交过于频繁" in page and WorkOrder.objects.count() == 2


def test_nearby_report_is_offered_first(client, tree):
    _post(client, tree)
    page = _post(client, tree, lat="23.2345", name="王五", phone="13700001111").content.decode()
    assert "附近已有相同类别的反映" in page and "黑车拉客" in page and WorkOrder.objects.count() == 1
    assert NAME not in page and PHONE not in page  # the earlier complainant is never shown
    _post(client, tree, lat="23.2345", confirm="1")
    assert WorkOrder.objects.count() == 2
