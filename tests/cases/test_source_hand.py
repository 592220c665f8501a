"""案源 by hand (issue 15 item 6): a lead received by phone is registered with its 反映人 (encrypted at
rest, masked on every page), the party picked from the register, and a letter scan filed in the evidence
store; the head's acceptance makes a case with that party, the facts and the officers chosen, who are told."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import fake_idcard, fake_uscc, make_user
from zhifa.cases.models import Case, CaseSource
from zhifa.evidence import storage
from zhifa.registry.models import Enterprise, Person
from zhifa.registry.services import subject_save

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def evidence_fs(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    storage._cache.clear()
    yield
    storage._cache.clear()


@pytest.fixture
def register(kit, head_user):
    rng = random.Random(5)
    subject_save(kind="persons", actor=head_user, data={"name": "陈驾驶", "idcard": fake_idcard(rng)})
    subject_save(kind="enterprises", actor=head_user,
                 data={"uscc": fake_uscc(rng), "name": "郁南县顺达运输有限公司", "business_type": "freight"})
    head_b = make_user("head_b", kit.tree.bureau_b, {"head"})
    subject_save(kind="enterprises", actor=head_b,
                 data={"uscc": fake_uscc(rng, "445321"), "name": "新兴县外县运输有限公司", "business_type": "freight"})
    return {"person": Person.objects.get(name="陈驾驶"), "ent": Enterprise.objects.get(name="郁南县顺达运输有限公司"),
            "other": Enterprise.objects.get(name="新兴县外县运输有限公司")}


def _register(client, user, capture, **over):
    client.force_login(user)
    data = {"origin": "phone", "reporter_name": "王小明", "reporter_phone": PHONE,
            "facts": "来电反映：一辆黄牌货车在S276线某路口长期无证揽客。", "location": "S276线连滩路口",
            "occurred_on": "2026-03-01", "party_ref": "", "subject_name": "", **over}
    with capture(execute=True):
        return client.post("/cases/sources/new/", data)


def test_phone_lead_registered_with_reporter_masked_and_attachment(
    client, kit, register, django_capture_on_commit_callbacks
):
    from zhifa.evidence.models import EvidenceItem
    from zhifa.notifications.models import Notification

    letter = SimpleUploadedFile("来信扫描.pdf", b"%PDF-1.4 letter body", content_type="application/pdf")
    r = _register(client, kit.officer_user, django_capture_on_commit_callbacks,
                  party_ref=f"person:{register['person'].pk}", files=[letter])
    src = CaseSource.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/sources/{src.pk}/"
    assert src.origin == "phone" and src.person == register["person"] and src.subject_name == "陈驾驶"
    # encrypted at rest: the stored columns never hold the number or the name in clear
    assert PHONE not in src.reporter_phone_enc and "王小明" not in src.reporter_name_enc
    assert src.reporter_phone_masked == "138****5678" and src.reporter_name_masked != "王小明"
    item = EvidenceItem.objects.get()
    assert src.evidence_ids == [item.pk] and (item.target_type, item.target_id) == ("cases.casesource", str(src.pk))
    assert Notification.objects.filter(user=kit.head, link="/cases/sources/").exists()  # the head is told
    for url in ("/cases/sources/", f"/cases/sources/{src.pk}/"):
        html = client.get(url).content.decode()
        assert "138****5678" in html and PHONE not in html and "王小明" not in html, url
    assert "来信扫描.pdf" in client.get(f"/cases/sources/{src.pk}/").content.decode()


def test_bad_phone_and_wrong_origin_refused_in_chinese(client, kit, register, django_capture_on_commit_callbacks):
    r = _register(client, kit.officer_user, django_capture_on_commit_callbacks, reporter_phone="call me")
    assert r.status_code == 200 and "反映人电话应为数字" in r.content.decode()
    r = _register(client, kit.officer_user, django_capture_on_commit_callbacks, origin="overload")
    assert "请选择来源" in r.content.decode()
    assert not CaseSource.objects.exists()


def test_party_of_another_county_refused(client, kit, register, django_capture_on_commit_callbacks):
    r = _register(client, kit.officer_user, django_capture_on_commit_callbacks,
                  party_ref=f"enterprise:{register['other'].pk}")
    assert "不在本单位管辖范围内" in r.content.decode() and not CaseSource.objects.exists()


def test_head_accepts_with_party_facts_and_officers(client, kit, register, django_capture_on_commit_callbacks):
    from zhifa.notifications.models import Notification

    _register(client, kit.officer_user, django_capture_on_commit_callbacks, subject_name="")
    src = CaseSource.objects.get()
    client.force_login(kit.head)
    page = client.get(f"/cases/sources/{src.pk}/").content.decode()
    assert 'data-picker="/cases/pick/subjects/"' in page and f'value="{kit.o1.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/cases/sources/{src.pk}/decide/", {
            "decision": "accept", "violation_name": "未取得道路运输经营许可从事道路运输经营",
            "party_ref": f"enterprise:{register['ent'].pk}", "officer_ids": [kit.o1.pk, kit.o2.pk],
        })
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert case.party_name == "郁南县顺达运输有限公司" and case.party_code == register["ent"].uscc
    assert case.facts == src.facts and case.location == "S276线连滩路口"
    assert {o.officer_id for o in case.case_officers.filter(removed_on__isnull=True)} == {kit.o1.pk, kit.o2.pk}
    assert Notification.objects.filter(user=kit.officer_user, title__contains="您被指派办理").exists()
    src.refresh_from_db()
    assert src.status == "accepted"


def test_acceptance_with_one_officer_refused_and_source_stays_pending(
    client, kit, register, django_capture_on_commit_callbacks
):
    _register(client, kit.officer_user, django_capture_on_commit_callbacks,
              party_ref=f"person:{register['person'].pk}")
    src = CaseSource.objects.get()
    client.force_login(kit.head)
    r = client.post(f"/cases/sources/{src.pk}/decide/", {"decision": "accept", "officer_ids": [kit.o1.pk]},
                    follow=True)
    assert "两名" in r.content.decode() and not Case.objects.exists()
    src.refresh_from_db()
    assert src.status == "pending"


def test_officer_cannot_accept(client, kit, register, django_capture_on_commit_callbacks):
    _register(client, kit.officer_user, django_capture_on_commit_callbacks)
    src = CaseSource.objects.get()
    page = client.get(f"/cases/sources/{src.pk}/").content.decode()
    assert "批准立案" not in page and "不予立案" in page


def test_api_reporter_masked_and_party_named_at_acceptance(client, kit, register):
    import json

    client.force_login(kit.officer_user)
    r = client.post("/api/v1/cases/sources", json.dumps({"origin": "letter", "facts": "来信反映无证经营",
                                                         "reporter_phone": PHONE}), content_type="application/json")
    sid = r.json()["id"]
    row = client.get("/api/v1/cases/sources").json()["items"][0]
    assert row["reporter_phone"] == "138****5678" and PHONE not in json.dumps(row)
    client.force_login(kit.head)
    r = client.post(f"/api/v1/cases/sources/{sid}/accept", json.dumps({
        "violation_name": "无证经营", "party_ref": f"enterprise:{register['ent'].pk}",
        "officer_ids": [kit.o1.pk, kit.o2.pk]}), content_type="application/json")
    assert r.status_code == 201, r.content
    assert Case.objects.get().party_name == "郁南县顺达运输有限公司"
    r = client.post("/api/v1/cases/sources", json.dumps({"origin": "letter", "facts": "x"}),
                    content_type="application/json")
    r = client.post(f"/api/v1/cases/sources/{r.json()['id']}/accept",
                    json.dumps({"party_ref": f"enterprise:{register['other'].pk}"}), content_type="application/json")
    assert r.status_code == 400 and "管辖范围" in r.json()["message"]
