"""监管对象 pages: lists with search/filter/pagination, details, the ID-number reveal, forms, permissions.

Permission rule tested here: business pages answer 403 to the 三员 (系统/安全/审计管理员), and a record
of another county is a 404 (it "does not exist" for that user).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.factories import fake_idcard, fake_uscc, make_user
from zhifa.core.models import AuditRecord
from zhifa.registry import services
from zhifa.registry.models import Enterprise, Licence, Person, Vehicle

RNG_SEED = 20260101


@pytest.fixture
def data(head_user):
    """One enterprise with two vehicles, one employee with a 从业资格证, and licences, in county A."""
    rng = random.Random(RNG_SEED)
    uscc = fake_uscc(rng)
    idcard = fake_idcard(rng)
    today = date.today()
    save = services.subject_save
    save(
        kind="enterprises",
        actor=head_user,
        data={
            "uscc": uscc,
            "name": "郁南县通达物流有限公司",
            "business_type": "freight",
            "legal_rep": "李四",
        },
    )
    save(
        kind="vehicles",
        actor=head_user,
        data={
            "plate": "粤W12345",
            "plate_color": "yellow",
            "vehicle_type": "heavy_truck",
            "axle_count": "6",
            "transport_cert_no": "445322001234",
            "enterprise_uscc": uscc,
        },
    )
    save(
        kind="vehicles",
        actor=head_user,
        data={"plate": "粤W67890", "plate_color": "blue", "vehicle_type": "truck", "enterprise_uscc": uscc},
    )
    save(
        kind="persons",
        actor=head_user,
        data={"name": "王五", "idcard": idcard, "phone": "13800138000", "employer_uscc": uscc},
    )
    save(
        kind="licences",
        actor=head_user,
        data={
            "kind": "vehicle_cert",
            "number": "粤交运管W0001",
            "holder_plate": "粤W12345",
            "holder_plate_color": "yellow",
            "issuing_authority": "郁南县交通运输局",
            "valid_from": str(today - timedelta(days=300)),
            "valid_to": str(today + timedelta(days=30)),
        },
    )
    save(
        kind="licences",
        actor=head_user,
        data={
            "kind": "business_permit",
            "number": "粤交运管许可W0002",
            "holder_uscc": uscc,
            "issuing_authority": "郁南县交通运输局",
            "valid_from": str(today - timedelta(days=10)),
            "valid_to": str(today + timedelta(days=1000)),
        },
    )
    save(
        kind="licences",
        actor=head_user,
        data={
            "kind": "qualification",
            "number": "QC445322000001",
            "holder_idcard": idcard,
            "category": "freight_driver",
            "issuing_authority": "云浮市交通运输局",
            "valid_from": str(today - timedelta(days=10)),
            "valid_to": str(today + timedelta(days=2000)),
        },
    )
    return {
        "enterprise": Enterprise.objects.get(uscc=uscc),
        "truck": Vehicle.objects.get(plate="粤W12345"),
        "van": Vehicle.objects.get(plate="粤W67890"),
        "person": Person.objects.get(name="王五"),
        "idcard": idcard,
    }


def _text(response) -> str:
    return response.content.decode()


# --- lists ---------------------------------------------------------------------------------------


def test_vehicle_list_search_filter_and_link(client, officer_user, data):
    client.force_login(officer_user)
    r = client.get("/registry/vehicles/")
    assert r.status_code == 200
    page = _text(r)
    assert "粤W12345" in page and "粤W67890" in page and "共 2 条" in page
    assert f'href="/registry/vehicles/{data["truck"].pk}/"' in page
    for tab in ("车辆", "企业", "自然人", "证照"):
        assert f">{tab}</a>" in page

    page = _text(client.get("/registry/vehicles/", {"q": "粤w 12345"}))  # normalised like the plate
    assert "粤W12345" in page and "粤W67890" not in page
    page = _text(client.get("/registry/vehicles/", {"q": "445322001234"}))  # 道路运输证号
    assert "粤W12345" in page and "粤W67890" not in page
    page = _text(client.get("/registry/vehicles/", {"vehicle_type": "truck"}))
    assert "粤W67890" in page and "粤W12345" not in page
    page = _text(client.get("/registry/vehicles/", {"plate_color": "yellow"}))
    assert "粤W12345" in page and "粤W67890" not in page
    page = _text(client.get("/registry/vehicles/", {"enterprise": data["enterprise"].pk}))
    assert "共 2 条" in page and "郁南县通达物流有限公司" in page


def test_vehicle_list_paginates_and_keeps_filters(client, head_user, data):
    for i in range(31):
        services.subject_save(
            kind="vehicles",
            actor=head_user,
            data={"plate": f"粤W2{i:04d}", "plate_color": "blue", "vehicle_type": "truck"},
        )
    client.force_login(head_user)
    page = _text(client.get("/registry/vehicles/", {"vehicle_type": "truck"}))
    assert "共 32 条，第 1 / 2 页" in page
    assert "vehicle_type=truck&page=2" in page
    page2 = _text(client.get("/registry/vehicles/", {"vehicle_type": "truck", "page": 2}))
    assert "第 2 / 2 页" in page2 and "粤W67890" in page2


def test_enterprise_list_and_detail(client, officer_user, data):
    client.force_login(officer_user)
    ent = data["enterprise"]
    page = _text(client.get("/registry/enterprises/", {"q": "通达"}))
    assert ent.name in page and ent.uscc in page
    assert "没有符合条件的企业" in _text(client.get("/registry/enterprises/", {"business_type": "taxi"}))
    page = _text(client.get(f"/registry/enterprises/{ent.pk}/"))
    assert ent.uscc in page and "李四" in page
    assert "粤W12345" in page and "粤W67890" in page  # vehicles
    assert "粤交运管许可W0002" in page  # licence
    assert '<div class="num">1</div><div class="label">从业人员</div>' in page  # employees count


def test_person_list_masks_id_and_searches_by_full_number(client, officer_user, data):
    client.force_login(officer_user)
    idcard = data["idcard"]
    page = _text(client.get("/registry/persons/"))
    assert "王五" in page and data["person"].idcard_masked in page
    assert idcard not in page
    assert "13800138000" not in page and "138****8000" in page
    page = _text(client.get("/registry/persons/", {"q": idcard}))
    # only echoes of what was typed: the search box, and the export links that carry the same filter
    import re

    echoes = re.sub(rf'value="{idcard}"|href="\?[^"]*q={idcard}[^"]*export=(xlsx|csv)[^"]*"', "", page)
    assert "王五" in page and page.count(idcard) >= 1 and idcard not in echoes
    assert "王五" in _text(client.get("/registry/persons/", {"qualified": "1"}))
    assert "没有符合条件的自然人" in _text(client.get("/registry/persons/", {"qualified": "0"}))


def test_licence_list_filters_kind_and_expiring(client, officer_user, data):
    client.force_login(officer_user)
    page = _text(client.get("/registry/licences/"))
    assert "共 3 条" in page
    page = _text(client.get("/registry/licences/", {"kind": "qualification"}))
    assert "QC445322000001" in page and "粤交运管W0001" not in page
    page = _text(client.get("/registry/licences/", {"expiring": "1"}))
    assert "60日内到期" in page
    assert "粤交运管W0001" in page and "QC445322000001" not in page and "粤交运管许可W0002" not in page
    lic = Licence.objects.get(number="粤交运管W0001")
    page = _text(client.get(f"/registry/licences/{lic.pk}/"))
    assert "粤W12345" in page and "郁南县交通运输局" in page


# --- details -------------------------------------------------------------------------------------


def test_vehicle_detail_shows_owner_and_licences(client, officer_user, data):
    client.force_login(officer_user)
    page = _text(client.get(f"/registry/vehicles/{data['truck'].pk}/"))
    assert "粤W12345" in page and "黄色" in page and "重型货车" in page
    assert "郁南县通达物流有限公司" in page and data["enterprise"].uscc in page
    assert "粤交运管W0001" in page and "445322001234" in page


def test_other_county_gets_404_on_details(client, officer_b, data):
    client.force_login(officer_b)
    assert client.get(f"/registry/vehicles/{data['truck'].pk}/").status_code == 404
    assert client.get(f"/registry/enterprises/{data['enterprise'].pk}/").status_code == 404
    assert client.get(f"/registry/persons/{data['person'].pk}/").status_code == 404
    lic = Licence.objects.first()
    assert client.get(f"/registry/licences/{lic.pk}/").status_code == 404
    assert client.get(f"/registry/vehicles/{data['truck'].pk}/edit/").status_code == 404
    assert client.post(f"/registry/persons/{data['person'].pk}/reveal-idcard/").status_code == 404
    page = _text(client.get("/registry/vehicles/"))
    assert "粤W12345" not in page and "共 0 条" in page


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditadmin"])
def test_admins_get_403_on_business_pages(client, request, admin, data):
    client.force_login(request.getfixturevalue(admin))
    for url in (
        "/registry/",
        "/registry/vehicles/",
        "/registry/enterprises/",
        "/registry/persons/",
        "/registry/licences/",
        f"/registry/vehicles/{data['truck'].pk}/",
        f"/registry/persons/{data['person'].pk}/",
        "/registry/vehicles/new/",
    ):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "粤W12345" not in _text(r)
    assert client.post(f"/registry/persons/{data['person'].pk}/reveal-idcard/").status_code == 403


def test_anonymous_is_sent_to_login(client, data):
    r = client.get("/registry/vehicles/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


# --- ID number reveal ------------------------------------------------------------------------------


def test_reveal_idcard_is_audited(client, officer_user, data):
    client.force_login(officer_user)
    person = data["person"]
    page = _text(client.get(f"/registry/persons/{person.pk}/"))
    assert "显示完整身份证号" in page and data["idcard"] not in page
    assert f'hx-post="/registry/persons/{person.pk}/reveal-idcard/"' in page
    before = AuditRecord.objects.filter(action="person.idcard_view").count()
    r = client.post(f"/registry/persons/{person.pk}/reveal-idcard/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert data["idcard"] in _text(r) and "<html" not in _text(r)  # a fragment for htmx
    rec = AuditRecord.objects.filter(action="person.idcard_view").order_by("-seq").first()
    assert AuditRecord.objects.filter(action="person.idcard_view").count() == before + 1
    assert rec.actor_id == officer_user.pk and rec.target_id == str(person.pk)
    # without htmx: the whole page, with the number shown
    r = client.post(f"/registry/persons/{person.pk}/reveal-idcard/")
    assert r.status_code == 200 and data["idcard"] in _text(r) and "<html" in _text(r)
    assert client.get(f"/registry/persons/{person.pk}/reveal-idcard/").status_code == 405


# --- forms ---------------------------------------------------------------------------------------


def test_create_vehicle_through_form(client, officer_user, data):
    client.force_login(officer_user)
    page = _text(client.get("/registry/vehicles/new/"))
    assert "新增车辆" in page and 'name="plate"' in page
    r = client.post(
        "/registry/vehicles/new/",
        {
            "plate": "粤W55555",
            "plate_color": "yellow",
            "vehicle_type": "tractor",
            "enterprise_uscc": data["enterprise"].uscc,
        },
    )
    v = Vehicle.objects.get(plate="粤W55555")
    assert r.status_code == 302 and r["Location"] == f"/registry/vehicles/{v.pk}/"
    assert v.enterprise_id == data["enterprise"].pk
    assert AuditRecord.objects.filter(action="registry.vehicles.save", target_repr="粤W55555").exists()
    page = _text(client.get(r["Location"]))
    assert "车辆已保存（新增）" in page


def test_form_shows_field_errors(client, officer_user, data):
    client.force_login(officer_user)
    r = client.post(
        "/registry/vehicles/new/", {"plate": "ABC", "plate_color": "yellow", "vehicle_type": "truck"}
    )
    assert r.status_code == 422
    page = _text(r)
    assert "车牌号无效" in page and 'value="ABC"' in page
    r = client.post(
        "/registry/enterprises/new/",
        {"uscc": "91445322MA4X0000", "name": "某公司", "business_type": "freight"},
    )
    assert r.status_code == 422 and "统一社会信用代码无效" in _text(r)
    # a vehicle of an enterprise that is not registered: rejected by the service
    r = client.post(
        "/registry/vehicles/new/",
        {
            "plate": "粤W55556",
            "plate_color": "yellow",
            "vehicle_type": "truck",
            "enterprise_uscc": fake_uscc(random.Random(1)),
        },
    )
    assert r.status_code == 422 and "未登记" in _text(r)
    assert not Vehicle.objects.filter(plate="粤W55556").exists()
    assert client.get("/registry/trucks/new/").status_code == 404


def test_edit_vehicle_keeps_natural_key(client, officer_user, data):
    client.force_login(officer_user)
    truck = data["truck"]
    page = _text(client.get(f"/registry/vehicles/{truck.pk}/edit/"))
    assert 'value="粤W12345"' in page and "readonly" in page and 'value="445322001234"' in page
    r = client.post(
        f"/registry/vehicles/{truck.pk}/edit/",
        {
            "plate": "粤W99999",
            "plate_color": "blue",  # ignored: the key cannot change on the edit page
            "vehicle_type": "tractor",
            "axle_count": "6",
            "transport_cert_no": "445322001234",
            "enterprise_uscc": data["enterprise"].uscc,
            "status": "active",
        },
    )
    assert r.status_code == 302 and r["Location"] == f"/registry/vehicles/{truck.pk}/"
    truck.refresh_from_db()
    assert truck.vehicle_type == "tractor" and truck.plate == "粤W12345"
    assert not Vehicle.objects.filter(plate="粤W99999").exists()


def test_edit_person_requires_matching_id_number(client, officer_user, data):
    client.force_login(officer_user)
    person = data["person"]
    page = _text(client.get(f"/registry/persons/{person.pk}/edit/"))
    assert data["idcard"] not in page and person.idcard_masked in page
    other = fake_idcard(random.Random(99))
    r = client.post(f"/registry/persons/{person.pk}/edit/", {"name": "王五", "idcard": other})
    assert r.status_code == 422 and "身份证号码与该自然人不符" in _text(r)
    assert Person.objects.count() == 1
    r = client.post(
        f"/registry/persons/{person.pk}/edit/",
        {"name": "王小五", "idcard": data["idcard"], "phone": "13800138000"},
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.name == "王小五"


def test_other_county_head_cannot_overwrite_through_form(client, tree, data):
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    client.force_login(head_b)
    r = client.post(
        "/registry/vehicles/new/", {"plate": "粤W12345", "plate_color": "yellow", "vehicle_type": "bus"}
    )
    # county B's own record of the vehicle (issue 16 item 12); county A's is untouched
    assert r.status_code == 302
    data["truck"].refresh_from_db()
    assert data["truck"].vehicle_type == "heavy_truck"
    from zhifa.registry.models import Vehicle

    assert Vehicle.objects.get(plate="粤W12345", org=tree.bureau_b).vehicle_type == "bus"
