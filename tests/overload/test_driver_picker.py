"""The lead review form names the driver with the person picker (issue 15 item 5): the chosen register id
is posted as ``driver_id`` and resolved within the officer's jurisdiction; another county's person is
refused, not attached."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from tests.factories import fake_idcard, make_user
from tests.overload.test_credit_from_decisions import _leads
from zhifa.overload.models import Lead
from zhifa.registry.models import Person
from zhifa.registry.services import subject_save

pytestmark = pytest.mark.django_db


def test_driver_picked_on_the_review_page(tree, stations, certified_officer, head_user, tmp_path):
    rng = random.Random(21)
    subject_save(kind="persons", actor=head_user, data={"name": "李司机", "idcard": fake_idcard(rng)})
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    subject_save(kind="persons", actor=head_b, data={"name": "赵外县", "idcard": fake_idcard(rng, "445321")})
    mine, theirs = Person.objects.get(name="李司机"), Person.objects.get(name="赵外县")
    lead, other = _leads(tree, tmp_path, "粤W80011", [1, 2])
    c = Client()
    c.force_login(certified_officer)
    page = c.get(f"/overload/leads/{lead.pk}/").content.decode()
    assert 'data-picker="/cases/pick/persons/"' in page and 'type="hidden" name="driver_id"' in page
    r = c.post(f"/overload/leads/{other.pk}/review/", {"action": "confirm", "reason": "图片清晰",
                                                       "driver_id": str(theirs.pk)}, follow=True)
    assert "请先在监管对象中登记该驾驶人" in r.content.decode()
    assert Lead.objects.get(pk=other.pk).status == "pending"
    c.post(f"/overload/leads/{lead.pk}/review/", {"action": "confirm", "reason": "图片清晰", "driver_id": str(mine.pk)})
    assert Lead.objects.get(pk=lead.pk).driver_id == mine.pk
