"""失信程度 per violation is rule data: the class comes from the rules catalogue version in force on the
decision date (《信用修复管理办法》 国家发展改革委令2025年第36号: 一般 3 months–1 year, 严重 1–3 years)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_user
from zhifa.core.imports import run_import
from zhifa.disclosure.models import DisclosureRecord
from zhifa.disclosure.rules import severity_for
from zhifa.rules.services import load_starter_catalogue, violation_version_create

pytestmark = pytest.mark.django_db

HEADER = "行政相对人名称,行政相对人类别,行政处罚决定书文号,违法行为代码,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（元）,处罚决定日期\n"


def test_class_comes_from_the_catalogue_version_in_force_on_the_decision_date(tree, head_user, tmp_path):
    load_starter_catalogue()
    # ZC-001 违法超限运输 is 一般 in the shipped national catalogue; a reviewer of the city (the common
    # superior of both counties) reclassifies it as 严重 from 2026-06-01
    reviewer = make_user("reviewer_city", tree.city, {"legal_reviewer"})
    violation_version_create(
        code="ZC-001",
        effective_from=date(2026, 6, 1),
        reason="按行业分类标准重新分类",
        changes={"severity": "serious", "severity_source": "交通运输行业失信行为分类标准（测试）第三条"},
        actor=reviewer,
    )
    assert severity_for(decided_on=date(2026, 5, 31), violation_code="ZC-001")[0] == "general"
    sev, basis = severity_for(decided_on=date(2026, 6, 1), violation_code="ZC-001")
    assert sev == "serious" and "2026-06-01 起施行" in basis and "分类标准（测试）第三条" in basis
    # a 简易程序 decision stays 轻微 whatever the class (36号令 examples)
    assert severity_for(decided_on=date(2026, 6, 1), violation_code="ZC-001", procedure="summary")[0] == "minor"
    # unknown or unclassified codes fall back to the penalty type
    assert severity_for(decided_on=date(2026, 6, 1), violation_code="ZC-003", penalty_type="revoke")[0] == "serious"

    f = tmp_path / "p.csv"
    f.write_text(
        HEADER
        + "某运输公司,法人及非法人组织,郁交罚〔2026〕51号,ZC-001,违法超限运输,事实,第六十四条,罚款,罚款3000元,3000,2026-05-29\n"
        + "某运输公司,法人及非法人组织,郁交罚〔2026〕52号,ZC-001,违法超限运输,事实,第六十四条,罚款,罚款3000元,3000,2026-06-01\n",
        encoding="utf-8",
    )
    run_import("disclosure_penalties", f, actor=head_user, org=tree.squad_a1)
    before = DisclosureRecord.objects.get(doc_no="郁交罚〔2026〕51号")
    after = DisclosureRecord.objects.get(doc_no="郁交罚〔2026〕52号")
    # 36号令: 一般 at most 1 year, 严重 at most 3 years, from the decision date
    assert (before.severity, before.publish_until) == ("general", date(2027, 5, 29))
    assert (after.severity, after.publish_until, after.repair_eligible_from) == (
        "serious", date(2029, 6, 1), date(2027, 6, 1)
    )
    assert "ZC-001（2026-06-01 起施行的全国版本）" in after.severity_basis
