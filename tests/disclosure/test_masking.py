"""Masking by construction: thousands of generated records with personal data in every free-text field;
none of it reaches a public page, the open API or an export."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import fake_idcard
from zhifa.disclosure.masking import public_version, scrub
from zhifa.disclosure.rules import FREE_TEXT, ITEMS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞"
filler = st.text(alphabet="，。的在于车辆道路运输违法行为发现现场检查罚款国道号", max_size=12)


@st.composite
def pii(draw):
    rng = random.Random(draw(st.integers(0, 2**32)))
    idcard = fake_idcard(rng)
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}"
    bank = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([16, 17, 18, 19])))
    third = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
    address = f"广东省郁南县{rng.choice(['都城镇', '平台镇', '连滩镇'])}{rng.choice(GIVEN)}{rng.choice(GIVEN)}路{rng.randint(1, 999)}号"
    return {"idcard": idcard, "phone": phone, "bank": bank, "third": third, "address": address}


def _text(draw, p):
    parts = [
        draw(filler),
        p["idcard"],
        draw(filler),
        p["phone"],
        p["third"],
        draw(filler),
        p["bank"],
        p["address"],
        draw(filler),
    ]
    rnd = random.Random(draw(st.integers(0, 1000)))
    rnd.shuffle(parts)
    return "".join(parts)


@st.composite
def record(draw):
    kind = draw(st.sampled_from(list(ITEMS)))
    p = draw(pii())
    person = draw(st.booleans())
    items = {}
    for key, _label, _req in ITEMS[kind]:
        items[key] = _text(draw, p)
    items["subject_kind"] = "自然人" if person else "法人及非法人组织"
    items["subject_code"] = p["idcard"]  # an ID number offered as the code: must never leave
    items["plate"] = "粤W12345"
    return kind, items, p


@given(record())
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_personal_data_in_the_public_version(rec):
    kind, items, p = rec
    out = public_version(kind, items, secrets=[p["address"]], names=[p["third"]])
    blob = repr(out)
    for value in p.values():
        assert value not in blob, (value, blob)
    assert set(out) <= {k for k, _l, _r in ITEMS[kind]}


@given(st.text(max_size=60), pii())
@settings(max_examples=1000, deadline=None)
def test_scrub_removes_ids_phones_and_accounts_anywhere(noise, p):
    text = noise + p["idcard"] + noise + p["phone"] + noise + p["bank"]
    out = scrub(text)
    for v in (p["idcard"], p["phone"], p["bank"]):
        assert v not in out


def test_free_text_items_are_declared():
    assert {"facts", "penalty_content", "remark"} <= FREE_TEXT


@pytest.mark.django_db
@given(st.lists(pii(), min_size=5, max_size=5))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pii_never_reaches_pages_api_or_exports(tree, head_user, client, pii_list):
    from zhifa.disclosure.models import DisclosureRecord

    from .helpers import emit

    DisclosureRecord.objects.all().delete()
    for i, p in enumerate(pii_list):
        text = f"当事人住{p['address']}，电话{p['phone']}，身份证{p['idcard']}，账户{p['bank']}，证人{p['third']}"
        emit(
            tree.squad_a1,
            head_user,
            pk=i + 1,
            decided_on=date(2026, 4, 10),
            facts=text,
            penalty_content=text,
            remark=text,
            subject_name="张三丰",
            subject_kind="自然人",
            subject_code=p["idcard"],
            legal_rep=p["third"],
            _secrets=[p["address"]],
            _names=[p["third"]],
        )
    pages = [
        client.get("/public/records/").content,
        client.get("/public/").content,
        client.get("/api/v1/public/records", {"page_size": 100}).content,
        client.get("/public/records/export.csv").content,
    ]
    pages += [client.get(f"/public/records/{r.pk}/").content for r in DisclosureRecord.objects.all()]
    pages += _complaint_pages(tree, head_user, client, pii_list)
    blob = b"".join(pages).decode("utf-8", "replace")
    assert "张*" in blob and "张三丰" not in blob
    for p in pii_list:
        for value in p.values():
            assert value not in blob


def _complaint_pages(tree, head_user, client, pii_list) -> list[bytes]:
    """投诉举报 on the portal: orders whose complainant is each generated person, answered with a reply; the
    status pages, the form (with its nearby-report offer) and the tracking look-ups must show none of it."""
    from zhifa.complaints.models import WorkOrder
    from zhifa.complaints.services import Complainant, order_create, order_transition

    WorkOrder.objects.all().delete()
    pages = []
    for p in pii_list:
        o, _ = order_create(actor=None, org=tree.bureau_a, channel="portal", category="report", title="黑车",
                            content="汽车站黑车拉客", received_on=date(2026, 4, 10), place="郁南汽车站",
                            lat=23.234, lng=111.535, complainant=Complainant(p["third"], p["phone"], p["idcard"]))
        o = order_transition(order=o, action="accept", actor=head_user, on=date(2026, 4, 10))
        order_transition(order=o, action="reply", actor=head_user, data={"reply_text": "已开展整治"},
                         on=date(2026, 4, 11))
        pages.append(client.get("/public/complaints/status/", {"number": o.number, "code": o.tracking_code}).content)
    client.get("/public/complaints/captcha.svg")
    answer = client.session["complaint_captcha"]["answer"]
    pages.append(client.post("/public/complaints/", {"org": tree.bureau_a.pk, "category": "report",
                                                     "content": "黑车", "place": "郁南汽车站", "lat": "23.234",
                                                     "lng": "111.535", "captcha": answer}).content)
    pages.append(client.get("/public/complaints/").content)
    return pages
