"""The work order's table of moves: refused moves cite their rule, every move is audited and on the
timeline, the complainant's data is encrypted at rest and shown in clear to the handler only."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.complaints.models import OrderEvent, WorkOrder
from zhifa.complaints.services import MOVES, complainant_reveal, order_transition
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord

from .conftest import IDCARD, NAME, PHONE, new_order

pytestmark = pytest.mark.django_db


def _walk(o, actor, *actions, **data):
    for a in actions:
        o = order_transition(order=o, action=a, actor=actor, data=data.get(a, {}), on=date(2026, 3, 10))
    return o


def test_pii_is_encrypted_at_rest_and_masked(order):
    row = WorkOrder.objects.values().get(pk=order.pk)
    blob = repr(row)
    for secret in (NAME, PHONE, IDCARD):
        assert secret not in blob
    assert order.name_masked == "欧阳**" and order.phone_masked == "138****5678"
    assert order.idcard_masked.startswith("445") and order.idcard_masked.endswith("0023")


def test_only_the_handler_sees_the_complainant(order, officer_user, head_user):
    with pytest.raises(DomainError):
        complainant_reveal(order=order, actor=head_user)
    order = order_transition(order=order, action="accept", actor=officer_user)
    c = complainant_reveal(order=order, actor=officer_user)
    assert (c.name, c.phone, c.idcard) == (NAME, PHONE, IDCARD)
    assert AuditRecord.objects.filter(action="complaint.reveal", actor_id=officer_user.pk).exists()


def test_closing_without_a_reply_is_refused_with_the_rule(order, officer_user):
    o = _walk(order, officer_user, "accept", "handle")
    with pytest.raises(DomainError) as e:
        order_transition(order=o, action="close", actor=officer_user)
    assert e.value.code == "complaints.no_reply"
    assert "《信访工作条例》第三十四条" in e.value.message and "53号" in e.value.message


def test_hotline_order_needs_a_revisit_before_closing(tree, officer_user):
    o = new_order(tree, channel="12345", category="complaint", external_no="GD-1")
    o = _walk(o, officer_user, "accept", "handle", "reply", reply={"reply_text": "已核查处理"})
    with pytest.raises(DomainError) as e:
        order_transition(order=o, action="close", actor=officer_user)
    assert e.value.code == "complaints.no_revisit" and "国办发〔2020〕53号" in e.value.message
    o = _walk(o, officer_user, "revisit", "close", revisit={"satisfaction": "basic"})
    assert o.state == "closed" and o.closed_on


def test_xinfang_order_closes_after_the_reply_without_revisit(order, officer_user):
    o = _walk(order, officer_user, "accept", "handle", "reply", "close", reply={"reply_text": "已书面答复"})
    assert o.state == "closed"


def test_unsatisfied_revisit_leads_to_redo(tree, officer_user):
    o = new_order(tree, channel="12328", category="complaint", external_no="T-9")
    o = _walk(o, officer_user, "accept", "handle", "reply", "revisit", reply={"reply_text": "答复一"},
              revisit={"satisfaction": "unsatisfied"})
    with pytest.raises(DomainError):  # no closing on 不满意: redo first
        order_transition(order=o, action="close", actor=officer_user)
    o = _walk(o, officer_user, "redo", "reply", "revisit", "close", reply={"reply_text": "答复二"},
              revisit={"satisfaction": "satisfied"})
    assert o.state == "closed" and o.redo_count == 1


def test_redo_only_on_unsatisfied(tree, officer_user):
    o = new_order(tree, channel="12345", category="consult", external_no="C-1")
    o = _walk(o, officer_user, "accept", "reply", "revisit", reply={"reply_text": "已答复"},
              revisit={"satisfaction": "satisfied"})
    with pytest.raises(DomainError) as e:
        order_transition(order=o, action="redo", actor=officer_user)
    assert e.value.code == "complaints.redo"


def test_refuse_needs_a_reason_and_ends_the_order(order, officer_user):
    with pytest.raises(DomainError):
        order_transition(order=order, action="refuse", actor=officer_user, data={"reason": ""})
    o = order_transition(order=order, action="refuse", actor=officer_user, data={"reason": "不属于交通运输部门职责"})
    assert o.state == "refused"
    with pytest.raises(DomainError) as e:
        order_transition(order=o, action="accept", actor=officer_user)
    assert e.value.code == "complaints.not_allowed" and "不予受理" in e.value.message
    assert _walk(o, officer_user, "archive").state == "archived"


def test_dispatch_moves_the_order_and_objection_returns_it(tree, officer_user, head_user):
    o = new_order(tree)
    o = order_transition(order=o, action="dispatch", actor=head_user, data={"org_id": tree.squad_a2.pk})
    assert o.org == tree.squad_a2 and o.due is not None
    o = order_transition(order=o, action="objection", actor=head_user, data={"reason": "属第一中队辖区"})
    assert o.org == tree.bureau_a and o.state == "accepted"
    with pytest.raises(DomainError):  # another county is not a unit to dispatch to
        order_transition(order=o, action="dispatch", actor=head_user, data={"org_id": tree.squad_b1.pk})


def test_other_county_cannot_act(order, officer_b):
    with pytest.raises(DomainError) as e:
        order_transition(order=order, action="accept", actor=officer_b)
    assert e.value.status == 404


def test_every_move_is_audited_and_on_the_timeline(tree, officer_user, head_user):
    o = new_order(tree, channel="12345", external_no="X-77")
    o = _walk(o, officer_user, "accept", "handle")
    o = _walk(o, head_user, "extend", extend={"days": 3, "reason": "需现场核查"})
    o = _walk(o, officer_user, "reply", "revisit", "close", "archive", reply={"reply_text": "已处理"},
              revisit={"satisfaction": "satisfied"})
    actions = list(OrderEvent.objects.filter(order=o).values_list("action", flat=True))
    assert actions == ["receive", "accept", "handle", "extend", "reply", "revisit", "close", "archive"]
    audited = set(AuditRecord.objects.filter(target_id=str(o.pk), action__startswith="complaint.")
                  .values_list("action", flat=True))
    assert {f"complaint.{a}" for a in actions if a != "receive"} | {"complaint.create"} <= audited


def test_merge_into_another_order(tree, officer_user):
    a, b = new_order(tree), new_order(tree)
    b = order_transition(order=b, action="merge", actor=officer_user, data={"into_number": a.number})
    assert b.state == "merged" and b.merged_into == a


def test_xinfang_review_within_30_days(order, officer_user):
    o = _walk(order, officer_user, "accept", "reply", "close", reply={"reply_text": "处理意见"})
    o = order_transition(order=o, action="review", actor=officer_user, on=date(2026, 3, 20))
    assert o.review_round == "review" and o.due == date(2026, 4, 20)  # 03-20 + 30 = 04-19 (Sunday) -> 04-20


def test_idempotent_on_external_number(tree):
    a = new_order(tree, channel="12345", external_no="GD2026-1")
    b = new_order(tree, channel="12345", external_no="GD2026-1", title="另一个标题")
    assert a.pk == b.pk and WorkOrder.objects.count() == 1


def test_every_move_has_a_chinese_label():
    from zhifa.core.audit import action_label

    for action in [*MOVES, "create", "to_case", "case_outcome", "reveal"]:
        assert action_label(f"complaint.{action}").startswith("投诉举报：")
