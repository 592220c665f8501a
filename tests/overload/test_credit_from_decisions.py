"""一超四罚 and the credit it creates follow 处罚决定, not confirmed leads (issue 24).

《公路安全保护条例》第六十六条: a vehicle or driver "1年内违法超限运输超过3次" — the 4th decided violation in 12
months raises the measure, exactly 3 does not; 《信用修复管理办法》(36号令): a 失信 record runs from the deciding
document, so a lead (a 案源 that may end in 不予处罚) creates nothing; a decision revoked on 复议/诉讼 takes its
count and its records away. A source unit (货运源头单位) is filed under its enterprise (条例 第四十一条)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import make_officer
from tests.factories import fake_idcard, fake_uscc
from tests.overload.conftest import row, write_csv
from zhifa.cases.models import CaseSource
from zhifa.cases.services import case_source_accept
from zhifa.cases.workflow import case_transition
from zhifa.credit.models import CreditRecord, ListEntry
from zhifa.overload import selectors, services
from zhifa.overload.models import Lead, SanctionLead

pytestmark = pytest.mark.django_db


def _ingest(tree, tmp_path, rows, name):
    return services.ingest_file(path=write_csv(tmp_path / name, rows), actor=None, org=tree.bureau_a)


def _leads(tree, tmp_path, plate, days, *, station="YN-NJK-01", hour=9):
    rows = [
        row(
            f"{plate}-{station}-{d}-{hour}",
            station=station,
            plate=plate,
            gross=55_000,
            at=f"2026-10-{d:02d}T{hour:02d}:00:00+08:00",
        )
        for d in days
    ]
    _ingest(tree, tmp_path, rows, f"{plate}-{station}-{hour}.csv")
    return list(
        Lead.objects.filter(plate=plate, record_id__in=[r["record_id"] for r in rows]).order_by("passed_at")
    )


def _decide_on_paper(lead, officer, day=None):
    """The 处罚决定 of a case handled outside zhifa, registered by hand (登记结案)."""
    day = day or lead.passed_at.date()
    return services.lead_close(
        lead=lead, actor=officer, closed_on=day, decision_no=f"郁交罚〔2026〕{lead.pk}号"
    )


def _case(lead, head, officers):
    on = timezone.localdate()
    return case_source_accept(
        source=CaseSource.objects.get(pk=lead.case_source_id),
        actor=head,
        on=on,
        officer_ids=[o.pk for o in officers],
    )


def _go(case, head, action, **data):
    return case_transition(case=case, action=action, actor=head, data=data, on=timezone.localdate())


def _walk_to_decided(lead, head, officers):
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()  # the lead names ZC-001: a decision needs its basis (处罚法 Art 38)
    case = _case(lead, head, officers)
    case = _go(case, head, "record", kind="询问笔录", content="驾驶人承认超限运输", signature="signed")
    case = _go(case, head, "end_investigation", report="超限事实清楚")
    case = _go(
        case,
        head,
        "propose",
        outcome="penalty",
        penalty_type="fine",
        proposed_fine_fen=3_000_00,
        tier="general",
        tier_reasons="按第四十三条计算",
    )
    case = _go(case, head, "notify")
    case = _go(case, head, "statement", content="放弃陈述申辩", waive_hearing="true")
    return _go(case, head, "decide")


@pytest.fixture
def officers(tree, certified_officer):
    return [certified_officer.officer, make_officer(tree.squad_a1, "周执法", random.Random(3))]


def test_a_confirmed_lead_that_ends_in_no_penalty_leaves_no_dishonesty_record(
    tree, stations, certified_officer, head_user, officers, tmp_path
):
    leads = [
        services.lead_confirm(lead=x, actor=certified_officer)
        for x in _leads(tree, tmp_path, "粤W66666", [1, 2, 3, 4])
    ]
    # four confirmed leads are four 案源, not four decisions: nothing counts yet
    assert not SanctionLead.objects.exists() and not CreditRecord.objects.exists()
    pending = selectors.pending_decision_counts(head_user, on=date(2026, 10, 31))
    assert pending == [{"plate": "粤W66666", "plate_color": "yellow", "pending": 4, "decided": 0}]
    for lead in leads[:3]:
        _decide_on_paper(lead, certified_officer)
    # the 4th lead's case ends in 不予处罚 (处罚法 第三十三条): the vehicle stays at 3 decided violations
    case = _case(leads[3], head_user, officers)
    case = _go(case, head_user, "record", kind="询问笔录", content="称重设备当日检定失准", signature="signed")
    case = _go(case, head_user, "end_investigation", report="证据不足以认定超限")
    case = _go(
        case, head_user, "decide_no_penalty", ground="违法事实不能成立", education_record="已告知当事人"
    )
    assert case.outcome != "penalty"
    leads[3].refresh_from_db()
    assert leads[3].decided_on is None
    assert not SanctionLead.objects.exists()
    assert not CreditRecord.objects.filter(effect="negative").exists()
    assert not ListEntry.objects.exists()


def test_the_fourth_decided_overload_raises_the_driver_measure_and_the_third_does_not(
    tree, stations, certified_officer, head_user, tmp_path
):
    from zhifa.registry.models import Person
    from zhifa.registry.services import subject_save

    idcard = fake_idcard(random.Random(9))
    subject_save(kind="persons", actor=head_user, data={"name": "李司机", "idcard": idcard})
    driver = Person.objects.get(name="李司机")
    leads = []
    for i, plate in enumerate(["粤W80001", "粤W80002", "粤W80003", "粤W80004"]):  # one driver, four vehicles
        leads += _leads(tree, tmp_path, plate, [i + 1])
    c = Client()
    c.force_login(certified_officer)
    for lead in leads:  # the driver is named through the API by ID number (matched by the blind index)
        r = c.post(
            f"/api/v1/overload/leads/{lead.pk}/confirm",
            {"reason": "图片清晰", "driver_idcard": idcard},
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        assert r.json()["driver_id"] == driver.pk
    for lead in leads[:3]:
        _decide_on_paper(Lead.objects.get(pk=lead.pk), certified_officer)
    assert not SanctionLead.objects.filter(kind="driver").exists()  # 3 is not "超过3次"
    _decide_on_paper(Lead.objects.get(pk=leads[3].pk), certified_officer, day=date(2026, 10, 20))
    s = SanctionLead.objects.get(kind="driver")
    assert s.count == 4 and s.person == driver and "第六十六条" in s.article
    rec = CreditRecord.objects.get(subject_ref=f"person:{driver.pk}", category="overload")
    # the record runs from the decision that crossed the threshold (36号令), not from a lead
    assert rec.occurred_on == date(2026, 10, 20) and rec.severity == "serious" and "共 4 次" in rec.title
    assert ListEntry.objects.get(subject_ref=f"person:{driver.pk}").criterion == "ZC-BL-2"


def test_an_unknown_driver_is_refused_through_the_api(tree, stations, certified_officer, tmp_path):
    lead = _leads(tree, tmp_path, "粤W80009", [1])[0]
    c = Client()
    c.force_login(certified_officer)
    r = c.post(
        f"/api/v1/overload/leads/{lead.pk}/confirm",
        {"driver_idcard": fake_idcard(random.Random(99))},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["code"] == "overload.driver_unknown"
    lead.refresh_from_db()
    assert lead.status == "pending"


def test_a_decision_revoked_on_appeal_lowers_the_count_and_voids_its_records(
    tree, stations, certified_officer, head_user, officers, tmp_path
):
    leads = [
        services.lead_confirm(lead=x, actor=certified_officer)
        for x in _leads(tree, tmp_path, "粤W66666", [1, 2, 3, 4])
    ]
    for lead in leads[:3]:
        _decide_on_paper(lead, certified_officer)
    case = _walk_to_decided(leads[3], head_user, officers)  # cases.penalty_decided
    s = SanctionLead.objects.get(kind="vehicle")
    rec = CreditRecord.objects.get(source_ref=f"overload.sanction:{s.pk}")
    assert s.count == 4 and rec.status == "active" and rec.occurred_on == case.decided_on
    entry = ListEntry.objects.get(subject_ref=rec.subject_ref)
    assert entry.state == "noticed"
    case = _go(case, head_user, "appeal_file", kind="reconsideration")
    _go(case, head_user, "appeal_result", outcome="revoked")  # cases.decision_overturned
    leads[3].refresh_from_db()
    s.refresh_from_db()
    rec.refresh_from_db()
    entry.refresh_from_db()
    assert leads[3].decided_on is None and leads[3].overturned_on == timezone.localdate()
    assert s.status == "void"  # 3 decided violations remain: no longer "超过3次"
    assert rec.status == "void" and "复议" in rec.status_reason
    assert entry.state == "ended"


def test_a_growing_count_updates_the_record_title(tree, stations, certified_officer, tmp_path):
    leads = [
        services.lead_confirm(lead=x, actor=certified_officer)
        for x in _leads(tree, tmp_path, "粤W66666", [1, 2, 3, 4, 5])
    ]
    for lead in leads[:4]:
        _decide_on_paper(lead, certified_officer)
    rec = CreditRecord.objects.get(category="overload")
    assert "共 4 次" in rec.title
    _decide_on_paper(leads[4], certified_officer)
    rec.refresh_from_db()
    assert "共 5 次" in rec.title and CreditRecord.objects.filter(category="overload").count() == 1


def test_one_trip_past_two_stations_of_a_route_counts_once(
    tree, stations, certified_officer, tmp_path, monkeypatch
):
    from zhifa.overload.services import station_save

    station_save(
        code="YN-HK-01",
        org=tree.bureau_a,
        actor=None,
        name="河口治超非现场检测点",
        route="G324",
        chainage="K2870+100",
        direction="往梧州",
        accuracy_class="5",
        cert_no="YFJL-2026-0132",
        cert_valid_from=date(2026, 3, 1),
        cert_valid_to=date(2027, 2, 28),
    )
    first = _leads(tree, tmp_path, "粤W66666", [1, 2, 3])  # G324 at 南江口, 09:00
    later = _leads(tree, tmp_path, "粤W66666", [3], station="YN-HK-01", hour=11)  # same trip, 2 h on
    for lead in first + later:
        _decide_on_paper(services.lead_confirm(lead=lead, actor=certified_officer), certified_officer)
    assert not SanctionLead.objects.exists()  # 4 decided passages, 3 trips (default window 6 h)
    monkeypatch.setenv("ZHIFA_RULE_OVERLOAD_TRIP_DEDUPE_HOURS", "0")  # the bureau's setting: no merging
    services.sanctions_evaluate(org=tree.bureau_a, on=date(2026, 10, 3), lead=later[0])
    assert SanctionLead.objects.get(kind="vehicle").count == 4


def test_source_unit_records_land_in_the_enterprise_file(
    tree, stations, certified_officer, head_user, tmp_path
):
    from zhifa.registry.models import Enterprise
    from zhifa.registry.services import subject_save

    uscc = fake_uscc(random.Random(5))
    subject_save(
        kind="enterprises",
        actor=head_user,
        data={"uscc": uscc, "name": "郁南县石场建材有限公司", "business_type": "source"},
    )
    ent = Enterprise.objects.get(uscc=uscc)
    c = Client()
    c.force_login(head_user)  # the station is linked to its 货运源头单位 through the API
    r = c.post(
        "/api/v1/overload/stations",
        {
            "code": "YN-SC-01",
            "name": "石场出场称重点",
            "kind": "source",
            "accuracy_class": "5",
            "cert_no": "YFJL-2026-0200",
            "cert_valid_from": "2026-03-01",
            "cert_valid_to": "2027-02-28",
            "source_enterprise_uscc": uscc,
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["source_enterprise_id"] == ent.pk
    _ingest(
        tree,
        tmp_path,
        [row("SRC-1", station="YN-SC-01", gross=55_000, at="2026-10-05T07:00:00+08:00")],
        "src.csv",
    )
    assert not Lead.objects.exists()  # a source weighing never enters the roadside review queue
    lead = _leads(tree, tmp_path, "粤W12345", [5])[0]
    lead = services.lead_confirm(lead=lead, actor=certified_officer)
    assert lead.source_station.code == "YN-SC-01"
    assert not SanctionLead.objects.exists()  # not before the decision
    _decide_on_paper(lead, certified_officer)
    s = SanctionLead.objects.get(kind="source")
    assert s.enterprise == ent and "第四十一条" in s.article and "第六十六条" not in s.article
    rec = CreditRecord.objects.get(source_ref=f"overload.sanction:{s.pk}")
    assert rec.subject_ref == f"enterprise:{ent.pk}"


def test_source_station_refuses_an_unregistered_enterprise(tree, head_user, officer_user, auditadmin):
    body = {"code": "YN-SC-03", "name": "某称重点", "kind": "source", "accuracy_class": "5"}
    for user in (officer_user, auditadmin):  # only the head or the legal reviewer registers a station
        c = Client()
        c.force_login(user)
        r = c.post("/api/v1/overload/stations", body, content_type="application/json")
        assert r.status_code == 403, user
    assert Client().post("/api/v1/overload/stations", body, content_type="application/json").status_code == 401
    c = Client()
    c.force_login(head_user)
    r = c.post(
        "/api/v1/overload/stations",
        {
            "code": "YN-SC-02",
            "name": "某称重点",
            "kind": "source",
            "accuracy_class": "5",
            "source_enterprise_uscc": fake_uscc(random.Random(77)),
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and "未在本辖区" in r.json()["message"]
