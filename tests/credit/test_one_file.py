"""One credit file per subject (issue 24): records resolve their subject against the register, a ``name:``
file merges into the registered subject's file with an audit record, a decision's related subjects share
its repair (36号令: publication and use stop in step), and repair runs through the API with the pages'
checks (第十条 conditions, 谁认定、谁修复, business roles)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.disclosure.helpers import USCC, emit
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.credit.models import CreditRecord, Rating
from zhifa.credit.services import (
    credit_file_merge,
    credit_record_from_disclosure,
    credit_repair_apply,
    credit_repair_decide,
    rating_run,
)
from zhifa.registry.models import Enterprise, Vehicle

pytestmark = pytest.mark.django_db
PLEDGE = "承诺所提交材料真实有效，愿意承担违反承诺的相应责任。"
NAME = "郁南县志越货运有限公司"


@pytest.fixture
def ent(tree, head_user):
    from zhifa.registry.services import subject_save

    subject_save(
        kind="enterprises", actor=head_user, data={"uscc": USCC, "name": NAME, "business_type": "freight"}
    )
    subject_save(
        kind="vehicles",
        actor=head_user,
        data={
            "plate": "粤W12345",
            "plate_color": "yellow",
            "vehicle_type": "tractor",
            "enterprise_uscc": USCC,
        },
    )
    return Enterprise.objects.get(uscc=USCC)


def test_a_penalty_record_is_filed_under_the_registered_subject_its_code_names(tree, head_user, ent):
    emit(tree.squad_a1, head_user, subject_name=NAME)
    assert CreditRecord.objects.get().subject_ref == f"enterprise:{ent.pk}"


def test_name_and_enterprise_files_merge_with_their_records(tree, head_user, officer_user, ent):
    emit(tree.squad_a1, head_user, pk=1, subject_name=NAME)  # registered code: enterprise file
    emit(tree.squad_a1, head_user, pk=2, subject_name=NAME, subject_code="", doc_no="郁交罚〔2026〕13号")
    refs = sorted(CreditRecord.objects.values_list("subject_ref", flat=True))
    assert refs == [f"enterprise:{ent.pk}", f"name:{NAME}"]  # the split file of the issue
    rating_run(org=tree.bureau_a, year=2026, actor=head_user)
    assert Rating.objects.filter(subject_ref=f"name:{NAME}").exists()
    with pytest.raises(DomainError):  # the head of the bureau decides
        credit_file_merge(
            from_ref=f"name:{NAME}", to_ref=f"enterprise:{ent.pk}", actor=officer_user, reason="r"
        )
    with pytest.raises(DomainError) as e:  # the target must be a registered subject
        credit_file_merge(from_ref=f"name:{NAME}", to_ref="enterprise:99999", actor=head_user, reason="r")
    assert e.value.code == "credit.merge"
    from zhifa.cli import main

    assert main(["credit", "merge", "--auto", "--user", head_user.username]) == 0
    assert set(CreditRecord.objects.values_list("subject_ref", flat=True)) == {f"enterprise:{ent.pk}"}
    assert CreditRecord.objects.count() == 2
    assert not Rating.objects.filter(subject_ref=f"name:{NAME}").exists()
    ev = AuditRecord.objects.filter(action="credit.file_merge").get()
    assert ev.detail["from"] == f"name:{NAME}" and ev.detail["to"] == f"enterprise:{ent.pk}"
    assert len(ev.detail["moved"]) == 1 and ev.actor_name == head_user.username
    assert main(["credit", "merge", "--auto", "--user", head_user.username]) == 0  # nothing left to merge


def test_related_subjects_share_the_repair_and_every_later_rating_is_recomputed(
    tree, head_user, reviewer_user, ent
):
    rec = emit(tree.squad_a1, head_user, subject_name=NAME)
    vehicle = Vehicle.objects.get(plate="粤W12345")
    rec.related_refs = [f"vehicle:{vehicle.pk}"]  # the vehicle named in the same decision
    rec.save()
    credit_record_from_disclosure(record=rec, actor=None)
    mine = CreditRecord.objects.get(subject_ref=f"enterprise:{ent.pk}")
    other = CreditRecord.objects.get(subject_ref=f"vehicle:{vehicle.pk}")
    rating_run(org=tree.bureau_a, year=2026, actor=head_user)
    r2026 = Rating.objects.get(subject_ref=f"enterprise:{ent.pk}", year=2026)
    before = r2026.score
    app = credit_repair_apply(
        record=mine,
        applicant=NAME,
        pledge=PLEDGE,
        proof="缴款凭证",
        obligations_met=True,
        on=date(2026, 7, 10),
        actor=head_user,
    )
    credit_repair_decide(
        application=app, approve=True, reasons="义务已履行", on=date(2028, 1, 5), actor=reviewer_user
    )
    mine.refresh_from_db()
    other.refresh_from_db()
    r2026.refresh_from_db()
    assert (mine.status, other.status) == ("repaired", "repaired")
    # the 2026 rating (the record's year), not only the year before the decision (2027), and
    # its score no longer carries the repaired record
    assert r2026.score > before and "信用修复后重新计算" in r2026.explanation[-1]


def _api(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_repair_through_the_api_apply_decide_list(
    tree, head_user, officer_user, officer_b, reviewer_user, auditadmin, ent
):
    emit(tree.squad_a1, head_user, subject_name=NAME, decided_on=date(2025, 4, 10))
    rec = CreditRecord.objects.get()
    body = {"record_id": rec.pk, "pledge": PLEDGE, "proof": "缴款凭证", "obligations_met": True}
    # the same 第十条 checks as the pages: no pledge → 第十条第三项
    r = _api(officer_user).post(
        "/api/v1/credit/repairs", {**body, "pledge": ""}, content_type="application/json"
    )
    assert r.status_code == 422 and "第十条第三项" in r.json()["message"]
    # another county cannot see the record (谁认定、谁修复); the 三员 may not act on business data
    assert (
        _api(officer_b).post("/api/v1/credit/repairs", body, content_type="application/json").status_code
        == 404
    )
    assert (
        _api(auditadmin).post("/api/v1/credit/repairs", body, content_type="application/json").status_code
        == 403
    )
    assert Client().post("/api/v1/credit/repairs", body, content_type="application/json").status_code == 401
    r = _api(officer_user).post("/api/v1/credit/repairs", body, content_type="application/json")
    assert r.status_code == 201, r.content
    app_id = r.json()["id"]
    assert r.json()["state"] == "applied"
    listed = _api(head_user).get("/api/v1/credit/repairs", {"state": "applied"}).json()
    assert [x["id"] for x in listed["items"]] == [app_id]
    assert _api(officer_b).get("/api/v1/credit/repairs").json()["count"] == 0
    assert _api(auditadmin).get("/api/v1/credit/repairs").status_code == 403
    decide = {"approve": True, "reasons": "义务已履行"}
    # an officer may not decide (负责人或法制审核人员); another county cannot reach it
    r = _api(officer_user).post(
        f"/api/v1/credit/repairs/{app_id}/decide", decide, content_type="application/json"
    )
    assert r.status_code == 403
    r = _api(officer_b).post(
        f"/api/v1/credit/repairs/{app_id}/decide", decide, content_type="application/json"
    )
    assert r.status_code == 404
    r = _api(reviewer_user).post(
        f"/api/v1/credit/repairs/{app_id}/decide", decide, content_type="application/json"
    )
    assert (
        r.status_code == 200 and r.json()["state"] == "approved" and r.json()["record_status"] == "repaired"
    )
    r = _api(reviewer_user).post(
        f"/api/v1/credit/repairs/{app_id}/decide", decide, content_type="application/json"
    )
    assert r.status_code == 409  # decided once
