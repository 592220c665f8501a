"""Scoping of 两客一危 monitoring (security audit of issue 7): a county cannot take over another county's
terminal, an API batch stores only the actor's own vehicles (the rest are row errors), and the 三员 are
refused (403) by every monitoring API, listings included — not shown an empty list."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.monitoring.helpers import local_ts
from tests.monitoring.test_services import _auth, fleet  # noqa: F401  (fixture)
from zhifa.core.errors import DomainError
from zhifa.monitoring import services
from zhifa.monitoring.models import Terminal
from zhifa.monitoring.store import Store

ADMINS = ("sysadmin", "secadmin", "auditadmin")


def test_terminal_bound_in_another_county_is_not_rebound(officer_user, tree, fleet):  # noqa: F811
    _, v1, v2, vb = fleet
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    services.terminal_bind(terminal_no="13800000009", vehicle=vb, actor=head_b, auth_code="B-AUTH")
    with pytest.raises(DomainError) as e:
        services.terminal_bind(terminal_no="013800000009", vehicle=v1, actor=officer_user)
    assert e.value.status == 409 and e.value.code == "monitoring.terminal_taken"
    assert "13800000009" in e.value.message
    for name in ("新兴", str(tree.bureau_b), "粤W20001"):  # neither the other unit nor its vehicle
        assert name not in e.value.message
    t = Terminal.objects.get(terminal_no="13800000009")
    assert (t.vehicle, t.org, t.auth_code) == (vb, tree.bureau_b, "B-AUTH")
    # within the county a terminal still moves from one vehicle to another
    services.terminal_bind(terminal_no="13800000001", vehicle=v1, actor=officer_user)
    assert services.terminal_bind(terminal_no="13800000001", vehicle=v2, actor=officer_user).vehicle == v2
    # the system (``zhifa monitor bind``, no actor) may move any terminal
    assert services.terminal_bind(terminal_no="13800000009", vehicle=v1, actor=None).vehicle == v1


def test_terminal_api_refuses_another_countys_terminal(client, officer_user, tree, fleet):  # noqa: F811
    _, v1, _, vb = fleet
    services.terminal_bind(terminal_no="13800000009", vehicle=vb, actor=None)
    r = client.post(
        "/api/v1/monitoring/terminals",
        data={"terminal_no": "13800000009", "vehicle_id": v1.pk},
        content_type="application/json",
        **_auth(officer_user),
    )
    assert r.status_code == 409, r.content
    body = r.json()
    assert body["code"] == "monitoring.terminal_taken" and "新兴" not in body["message"]
    assert Terminal.objects.get(terminal_no="13800000009").vehicle == vb


def _row(plate, colour="黄色", minute=0):
    return {"plate": plate, "plate_color": colour, "ts": local_ts(4, 10, minute), "lon": 111.5, "lat": 23.2}


def test_api_positions_outside_the_jurisdiction_are_row_errors(
    client,
    officer_user,
    officer_b,
    settings,
    tmp_path,
    fleet,  # noqa: F811
):
    settings.DATA_DIR = tmp_path
    body = [
        _row("粤W10001"),  # county A, registered
        _row("粤W20001"),  # county B's coach
        _row("粤W99999"),  # in no registry
        _row("粤W 10002", "2"),  # county A, written with a space and the JT/T 697.7 code
        _row("粤W10001", "蓝色", 1),  # county A's plate with another colour: another vehicle
    ]
    r = client.post(
        "/api/v1/monitoring/positions", data=body, content_type="application/json", **_auth(officer_user)
    )
    assert r.status_code == 200, r.content
    j = r.json()
    assert (j["received"], j["stored"], j["duplicates"], j["rejected"]) == (5, 2, 0, 3)
    assert [(e["row"], e["plate"]) for e in j["errors"]] == [
        (2, "粤W20001"),
        (3, "粤W99999"),
        (5, "粤W10001"),
    ]
    assert j["errors"][0]["reason"] == "车辆“粤W20001（黄色）”未在本辖区监管对象库中登记"
    # another county's vehicle reads like an unknown one: nothing tells that it exists elsewhere
    assert j["errors"][1]["reason"] == "车辆“粤W99999（黄色）”未在本辖区监管对象库中登记"
    assert j["errors"][2]["reason"] == "车辆“粤W10001（蓝色）”未在本辖区监管对象库中登记"
    store = Store(tmp_path / "monitoring")
    day = (local_ts(4, 0), local_ts(5, 0))
    assert len(store.vehicle_points("粤W10001", "yellow", *day)) == 1
    assert len(store.vehicle_points("粤W10002", "yellow", *day)) == 1
    assert store.vehicle_points("粤W20001", "yellow", *day) == []
    assert store.vehicle_points("粤W99999", "yellow", *day) == []
    # county B sends its own coach's row: stored
    r = client.post(
        "/api/v1/monitoring/positions", data=[body[1]], content_type="application/json", **_auth(officer_b)
    )
    assert r.json()["stored"] == 1 and r.json()["errors"] == []
    # a batch with no good row is answered, not failed: every row has its reason
    r = client.post(
        "/api/v1/monitoring/positions", data=[body[2]], content_type="application/json", **_auth(officer_user)
    )
    assert r.status_code == 200 and r.json()["stored"] == 0 and r.json()["errors"][0]["row"] == 1


def test_system_ingest_keeps_every_plate(db, tmp_path):
    """Without an actor (the file ingest, the gateway drain) plates are not checked against a registry."""
    res = services.positions_ingest(rows=[_row("粤W99999")], actor=None, store=Store(tmp_path))
    assert (res.stored, res.rejected, res.row_errors) == (1, 0, [])


API = [
    ("GET", "/api/v1/monitoring/runs", None),
    ("GET", "/api/v1/monitoring/runs/2025-03", None),
    ("GET", "/api/v1/monitoring/leads", None),
    ("POST", "/api/v1/monitoring/runs", {"month": "2025-03"}),
    ("POST", "/api/v1/monitoring/positions", [_row("粤W10001")]),
    ("POST", "/api/v1/monitoring/leads/1/review", {"decision": "notice"}),
    ("POST", "/api/v1/monitoring/terminals", {"terminal_no": "13800000001", "vehicle_id": 1}),
]


@pytest.mark.parametrize("who", ADMINS)
def test_admins_are_refused_by_every_monitoring_api(who, request, client, fleet):  # noqa: F811
    user = request.getfixturevalue(who)
    for method, url, data in API:
        if method == "GET":
            r = client.get(url, **_auth(user))
        else:
            r = client.post(url, data=data, content_type="application/json", **_auth(user))
        assert r.status_code == 403, (who, url, r.status_code, r.content[:300])
        assert "三员分立" in r.json()["message"], (who, url)


def test_listings_answer_business_users(client, officer_user, settings, tmp_path):
    """The URLs above are real: an officer gets the (empty) listings."""
    settings.DATA_DIR = tmp_path
    r = client.get("/api/v1/monitoring/runs", **_auth(officer_user))
    assert r.status_code == 200 and r.json() == []
    r = client.get("/api/v1/monitoring/leads", **_auth(officer_user))
    assert r.status_code == 200 and r.json()["count"] == 0
