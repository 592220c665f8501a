"""存量文件 import: good rows in, bad rows reported with row number and reason, a re-import changes nothing;
the imported documents in force are on the 有效文件目录."""

from datetime import date

from zhifa.core.imports import run_import
from zhifa.legal import selectors
from zhifa.legal.models import NormativeDoc

SHEET = """文件名称,文号,印发日期,施行日期,有效期至,状态,公布网址,暂行试行
郁南县道路运输管理办法,郁交〔2022〕5号,2022-03-01,2022-04-01,,现行有效,https://www.yunan.gov.cn/a.html,否
郁南县出租汽车暂行规定,郁交〔2025〕2号,2025-06-01,2025-06-01,,现行有效,,是
郁南县老旧规定,郁交〔2009〕1号,2009-01-01,,2014-01-01,已废止,,否
缺日期的文件,郁交〔2020〕3号,,,,现行有效,,否
状态不明的文件,郁交〔2020〕4号,2020-01-01,,,暂停,,否
郁南县道路运输管理办法（重复行）,郁交〔2022〕5号,2022-03-01,,,现行有效,,否
"""


def test_import_reports_bad_rows_and_keeps_the_good(tree, reviewer_user, tmp_path):
    path = tmp_path / "存量文件.csv"
    path.write_text(SHEET, encoding="utf-8")
    job = run_import("legal_documents", path, actor=reviewer_user, org=tree.bureau_a)
    assert job.created == 3
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert "缺少必填列“印发日期”" in reasons[5]
    assert "状态“暂停”无法识别" in reasons[6]
    assert "文号“郁交〔2022〕5号”与本文件中前面的一行重复" in reasons[7]
    doc = NormativeDoc.objects.get(doc_no="郁交〔2022〕5号")
    assert doc.valid_until == date(2027, 3, 31)  # 5 years from 施行 (local rule default)
    trial = NormativeDoc.objects.get(doc_no="郁交〔2025〕2号")
    assert trial.valid_until == date(2027, 5, 31)  # 暂行: 2 years
    listed = set(selectors.public_documents(on=date(2026, 12, 7)).values_list("doc_no", flat=True))
    assert listed == {"郁交〔2022〕5号", "郁交〔2025〕2号"}
    again = run_import("legal_documents", path, actor=reviewer_user, org=tree.bureau_a)
    assert again.created == 0 and again.unchanged == 3 and NormativeDoc.objects.count() == 3
