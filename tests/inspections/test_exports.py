"""双随机 lists exported (issue 15 item 8): the 检查对象名录库 with its filter, the 抽查事项清单, Chinese
headers, and an enterprise name starting with '=' written as text."""

from __future__ import annotations

import random

import pytest

from tests.export_checks import assert_text_not_formula, csv_rows, xlsx_rows
from tests.factories import fake_uscc
from zhifa.core.errors import DomainError
from zhifa.registry.services import subject_save


def test_target_directory_export_applies_the_filter(county, head_user, client):
    from zhifa.registry.models import Enterprise

    # the registry refuses such a name at entry; a row from before that check (or written by SQL) is
    # still escaped on the way out
    with pytest.raises(DomainError):
        subject_save(kind="enterprises", actor=head_user, data={
            "uscc": fake_uscc(random.Random(99)), "name": "=1+1客运有限公司", "business_type": "passenger"})
    Enterprise.objects.filter(name="郁南县第9客运有限公司").update(name="=1+1客运有限公司")
    client.force_login(head_user)
    page = client.get("/inspections/targets/", {"business_type": "passenger"}).content.decode()
    assert "business_type=passenger&amp;export=xlsx" in page
    rows, ws = xlsx_rows(client.get("/inspections/targets/", {"business_type": "passenger", "export": "xlsx"}))
    assert rows[0] == ["名称", "统一社会信用代码", "经营类别", "区域", "信用等级", "风险分类", "抽取权重（‰）"]
    names = sorted(str(r[0]) for r in rows[1:])
    assert names == sorted(["'=1+1客运有限公司"] + [f"郁南县第{i}客运有限公司" for i in range(9)])
    eq = next(i for i, r in enumerate(rows) if "=1+1" in str(r[0]))
    assert_text_not_formula(ws, eq + 1, 1, "1+1客运")
    text = csv_rows(client.get("/inspections/targets/", {"business_type": "freight", "export": "csv"}))
    assert len(text) == 31 and all("货运" in r[0] for r in text[1:])


def test_item_list_export(county, head_user, client):
    client.force_login(head_user)
    rows, _ = xlsx_rows(client.get("/inspections/items/", {"export": "xlsx"}))
    assert rows[0][:3] == ["编号", "抽查事项", "抽查依据"]
    assert [r[0] for r in rows[1:]] == ["JT-01"]
