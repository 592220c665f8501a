"""Monthly runs, leads and their review (notice / case source / dismiss), terminal binding, API — with the
permission negatives (三员, other county)."""

from __future__ import annotations

import random

import pytest

from tests.factories import fake_uscc
from tests.monitoring.helpers import local_ts
from zhifa.accounts import services as acc
from zhifa.cases.models import CaseSource
from zhifa.core.errors import DomainError
from zhifa.monitoring import selectors, services
from zhifa.monitoring.models import LeadStatus, MonthlyRun, ViolationLead
from zhifa.monitoring.simulate import build_track, drive, stop, table
from zhifa.monitoring.store import Store
from zhifa.registry.models import Enterprise, Vehicle


@pytest.fixture
def fleet(tree):
    rng = random.Random(7)
    ent = Enterprise.objects.create(
        org=tree.bureau_a, uscc=fake_uscc(rng), name="郁南甲客运有限公司", business_type="passenger"
    )
    v1 = Vehicle.objects.create(
        org=tree.bureau_a, plate="粤W10001", plate_color="yellow", vehicle_type="coach", enterprise=ent
    )
    v2 = Vehicle.objects.create(
        org=tree.bureau_a, plate="粤W10002", plate_color="yellow", vehicle_type="dangerous", enterprise=ent
    )
    Vehicle.objects.create(org=tree.bureau_a, plate="粤W10003", plate_color="blue", vehicle_type="taxi")
    vb = Vehicle.objects.create(
        org=tree.bureau_b, plate="粤W20001", plate_color="yellow", vehicle_type="coach"
    )
    return ent, v1, v2, vb


@pytest.fixture
def store(tmp_path, settings, fleet):
    settings.DATA_DIR = tmp_path
    s = Store(tmp_path / "monitoring")
    pts = build_track("粤W10001", "yellow", local_ts(3, 8), [drive(250), stop(30)])  # 4h10 → fatigue
    pts += build_track("粤W20001", "yellow", local_ts(3, 8), [drive(250), stop(30)])  # other county
    s.ingest_table(table(pts), source="test")
    return s


def test_monthly_run_rates_and_leads(officer_user, store):
    run = services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)
    assert run.org.name == "郁南县交通运输局"
    s = run.summary
    assert s["counts"]["vehicles_required"] == 2  # coach + dangerous; the taxi and county B's coach are not
    assert s["rates"]["入网率"] == 50.0 and s["rates"]["上线率"] == 100.0
    leads = list(ViolationLead.objects.all())
    assert [x.type for x in leads] == ["fatigue"] and leads[0].plate == "粤W10001"
    assert leads[0].enterprise_name == "郁南甲客运有限公司"
    # re-runnable: same run, same leads
    services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)
    assert MonthlyRun.objects.count() == 1 and ViolationLead.objects.count() == 1
    assert (store.root / "networked" / "2025-03.json").exists()


def test_admins_and_other_county_refused(officer_user, sysadmin, officer_b, store, tree):
    with pytest.raises(DomainError) as e:
        services.monthly_run(org=tree.bureau_a, month="2025-03", actor=sysadmin, store=store)
    assert e.value.status == 403
    with pytest.raises(DomainError) as e:
        services.monthly_run(org=tree.bureau_a, month="2025-03", actor=officer_b, store=store)
    assert e.value.status == 403
    services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)
    lead = ViolationLead.objects.get()
    assert not selectors.leads_visible(officer_b).exists()
    assert not selectors.leads_visible(sysadmin).exists()
    with pytest.raises(DomainError):
        selectors.lead_get(officer_b, lead.pk)
    with pytest.raises(DomainError) as e:
        services.lead_review(lead=lead, decision="case", actor=officer_b)
    assert e.value.status == 403


def test_bad_month_and_engine(officer_user, store):
    with pytest.raises(DomainError, match="YYYY-MM"):
        services.monthly_run(org=officer_user.org, month="2025-3", actor=officer_user, store=store)
    with pytest.raises(DomainError, match="duckdb 或 spark"):
        services.monthly_run(
            org=officer_user.org, month="2025-03", engine="x", actor=officer_user, store=store
        )


