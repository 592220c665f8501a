"""行政许可决定: grant, change, renewal, cancellation, revocation through ``registry.services.permit_decide``.

Legal numbers used: 7 working days from a decision to its 双公示 publication (国办发〔2015〕51号, rules library
``publication_period``); 3 working days to withdraw the record of a changed or revoked decision (处罚法 Art 48
para 2, ``publication_withdrawal_period``); renewal only before expiry (行政许可法 Art 50); 撤销 of a permit
obtained by 欺骗、贿赂 counts against the holder (行政许可法 Art 69 para 2, Art 79).
"""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import fake_idcard, fake_uscc, make_user
from zhifa.accounts import services as acc
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.credit.models import CreditRecord
from zhifa.demo.generator import agency_uscc
from zhifa.disclosure import rules as drules
from zhifa.disclosure.models import DisclosureRecord, PublicRecord
from zhifa.registry import services
from zhifa.registry.models import Enterprise, Licence, PermitDecision, Person

pytestmark = pytest.mark.django_db

FRI = date(2026, 4, 10)  # + 7 working days -> Tue 2026-04-21
APR30 = date(2026, 4, 30)  # + 3 working days across the May Day holiday (05-01..05-05) -> Fri 2026-05-08


@pytest.fixture
def ent(tree, head_user):
    acc.org_update(org=tree.bureau_a, uscc=agency_uscc("445322"), actor=None)
    tree.bureau_a.refresh_from_db()  # the users' cached unit
    uscc = fake_uscc(random.Random(11))
    services.subject_save(
        kind="enterprises",
        actor=head_user,
        data={"uscc": uscc, "name": "郁南县通达物流有限公司", "business_type": "freight", "legal_rep": "陈大文",
              "address": "郁南县都城镇建设路18号", "phone": "0766-7123456"},
    )
    return Enterprise.objects.get(uscc=uscc)


GRANT = {
    "kind": "business_permit",
    "number": "445322000777",
    "doc_no": "郁交运许〔2026〕15号",
    "permit_category": "01",
    "content": "道路普通货物运输",
    "decided_on": FRI.isoformat(),
    "valid_from": FRI.isoformat(),
    "valid_to": "2030-04-09",
}


def grant(actor, holder, capture, **over):
    with capture(execute=True):
        return services.permit_decide(action="grant", data={**GRANT, **over}, actor=actor, holder=holder)


def decide(actor, lic, capture, action, **data):
    with capture(execute=True):
        return services.permit_decide(action=action, data=data, actor=actor, licence=lic)


def record_of(decision) -> DisclosureRecord:
    return DisclosureRecord.objects.get(source_type="registry.permitdecision", source_id=str(decision.pk))


def test_grant_publishes_within_7_working_days_with_every_required_item(
    tree, head_user, ent, django_capture_on_commit_callbacks
):
    d = grant(head_user, ent, django_capture_on_commit_callbacks)
    lic = Licence.objects.get(number="445322000777")
    assert (lic.enterprise, lic.status, lic.scope) == (ent, "valid", "道路普通货物运输")
    assert lic.issuing_authority == "郁南县交通运输局" and lic.valid_to == date(2030, 4, 9)
    assert d.basis == "《中华人民共和国行政许可法》第三十八条第一款" and d.status_after == "valid"

    rec = record_of(d)
    assert rec.kind == "permit" and rec.org == tree.bureau_a and rec.decided_on == FRI
    assert rec.publish_due == date(2026, 4, 21)  # 7 working days from Fri 2026-04-10
    assert rec.state == "published", rec.hold_reason
    pub = PublicRecord.objects.get(record=rec)
    required = [key for key, _label, req in drules.ITEMS["permit"] if req]
    assert len(required) == 12 and all(pub.data.get(k) for k in required), pub.data
    assert pub.data["doc_no"] == "郁交运许〔2026〕15号" and pub.data["doc_name"] == "准予行政许可决定书"
    assert pub.data["permit_category"] == "普通" and pub.data["permit_no"] == "445322000777"
    assert pub.data["certificate_name"] == "道路运输经营许可证" and pub.data["status"] == "有效"
    assert pub.data["valid_from"] == "2026-04-10" and pub.data["valid_to"] == "2030-04-09"
    assert pub.data["agency_code"] == agency_uscc("445322") == pub.data["source_unit_code"]
    assert pub.data["subject_code"] == ent.uscc
    assert "建设路" not in json.dumps(pub.data, ensure_ascii=False)  # the holder's address never leaves

    cr = CreditRecord.objects.get(disclosure=rec)
    assert (cr.subject_ref, cr.category, cr.effect, cr.status) == (f"enterprise:{ent.pk}", "permit", "neutral",
                                                                   "active")
    assert AuditRecord.objects.filter(action="registry.permit.grant", target_id=str(d.pk)).exists()


