"""治超 meets the enforcement core: the record and its evidence package go into evidence storage at
confirmation (``evidence_ingest`` on ``overload.lead``), and the 抄告 (超限规定 Art 44) follows the 结案 of
the case raised from the lead's case source (cases close hook)."""

from __future__ import annotations

import json
import random

import pytest
from django.utils import timezone

from tests.cases.conftest import make_officer
from tests.overload.conftest import row, write_csv
from zhifa.cases.models import Case, CaseSource
from zhifa.cases.services import case_source_accept
from zhifa.cases.workflow import case_transition
from zhifa.core.calendar import add_workdays
from zhifa.core.errors import DomainError
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.selectors import evidence_for
from zhifa.evidence.storage import storage_for
from zhifa.overload import services
from zhifa.overload.models import Lead, LeadStatus, Notice

pytestmark = pytest.mark.django_db


def _lead(tree, tmp_path, record_id="I1", plate="桂A12345", gross=55_000):
    services.ingest_file(
        path=write_csv(tmp_path / f"{record_id}.csv", [row(record_id, plate=plate, gross=gross)]),
        actor=None,
        org=tree.bureau_a,
    )
    return Lead.objects.get(record_id=record_id)


def test_confirmation_stores_the_record_as_evidence(
    tree, stations, certified_officer, head_user, officer_b, tmp_path
):
    lead = services.lead_confirm(lead=_lead(tree, tmp_path), actor=certified_officer, reason="图片清晰")
    item = EvidenceItem.objects.get(target_type="overload.lead", target_id=str(lead.pk))
    assert item.step == "审核确认" and item.kind == "data" and item.org == certified_officer.org
    assert lead.evidence["evidence_item"] == {
        "id": item.pk,
        "digest": item.digest,
        "algorithm": item.digest_algorithm,
    }
    # the stored bytes are the package, and their digest is the recorded one
    from zhifa.core.crypto import digest_bytes

    data = b"".join(storage_for(item.backend).read(item.storage_key))
    assert digest_bytes(data) == item.digest
    package = json.loads(data)
    assert package["record_id"] == "I1" and package["excess_kg"] == 6_000
    assert package["evidence_package"]["device"]["cert_no"] == "YFJL-2026-0131"
    assert package["fine"]["amount_fen"] == 3_000_00
    src = CaseSource.objects.get(pk=lead.case_source_id)
    assert src.evidence_ids == [item.pk]
    # the confirming officer's unit and the bureau's head see it; another county does not
    assert list(evidence_for("overload.lead", lead.pk, actor=certified_officer)) == [item]
    assert list(evidence_for("overload.lead", lead.pk, actor=head_user)) == [item]
    assert list(evidence_for("overload.lead", lead.pk, actor=officer_b)) == []


def test_evidence_target_is_registered(tree, stations, certified_officer, tmp_path):
    import io

    from zhifa.evidence.services import evidence_ingest

    with pytest.raises(DomainError):  # an unknown lead is refused by the registered resolver
        evidence_ingest(
            io.BytesIO(b"x"),
            filename="a.txt",
            content_type="text/plain",
            target_type="overload.lead",
            target_id=999999,
            step="补充",
            org=certified_officer.org,
            actor=certified_officer,
        )


def test_storage_failure_refuses_the_confirmation(tree, stations, certified_officer, tmp_path, monkeypatch):
    from zhifa.evidence import services as ev

    def broken(*a, **kw):
        raise ev.EvidenceError.STORAGE.error(detail="磁盘已满")

    monkeypatch.setattr(ev, "evidence_ingest", broken)
    lead = _lead(tree, tmp_path)
    with pytest.raises(DomainError, match="磁盘已满"):
        services.lead_confirm(lead=lead, actor=certified_officer)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.PENDING and CaseSource.objects.count() == 0


def _walk_to_closed(source, head, officers, *, fine_fen=3_000_00):
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()  # the lead's ZC-001 is the case's basis from the 执法事项库 (issue 14)
    on = timezone.localdate()
    case = case_source_accept(source=source, actor=head, on=on, officer_ids=[o.pk for o in officers])

    def go(action, **data):
        nonlocal case
        case = case_transition(case=case, action=action, actor=head, data=data, on=on)

    go("record", kind="询问笔录", content="驾驶人承认超限运输", signature="signed")
    go("end_investigation", report="超限事实清楚")
    go(
        "propose",
        outcome="penalty",
        penalty_type="fine",
        proposed_fine_fen=fine_fen,
        tier="general",
        tier_reasons="按第四十三条计算",
    )
    go("notify")
    go("statement", content="放弃陈述申辩", waive_hearing="true")
    if case.review_required:
        pytest.fail("unexpected review requirement")
    go("decide")
    go("serve", method="direct", proof="送达回证")
    go("pay", paid_fen=case.fine_fen, receipt_no="缴款书 001", channel="bank")
    go("close")
    return case


def test_notice_follows_the_case_close(
    tree, stations, certified_officer, head_user, tmp_path, django_capture_on_commit_callbacks
):
    officers = [certified_officer.officer, make_officer(tree.squad_a1, "周执法", random.Random(3))]
    lead = services.lead_confirm(lead=_lead(tree, tmp_path), actor=certified_officer)
    local = services.lead_confirm(lead=_lead(tree, tmp_path, "I2", plate="粤W54321"), actor=certified_officer)
    with django_capture_on_commit_callbacks(execute=True):
        case = _walk_to_closed(CaseSource.objects.get(pk=lead.case_source_id), head_user, officers)
        _walk_to_closed(CaseSource.objects.get(pk=local.case_source_id), head_user, officers)
    lead.refresh_from_db()
    assert lead.case_closed_on == case.closed_on and lead.decision_no == case.decision_no
    n = Notice.objects.get()  # only the vehicle from outside the area (粤W is local)
    assert n.lead_id == lead.pk
    assert n.due_on == add_workdays(case.closed_on, 7).date and "第四十四条" in n.due_rule
    assert n.items["decision"]["case"] == case.number and n.items["decision"]["fine_fen"] == 3_000_00
    # idempotent: replaying the hook creates nothing new
    from zhifa.cases.hooks import case_closed_replay

    assert case_closed_replay(case.pk) == []
    assert Notice.objects.count() == 1
    # the manual path is refused for a lead whose source is a zhifa case
    with pytest.raises(DomainError) as e:
        services.lead_close(lead=lead, actor=certified_officer, closed_on=case.closed_on, decision_no="X")
    assert e.value.code == "overload.case_in_system" and "第四十四条" in e.value.message


def test_no_notice_when_the_case_ends_without_a_penalty(
    tree, stations, certified_officer, head_user, tmp_path, django_capture_on_commit_callbacks
):
    officers = [certified_officer.officer, make_officer(tree.squad_a1, "周执法", random.Random(3))]
    lead = services.lead_confirm(lead=_lead(tree, tmp_path), actor=certified_officer)
    on = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_source_accept(
            source=CaseSource.objects.get(pk=lead.case_source_id),
            actor=head_user,
            on=on,
            officer_ids=[o.pk for o in officers],
        )
        case = case_transition(
            case=case, action="revoke_filing", actor=head_user, data={"reason": "称重设备故障"}, on=on
        )
        case = case_transition(case=case, action="close", actor=head_user, data={}, on=on)
    assert Case.objects.get(pk=case.pk).state == "closed"
    lead.refresh_from_db()
    assert lead.case_closed_on == on and not Notice.objects.exists()
