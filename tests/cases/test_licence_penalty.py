"""处罚法 (2021) Art 9(三) 暂扣许可证件、降低资质等级、吊销许可证件 in a case: the decision moves the party's
licence through ``registry.services.permit_decide`` (its 文号 = the case's 决定书文号), and the 双公示 penalty
record names it (暂扣或吊销证照名称及编号).

Numbers used: 暂扣 3 个月 decided Mon 2026-03-02 runs to the corresponding day 2026-06-02 (民法典 Art 202), so a
发还 is due from 2026-06-03; before that only when the 暂扣 decision is revoked (行政复议法 Art 64).
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.cases.conftest import D0, new_case, step
from tests.factories import fake_uscc, make_user
from zhifa.cases.enums import CaseState
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.workflow import _licence_undo_on_revocation, s_decide_licence
from zhifa.core.errors import DomainError
from zhifa.credit.models import CreditRecord
from zhifa.disclosure.models import DisclosureRecord, PublicRecord
from zhifa.registry import services as registry
from zhifa.registry.models import Enterprise, Licence, PermitDecision

pytestmark = pytest.mark.django_db

GRANTED = date(2026, 1, 5)
NUMBER = "445322000777"


def _enterprise(actor, name: str, seed: int) -> Enterprise:
    uscc = fake_uscc(random.Random(seed))
    registry.subject_save(
        kind="enterprises", actor=actor, data={"uscc": uscc, "name": name, "business_type": "freight"}
    )
    return Enterprise.objects.get(uscc=uscc)


def _grant(actor, holder, number: str, doc_no: str, capture) -> PermitDecision:
    data = {
        "kind": "business_permit",
        "number": number,
        "doc_no": doc_no,
        "permit_category": "01",
        "content": "道路普通货物运输",
        "decided_on": GRANTED.isoformat(),
        "valid_from": GRANTED.isoformat(),
        "valid_to": "2030-01-04",
    }
    with capture(execute=True):
        return registry.permit_decide(action="grant", data=data, actor=actor, holder=holder)


@pytest.fixture
def permit(kit, django_capture_on_commit_callbacks):
    ent = _enterprise(kit.head, "郁南县通达物流有限公司", 11)
    return _grant(kit.head, ent, NUMBER, "郁交运许〔2026〕1号", django_capture_on_commit_callbacks)


def _investigated(kit, ent):
    c = new_case(kit, party_name=ent.name, subjects={"enterprise": ent})
    c = step(kit, c, "register", kit.head)
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", kind="询问笔录", content="问：是否超范围经营？答：是。", signature="signed")
    return step(kit, c, "end_investigation", report="事实清楚，证据确凿。")


def _proposed(kit, ent, **propose):
    c = _investigated(kit, ent)
    data = {
        "outcome": "penalty",
        "penalty_type": "revoke",
        "tier": "heavier",
        "tier_reasons": "一年内多次违法",
    }
    return step(kit, c, "propose", kit.head, **{**data, **propose})


def _decided(kit, ent, capture, **propose):
    c = _proposed(kit, ent, **propose)
    c = step(kit, c, "notify")
    c = step(kit, c, "statement", content="放弃陈述申辩和听证", waive_hearing="true")
    c = step(kit, c, "submit_review")
    c = step(kit, c, "review", kit.reviewer, opinion="事实清楚，适用法律正确，程序合法", passed="true")
    with capture(execute=True):
        return step(kit, c, "decide", kit.head)


def _suspended(kit, ent, capture, *, months: str):
    return _decided(
        kit, ent, capture, licence_act="suspend", licence_number=NUMBER, licence_suspend_months=months
    )


def _appealed(kit, c):
    """Served, then 行政复议 applied for."""
    c = step(kit, c, "serve", on=date(2026, 3, 3), method="direct", proof="回证")
    return step(kit, c, "appeal_file", on=date(2026, 3, 20), kind="reconsideration")


def _revoked_on_appeal(kit, c, who=None, **data):
    """The 复议决定 revoking the decision, recorded on Mon 2026-04-27."""
    data = {"outcome": "revoked", "appeal_doc_no": "云府复〔2026〕9号", **data}
    return step(kit, c, "appeal_result", who, on=date(2026, 4, 27), **data)


def _permit_record(decision) -> DisclosureRecord:
    return DisclosureRecord.objects.get(source_type="registry.permitdecision", source_id=str(decision.pk))


def _penalty_record(case) -> DisclosureRecord:
    return DisclosureRecord.objects.get(source_type="cases.case", source_id=str(case.pk))


def test_revocation_in_a_case_revokes_the_licence_once(kit, permit, django_capture_on_commit_callbacks):
    ent = permit.licence.enterprise
    c = _proposed(kit, ent, licence_act="revoke", licence_number=NUMBER)
    assert c.hearing_right and c.review_required  # 处罚法 Art 63(三); the review catalogue names the type
    assert c.licence.number == NUMBER and c.licence_act == "revoke"
    c = _decided(kit, ent, django_capture_on_commit_callbacks, licence_act="revoke", licence_number=NUMBER)
    assert c.state == CaseState.DECIDED and c.decision_no.startswith("郁交罚〔2026〕")
    lic = Licence.objects.get(number=NUMBER)
    assert lic.status == "revoked"
    d = PermitDecision.objects.get(licence=lic, action="revoke")
    assert (d.doc_no, d.authority, d.decided_on, d.doc_name) == (
        c.decision_no,
        kit.tree.bureau_a,
        D0,
        "行政处罚决定书",
    )
    assert d.basis == "《中华人民共和国行政处罚法》第九条第（三）项" and d.previous == permit
    assert c.number in d.reason and d.created_by == kit.head
    # 吊销 ends the permit: its 行政许可 record comes down
    assert _permit_record(permit).state == "withdrawn"
    assert not PublicRecord.objects.filter(record=_permit_record(permit)).exists()
    # the 双公示 penalty record names the licence
    items = _penalty_record(c).payload
    assert items["licence_revoked"] == f"道路运输经营许可证 {NUMBER}"
    assert items["penalty_content"] == f"吊销道路运输经营许可证（{NUMBER}）"
    assert items["penalty_category"] == "暂扣许可证件、降低资质等级、吊销许可证件"
    assert items["doc_no"] == c.decision_no
    # once: settling the same decision again records nothing more
    s_decide_licence(Case.objects.get(pk=c.pk), kit.head, D0)
    assert PermitDecision.objects.filter(licence=lic).count() == 2


def test_a_penalty_without_a_fine_is_closed_once_served(kit, permit, django_capture_on_commit_callbacks):
    """吊销 is carried out by the served decision (and its licence move): nothing to pay, so 结案 follows
    送达 at once; a fine still waits for payment (test_workflow.test_full_ordinary_case_to_archive)."""
    c = _decided(kit, permit.licence.enterprise, django_capture_on_commit_callbacks, licence_act="revoke",
                 licence_number=NUMBER)  # fmt: skip
    c = step(kit, c, "serve", method="direct", proof="送达回证 002")
    assert c.state == CaseState.SERVED and c.payment_due is None
    c = step(kit, c, "close", kit.head)
    assert c.state == CaseState.CLOSED and c.close_reason == "处罚决定已执行完毕"


def test_suspension_for_a_period_then_return(kit, permit, django_capture_on_commit_callbacks):
    ent = permit.licence.enterprise
    c = _suspended(kit, ent, django_capture_on_commit_callbacks, months="3")
    assert c.hearing_right  # given for 暂扣 (Art 63 para 1 item (五))
    lic = Licence.objects.get(number=NUMBER)
    assert (lic.status, lic.suspended_until) == ("suspended", date(2026, 6, 2))
    d = PermitDecision.objects.get(licence=lic, action="suspend")
    assert d.doc_no == c.decision_no and d.status_after == "suspended" and "2026-06-02" in d.content
    # 暂扣 keeps the permit: its 行政许可 record stays public
    assert _permit_record(permit).state == "published"
    assert PublicRecord.objects.filter(record=_permit_record(permit)).exists()
    items = _penalty_record(c).payload
    assert items["licence_revoked"] == f"道路运输经营许可证 {NUMBER}"
    assert items["penalty_content"] == f"暂扣道路运输经营许可证（{NUMBER}）3个月"

    # 发还: not before the period ends (the last day included) unless the 暂扣 decision fell
    for early in (date(2026, 5, 29), date(2026, 6, 2)):
        with pytest.raises(DomainError) as e:
            registry.permit_decide(
                action="return",
                actor=kit.head,
                licence=lic,
                data={"doc_no": "郁交还〔2026〕1号", "decided_on": early.isoformat(), "reason": "暂扣期满"},
            )
        assert e.value.status == 409 and "暂扣期限至 2026-06-02" in e.value.message
    with django_capture_on_commit_callbacks(execute=True):
        r = registry.permit_decide(
            action="return",
            actor=kit.officer_user,
            licence=lic,
            data={"doc_no": "郁交还〔2026〕1号", "decided_on": "2026-06-03", "reason": "暂扣期满，发还证照"},
        )
    lic.refresh_from_db()
    assert (lic.status, lic.suspended_until, r.status_after, r.previous) == ("valid", None, "valid", permit)
    assert _permit_record(permit).state == "published"  # a 发还 does not touch the public record either
    assert not CreditRecord.objects.filter(source_ref=f"registry.permitdecision:{r.pk}").exists()


def test_revoking_the_suspension_on_appeal_returns_the_licence(
    kit, permit, django_capture_on_commit_callbacks
):
    ent = permit.licence.enterprise
    c = _appealed(kit, _suspended(kit, ent, django_capture_on_commit_callbacks, months="6"))
    with django_capture_on_commit_callbacks(execute=True):
        _revoked_on_appeal(kit, c)
    lic = Licence.objects.get(number=NUMBER)
    assert (lic.status, lic.suspended_until) == ("valid", None)
    r = PermitDecision.objects.get(licence=lic, action="return")
    assert r.doc_no == "云府复〔2026〕9号" and r.decided_on == date(2026, 4, 27) and c.decision_no in r.reason
    assert _penalty_record(c).state == "withdrawn"


def test_revoking_the_revocation_on_appeal_restores_the_licence_once(
    kit, permit, django_capture_on_commit_callbacks
):
    """行政复议法 Art 64 / 行政诉讼法 Art 70: the 吊销 decision revoked, the licence is restored (registry 恢复,
    on the 复议决定书 number, which is required) and the permit's 行政许可 record is public again."""
    ent = permit.licence.enterprise
    c = _decided(kit, ent, django_capture_on_commit_callbacks, licence_act="revoke", licence_number=NUMBER)
    c = _appealed(kit, c)
    with pytest.raises(DomainError) as e:
        _revoked_on_appeal(kit, c, kit.head, appeal_doc_no="")
    assert set(e.value.fields) == {"appeal_doc_no"} and "行政复议决定书或行政判决书" in e.value.message
    with pytest.raises(DomainError) as e:  # the registry's 恢复 is recorded by those who record a 吊销
        _revoked_on_appeal(kit, c)  # by an officer
    assert e.value.status == 403 and "法制审核人员、执法部门负责人" in e.value.message
    c = Case.objects.get(pk=c.pk)
    # nothing written
    assert c.appeal_outcome == "" and Licence.objects.get(number=NUMBER).status == "revoked"
    with django_capture_on_commit_callbacks(execute=True):
        c = _revoked_on_appeal(kit, c, kit.head)
    lic = Licence.objects.get(number=NUMBER)
    assert lic.status == "valid"
    x = PermitDecision.objects.get(licence=lic, action="restore")
    assert (x.doc_no, x.appeal_doc_no, x.decided_on) == (
        "云府复〔2026〕9号",
        "云府复〔2026〕9号",
        date(2026, 4, 27),
    )
    assert c.decision_no in x.reason and x.previous == permit
    records = DisclosureRecord.objects.filter(source_type="registry.permitdecision", source_id=str(permit.pk))
    assert [(r.version, r.state) for r in records.order_by("version")] == [(1, "withdrawn"), (2, "published")]
    assert _penalty_record(c).state == "withdrawn"
    # once: the hook run again, or a later appeal revoked again, restores nothing more
    _licence_undo_on_revocation(
        Case.objects.get(pk=c.pk), {"appeal_doc_no": "云府复〔2026〕9号"}, kit.head, D0
    )
    c = step(kit, c, "appeal_file", on=date(2026, 5, 6), kind="litigation")
    with django_capture_on_commit_callbacks(execute=True):
        # nothing left to restore: no document number asked for
        step(kit, c, "appeal_result", on=date(2026, 6, 1), outcome="revoked")
    assert PermitDecision.objects.filter(licence=lic, action="restore").count() == 1


