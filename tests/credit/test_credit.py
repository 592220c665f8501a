"""Credit files, repair (36号令 第十条 conditions, effect in sync), lists, ratings, measures."""

from __future__ import annotations

from datetime import date

import pytest

from tests.disclosure.helpers import emit
from zhifa.core.errors import DomainError
from zhifa.credit import selectors
from zhifa.credit.models import CreditRecord, ListEntry, Rating
from zhifa.credit.services import (
    credit_record_add,
    credit_repair_apply,
    credit_repair_decide,
    list_entry_decide,
    list_entry_propose,
    rating_finalise,
    rating_run,
)
from zhifa.disclosure.models import PublicRecord

pytestmark = pytest.mark.django_db
PLEDGE = "承诺所提交材料真实有效，愿意承担违反承诺的相应责任。"


def _penalty(tree, head_user, **kw):
    rec = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10), **kw)
    rec.subject_ref = "enterprise:1"
    rec.save()
    CreditRecord.objects.filter(disclosure=rec).update(subject_ref="enterprise:1")
    return rec, CreditRecord.objects.get(disclosure=rec)


def test_penalty_feeds_the_credit_file(tree, head_user):
    _, cr = _penalty(tree, head_user)
    assert cr.effect == "negative" and cr.repair_eligible_from == date(2026, 7, 10)
    assert selectors.records_visible(head_user).count() == 1


def test_repair_refused_before_minimum_period(tree, head_user):
    _, cr = _penalty(tree, head_user)
    with pytest.raises(DomainError) as e:  # 一般: minimum 3 months -> 2026-07-10
        credit_repair_apply(
            record=cr,
            applicant="x",
            pledge=PLEDGE,
            proof="缴款凭证",
            obligations_met=True,
            on=date(2026, 7, 9),
            actor=head_user,
        )
    assert "2026-07-10" in e.value.message and "第十条第一项" in e.value.message
    credit_repair_apply(
        record=cr,
        applicant="x",
        pledge=PLEDGE,
        proof="缴款凭证",
        obligations_met=True,
        on=date(2026, 7, 10),
        actor=head_user,
    )


@pytest.mark.parametrize(
    ("pledge", "proof", "met", "article"),
    [
        (PLEDGE, "", True, "第十条第二项"),
        (PLEDGE, "凭证", False, "第十条第二项"),
        ("", "凭证", True, "第十条第三项"),
    ],
)
def test_repair_conditions_say_which_failed(tree, head_user, pledge, proof, met, article):
    _, cr = _penalty(tree, head_user)
    with pytest.raises(DomainError) as e:
        credit_repair_apply(
            record=cr,
            applicant="x",
            pledge=pledge,
            proof=proof,
            obligations_met=met,
            on=date(2026, 8, 1),
            actor=head_user,
        )
    assert article in e.value.message


def test_repair_approved_stops_publication_in_sync(tree, head_user, reviewer_user, client):
    rec, cr = _penalty(tree, head_user)
    assert PublicRecord.objects.filter(record=rec).exists()
    app = credit_repair_apply(
        record=cr,
        applicant="x",
        pledge=PLEDGE,
        proof="凭证",
        obligations_met=True,
        on=date(2026, 8, 1),
        actor=head_user,
    )
    credit_repair_decide(
        application=app, approve=True, reasons="义务已履行", on=date(2026, 8, 3), actor=reviewer_user
    )
    rec.refresh_from_db()
    cr.refresh_from_db()
    assert rec.state == "repaired" and rec.repaired_on == date(2026, 8, 3)
    assert cr.status == "repaired"  # stays in the internal file, marked
    assert not PublicRecord.objects.exists()
    assert "没有符合条件的公示记录" in client.get("/public/records/", {"q": "粤W12345"}).content.decode()


def test_repair_decision_permissions(tree, head_user, officer_user, officer_b):
    _, cr = _penalty(tree, head_user)
    app = credit_repair_apply(
        record=cr,
        applicant="x",
        pledge=PLEDGE,
        proof="凭证",
        obligations_met=True,
        on=date(2026, 8, 1),
        actor=officer_user,
    )
    for actor in (officer_user, officer_b):
        with pytest.raises(DomainError):
            credit_repair_decide(application=app, approve=True, reasons="r", on=date(2026, 8, 3), actor=actor)
    with pytest.raises(DomainError):  # another county: 谁认定、谁修复
        credit_repair_apply(
            record=cr,
            applicant="x",
            pledge=PLEDGE,
            proof="凭证",
            obligations_met=True,
            on=date(2026, 8, 1),
            actor=officer_b,
        )
    assert selectors.records_visible(officer_b).count() == 0


