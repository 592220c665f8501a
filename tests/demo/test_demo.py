"""The demo county: shape, validity of every generated identifier, determinism, scoping, refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from zhifa.accounts.enums import ADMIN_ROLES, OfficerStatus, OrgKind, Role
from zhifa.accounts.models import Officer, Org, User
from zhifa.accounts.selectors import certificates_expiring, officer_can_enforce
from zhifa.accounts.services import check_role_set
from zhifa.core.audit import audit_verify
from zhifa.core.crypto import decrypt_field
from zhifa.core.errors import DomainError
from zhifa.core.identifiers import (
    expected_colors,
    parse_plate_color,
    plate_kind,
    validate_idcard,
    validate_plate,
    validate_uscc,
)
from zhifa.core.models import AuditRecord, ImportJob
from zhifa.demo.generator import generate_demo
from zhifa.demo.loader import DEMO_PASSWORD, demo_loaded, load_demo
from zhifa.registry.enums import BusinessType, LicenceKind, QualificationCategory, VehicleType
from zhifa.registry.models import Enterprise, Licence, Person, Vehicle
from zhifa.registry.selectors import vehicles_visible

TODAY = date(2026, 3, 2)
SCALE = 0.05
ACCOUNTS = {
    "officer": (Role.OFFICER, "第一中队（都城）"),
    "officer2": (Role.OFFICER, "第二中队（南江口）"),
    "reviewer": (Role.LEGAL_REVIEWER, "郁南县交通运输局"),
    "head": (Role.HEAD, "郁南县交通运输综合行政执法大队"),
    "sysadmin": (Role.SYSADMIN, "广东省交通运输厅"),  # the top unit: calendar and security policy
    "secadmin": (Role.SECADMIN, "广东省交通运输厅"),
    "auditadmin": (Role.AUDITADMIN, "郁南县交通运输局"),
    "reviewer_city": (Role.LEGAL_REVIEWER, "云浮市交通运输局"),  # publishes rule-catalogue versions
}


@pytest.fixture
def demo(db):
    return load_demo(seed=2022, scale=SCALE, today=TODAY, modules=())


# --- without a database -------------------------------------------------------------------------


def test_generation_is_deterministic():
    a = generate_demo(seed=2022, scale=SCALE, today=TODAY)
    b = generate_demo(seed=2022, scale=SCALE, today=TODAY)
    assert a.usccs() == b.usccs()
    assert a.plates() == b.plates()
    assert a.idcards() == b.idcards()
    assert a.officers == b.officers and a.accounts == b.accounts
    assert [c.enterprises for c in a.counties] == [c.enterprises for c in b.counties]
    assert [c.licences for c in a.counties] == [c.licences for c in b.counties]
    other = generate_demo(seed=2023, scale=SCALE, today=TODAY)
    assert set(other.usccs()).isdisjoint(a.usccs())
    # officers and accounts do not depend on the scale
    big = generate_demo(seed=2022, scale=1.0, today=TODAY)
    assert big.officers == a.officers and big.accounts == a.accounts


def test_full_scale_identifiers_are_valid_and_unique():
    data = generate_demo(seed=2022, scale=1.0, today=TODAY)
    usccs, plates, idcards = data.usccs(), data.plates(), data.idcards()
    assert 280 <= len(usccs) <= 330 and 2800 <= len(plates) <= 3200
    assert (
        len(set(usccs)) == len(usccs)
        and len(set(plates)) == len(plates)
        and len(set(idcards)) == len(idcards)
    )
    assert all(validate_uscc(u) for u in usccs)
    assert all(validate_idcard(i, today=TODAY) for i in idcards)
    for county in data.counties:
        for v in county.vehicles:
            assert validate_plate(v["plate"]), v
            assert parse_plate_color(v["plate_color"]) in expected_colors(v["plate"]), v
    yunan = data.counties[0]
    kinds = [e["business_type"] for e in yunan.enterprises]
    assert kinds.count(BusinessType.SOURCE.label) == 30  # seed 001: 30 key freight-source enterprises
    assert kinds.count(BusinessType.FREIGHT.label) == max(kinds.count(k) for k in set(kinds))
    assert {BusinessType(b).label for b in BusinessType.values} == set(kinds)


def test_officer_roster_special_cases():
    data = generate_demo(seed=7, scale=SCALE, today=TODAY)
    yunan = [o for o in data.officers if not o.org.startswith("xinxing")]
    assert len(yunan) == 40
    tags = sorted(o.tag for o in yunan if o.tag)
    assert tags == sorted(["expiring"] * 3 + ["expired"] * 2 + ["failed", "left"] + ["recruit"] * 2)
    assert {o.account for o in yunan if o.account} == {"officer", "officer2", "head"}
    assert all(not o.tag for o in yunan if o.account)


# --- loaded -------------------------------------------------------------------------------------


def test_org_tree(demo):
    by_name = {o.name: o for o in Org.objects.all()}
    bureau = by_name["郁南县交通运输局"]
    assert (bureau.kind, bureau.short_name, bureau.division_code) == (OrgKind.BUREAU, "郁", "445322")
    assert bureau.parent.name == "云浮市交通运输局" and bureau.parent.division_code == "445300"
    assert bureau.parent.parent.name == "广东省交通运输厅" and bureau.parent.parent.parent is None
    brigade = by_name["郁南县交通运输综合行政执法大队"]
    assert brigade.parent == bureau and brigade.kind == OrgKind.BRIGADE
    squads = Org.objects.filter(parent=brigade, kind=OrgKind.SQUAD)
    assert sorted(s.name for s in squads) == ["第一中队（都城）", "第三中队（平台）", "第二中队（南江口）"]
    xinxing = by_name["新兴县交通运输局"]
    assert xinxing.division_code == "445321" and xinxing.parent == bureau.parent
    assert Org.objects.filter(path__startswith=xinxing.path, kind=OrgKind.SQUAD).count() == 1
    assert demo.orgs == Org.objects.count() == 10


def test_accounts_have_single_roles_and_demo_password(demo):
    assert [u[0] for u in demo.users] == list(ACCOUNTS)
    for username, (role, unit) in ACCOUNTS.items():
        user = User.objects.select_related("org").get(username=username)
        assert user.role_codes() == {role.value}, username
        assert user.org.name == unit
        assert user.check_password(DEMO_PASSWORD)
        assert (username, role.label, unit) in demo.users
        check_role_set(user.role_codes())  # 三员分立 holds
    admins = User.objects.filter(roles__role__in=[r.value for r in ADMIN_ROLES])
    assert sorted(admins.values_list("username", flat=True)) == ["auditadmin", "secadmin", "sysadmin"]
    for username in ("officer", "officer2", "head"):
        officer = Officer.objects.get(user__username=username)
        assert officer.user.display_name == officer.name
        assert officer_can_enforce(officer, on=TODAY)


@pytest.mark.django_db
def test_demo_password_satisfies_policy():
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD)  # the default 安全策略: 8+ characters, 3 of 4 classes


def test_subjects_are_valid(demo):
    data = generate_demo(seed=2022, scale=SCALE, today=TODAY)
    usccs = list(Enterprise.objects.order_by("pk").values_list("uscc", flat=True))
    assert usccs == data.usccs()  # what was generated is what was stored, in the same order
    assert all(validate_uscc(u) for u in usccs)
    for p in Person.objects.all():
        assert validate_idcard(decrypt_field(p.idcard_enc, purpose="person.idcard"), today=TODAY)
    for o in Officer.objects.all():
        assert validate_idcard(decrypt_field(o.idcard_enc, purpose="officer.idcard"), today=TODAY)
    for v in Vehicle.objects.select_related("enterprise"):
        assert validate_plate(v.plate) and v.plate.startswith("粤W")
        assert parse_plate_color(v.plate_color) in expected_colors(v.plate), v
        assert 2 <= v.axle_count <= 6 and v.gross_mass_kg
        if v.vehicle_type == VehicleType.TRAILER:
            assert plate_kind(v.plate) == "trailer"
        if v.vehicle_type == VehicleType.TRAINING:
            assert (
                plate_kind(v.plate) == "coach" and v.enterprise.business_type == BusinessType.DRIVING_SCHOOL
            )
        if v.vehicle_type in (VehicleType.COACH, VehicleType.CHARTER, VehicleType.BUS):
            assert v.enterprise.business_type == BusinessType.PASSENGER
        if v.vehicle_type == VehicleType.DANGEROUS:
            assert v.enterprise.business_type == BusinessType.DANGEROUS
        if v.transport_cert_no:
            assert len(v.transport_cert_no) == 12 and v.transport_cert_no.startswith(v.org.division_code)
            assert Licence.objects.filter(
                kind=LicenceKind.VEHICLE_CERT, vehicle=v, number=v.transport_cert_no
            ).exists()
    assert demo.enterprises == Enterprise.objects.count() and demo.vehicles == Vehicle.objects.count()
    assert demo.persons == Person.objects.count() and demo.licences == Licence.objects.count()
    assert 0 < demo.practitioners <= demo.persons
    by_business = {
        BusinessType.TAXI: QualificationCategory.TAXI_DRIVER,
        BusinessType.DRIVING_SCHOOL: QualificationCategory.INSTRUCTOR,
        BusinessType.REPAIR: QualificationCategory.REPAIR_TECH,
        BusinessType.FREIGHT: QualificationCategory.FREIGHT_DRIVER,
    }
    for lic in Licence.objects.filter(kind=LicenceKind.QUALIFICATION).select_related("person__employer"):
        employer = lic.person.employer
        if employer is not None and employer.business_type in by_business:
            assert lic.category == by_business[employer.business_type]


def test_imports_went_through_the_import_path(demo):
    jobs = ImportJob.objects.all()
    assert jobs.count() == 8 and all(j.status == ImportJob.Status.DONE and j.failed == 0 for j in jobs)
    assert AuditRecord.objects.filter(action__startswith="import.").count() == 8
    assert audit_verify().ok


def test_certificate_counts(demo):
    head = User.objects.get(username="head")
    assert demo.certificates_expiring == 3 and demo.certificates_expired == 2
    assert certificates_expiring(head, on=TODAY).count() == 3
    officers = list(
        Officer.objects.filter(org__path__startswith=head.org.path).prefetch_related("certificates")
    )
    assert len(officers) == 40
    refused = [o for o in officers if not officer_can_enforce(o, on=TODAY)]
    reasons = sorted(officer_can_enforce(o, on=TODAY).reasons[0] for o in refused)
    assert len(refused) == 6  # 2 expired, 1 failed 年审, 1 left, 2 without a certificate
    assert sum("过期" in r for r in reasons) == 2
    assert sum("年审不合格" in r for r in reasons) == 1
    assert sum("已调离" in r for r in reasons) == 1
    assert sum("未取得执法证" in r for r in reasons) == 2
    left = Officer.objects.get(status=OfficerStatus.LEFT)
    assert left.certificates.get().withdrawn_on == left.left_on
    # the expiring ones still authorise enforcement today, and no longer after expiry
    for cert in certificates_expiring(head, on=TODAY):
        assert officer_can_enforce(cert.officer, on=TODAY)
        assert not officer_can_enforce(cert.officer, on=cert.valid_to + timedelta(days=1))


def test_officer_sees_own_county_vehicles_only(demo):
    officer = User.objects.get(username="officer")
    yunan = Org.objects.get(name="郁南县交通运输局")
    xinxing = Org.objects.get(name="新兴县交通运输局")
    visible = vehicles_visible(officer)
    assert Vehicle.objects.filter(org=xinxing).exists()
    assert visible.count() == Vehicle.objects.filter(org=yunan).count() > 0
    assert not visible.filter(org=xinxing).exists()
    assert not vehicles_visible(User.objects.get(username="sysadmin")).exists()  # 三员 see no business data


def test_demo_accounts_can_do_what_only_the_right_unit_may(demo):
    """The city's 法制审核人员 publishes a catalogue version binding both counties (the county's may not); the
    top unit's 系统管理员 / 安全管理员 enter the working-day calendar and set the security policy."""
    from zhifa.accounts.services import policy_update
    from zhifa.console.calendar_services import check_schedule_editor
    from zhifa.rules.services import load_starter_catalogue, violation_version_create

    load_starter_catalogue()
    common = dict(code="DY-016", effective_from=date(2030, 1, 1), changes={}, province="44")
    with pytest.raises(DomainError) as exc:
        violation_version_create(reason="县局调整", actor=User.objects.get(username="reviewer"), **common)
    assert exc.value.status == 403
    v = violation_version_create(reason="市局统一调整", actor=User.objects.get(username="reviewer_city"), **common)
    assert v.effective_from == date(2030, 1, 1)
    check_schedule_editor(User.objects.get(username="sysadmin"))
    assert policy_update(actor=User.objects.get(username="secadmin"), lockout_threshold=4).lockout_threshold == 4


