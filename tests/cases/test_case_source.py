import pytest

from zhifa.cases.models import CaseSource
from zhifa.cases.services import case_source_create
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_source_is_idempotent_by_origin_and_ref(tree):
    a, created_a = case_source_create(
        origin="overload",
        org=tree.bureau_a,
        facts="粤W12345 超限 12%",
        external_ref="NJK-20260301-0001",
        actor=None,
    )
    b, created_b = case_source_create(
        origin="overload", org=tree.bureau_a, facts="重发", external_ref="NJK-20260301-0001", actor=None
    )
    assert created_a and not created_b and a.pk == b.pk and CaseSource.objects.count() == 1
    assert a.decision_due > a.received_at.date() and a.created_by == "系统"
    assert AuditRecord.objects.filter(action="case_source.create").count() == 1


def test_source_without_ref_always_new_and_validated(tree, officer_user):
    case_source_create(origin="discovery", org=tree.squad_a1, facts="路面巡查发现", actor=officer_user)
    case_source_create(origin="discovery", org=tree.squad_a1, facts="路面巡查发现", actor=officer_user)
    assert CaseSource.objects.count() == 2
    with pytest.raises(DomainError):
        case_source_create(origin="bogus", org=tree.squad_a1, facts="x", actor=officer_user)
    with pytest.raises(DomainError):
        case_source_create(origin="discovery", org=tree.squad_a1, facts="  ", actor=officer_user)