def test_blacklist_procedure_and_measures(tree, head_user):
    e = list_entry_propose(
        org=tree.bureau_a,
        list_kind="black",
        subject_ref="enterprise:5",
        subject_name="某公司",
        criterion="ZC-BL-1",
        facts="1年内超限4次",
        on=date(2026, 5, 4),
        actor=head_user,
    )
    with pytest.raises(DomainError):  # objection period: 5 working days -> 2026-05-11
        list_entry_decide(entry=e, include=True, on=date(2026, 5, 11), actor=head_user)
    list_entry_decide(entry=e, include=True, on=date(2026, 5, 12), actor=head_user)
    keys = {m["key"] for m in selectors.credit_measures_for("enterprise:5", on=date(2026, 6, 1))}
    assert {"inspection_ratio_up", "no_commitment_approval", "no_incomplete_acceptance"} <= keys
    assert selectors.credit_measures_for("enterprise:5", on=date(2026, 5, 11)) == []
    assert ListEntry.objects.get().effective_to == date(2029, 5, 12)

    class Ent:
        class _meta:  # noqa: N801
            model_name = "enterprise"

        pk = 5

    assert selectors.inspection_grade(Ent()) == "D"
    with pytest.raises(DomainError):
        list_entry_propose(
            org=tree.bureau_a,
            list_kind="black",
            subject_ref="enterprise:5",
            subject_name="x",
            criterion="NOPE",
            facts="",
            on=date(2026, 5, 4),
            actor=head_user,
        )


@pytest.mark.parametrize(("points", "grade"), [(19, "A"), (20, "B"), (0, "AAA")])
def test_driver_grade_full_score_twenty(tree, head_user, points, grade):
    if points:
        credit_record_add(
            org=tree.bureau_a,
            subject_ref="person:1",
            subject_name="驾驶员",
            category="penalty",
            title="违规",
            source="本局",
            source_ref="p1",
            occurred_on=date(2026, 3, 1),
            effect="negative",
            points=points,
            actor=head_user,
        )
    assert selectors.driver_grade(subject_ref="person:1", year=2026)[1] == grade


@pytest.mark.parametrize(("deduct_general", "grade"), [(3, "AAA"), (4, "AA")])
def test_enterprise_grade_bands(tree, head_user, deduct_general, grade):
    for i in range(deduct_general):  # 50 points each: 850 -> AAA, 800 -> AA
        credit_record_add(
            org=tree.bureau_a,
            subject_ref="enterprise:9",
            subject_name="企业",
            category="penalty",
            title="违规",
            source="本局",
            source_ref=f"e{i}",
            occurred_on=date(2026, 3, 1),
            effect="negative",
            severity="general",
            actor=head_user,
        )
    assert selectors.enterprise_score(subject_ref="enterprise:9", year=2026)[:2] == (
        1000 - 50 * deduct_general,
        grade,
    )


def test_annual_rating_initial_review_final(tree, head_user, officer_user, client):
    credit_record_add(
        org=tree.bureau_a,
        subject_ref="enterprise:9",
        subject_name="郁南县甲企业",
        category="penalty",
        title="违规",
        source="本局",
        source_ref="e1",
        occurred_on=date(2026, 3, 1),
        effect="negative",
        severity="serious",
        actor=head_user,
    )
    assert rating_run(org=tree.bureau_a, year=2026, actor=head_user) == 1
    r = Rating.objects.get()
    assert r.stage == "initial" and r.grade == "AA"
    assert "郁南县甲企业" not in client.get("/public/credit/").content.decode()
    with pytest.raises(DomainError):
        rating_finalise(org=tree.bureau_a, year=2026, on=date(2027, 1, 20), actor=officer_user)
    rating_finalise(
        org=tree.bureau_a,
        year=2026,
        on=date(2027, 1, 20),
        actor=head_user,
        adjustments={r.pk: ("AA", "复核维持")},
    )
    assert "郁南县甲企业" in client.get("/public/credit/").content.decode()


