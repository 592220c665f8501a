"""Review queue → case source (行政处罚法 Art 41), permissions, public look-up, 一超四罚, 抄告, pages."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.test import Client

from tests.factories import PASSWORD, fake_idcard, fake_uscc
from tests.overload.conftest import row, write_csv
from zhifa.cases.models import CaseSource
from zhifa.core.errors import DomainError
from zhifa.overload import services
from zhifa.overload.models import Lead, LeadStatus, Notice, SanctionLead


def _ingest(tree, tmp_path, rows, name="in.csv"):
    return services.ingest_file(path=write_csv(tmp_path / name, rows), actor=None, org=tree.bureau_a)


@pytest.fixture
def lead(tree, stations, tmp_path):
    _ingest(tree, tmp_path, [row("L1", gross=55_000)])
    return Lead.objects.get(record_id="L1")


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_confirm_creates_case_source_with_evidence_and_fine(lead, certified_officer):
    done = services.lead_confirm(lead=lead, actor=certified_officer, reason="图片清晰，车牌与轴数一致")
    assert done.status == LeadStatus.CONFIRMED and len(done.verify_code) == 8
    src = CaseSource.objects.get(pk=done.case_source_id)
    assert (src.origin, src.external_ref) == ("overload", "YN-NJK-01:L1")
    # 55,000 − 49,000 = 6,000 kg: 6 × 500 yuan
    assert src.proposed["fine"]["amount_fen"] == 3_000_00
    pkg = src.proposed["evidence_package"]
    assert pkg["device"]["cert_no"] == "YFJL-2026-0131" and pkg["images"] and pkg["record_digest"]
    assert pkg["partition_files"][0]["digest"]
    with pytest.raises(DomainError, match="已审核"):
        services.lead_confirm(lead=done, actor=certified_officer)


def test_confirm_needs_a_certified_officer(lead, officer_user, head_user, officer_b):
    with pytest.raises(DomainError, match="执法资格|执法人员"):
        services.lead_confirm(lead=lead, actor=officer_user)  # no 执法证
    with pytest.raises(DomainError, match="执法人员"):
        services.lead_confirm(lead=lead, actor=head_user)
    with pytest.raises(DomainError, match="辖区"):
        services.lead_confirm(lead=lead, actor=officer_b)
    assert CaseSource.objects.count() == 0


def test_confirm_refused_when_device_certificate_was_corrected_to_expired(lead, stations, certified_officer):
    services.station_save(
        code="YN-NJK-01",
        org=lead.org,
        actor=None,
        accuracy_class="5",
        cert_valid_from=date(2025, 3, 1),
        cert_valid_to=date(2026, 10, 31),
    )
    with pytest.raises(DomainError, match="不构成违法超限"):
        services.lead_confirm(lead=lead, actor=certified_officer)


def test_reject_needs_reason(lead, certified_officer):
    with pytest.raises(DomainError, match="排除理由"):
        services.lead_reject(lead=lead, actor=certified_officer, reason=" ")
    assert (
        services.lead_reject(lead=lead, actor=certified_officer, reason="跨道行驶，称重异常").status
        == "rejected"
    )


def test_public_lookup_and_statement(lead, certified_officer):
    done = services.lead_confirm(lead=lead, actor=certified_officer)
    c = Client()
    r = c.post("/public/overload/", {"plate": "粤W12345", "code": "WRONG123"})
    assert r.status_code == 404 and "不正确" in r.content.decode()
    r = c.post("/public/overload/", {"plate": "粤w 12345", "code": done.verify_code.lower()})
    assert r.status_code == 200 and "55000" in r.content.decode()
    r = c.post(
        "/public/overload/", {"plate": "粤W12345", "code": done.verify_code, "statement": "当天为空车返程"}
    )
    assert r.status_code == 200
    done.refresh_from_db()
    assert "空车返程" in done.statement


def test_public_lookup_hides_unreviewed_records(lead):
    lead.verify_code = "ABCDEFGH"
    lead.save()
    assert Client().post("/public/overload/", {"plate": "粤W12345", "code": "ABCDEFGH"}).status_code == 404


def test_pages_and_permissions(lead, certified_officer, officer_b, sysadmin, head_user):
    c = client_for(certified_officer)
    assert "粤W12345" in c.get("/overload/").content.decode()
    page = c.get(f"/overload/leads/{lead.pk}/").content.decode()
    assert "YFJL-2026-0131" in page and "确认超限" in page
    r = c.post(f"/overload/leads/{lead.pk}/review/", {"action": "confirm", "reason": "核实无误"})
    assert r.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "confirmed"
    for url in (
        "/overload/leads/",
        "/overload/stations/",
        "/overload/sanctions/",
        "/overload/notices/",
        "/overload/stats/",
        "/overload/stats/?export=csv",
        "/overload/stats/?export=xlsx",
    ):
        assert c.get(url).status_code == 200, url
    # another county: 404; the 三员: 403; anonymous: login
    assert client_for(officer_b).get(f"/overload/leads/{lead.pk}/").status_code == 404
    assert client_for(sysadmin).get("/overload/").status_code == 403
    assert Client().get("/overload/").status_code == 302
    # stations: an officer may not register one, the head may
    assert c.get("/overload/stations/new/").status_code == 403
    h = client_for(head_user)
    r = h.post(
        "/overload/stations/new/",
        {
            "code": "YN-DC-01",
            "name": "都城检测点",
            "accuracy_class": "10",
            "kind": "roadside",
            "device_type": "strip",
            "lanes": "2",
            "cert_valid_to": "2027-01-01",
            "plate_code_set": "toll",
        },
    )
    assert r.status_code == 302


def test_station_save_permissions(tree, stations, officer_user, officer_b, head_user):
    with pytest.raises(DomainError):
        services.station_save(code="X", org=tree.bureau_a, actor=officer_user, name="x", accuracy_class="5")
    with pytest.raises(DomainError):
        services.station_save(
            code="YN-NJK-01", org=tree.bureau_b, actor=officer_b, name="x", accuracy_class="5"
        )
    with pytest.raises(DomainError, match="准确度等级"):
        services.station_save(code="Y", org=tree.bureau_a, actor=head_user, name="y", accuracy_class="3")


def test_api_push_and_review(tree, stations, certified_officer, officer_b):
    c = client_for(certified_officer)
    body = {
        "records": [row("API1", gross=60_000, passed_at="2026-11-02T09:00:00+08:00"), row("API2", gross=1)]
    }
    r = c.post("/api/v1/overload/records", body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert (r.json()["stored"], r.json()["leads_created"]) == (2, 1)
    again = c.post("/api/v1/overload/records", body, content_type="application/json").json()
    assert (again["stored"], again["already_present"]) == (0, 2)
    lead_id = c.get("/api/v1/overload/leads").json()["items"][0]["id"]
    assert client_for(officer_b).get(f"/api/v1/overload/leads/{lead_id}").status_code == 404
    r = c.post(f"/api/v1/overload/leads/{lead_id}/confirm", {"reason": "ok"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["fine"]["amount_fen"] == 5_500_00
    assert c.get("/api/v1/overload/fine?excess_kg=1000").json()["warning"] is True


def _confirm_n(tree, tmp_path, officer, plate, n, start_day=1, enterprise=None):
    rows = [
        row(
            f"{plate}-{start_day}-{i}",
            plate=plate,
            gross=55_000,
            at=f"2026-10-{start_day + i:02d}T09:00:00+08:00",
        )
        for i in range(n)
    ]
    _ingest(tree, tmp_path, rows, name=f"{plate}.csv")
    for lead in Lead.objects.filter(plate=plate, status="pending").order_by("passed_at"):
        _decide(services.lead_confirm(lead=lead, actor=officer), officer)


def _decide(lead, officer):
    """The penalty decision of a paper case, registered by hand (一超四罚 counts decisions, not leads)."""
    day = lead.passed_at.date()
    return services.lead_close(lead=lead, actor=officer, closed_on=day, decision_no=f"郁交罚〔2026〕{lead.pk}号")


def test_one_overload_four_penalties_vehicle_more_than_3(tree, stations, certified_officer, tmp_path):
    _confirm_n(tree, tmp_path, certified_officer, "粤W66666", 3)
    assert not SanctionLead.objects.filter(kind="vehicle").exists()  # 3 is not "more than 3"
    _confirm_n(tree, tmp_path, certified_officer, "粤W66666", 1, start_day=20)
    s = SanctionLead.objects.get(kind="vehicle")
    assert (
        (s.count, s.subject_name) == (4, "粤W66666") and "营运证" in s.measure and "第六十六条" in s.article
    )


def test_one_overload_four_penalties_enterprise_share(tree, stations, certified_officer, head_user, tmp_path):
    from zhifa.registry.services import subject_save

    uscc = fake_uscc(random.Random(3))
    subject_save(
        kind="enterprises",
        actor=head_user,
        data={"uscc": uscc, "name": "郁南县顺达运输有限公司", "business_type": "freight"},
    )
    for i in range(10):  # a fleet of 10 goods vehicles: 1 violating vehicle is 10 %, not more than 10 %
        subject_save(
            kind="vehicles",
            actor=head_user,
            data={
                "plate": f"粤W7{i:04d}",
                "plate_color": "yellow",
                "vehicle_type": "tractor",
                "enterprise_uscc": uscc,
            },
        )
    _confirm_n(tree, tmp_path, certified_officer, "粤W70000", 1)
    assert not SanctionLead.objects.filter(kind="enterprise").exists()
    _confirm_n(tree, tmp_path, certified_officer, "粤W70001", 1, start_day=5)
    s = SanctionLead.objects.get(kind="enterprise")
    assert (s.count, s.fleet_size) == (2, 10) and "停业整顿" in s.measure


def test_driver_more_than_3(tree, stations, certified_officer, head_user, tmp_path):
    from zhifa.registry.models import Person
    from zhifa.registry.services import subject_save

    subject_save(
        kind="persons", actor=head_user, data={"name": "李司机", "idcard": fake_idcard(random.Random(9))}
    )
    driver = Person.objects.get(name="李司机")
    rows = [
        row(f"D{i}", plate=f"粤W8{i:04d}", gross=55_000, at=f"2026-10-0{i + 1}T09:00:00+08:00")
        for i in range(4)
    ]
    _ingest(tree, tmp_path, rows)
    for lead in Lead.objects.order_by("passed_at"):
        _decide(services.lead_confirm(lead=lead, actor=certified_officer, driver=driver), certified_officer)
    assert SanctionLead.objects.get(kind="driver").count == 4


def test_notice_for_out_of_area_vehicle_within_7_workdays(tree, stations, certified_officer, tmp_path):
    _ingest(
        tree, tmp_path, [row("N1", plate="桂A12345", gross=55_000), row("N2", plate="粤W99999", gross=55_000)]
    )
    for lead in Lead.objects.all():
        services.lead_confirm(lead=lead, actor=certified_officer)
    with pytest.raises(DomainError, match="文号"):
        services.lead_close(
            lead=Lead.objects.get(record_id="N1"),
            actor=certified_officer,
            closed_on=date(2026, 9, 30),
            decision_no=" ",
        )
    for lead in Lead.objects.all():
        services.lead_close(
            lead=lead,
            actor=certified_officer,
            closed_on=date(2026, 9, 30),
            decision_no=f"郁交罚〔2026〕{lead.pk}号",
        )
    n = Notice.objects.get()  # only the 桂A vehicle
    assert n.lead.plate == "桂A12345"
    # closed on Wed 30 Sep 2026; 1–7 Oct 2026 is the National Day holiday → the 7th working day is later
    assert n.due_on > date(2026, 10, 9) and "第四十四条" in n.due_rule
    assert set(n.items) == {"vehicle", "driver", "source", "decision", "other"}
    c = client_for(certified_officer)
    csv_text = c.get("/overload/notices/?export=csv").content.decode("utf-8-sig")
    assert "桂A12345" in csv_text and "从业资格证号" in csv_text
    services.notice_mark_sent(notice=n, actor=certified_officer)
    n.refresh_from_db()
    assert n.status == "sent"
