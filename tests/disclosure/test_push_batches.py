"""Push batches to 信用中国 / the provincial platform carry every change since the last batch (issue 24):
new rows, rows made anew, and rows the platform holds that are no longer public — a repaired record leaves
as a withdrawal row with its state and reason (36号令: publication and sharing stop in step on every
platform); ``--org`` takes a unit's name or id, as the README says."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from tests.disclosure.helpers import emit
from zhifa.credit.models import CreditRecord
from zhifa.credit.services import credit_repair_apply, credit_repair_decide
from zhifa.disclosure.services import disclosure_export_batch

pytestmark = pytest.mark.django_db
PLEDGE = "承诺所提交材料真实有效，愿意承担违反承诺的相应责任。"


def _batch(tree, head_user, target="信用中国"):
    body, batch = disclosure_export_batch(actor=head_user, org=tree.squad_a1, target=target, fmt="json")
    return json.loads(body), batch


def test_a_repaired_record_leaves_as_a_withdrawal_row_in_the_next_batch(tree, head_user, reviewer_user):
    rec = emit(tree.squad_a1, head_user, pk=1)
    emit(tree.squad_a1, head_user, pk=2, doc_no="郁交罚〔2026〕13号", plate="粤W54321")
    first, _ = _batch(tree, head_user)
    assert sorted((r["数据状态"], r["行政处罚决定书文号"]) for r in first) == [
        ("新增", "郁交罚〔2026〕12号"),
        ("新增", "郁交罚〔2026〕13号"),
    ]
    again, batch = _batch(tree, head_user)
    assert again == [] and batch.rows == 0  # nothing changed since
    cr = CreditRecord.objects.get(disclosure=rec)
    app = credit_repair_apply(
        record=cr,
        applicant="x",
        pledge=PLEDGE,
        proof="缴款凭证",
        obligations_met=True,
        on=date(2026, 8, 1),
        actor=head_user,
    )
    credit_repair_decide(
        application=app, approve=True, reasons="义务已履行", on=date(2026, 8, 3), actor=reviewer_user
    )
    rows, batch = _batch(tree, head_user)
    assert len(rows) == 1 and batch.record_ids == [rec.pk]
    row = rows[0]
    assert row["数据状态"] == "撤销公示" and "信用修复" in row["状态原因"] and row["状态日期"] == "2026-08-03"
    assert row["行政处罚决定书文号"] == "郁交罚〔2026〕12号"  # the platform can find the row it holds
    # another platform has had nothing yet: its first batch carries only what is public now
    other, _ = _batch(tree, head_user, target="广东省信用平台")
    assert [r["行政处罚决定书文号"] for r in other] == ["郁交罚〔2026〕13号"]
    # and once told, the platform is not told again
    assert _batch(tree, head_user)[0] == []


def test_a_decision_made_anew_is_a_change_row_and_a_revoked_one_a_withdrawal(tree, head_user):
    from tests.disclosure.helpers import Src
    from zhifa.disclosure.services import _withdraw_now

    emit(tree.squad_a1, head_user, pk=1)
    _batch(tree, head_user)
    # 复议 changed the fine: the decision is published anew (version 2 replaces version 1)
    emit(
        tree.squad_a1,
        head_user,
        pk=1,
        decided_on=date(2026, 5, 6),
        penalty_content="罚款人民币2000元",
        fine_wan="0.200000",
    )
    rows, _ = _batch(tree, head_user)
    assert [(r["数据状态"], r["处罚内容"]) for r in rows] == [("变更", "罚款人民币2000元")]
    _withdraw_now(
        source=Src(tree.squad_a1, pk=1),
        changed_on=date(2026, 6, 1),
        reason="复议/诉讼结果：撤销",
        actor=head_user,
        on=date(2026, 6, 2),
    )
    rows, _ = _batch(tree, head_user)
    assert [(r["数据状态"], r["状态原因"]) for r in rows] == [("撤销公示", "复议/诉讼结果：撤销")]


def test_export_cli_takes_the_org_name_or_id(tree, head_user, tmp_path, capsys):
    from zhifa.cli import main

    emit(tree.squad_a1, head_user)
    out = tmp_path / "batch.csv"
    assert main(["disclosure", "export", "--org", "郁南县交通运输局", "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["数据状态", "状态原因", "状态日期"] and rows[1][0] == "新增"
    assert main(["disclosure", "export", "--org", str(tree.bureau_a.pk), "-o", str(out)]) == 0
    assert main(["disclosure", "export", "--org", "中队", "-o", str(out)]) == 2  # 第一中队 or 新兴第一中队?
    assert "不唯一" in capsys.readouterr().err
    assert main(["disclosure", "export", "--org", "不存在的单位", "-o", str(out)]) == 2
