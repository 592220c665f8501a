"""The internal 公示记录 list exported (issue 15 item 8): the page's filter, Chinese headers and labels, and
a source name starting with '=' written as text."""

from __future__ import annotations

import pytest

from tests.disclosure.helpers import Src, items
from tests.export_checks import assert_text_not_formula, csv_rows, xlsx_rows
from zhifa.disclosure.services import _emit_now

pytestmark = pytest.mark.django_db


class FormulaSrc(Src):
    def __str__(self):
        return '=HYPERLINK("http://x.example","决定")'


def test_record_export_has_the_filtered_rows(tree, head_user, client):
    from datetime import date

    for pk, name, plate in ((1, "郁南县通达物流有限公司", "粤W12345"), (2, "郁南县顺风客运有限公司", "粤W22222")):
        _emit_now(kind="penalty", source=(FormulaSrc if pk == 2 else Src)(tree.bureau_a, pk=pk),
                  decided_on=date(2026, 4, 10), actor=head_user, items=items(subject_name=name, plate=plate),
                  on=date(2026, 4, 10))
    client.force_login(head_user)
    page = client.get("/disclosure/records/", {"q": "顺风"}).content.decode()
    assert "export=xlsx" in page and "导出 CSV" in page
    rows, ws = xlsx_rows(client.get("/disclosure/records/", {"q": "顺风", "export": "xlsx"}))
    assert rows[0] == ["类别", "来源", "决定日期", "公示期限", "公示日期", "是否逾期公示", "状态", "说明", "公示单位"]
    assert len(rows) == 2 and rows[1][2] == "2026-04-10" and rows[1][0] != "penalty"
    assert_text_not_formula(ws, 2, 2, "HYPERLINK")
    text = csv_rows(client.get("/disclosure/records/", {"q": "粤W12345", "export": "csv"}))
    assert len(text) == 2 and text[1][1] == "决定1"