def test_overload_sanction_feeds_credit_and_opens_blacklist(tree, head_user):
    from zhifa.credit.services import credit_record_from_overload

    class Sanction:
        pk, org, kind, subject_key, subject_name, count = (
            7,
            tree.bureau_a,
            "vehicle",
            "粤W12345",
            "粤W12345",
            4,
        )
        window_from, window_to = date(2025, 6, 1), date(2026, 5, 31)
        vehicle = person = enterprise = None

        def get_kind_display(self):
            return "车辆：吊销车辆营运证"

    s = Sanction()
    credit_record_from_overload(sanction=s, actor=None)
    credit_record_from_overload(sanction=s, actor=None)  # idempotent
    cr = CreditRecord.objects.get()
    assert cr.category == "overload" and cr.severity == "serious"
    e = ListEntry.objects.get()
    assert e.state == "noticed" and e.criterion == "ZC-BL-1"


def test_inspection_grade_plugs_into_the_random_inspections(tree, head_user, monkeypatch):
    import random

    from tests.factories import fake_uscc
    from zhifa.inspections import rules as irules
    from zhifa.registry.services import subject_save

    monkeypatch.setenv("ZHIFA_INSPECTION_CREDIT_GRADE", "zhifa.credit.selectors:inspection_grade")
    grade_of = irules.credit_grade_provider()
    from zhifa.registry.models import Enterprise

    uscc = fake_uscc(random.Random(3))
    subject_save(
        kind="enterprises",
        actor=head_user,
        data={"uscc": uscc, "name": "郁南县甲物流有限公司", "business_type": "freight"},
    )
    ent = Enterprise.objects.get(uscc=uscc)
    assert grade_of(ent) == "未评级"
    Rating.objects.create(
        org=tree.bureau_a,
        subject_ref=f"enterprise:{ent.pk}",
        subject_name=ent.name,
        scheme="national",
        year=2025,
        score=900,
        grade="AAA",
        stage="final",
        published_on=date(2026, 1, 20),
    )
    assert grade_of(ent) == "A"
    assert set(irules.value("credit_weights")) >= {grade_of(ent), "D", "未评级"}


def test_driver_cycle_runs_from_the_first_certificate(tree, head_user):
    import random

    from tests.factories import fake_idcard
    from zhifa.credit.services import credit_record_add
    from zhifa.registry.models import Person
    from zhifa.registry.services import subject_save

    idcard = fake_idcard(random.Random(5))
    subject_save(kind="persons", actor=head_user, data={"name": "李司机", "idcard": idcard})
    person = Person.objects.get(name="李司机")
    subject_save(
        kind="licences",
        actor=head_user,
        data={
            "kind": "qualification",
            "number": "445322199001011234",
            "holder_idcard": idcard,
            "category": "经营性道路货物运输驾驶员",
            "issuing_authority": "云浮市交通运输局",
            "valid_from": "2019-08-15",
            "valid_to": "2031-08-14",
        },
    )
    ref = f"person:{person.pk}"
    start, end, _ = selectors.driver_cycle(subject_ref=ref, year=2026)
    assert (start, end) == (date(2025, 8, 15), date(2026, 8, 14))
    for i, on in enumerate([date(2025, 8, 14), date(2025, 8, 15), date(2026, 8, 14), date(2026, 8, 15)]):
        credit_record_add(
            org=tree.bureau_a,
            subject_ref=ref,
            subject_name="李司机",
            category="penalty",
            title="违规",
            source="本局",
            source_ref=f"d{i}",
            occurred_on=on,
            effect="negative",
            points=10,
            actor=head_user,
        )
    points, grade, _ = selectors.driver_grade(subject_ref=ref, year=2026)
    assert (points, grade) == (20, "B")  # only the two inside the cycle count: 20 = the full score


def test_published_driver_grade_shows_the_masked_name(tree, head_user, client):
    credit_record_add(
        org=tree.bureau_a,
        subject_ref="person:77",
        subject_name="欧阳娜娜",
        category="penalty",
        title="违规",
        source="本局",
        source_ref="dd1",
        occurred_on=date(2025, 3, 1),
        effect="negative",
        points=3,
        actor=head_user,
    )
    rating_run(org=tree.bureau_a, year=2025, actor=head_user)
    rating_finalise(org=tree.bureau_a, year=2025, on=date(2026, 1, 20), actor=head_user)
    page = client.get("/public/credit/").content.decode()
    api = client.get("/api/v1/public/credit-grades").content.decode("unicode_escape")
    assert "欧阳**" in page and "欧阳娜娜" not in page
    assert "欧阳**" in api and "欧阳娜娜" not in api