def test_revocation_withdraws_the_record_within_3_working_days(
    tree, head_user, ent, django_capture_on_commit_callbacks
):
    g = grant(head_user, ent, django_capture_on_commit_callbacks)
    lic = g.licence
    r = decide(head_user, lic, django_capture_on_commit_callbacks, "revoke", doc_no="郁交罚〔2026〕88号",
               decided_on=APR30.isoformat(), reason="发生重大以上交通责任事故，依法吊销")
    lic.refresh_from_db()
    assert lic.status == "revoked" and r.previous == g and r.status_after == "revoked"
    rec = record_of(g)
    assert rec.state == "withdrawn" and rec.changed_on == APR30
    assert rec.withdraw_due == date(2026, 5, 8)  # Apr 30 + 3 working days across the May Day holiday
    assert "吊销" in rec.withdraw_reason and not PublicRecord.objects.filter(record=rec).exists()
    assert not DisclosureRecord.objects.filter(source_id=str(r.pk)).exists()  # an ending decision is not a permit
    assert CreditRecord.objects.get(disclosure=rec).status == "void"
    ended = CreditRecord.objects.get(source_ref=f"registry.permitdecision:{r.pk}")
    assert ended.effect == "neutral" and "吊销" in ended.title  # a 吊销 counts through its penalty record
    with pytest.raises(DomainError) as e:
        decide(head_user, lic, django_capture_on_commit_callbacks, "change", doc_no="X1",
               decided_on=APR30.isoformat(), reason="变更")
    assert e.value.status == 409 and "已吊销，不能再作出准予变更决定" in e.value.message


RESTORE = {
    "doc_no": "郁交运恢〔2026〕1号",
    "appeal_doc_no": "云府复〔2026〕9号",
    "reason": "吊销决定经行政复议撤销",
}


def restore(actor, lic, capture, on: str, **over):
    return decide(actor, lic, capture, "restore", **{**RESTORE, "decided_on": on, **over})