def test_a_licence_not_of_the_party_or_county_is_refused(kit, permit, django_capture_on_commit_callbacks):
    ent = permit.licence.enterprise
    other = _enterprise(kit.head, "郁南县另一运输有限公司", 12)
    _grant(kit.head, other, "445322000888", "郁交运许〔2026〕2号", django_capture_on_commit_callbacks)
    head_b = make_user("head_b", kit.tree.bureau_b, {"head"})
    far = _enterprise(head_b, "新兴县某物流有限公司", 13)
    _grant(head_b, far, "445321000999", "新交运许〔2026〕1号", django_capture_on_commit_callbacks)
    base = _investigated(kit, ent)
    common = {"outcome": "penalty", "penalty_type": "revoke", "tier": "general", "tier_reasons": "一般"}
    cases = [
        (
            {"licence_act": "revoke", "licence_number": "445322000888"},
            "持证人不是本案当事人郁南县通达物流有限公司",
        ),
        ({"licence_act": "revoke", "licence_number": "445321000999"}, "未在本单位管辖范围内登记"),
        (
            {"licence_act": "suspend", "licence_number": "NO-SUCH", "licence_suspend_months": "3"},
            "未在本单位管辖范围内登记",
        ),
        ({"licence_act": "revoke"}, "请填写拟吊销的证照编号"),
        ({"licence_act": "suspend", "licence_number": NUMBER}, "请填写暂扣期限"),
        (
            {"licence_act": "suspend", "licence_number": NUMBER, "licence_suspend_months": "0"},
            "请填写暂扣期限",
        ),
        ({}, "请选择证照处罚"),
    ]
    before = Case.objects.filter(pk=base.pk).values().get()
    for extra, reason in cases:
        with pytest.raises(DomainError) as e:
            step(kit, base, "propose", kit.head, **common, **extra)
        assert e.value.code == "cases.invalid" and reason in e.value.message, e.value.message
        assert set(e.value.fields) & {"licence_number", "licence_act", "licence_suspend_months"}
    assert Case.objects.filter(pk=base.pk).values().get() == before
    assert not CaseStep.objects.filter(case=base, action="propose").exists()
    # an already revoked licence cannot be revoked again
    Licence.objects.filter(number="445322000888").update(status="revoked")
    orphan = _investigated(kit, other)
    with pytest.raises(DomainError) as e:
        step(kit, orphan, "propose", kit.head, **common, licence_act="revoke", licence_number="445322000888")
    assert "已吊销，不能吊销" in e.value.message


def test_downgrade_moves_no_licence(kit, permit, django_capture_on_commit_callbacks):
    ent = permit.licence.enterprise
    c = _decided(kit, ent, django_capture_on_commit_callbacks, licence_act="downgrade", licence_number=NUMBER)
    assert c.hearing_right and c.licence_id is None  # Art 63(三) 降低资质等级
    assert Licence.objects.get(number=NUMBER).status == "valid"
    assert PermitDecision.objects.filter(licence__number=NUMBER).count() == 1
    items = _penalty_record(c).payload
    assert items["licence_revoked"] == "" and items["penalty_content"] == "降低资质等级"
