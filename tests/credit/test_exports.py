"""信用名单 and 信用档案 exported (issue 15 item 8): the filtered rows only, Chinese headers and labels, and
a subject name starting with '=' written as text."""

from __future__ import annotations

import pytest

from tests.disclosure.helpers import emit
from tests.export_checks import assert_text_not_formula, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def _propose(client, kind, name, criterion):
    r = client.post("/credit/lists/propose/", {"list_kind": kind, "subject_ref": f"enterprise:{name}",
                                               "subject_name": name, "criterion": criterion, "facts": "演示"})
    assert r.status_code == 302, r.status_code


def test_list_entries_export_the_filtered_list(tree, head_user, client):
    client.force_login(head_user)
    _propose(client, "black", "=SUM(1,2)物流公司", "ZC-BL-1")
    _propose(client, "black", "郁南县甲物流有限公司", "ZC-BL-1")
    _propose(client, "red", "郁南县乙客运有限公司", "RED-AAA")
    page = client.get("/credit/lists/", {"list_kind": "black"}).content.decode()
    assert "list_kind=black&amp;export=xlsx" in page
    rows, ws = xlsx_rows(client.get("/credit/lists/", {"list_kind": "black", "export": "xlsx"}))
    assert rows[0][:5] == ["名单", "主体名称", "列入情形", "告知日期", "状态"]
    assert sorted(str(r[1]) for r in rows[1:]) == ["'=SUM(1,2)物流公司", "郁南县甲物流有限公司"]
    assert {r[0] for r in rows[1:]} != {"black"} and rows[1][2].startswith("ZC-BL-1 ")  # words, not codes
    eq = next(i for i, r in enumerate(rows) if "SUM" in str(r[1]))
    assert_text_not_formula(ws, eq + 1, 2, "SUM(1,2)")
    text = csv_rows(client.get("/credit/lists/", {"list_kind": "red", "export": "csv"}))
    assert [r[1] for r in text[1:]] == ["郁南县乙客运有限公司"]


def test_credit_files_export_the_search(tree, head_user, client):
    emit(tree.bureau_a, head_user, pk=1)
    emit(tree.bureau_a, head_user, pk=2, subject_name="郁南县顺风客运有限公司", subject_code="", plate="")
    client.force_login(head_user)
    rows, _ = xlsx_rows(client.get("/credit/", {"q": "顺风", "export": "xlsx"}))
    assert rows[0] == ["信用主体", "代码/车牌"]
    assert [r[0] for r in rows[1:]] == ["郁南县顺风客运有限公司"]
