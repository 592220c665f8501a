"""Credit and disclosure pages: scoping and a negative test for every permission."""

from __future__ import annotations

from datetime import date

import pytest

from tests.disclosure.helpers import emit
from zhifa.credit.models import ListEntry, Rating

pytestmark = pytest.mark.django_db


def test_pages_render_for_business_users(tree, head_user, client):
    emit(tree.squad_a1, head_user)
    client.force_login(head_user)
    for url in (
        "/credit/",
        "/credit/repairs/",
        "/credit/lists/",
        "/credit/ratings/",
        "/disclosure/",
        "/disclosure/records/",
    ):
        assert client.get(url).status_code == 200, url
    assert "郁南县通达物流有限公司" in client.get("/credit/").content.decode()


def test_admins_and_other_county_see_nothing(tree, head_user, auditadmin, officer_b, client):
    emit(tree.squad_a1, head_user)
    for user, refused in ((auditadmin, 403), (officer_b, 404)):  # 三员: closed page; county B: not found
        client.force_login(user)
        assert "郁南县通达物流有限公司" not in client.get("/credit/").content.decode()
        assert client.get("/credit/subjects/uscc:x/").status_code == refused
    client.force_login(auditadmin)
    r = client.post(
        "/credit/lists/propose/",
        {
            "list_kind": "black",
            "subject_ref": "enterprise:1",
            "subject_name": "x",
            "criterion": "ZC-BL-1",
            "facts": "f",
        },
    )
    assert r.status_code == 403 and not ListEntry.objects.exists()
    assert client.post("/credit/ratings/run/", {"year": "2026"}).status_code == 403


def test_list_procedure_through_pages(tree, head_user, client):
    client.force_login(head_user)
    client.post(
        "/credit/lists/propose/",
        {
            "list_kind": "black",
            "subject_ref": "enterprise:1",
            "subject_name": "某公司",
            "criterion": "ZC-BL-1",
            "facts": "1年内超限4次",
        },
    )
    e = ListEntry.objects.get()
    client.post(f"/credit/lists/{e.pk}/object/", {"objection": "次数统计有误"})
    e.refresh_from_db()
    assert e.state == "objected"
    client.post(f"/credit/lists/{e.pk}/decide/", {"include": "0", "reasons": "异议成立"})
    e.refresh_from_db()
    assert e.state == "rejected"


def test_rating_finalise_needs_head(tree, head_user, officer_user, client):
    from zhifa.credit.services import credit_record_add

    credit_record_add(
        org=tree.bureau_a,
        subject_ref="enterprise:9",
        subject_name="企业",
        category="penalty",
        title="违规",
        source="本局",
        source_ref="e1",
        occurred_on=date(2025, 3, 1),
        effect="negative",
        severity="general",
        actor=head_user,
    )
    client.force_login(officer_user)
    client.post("/credit/ratings/run/", {"year": "2025"})
    client.post("/credit/ratings/finalise/", {"year": "2025"})
    assert Rating.objects.get().stage == "initial"  # an officer may run 初评 but not publish
    client.force_login(head_user)
    client.post("/credit/ratings/finalise/", {"year": "2025"})
    assert Rating.objects.get().stage == "final"


def test_held_record_completed_from_page(tree, head_user, officer_b, client):
    rec = emit(tree.squad_a1, head_user, violation_type="")
    client.force_login(officer_b)
    assert (
        client.post(f"/disclosure/records/{rec.pk}/complete/", {"violation_type": "超限"}).status_code == 404
    )
    client.force_login(head_user)
    assert "补录缺失数据项" in client.get(f"/disclosure/records/{rec.pk}/").content.decode()
    client.post(f"/disclosure/records/{rec.pk}/complete/", {"violation_type": "违法超限运输"})
    rec.refresh_from_db()
    assert rec.state == "published" and rec.public.data["violation_type"] == "违法超限运输"
