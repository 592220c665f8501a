"""Imports: row errors with row numbers; incomplete rows held back with the reason; idempotent."""

from __future__ import annotations

import pytest

from zhifa.core.imports import run_import
from zhifa.credit.models import CreditRecord
from zhifa.disclosure.models import DisclosureRecord

from .helpers import USCC

pytestmark = pytest.mark.django_db

HEADER = "行政相对人名称,行政相对人类别,统一社会信用代码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（元）,处罚决定日期,车牌号,失信程度\n"


def test_penalty_import(tree, head_user, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(
        HEADER
        + f"郁南县通达物流有限公司,法人及非法人组织,{USCC},郁交罚〔2025〕1号,超限运输,事实,第六十四条,罚款,罚款3000元,3000,2025-06-03,粤W12345,一般\n"
        + "某公司,法人及非法人组织,,郁交罚〔2025〕2号,,,,罚款,罚款,100,2025-06-04,,\n"
        + "坏行,法人及非法人组织,123,郁交罚〔2025〕3号,a,b,c,d,e,1,2025-13-01,,\n"
        + "坏行2,外星人,,郁交罚〔2025〕4号,a,b,c,d,e,1,2025-06-01,,\n",
        encoding="utf-8",
    )
    job = run_import("disclosure_penalties", f, actor=head_user, org=tree.squad_a1)
    assert job.created == 2 and job.failed == 2
    rows = {e["row"]: e["reason"] for e in job.errors}
    assert set(rows) == {4, 5} and "行政相对人类别" in rows[5]
    ok = DisclosureRecord.objects.get(doc_no="郁交罚〔2025〕1号")
    held = DisclosureRecord.objects.get(doc_no="郁交罚〔2025〕2号")
    assert ok.state == "published" and ok.severity == "general"
    assert held.state == "held" and "违法行为类型" in held.hold_reason
    assert CreditRecord.objects.filter(subject_ref=f"uscc:{USCC}").count() == 1
    again = run_import("disclosure_penalties", f, actor=head_user, org=tree.squad_a1)
    assert again.created == 0 and again.unchanged == 2


def test_credit_import(tree, head_user, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(
        "主体名称,统一社会信用代码,类别,事项,来源平台,来源编号,认定日期,影响,失信程度\n"
        f"郁南县通达物流有限公司,{USCC},表彰奖励,2025年度诚信企业,云浮市信用平台,YF-1,2025-12-01,守信,\n"
        f"郁南县通达物流有限公司,{USCC},不存在,x,y,YF-2,2025-12-01,失信,\n",
        encoding="utf-8",
    )
    job = run_import("credit_records", f, actor=head_user, org=tree.squad_a1)
    assert job.created == 1 and job.failed == 1 and job.errors[0]["row"] == 3
    assert CreditRecord.objects.get().category == "commendation"