def test_lead_to_case_source_after_review(officer_user, store):
    services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)
    lead = ViolationLead.objects.get()
    with pytest.raises(DomainError, match="第五十四条"):
        services.lead_review(lead=lead, decision="dismiss", actor=officer_user)
    lead = services.lead_review(lead=lead, decision="case", actor=officer_user, note="属实")
    assert lead.status == LeadStatus.CASE
    src = CaseSource.objects.get(pk=lead.case_source_id)
    assert src.origin == "monitoring" and src.external_ref.startswith("monitoring:粤W10001:yellow:fatigue:")
    assert "疲劳驾驶" in src.facts and src.enterprise.name == "郁南甲客运有限公司"
    with pytest.raises(DomainError) as e:
        services.lead_review(lead=lead, decision="notice", actor=officer_user)
    assert e.value.status == 409


def test_lead_notice(officer_user, store):
    services.monthly_run(org=officer_user.org, month="2025-03", actor=officer_user, store=store)
    lead = services.lead_review(lead=ViolationLead.objects.get(), decision="notice", actor=officer_user)
    assert lead.status == LeadStatus.NOTICE and lead.case_source_id is None
    assert selectors.month_leads_stats(lead.run) == {"total": 1, "handled": 1, "rate": 100.0}


def test_terminal_bind_scoped(officer_user, officer_b, fleet):
    _, v1, _, _ = fleet
    t = services.terminal_bind(terminal_no="013800000001", vehicle=v1, actor=officer_user)
    assert t.terminal_no == "13800000001" and len(t.auth_code) == 16
    with pytest.raises(DomainError) as e:
        services.terminal_bind(terminal_no="13800000002", vehicle=v1, actor=officer_b)
    assert e.value.status == 403
    with pytest.raises(DomainError, match="终端手机号"):
        services.terminal_bind(terminal_no="13800x", vehicle=v1, actor=officer_user)


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {acc.api_token_create(user=user, name='t', actor=user)[1]}"}


def test_api_positions_runs_and_leads(client, officer_user, officer_b, sysadmin, store):
    body = [
        {
            "plate": "粤W10002",
            "plate_color": "黄色",
            "ts": "2025-03-04T10:00:00+08:00",
            "lon": 111.5,
            "lat": 23.2,
            "speed_kmh": 30,
            "status": 3,
        },
        {"plate": "粤W10002", "plate_color": "2", "ts": local_ts(4, 10, 0, 30), "lon": 111.501, "lat": 23.2},
    ]
    r = client.post(
        "/api/v1/monitoring/positions", data=body, content_type="application/json", **_auth(officer_user)
    )
    assert r.status_code == 200, r.content
    assert r.json()["stored"] == 2
    r = client.post(
        "/api/v1/monitoring/positions", data=body, content_type="application/json", **_auth(officer_user)
    )
    assert r.json()["duplicates"] == 2
    r = client.post(
        "/api/v1/monitoring/positions",
        data=[dict(body[0], ts="2025-03-04 10:00:00")],
        content_type="application/json",
        **_auth(officer_user),
    )
    assert r.status_code == 422 and "时区" in r.json()["message"]
    r = client.post(
        "/api/v1/monitoring/runs",
        data={"month": "2025-03"},
        content_type="application/json",
        **_auth(officer_user),
    )
    assert r.status_code == 200, r.content
    assert r.json()["summary"]["rates"]["入网率"] == 100.0
    r = client.get("/api/v1/monitoring/leads", **_auth(officer_user))
    assert r.json()["count"] == 1
    lead_id = r.json()["items"][0]["id"]
    assert client.get("/api/v1/monitoring/leads", **_auth(officer_b)).json()["count"] == 0
    r = client.post(
        f"/api/v1/monitoring/leads/{lead_id}/review",
        data={"decision": "notice"},
        content_type="application/json",
        **_auth(officer_b),
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/monitoring/positions", data=body, content_type="application/json", **_auth(sysadmin)
    )
    assert r.status_code == 403
    assert client.get("/api/v1/monitoring/runs/2025-03", **_auth(officer_b)).status_code == 404
