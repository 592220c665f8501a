"""Pickers (issue 15 item 5): each JSON endpoint answers only from the actor's own jurisdiction, so
another county's officers, persons, vehicles and enterprises are never listed; case steps that name an
officer render a picker, not a numeric id box."""

from __future__ import annotations

import random

import pytest

from tests.cases.conftest import make_officer, new_case
from tests.factories import fake_idcard, fake_uscc, make_user
from zhifa.registry.services import subject_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_counties(tree, officer_user, head_user):
    rng = random.Random(11)
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    mine = make_officer(tree.squad_a2, "张同名", rng)
    theirs = make_officer(tree.squad_b1, "张同名", rng)
    make_officer(tree.squad_a1, "张执法", rng, user=officer_user)
    for actor, region in ((head_user, "445322"), (head_b, "445321")):
        uscc = fake_uscc(rng, region)
        subject_save(kind="enterprises", actor=actor, data={"uscc": uscc, "name": "同名运输有限公司",
                                                            "business_type": "freight"})
        subject_save(kind="persons", actor=actor, data={"name": "陈同名", "idcard": fake_idcard(rng, region)})
        plate = "粤W12345" if region == "445322" else "粤W54321"
        subject_save(kind="vehicles", actor=actor, data={"plate": plate, "plate_color": "yellow",
                                                         "vehicle_type": "heavy_truck", "enterprise_uscc": uscc})
    return {"mine": mine, "theirs": theirs}


def _get(client, user, url, q):
    client.force_login(user)
    r = client.get(url, {"q": q})
    assert r.status_code == 200
    return r.json()["results"]


@pytest.mark.parametrize(
    ("url", "q", "label"),
    [
        ("/cases/pick/officers/", "张同名", "张同名"),
        ("/cases/pick/persons/", "陈同名", "陈同名"),
        ("/cases/pick/enterprises/", "同名运输", "同名运输有限公司"),
        ("/cases/pick/vehicles/", "粤W", "粤W12345"),
        ("/cases/pick/subjects/", "同名", "同名运输有限公司"),
    ],
)
def test_picker_answers_only_from_own_county(client, two_counties, tree, officer_user, url, q, label):
    from zhifa.accounts.models import Officer
    from zhifa.registry.models import Enterprise, Person, Vehicle

    rows = _get(client, officer_user, url, q)
    assert rows and all(label in r["label"] or "陈同名" in r["label"] for r in rows), rows
    kinds = {"officers": Officer, "persons": Person, "enterprises": Enterprise, "vehicles": Vehicle}
    b_path = tree.bureau_b.path
    listed = []
    for r in rows:
        kind, _, pk = str(r["value"]).rpartition(":")
        model = kinds.get(url.split("/")[-2]) or {"enterprise": Enterprise, "person": Person, "vehicle": Vehicle}[kind]
        listed.append(model.objects.select_related("org").get(pk=int(pk)))
    assert listed and not any(x.org.path.startswith(b_path) for x in listed)  # never the other county's
    # ... though the other county has a namesake the query would match
    model = type(listed[0])
    assert model.objects.filter(org__path__startswith=b_path).exists()
    # a person's ID number is shown masked
    assert all("*" in r["label"] for r in rows if isinstance(listed[rows.index(r)], Person))


def test_other_county_sees_its_own_officer_only(client, two_counties, tree):
    user_b = make_user("officer_b", tree.squad_b1, {"officer"})
    rows = _get(client, user_b, "/cases/pick/officers/", "张同名")
    assert [r["value"] for r in rows] == [two_counties["theirs"].pk]


def test_picker_refuses_anonymous_and_admins(client, two_counties, sysadmin):
    assert client.get("/cases/pick/officers/", {"q": "张"}).status_code in (302, 403)
    client.force_login(sysadmin)
    assert client.get("/cases/pick/persons/", {"q": "陈"}).status_code == 403


def test_empty_query_lists_nothing(client, two_counties, officer_user):
    assert _get(client, officer_user, "/cases/pick/officers/", "") == []


def test_case_step_names_officer_by_picker_not_id_box(client, kit):
    case = new_case(kit)
    client.force_login(kit.officer_user)
    for action in ("assign_officers", "recusal_request"):
        html = client.get(f"/cases/{case.pk}/step/{action}/").content.decode()
        assert "编号" not in html.split("<form", 1)[1].split("</form>")[0], action
        assert 'data-picker="/cases/pick/officers/"' in html
    html = client.get(f"/cases/{case.pk}/step/assign_officers/").content.decode()
    assert 'type="hidden" name="lead_id"' in html and 'type="number" min="0" name="lead_id"' not in html


def test_credit_list_form_picks_the_subject(client, head_user):
    client.force_login(head_user)
    html = client.get("/credit/lists/").content.decode()
    assert 'data-picker="/cases/pick/subjects/"' in html and "enterprise:12" not in html
    assert 'type="hidden" name="subject_ref"' in html


def test_lead_not_among_the_assigned_is_refused(kit):
    from zhifa.cases.workflow import case_transition
    from zhifa.core.errors import DomainError

    case = new_case(kit)
    with pytest.raises(DomainError) as e:
        case_transition(case=case, action="assign_officers", actor=kit.officer_user,
                        data={"officer_ids": [kit.o1.pk, kit.o2.pk], "lead_id": str(kit.o3.pk)})
    assert "主办人员须是本次指派的执法人员之一" in e.value.message
