"""A unit's 统一社会信用代码 (GB 32100-2015): checked with the identifiers' check-character functions, unique,
edited by the 系统管理员 on the unit page, audited."""

from __future__ import annotations

import pytest

from zhifa.accounts import services
from zhifa.accounts.enums import OrgKind
from zhifa.core.errors import DomainError
from zhifa.core.identifiers import validate_uscc
from zhifa.core.models import AuditRecord
from zhifa.demo.generator import agency_uscc

pytestmark = pytest.mark.django_db

CODE = agency_uscc("445322")  # 11445322044532279J: 1 机构编制, 1 机关, division code, org code, check


def test_demo_agency_codes_pass_both_check_characters():
    for division in ("440000", "445300", "445322", "445321"):
        assert validate_uscc(agency_uscc(division)).ok


def test_create_and_update_check_the_code(tree, sysadmin):
    bad = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    with pytest.raises(DomainError) as e:
        services.org_create(name="郁南县公路事务中心", kind=OrgKind.OTHER, parent=tree.bureau_a, uscc=bad,
                            actor=sysadmin)
    assert e.value.status == 422 and e.value.fields["uscc"] == f"校验码错误：第18位应为 {CODE[-1]}，实为 {bad[-1]}"
    org = services.org_update(org=tree.bureau_a, uscc=" " + CODE.lower() + " ", actor=sysadmin)
    assert org.uscc == CODE  # normalised
    audit = AuditRecord.objects.filter(action="org.update").get()
    assert audit.actor_id == sysadmin.pk and audit.detail["changed"]["uscc"] == ["", CODE]
    with pytest.raises(DomainError) as e:  # one code, one unit
        services.org_update(org=tree.bureau_b, uscc=CODE, actor=None)
    assert e.value.fields["uscc"] == f"统一社会信用代码 {CODE} 已由“郁南县交通运输局”使用"
    assert services.org_update(org=tree.bureau_a, uscc="", actor=sysadmin).uscc == ""  # may be cleared
    with pytest.raises(DomainError) as e:
        services.org_update(org=tree.bureau_a, name="改名", actor=sysadmin)
    assert "不能修改的字段：name" in e.value.message


def test_only_the_sysadmin_of_the_unit_edits_it(tree, sysadmin, head_user):
    with pytest.raises(DomainError) as e:
        services.org_update(org=tree.bureau_a, uscc=CODE, actor=head_user)
    assert e.value.status == 403
    with pytest.raises(DomainError) as e:
        services.org_update(org=tree.bureau_b, uscc=agency_uscc("445321"), actor=sysadmin)
    assert e.value.status == 403 and "不在您的管辖范围内" in e.value.message


def test_org_page_edits_the_code(client, tree, sysadmin, head_user):
    client.force_login(sysadmin)
    assert "统一社会信用代码" in client.get("/admin/orgs/").content.decode()
    url = f"/admin/orgs/{tree.bureau_a.pk}/edit/"
    r = client.post(url, {"short_name": "郁", "division_code": "445322", "uscc": CODE[:-1] + "Z"})
    assert r.status_code == 422 and "统一社会信用代码不使用字母 I、O、S、V、Z" in r.content.decode()
    r = client.post(url, {"short_name": "郁", "division_code": "445322", "uscc": CODE})
    assert r.status_code == 302
    tree.bureau_a.refresh_from_db()
    assert tree.bureau_a.uscc == CODE and CODE in client.get("/admin/orgs/").content.decode()
    assert client.get(f"/admin/orgs/{tree.bureau_b.pk}/edit/").status_code == 404  # outside the unit
    client.force_login(head_user)
    assert client.get(url).status_code == 403