def test_demo_loaded_and_refusal_on_non_empty_database(db):
    assert not demo_loaded()
    load_demo(seed=1, scale=SCALE, today=TODAY, modules=())
    assert demo_loaded()
    with pytest.raises(DomainError) as exc:
        load_demo(seed=1, scale=SCALE, today=TODAY, modules=())
    assert exc.value.message == "数据库中已有数据，演示数据只能载入空库"


def test_refuses_a_database_with_any_unit(tree):
    with pytest.raises(DomainError, match="演示数据只能载入空库"):
        load_demo(scale=SCALE, today=TODAY, modules=())
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_full_demo_loads_every_module_consistently(django_capture_on_commit_callbacks):
    """`make demo` path: the county plus the rules catalogue, 双随机 rounds and cases, all through services."""
    from django.db.models import Count

    from zhifa.cases.models import Case
    from zhifa.core.audit import audit_verify
    from zhifa.inspections.models import Draw
    from zhifa.notifications.models import Notification
    from zhifa.rules.models import Violation

    with django_capture_on_commit_callbacks(execute=True):
        load_demo(seed=2022, scale=SCALE, today=TODAY)
    # the replayed history leaves each account its newest few hand-offs unread, not hundreds
    unread = Notification.objects.filter(read_at__isnull=True).values("user").annotate(n=Count("id"))
    assert unread and max(u["n"] for u in unread) == 5
    assert Notification.objects.filter(read_at__isnull=False).exists()
    assert Violation.objects.count() >= 30
    assert Draw.objects.exists()
    assert Case.objects.count() >= 30
    assert audit_verify().ok