def test_restore_after_the_revocation_is_revoked_on_appeal(
    tree, head_user, officer_user, ent, django_capture_on_commit_callbacks
):
    """恢复 (行政复议法 Art 64, 行政诉讼法 Art 70): the licence is valid again with its own dates, the 行政许可
    record the 吊销 withdrew is published again (a new version, due 7 working days from the 恢复: Mon 2026-06-01
    -> Wed 2026-06-10), the 吊销's credit record is void."""
    g = grant(head_user, ent, django_capture_on_commit_callbacks)
    lic = g.licence
    with pytest.raises(DomainError) as e:  # a valid licence has no 吊销 to undo
        restore(head_user, lic, django_capture_on_commit_callbacks, APR30.isoformat())
    assert e.value.status == 409 and "已有效，不能再作出恢复决定" in e.value.message
    r = decide(head_user, lic, django_capture_on_commit_callbacks, "revoke", doc_no="郁交罚〔2026〕88号",
               decided_on=APR30.isoformat(), reason="发生重大以上交通责任事故，依法吊销")
    with pytest.raises(DomainError) as e:
        restore(head_user, lic, django_capture_on_commit_callbacks, "2026-06-01", appeal_doc_no="")
    assert e.value.status == 422
    assert e.value.fields == {"appeal_doc_no": "撤销吊销决定的行政复议决定书或行政判决书文号不能为空"}
    with pytest.raises(DomainError) as e:  # the 复议决定 revoking the 吊销 comes after it
        restore(head_user, lic, django_capture_on_commit_callbacks, APR30.isoformat())
    assert e.value.fields == {"decided_on": e.value.message} and "郁交罚〔2026〕88号" in e.value.message
    with pytest.raises(DomainError) as e:  # recorded by those who record a 吊销
        restore(officer_user, lic, django_capture_on_commit_callbacks, "2026-06-01")
    assert e.value.status == 403
    lic.refresh_from_db()
    assert lic.status == "revoked" and not PermitDecision.objects.filter(action="restore").exists()

    x = restore(head_user, lic, django_capture_on_commit_callbacks, "2026-06-01")
    lic.refresh_from_db()
    assert (lic.status, lic.valid_from, lic.valid_to) == ("valid", FRI, date(2030, 4, 9))
    assert (x.status_after, x.previous, x.appeal_doc_no, x.doc_name) == (
        "valid",
        g,
        "云府复〔2026〕9号",
        "恢复许可证件通知书",
    )
    assert x.basis.startswith("《中华人民共和国行政复议法》第六十四条、《中华人民共和国行政诉讼法》第七十条")
    old, new = DisclosureRecord.objects.filter(source_type="registry.permitdecision",
                                               source_id=str(g.pk)).order_by("version")
    assert (old.state, new.state, new.version) == ("withdrawn", "published", 2)
    assert new.publish_due == date(2026, 6, 10) and new.payload == old.payload  # the grant's own data items
    assert new.public.data["doc_no"] == "郁交运许〔2026〕15号" and new.public.data["status"] == "有效"
    assert CreditRecord.objects.get(disclosure=old).status == "void"
    assert CreditRecord.objects.get(disclosure=new).status == "active"
    ended = CreditRecord.objects.get(source_ref=f"registry.permitdecision:{r.pk}")
    assert ended.status == "void" and "云府复〔2026〕9号" in ended.status_reason
    assert not CreditRecord.objects.filter(source_ref=f"registry.permitdecision:{x.pk}").exists()
    assert AuditRecord.objects.filter(action="registry.permit.restore", target_id=str(x.pk)).exists()
    with pytest.raises(DomainError) as e:  # once
        restore(head_user, lic, django_capture_on_commit_callbacks, "2026-06-02", doc_no="郁交运恢2号")
    assert e.value.status == 409 and "已有效，不能再作出恢复决定" in e.value.message


