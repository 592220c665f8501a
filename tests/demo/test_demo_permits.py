"""The demo county's year of 行政许可决定: made through the permit service, with consistent public records."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from zhifa.accounts.models import Org
from zhifa.accounts.selectors import JURISDICTION_KINDS
from zhifa.core.calendar import add_workdays
from zhifa.core.identifiers import validate_uscc
from zhifa.credit.models import CreditRecord
from zhifa.demo.loader import load_demo
from zhifa.disclosure.models import DisclosureRecord, PublicRecord
from zhifa.registry.models import Licence, PermitDecision

TODAY = date(2026, 11, 20)


@pytest.mark.django_db
def test_demo_permit_decisions_and_their_public_records():
    load_demo(seed=2022, scale=0.05, today=TODAY, modules=())
    for org in Org.objects.filter(kind__in=JURISDICTION_KINDS):
        assert validate_uscc(org.uscc).ok, org
    actions = Counter(PermitDecision.objects.values_list("action", flat=True))
    assert actions["grant"] >= 10 and actions["change"] and actions["cancel"]
    assert actions["revoke"] + actions["annul"] >= 1
    for lic in Licence.objects.filter(decisions__isnull=False).distinct():
        decisions = list(lic.decisions.order_by("decided_on", "pk"))
        assert lic.status == decisions[-1].status_after  # the licence is where its last decision left it
        for i, d in enumerate(decisions):
            assert d.decided_on <= TODAY
            if d.action not in ("grant", "change", "renewal"):
                assert not DisclosureRecord.objects.filter(source_id=str(d.pk), kind="permit").exists()
                continue
            rec = DisclosureRecord.objects.get(source_type="registry.permitdecision", source_id=str(d.pk))
            assert rec.publish_due == add_workdays(d.decided_on, 7).date
            later = decisions[i + 1] if i + 1 < len(decisions) else None
            if later is None:  # the decision in force: on the portal, as decided
                pub = PublicRecord.objects.get(record=rec)
                assert pub.data["doc_no"] == d.doc_no and pub.data["permit_content"] == d.content
                assert pub.data["status"] == lic.get_status_display() and pub.data["agency_code"] == d.authority.uscc
                assert CreditRecord.objects.get(disclosure=rec).status == "active"
            else:  # changed or ended by the next decision: withdrawn within 3 working days
                assert rec.state == "withdrawn" and rec.changed_on == later.decided_on
                assert rec.withdraw_due == add_workdays(later.decided_on, 3).date >= rec.withdrawn_on
                assert not PublicRecord.objects.filter(record=rec).exists()
                assert CreditRecord.objects.get(disclosure=rec).status == "void"
    # the imported licences of earlier years have no decision and no public record
    assert not DisclosureRecord.objects.filter(source_type="registry.licence").exists()
    assert PublicRecord.objects.count() == DisclosureRecord.objects.filter(state="published").count()