def test_restore_after_expiry_is_recorded_and_the_licence_shows_expired(
    client, tree, head_user, ent, django_capture_on_commit_callbacks
):
    """The 吊销 no longer stands, but the 有效期至 passed meanwhile: the 恢复 is recorded, the dates are kept,
    and the licence shows 已过期 as any expired licence does."""
    g = grant(head_user, ent, django_capture_on_commit_callbacks, valid_to="2026-06-30")
    lic = g.licence
    decide(head_user, lic, django_capture_on_commit_callbacks, "revoke", doc_no="郁交罚〔2026〕88号",
           decided_on=APR30.isoformat(), reason="依法吊销")
    client.force_login(head_user)
    offer = "记录恢复决定（吊销决定经复议、诉讼撤销）"
    assert offer in _text(client.get(f"/registry/licences/{lic.pk}/"))
    form = {**RESTORE, "action": "restore", "decided_on": "2026-07-15", "authority": str(tree.bureau_a.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/registry/licences/{lic.pk}/decisions/new/", form)
    assert r.status_code == 302
    x = PermitDecision.objects.get(licence=lic, action="restore")
    lic.refresh_from_db()
    assert (x.status_after, x.appeal_doc_no, lic.status, lic.valid_to) == (
        "valid",
        "云府复〔2026〕9号",
        "valid",
        date(2026, 6, 30),
    )
    page = _text(client.get(f"/registry/licences/{lic.pk}/"))
    assert "已过期" in page and "恢复" in page and offer not in page


def test_annulment_for_fraud_counts_against_the_holder(tree, reviewer_user, ent, django_capture_on_commit_callbacks):
    g = grant(reviewer_user, ent, django_capture_on_commit_callbacks)
    a = decide(reviewer_user, g.licence, django_capture_on_commit_callbacks, "annul", doc_no="郁交运撤〔2026〕1号",
               decided_on=APR30.isoformat(), reason="申请材料中车辆技术等级证明系伪造", holder_fault="1")
    assert a.basis == "《中华人民共和国行政许可法》第六十九条" and a.licence.status == "annulled"
    cr = CreditRecord.objects.get(source_ref=f"registry.permitdecision:{a.pk}")
    assert cr.effect == "negative" and cr.subject_ref == f"enterprise:{ent.pk}"


def test_change_replaces_the_public_record(tree, head_user, ent, django_capture_on_commit_callbacks):
    g = grant(head_user, ent, django_capture_on_commit_callbacks)
    c = decide(head_user, g.licence, django_capture_on_commit_callbacks, "change", doc_no="郁交运许〔2026〕31号",
               decided_on=APR30.isoformat(), content="道路普通货物运输；大型物件运输", reason="增加经营范围")
    assert c.licence.scope == "道路普通货物运输；大型物件运输" and c.category == "01"  # category carried over
    old, new = record_of(g), record_of(c)
    assert old.state == "withdrawn" and old.withdraw_due == date(2026, 5, 8)
    # Apr 30 + 7 working days: May 6, 7, 8, 9 (a Saturday worked in lieu), 11, 12, 13
    assert new.state == "published" and new.publish_due == date(2026, 5, 13)
    assert new.public.data["permit_content"] == "道路普通货物运输；大型物件运输"
    assert new.public.data["doc_name"] == "准予变更行政许可决定书"
    assert CreditRecord.objects.get(disclosure=old).status == "void"
    assert CreditRecord.objects.get(disclosure=new).status == "active"


def test_renewal_only_before_expiry(tree, head_user, ent, django_capture_on_commit_callbacks):
    g = grant(head_user, ent, django_capture_on_commit_callbacks, valid_to="2026-06-30")
    with pytest.raises(DomainError) as e:  # 行政许可法 Art 50: decided before the term ends
        decide(head_user, g.licence, django_capture_on_commit_callbacks, "renewal", doc_no="R1",
               decided_on="2026-07-01", valid_to="2030-06-30")
    assert "第五十条" in e.value.message and "应重新申请许可" in e.value.message
    r = decide(head_user, g.licence, django_capture_on_commit_callbacks, "renewal", doc_no="R1",
               decided_on="2026-06-15", valid_to="2030-06-30")
    assert (r.licence.valid_from, r.licence.valid_to) == (date(2026, 7, 1), date(2030, 6, 30))
    assert record_of(r).public.data["valid_to"] == "2030-06-30" and record_of(g).state == "withdrawn"


def test_person_and_vehicle_licences(tree, head_user, ent, django_capture_on_commit_callbacks):
    idcard = fake_idcard(random.Random(3))
    services.subject_save(kind="persons", actor=head_user, data={"name": "欧阳娜娜", "idcard": idcard})
    person = Person.objects.get(name="欧阳娜娜")
    d = grant(head_user, person, django_capture_on_commit_callbacks, kind="qualification", number="44532226000123",
              category="freight_driver", content="经营性道路货物运输驾驶员", doc_no="云交从〔2026〕3号",
              permit_category="03")
    assert d.licence.person == person and d.category == "03"
    pub = record_of(d).public
    assert pub.data["subject_name"] == "欧阳**" and "subject_code" not in pub.data
    assert idcard not in json.dumps(pub.data, ensure_ascii=False) and pub.data["permit_category"] == "认可"


def test_bad_input_is_refused_in_chinese(tree, head_user, ent, django_capture_on_commit_callbacks):
    cases = [
        ({"doc_no": ""}, "许可决定书文号不能为空"),
        ({"permit_category": "特别"}, "许可类别“特别”无效"),
        ({"content": ""}, "许可内容不能为空"),
        ({"valid_to": "2026-04-01"}, "有效期至不能早于有效期自"),
        ({"decided_on": "2026-02-30"}, "决定日期“2026-02-30”不是有效日期"),
        ({"decided_on": "2099-01-01", "valid_from": "2099-01-01", "valid_to": "2099-12-31"}, "决定日期不能晚于今天"),
        ({"valid_from": "2026-04-09"}, "有效期自不能早于决定日期"),
        ({"kind": "驾驶证"}, "证照类型“驾驶证”无效"),
    ]
    for over, message in cases:
        with pytest.raises(DomainError) as e:
            grant(head_user, ent, django_capture_on_commit_callbacks, **over)
        assert e.value.status == 422 and message in e.value.message, (over, e.value.message)
    assert not Licence.objects.exists() and not PermitDecision.objects.exists()
    grant(head_user, ent, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as e:  # the same licence again
        grant(head_user, ent, django_capture_on_commit_callbacks, doc_no="其他文号")
    assert "已登记：对已有证照请作出变更、延续或注销决定" in e.value.message
    with pytest.raises(DomainError) as e:  # the same document number again
        grant(head_user, ent, django_capture_on_commit_callbacks, number="445322000778")
    assert "许可决定书文号“郁交运许〔2026〕15号”已登记" in e.value.message
    assert Licence.objects.count() == 1  # the refused grant left nothing behind
    lic = Licence.objects.get()
    with pytest.raises(DomainError) as e:
        decide(head_user, lic, django_capture_on_commit_callbacks, "cancel", doc_no="C1", decided_on="2026-04-20")
    assert e.value.message == "理由不能为空" and e.value.fields == {"reason": "理由不能为空"}
    with pytest.raises(DomainError) as e:
        decide(head_user, lic, django_capture_on_commit_callbacks, "cancel", doc_no="C1",
               decided_on="2026-04-09", reason="企业申请终止经营")
    assert "决定日期不能早于该证照上一项许可决定（郁交运许〔2026〕15号，2026-04-10）" in e.value.message


def test_who_may_record_what(tree, head_user, officer_user, officer_b, sysadmin, ent,
                             django_capture_on_commit_callbacks):
    g = grant(officer_user, ent, django_capture_on_commit_callbacks)  # an officer records a grant
    lic = g.licence
    with pytest.raises(DomainError) as e:  # but not a revocation
        decide(officer_user, lic, django_capture_on_commit_callbacks, "annul", doc_no="A1",
               decided_on=APR30.isoformat(), reason="x")
    assert e.value.status == 403 and "法制审核人员" in e.value.message
    with pytest.raises(DomainError) as e:  # nor does another county's officer reach the licence
        decide(officer_b, lic, django_capture_on_commit_callbacks, "cancel", doc_no="C9",
               decided_on=APR30.isoformat(), reason="x")
    assert e.value.status == 403 and "不在您的管辖范围内" in e.value.message
    with pytest.raises(DomainError) as e:  # 三员 record nothing
        grant(sysadmin, ent, django_capture_on_commit_callbacks, number="445322000779", doc_no="S1")
    assert e.value.status == 403
    outsider = make_user("head_b", tree.bureau_b, {"head"})
    with pytest.raises(DomainError) as e:  # a holder of another county is "not registered" there
        grant(outsider, ent, django_capture_on_commit_callbacks, number="445321000001", doc_no="X1")
    assert "未登记" in e.value.message
    with pytest.raises(DomainError) as e:  # the authority must be the unit or one above it
        with django_capture_on_commit_callbacks(execute=True):
            services.permit_decide(action="grant", data={**GRANT, "number": "445322000780", "doc_no": "Y1"},
                                   actor=head_user, holder=ent, authority=tree.bureau_b)
    assert "许可机关应为本单位或其上级" in e.value.message
    city = services.permit_decide(action="grant", data={**GRANT, "number": "445322000781", "doc_no": "Y2"},
                                  actor=head_user, holder=ent, authority=tree.city)
    assert city.authority == tree.city and city.licence.issuing_authority == "云浮市交通运输局"


# --- pages and API ---------------------------------------------------------------------------------


def _text(r) -> str:
    return r.content.decode()


def test_grant_and_decision_pages(client, tree, head_user, officer_b, sysadmin, ent):
    client.force_login(head_user)
    page = _text(client.get(f"/registry/enterprises/{ent.pk}/"))
    assert f"/registry/enterprises/{ent.pk}/permits/new/" in page and "准予许可" in page
    r = client.get(f"/registry/enterprises/{ent.pk}/permits/new/")
    assert r.status_code == 200 and "许可决定书文号" in _text(r) and "许可类别" in _text(r)
    form = {**GRANT, "authority": str(tree.bureau_a.pk)}
    bad = client.post(f"/registry/enterprises/{ent.pk}/permits/new/", {**form, "doc_no": ""})
    assert bad.status_code == 422 and "许可决定书文号不能为空" in _text(bad)
    r = client.post(f"/registry/enterprises/{ent.pk}/permits/new/", form)
    lic = Licence.objects.get(number="445322000777")
    assert r.status_code == 302 and r["Location"] == f"/registry/licences/{lic.pk}/"
    detail = _text(client.get(r["Location"]))
    assert "郁交运许〔2026〕15号" in detail and "准予许可" in detail and "普通" in detail
    r = client.post(f"/registry/licences/{lic.pk}/decisions/new/",
                    {"action": "cancel", "doc_no": "郁交运注〔2026〕2号", "decided_on": APR30.isoformat(),
                     "reason": "企业申请终止经营", "authority": str(tree.bureau_a.pk)})
    assert r.status_code == 302
    lic.refresh_from_db()
    assert lic.status == "cancelled" and "注销" in _text(client.get(f"/registry/licences/{lic.pk}/"))
    client.force_login(officer_b)
    assert client.get(f"/registry/licences/{lic.pk}/decisions/new/").status_code == 404
    assert client.get(f"/registry/enterprises/{ent.pk}/permits/new/").status_code == 404
    client.force_login(sysadmin)
    assert client.get(f"/registry/enterprises/{ent.pk}/permits/new/").status_code == 403


def _auth(user) -> dict:
    raw = acc.api_token_create(user=user, name="许可", actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_records_decisions(client, tree, head_user, ent):
    auth = _auth(head_user)
    body = {**GRANT, "action": "grant", "holder_uscc": ent.uscc}
    r = client.post("/api/v1/registry/permit-decisions", data=json.dumps(body), content_type="application/json",
                    **auth)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["action_label"] == "准予许可" and out["category_label"] == "普通"
    assert out["authority_uscc"] == agency_uscc("445322")
    r = client.post("/api/v1/registry/permit-decisions", data=json.dumps({**body, "number": "445322000888"}),
                    content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["code"] == "registry.invalid" and "已登记" in r.json()["message"]
    r = client.post("/api/v1/registry/permit-decisions", content_type="application/json", **auth,
                    data=json.dumps({"action": "renewal", "licence_id": out["licence_id"], "doc_no": "R7",
                                     "decided_on": "2026-05-06", "valid_to": "2034-04-09"}))
    assert r.status_code == 201 and r.json()["valid_to"] == "2034-04-09"
    listed = client.get(f"/api/v1/registry/licences/{out['licence_id']}/decisions", **auth).json()
    assert [d["action"] for d in listed] == ["renewal", "grant"]


bodies = st.dictionaries(
    st.sampled_from(["action", "licence_id", "authority_id", "doc_no", "permit_category", "content", "decided_on",
                     "valid_from", "valid_to", "reason", "holder_fault", "kind", "number", "holder_uscc"]),
    st.one_of(st.text(max_size=20), st.integers(), st.none(), st.booleans()),
    max_size=9,
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_generated_bodies_never_500(client, head_user, body):
    r = client.post("/api/v1/registry/permit-decisions", data=json.dumps(body), content_type="application/json",
                    **_auth(head_user))
    assert r.status_code in (201, 403, 404, 409, 422), r.content
    if r.status_code != 201:
        assert set(r.json()) == {"code", "message", "fields"} and r.json()["message"]


def test_licence_status_changes_only_through_a_decision(
    client, tree, head_user, ent, django_capture_on_commit_callbacks
):
    """The plain edit (form, service, API) cannot set a status; 注销/撤销/吊销 go through ``permit_decide``,
    which withdraws the 双公示 record (3 working days, 处罚法 Art 48 para 2) and files the credit event."""
    g = grant(head_user, ent, django_capture_on_commit_callbacks)
    lic = g.licence
    assert PublicRecord.objects.filter(record=record_of(g)).exists()
    client.force_login(head_user)
    page = _text(client.get(f"/registry/licences/{lic.pk}/edit/"))
    assert 'name="status"' not in page and "不在此修改" in page
    assert f"/registry/licences/{lic.pk}/decisions/new/" in page  # the decision action, on the edit page
    form = {"kind": lic.kind, "number": lic.number, "holder_uscc": ent.uscc, "scope": "道路普通货物运输、货物专用运输",
            "issuing_authority": lic.issuing_authority, "valid_from": lic.valid_from.isoformat(),
            "valid_to": lic.valid_to.isoformat(), "status": "revoked"}  # a forged field: not on the form
    assert client.post(f"/registry/licences/{lic.pk}/edit/", form).status_code == 302
    lic.refresh_from_db()
    assert (lic.status, lic.scope) == ("valid", "道路普通货物运输、货物专用运输")
    assert record_of(g).state == "published" and PublicRecord.objects.filter(record=record_of(g)).exists()
    with pytest.raises(DomainError) as e:  # the service refuses a different status, naming the decision path
        services.subject_save(kind="licences", actor=head_user, data={**form, "status": "注销"})
    assert e.value.status == 409 and "记录许可决定" in e.value.message and "status" in e.value.fields
    services.subject_save(kind="licences", actor=head_user, data={**form, "status": "有效"})  # unchanged: fine
    r = client.put("/api/v1/registry/licences", data=json.dumps({**form, "status": "revoked"}),
                   content_type="application/json", **_auth(head_user))
    assert r.status_code == 409 and r.json()["code"] == "registry.rejected"
    lic.refresh_from_db()
    assert lic.status == "valid" and not PermitDecision.objects.filter(licence=lic).exclude(pk=g.pk).exists()

    decision_url = f"/registry/licences/{lic.pk}/decisions/new/"
    no_reason = client.post(decision_url, {"action": "cancel", "doc_no": "郁交运注〔2026〕3号",
                                           "decided_on": APR30.isoformat(), "authority": str(tree.bureau_a.pk)})
    assert no_reason.status_code == 422 and "理由不能为空" in _text(no_reason)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(decision_url, {"action": "cancel", "doc_no": "郁交运注〔2026〕3号",
                                       "decided_on": APR30.isoformat(), "reason": "企业申请终止经营",
                                       "authority": str(tree.bureau_a.pk)})
    assert r.status_code == 302
    lic.refresh_from_db()
    rec = record_of(g)
    assert lic.status == "cancelled" and rec.state == "withdrawn" and rec.withdraw_due == date(2026, 5, 8)
    assert "注销" in rec.withdraw_reason and not PublicRecord.objects.filter(record=rec).exists()
    assert AuditRecord.objects.filter(action="registry.permit.cancel").exists()
    # a later plain edit keeps the decided status (no silent fall-back to 有效), and offers no decision action
    assert client.post(f"/registry/licences/{lic.pk}/edit/", {**form, "status": ""}).status_code == 302
    lic.refresh_from_db()
    assert lic.status == "cancelled" and decision_url not in _text(client.get(f"/registry/licences/{lic.pk}/edit/"))


def test_suspension_keeps_the_permit_public_and_return_ends_it(
    tree, head_user, officer_user, ent, django_capture_on_commit_callbacks
):
    """暂扣 (处罚法 Art 9(三)) needs its end date and leaves the 行政许可 record up (the permit still exists);
    发还 before that date only on the ground that the 暂扣 decision was revoked or changed."""
    g = grant(head_user, ent, django_capture_on_commit_callbacks)
    lic = g.licence
    with pytest.raises(DomainError) as e:
        decide(head_user, lic, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕90号",
               decided_on=APR30.isoformat(), reason="超范围经营")
    assert e.value.status == 422 and e.value.fields == {"suspend_until": "暂扣期限至不能为空"}
    with pytest.raises(DomainError) as e:  # 暂扣 ends a right for a time: not an officer's record
        decide(officer_user, lic, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕90号",
               decided_on=APR30.isoformat(), reason="超范围经营", suspend_until="2026-07-30")
    assert e.value.status == 403
    s = decide(head_user, lic, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕90号",
               decided_on=APR30.isoformat(), reason="超范围经营", suspend_until="2026-07-30")
    lic.refresh_from_db()
    assert (lic.status, lic.suspended_until, s.previous) == ("suspended", date(2026, 7, 30), g)
    assert record_of(g).state == "published" and PublicRecord.objects.filter(record=record_of(g)).exists()
    with pytest.raises(DomainError) as e:
        decide(head_user, lic, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕91号",
               decided_on=APR30.isoformat(), reason="再次暂扣", suspend_until="2026-08-30")
    assert e.value.status == 409 and "已暂扣，不能再作出暂扣决定" in e.value.message
    with pytest.raises(DomainError) as e:
        decide(officer_user, lic, django_capture_on_commit_callbacks, "return", doc_no="郁交还〔2026〕1号",
               decided_on="2026-05-06", reason="提前发还")
    assert e.value.status == 409 and "期满前发还须依据撤销或者变更原处罚决定的决定" in e.value.message
    r = decide(officer_user, lic, django_capture_on_commit_callbacks, "return", doc_no="郁交还〔2026〕1号",
               decided_on="2026-05-06", reason="原暂扣决定经复议撤销", early="1")
    lic.refresh_from_db()
    assert (lic.status, lic.suspended_until, r.status_after) == ("valid", None, "valid")
    assert "暂扣期满或原决定撤销、变更后发还" in r.basis
    assert record_of(g).state == "published"
    with pytest.raises(DomainError) as e:
        decide(officer_user, lic, django_capture_on_commit_callbacks, "return", doc_no="郁交还〔2026〕2号",
               decided_on="2026-05-06", reason="再发还")
    assert e.value.status == 409 and "已有效，不能再作出发还决定" in e.value.message


def test_a_licence_registered_before_the_platform_can_be_ended_without_a_category(
    tree, head_user, ent, django_capture_on_commit_callbacks
):
    """Most licences pre-date the platform: no earlier decision carries their 许可类别. Ending or suspending
    one needs none (no 行政许可 record is published); a granting decision (变更) still needs it."""
    services.subject_save(
        kind="licences",
        actor=head_user,
        data={"kind": "business_permit", "number": "445322000888", "holder_uscc": ent.uscc,
              "scope": "道路普通货物运输", "issuing_authority": "郁南县交通运输局",
              "valid_from": "2023-01-01", "valid_to": "2029-12-31"},
    )  # fmt: skip
    lic = Licence.objects.get(number="445322000888")
    with pytest.raises(DomainError) as e:
        decide(head_user, lic, django_capture_on_commit_callbacks, "change", doc_no="郁交运许〔2026〕16号",
               decided_on=APR30.isoformat(), reason="变更经营范围")  # fmt: skip
    assert "permit_category" in e.value.fields
    d = decide(head_user, lic, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕90号",
               decided_on=APR30.isoformat(), suspend_until="2026-07-30", reason="暂扣三个月")  # fmt: skip
    lic.refresh_from_db()
    assert (d.category, d.previous, lic.status) == ("", None, "suspended")
    r = decide(head_user, lic, django_capture_on_commit_callbacks, "revoke", doc_no="郁交罚〔2026〕91号",
               decided_on=APR30.isoformat(), reason="依法吊销")  # fmt: skip
    lic.refresh_from_db()
    assert (r.category, lic.status) == ("", "revoked")


def test_licences_due_back_after_their_suspension(client, tree, head_user, ent, django_capture_on_commit_callbacks):
    """The licence list's 暂扣期满待发还: suspended licences whose period's last day has passed, oldest first;
    one still within its period is not listed."""
    over = grant(head_user, ent, django_capture_on_commit_callbacks).licence
    within = grant(head_user, ent, django_capture_on_commit_callbacks, number="445322000779",
                   doc_no="郁交运许〔2026〕17号").licence  # fmt: skip
    decide(head_user, over, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕92号",
           decided_on=APR30.isoformat(), suspend_until="2026-07-30", reason="暂扣三个月")  # fmt: skip
    decide(head_user, within, django_capture_on_commit_callbacks, "suspend", doc_no="郁交罚〔2026〕93号",
           decided_on=APR30.isoformat(), suspend_until="2099-12-31", reason="暂扣")  # fmt: skip
    client.force_login(head_user)
    due = _text(client.get("/registry/licences/", {"to_return": "1"}))
    assert over.number in due and within.number not in due and "期满待发还" in due
    listed = _text(client.get("/registry/licences/"))
    assert "暂扣至 2099-12-31" in listed and '暂扣至 2026-07-30 <span class="badge bad">期满待发还</span>' in listed
