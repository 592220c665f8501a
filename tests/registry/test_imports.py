"""Imports: bad rows reported with row number and reason, good rows in, re-import changes nothing."""

import random

import pytest

from tests.factories import fake_idcard, fake_uscc
from zhifa.core.imports import run_import
from zhifa.core.models import AuditRecord
from zhifa.registry.models import Enterprise, Licence, Person, Vehicle

pytestmark = pytest.mark.django_db


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.fixture
def ent_file(tmp_path):
    rng = random.Random(5)
    good = [fake_uscc(rng) for _ in range(3)]
    bad = good[0][:-1] + ("0" if good[0][-1] != "0" else "1")
    rows = [
        "统一社会信用代码,企业名称,经营类别,法定代表人",
        f"{good[0]},郁南县甲物流有限公司,道路货物运输,张三",
        f"{bad},坏代码公司,道路货物运输,李四",
        f"{good[1]},郁南县乙客运有限公司,客运,王五",
        f"{good[2]},,道路货物运输,赵六",
        f"{good[1]},重复行公司,道路货物运输,孙七",
        ",,,",
    ]
    return _write(tmp_path, "enterprises.csv", "\n".join(rows)), good


def test_bad_rows_reported_good_rows_imported(tree, ent_file):
    path, good = ent_file
    job = run_import("enterprises", path, actor=None, org=tree.bureau_a)
    assert job.status == "done"
    assert (job.created, job.failed) == (2, 3)
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert set(reasons) == {3, 5, 6}
    assert "校验码" in reasons[3] and "企业名称不能为空" == reasons[5] and "与第 4 行重复" in reasons[6]
    assert set(Enterprise.objects.values_list("uscc", flat=True)) == {good[0], good[1]}
    e = Enterprise.objects.get(uscc=good[1])
    assert e.business_type == "passenger" and e.org == tree.bureau_a
    assert AuditRecord.objects.filter(action="import.enterprises").count() == 1


def test_reimport_is_idempotent_and_updates_changes(tree, ent_file, tmp_path):
    path, good = ent_file
    run_import("enterprises", path, actor=None, org=tree.bureau_a)
    before = list(Enterprise.objects.order_by("pk").values())
    job = run_import("enterprises", path, actor=None, org=tree.bureau_a)
    assert (job.created, job.updated, job.unchanged) == (0, 0, 2)
    assert list(Enterprise.objects.order_by("pk").values()) == before
    changed = _write(tmp_path, "e2.csv", f"统一社会信用代码,企业名称,经营类别\n{good[0]},郁南县甲物流有限公司（更名）,货运\n")
    job = run_import("enterprises", changed, actor=None, org=tree.bureau_a)
    assert (job.created, job.updated) == (0, 1)
    assert Enterprise.objects.get(uscc=good[0]).name.endswith("（更名）")


def test_gbk_csv_and_xlsx_are_read(tree, tmp_path):
    import openpyxl

    rng = random.Random(9)
    u1, u2 = fake_uscc(rng), fake_uscc(rng)
    gbk = _write(tmp_path, "gbk.csv", f"统一社会信用代码,企业名称,经营类别\n{u1},郁南县维修厂,机动车维修\n", "gb18030")
    assert run_import("enterprises", gbk, actor=None, org=tree.bureau_a).created == 1
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "经营类别"])
    ws.append([u2, "郁南县驾校", "驾驶员培训"])
    ws.append(["123", "坏", "驾驶员培训"])
    wb.save(tmp_path / "e.xlsx")
    job = run_import("enterprises", tmp_path / "e.xlsx", actor=None, org=tree.bureau_a)
    assert (job.created, job.failed) == (1, 1) and job.errors[0]["row"] == 3


def test_missing_column_and_unsupported_file_fail_whole(tree, tmp_path):
    job = run_import("enterprises", _write(tmp_path, "x.csv", "企业名称\n某公司\n"), actor=None, org=tree.bureau_a)
    assert job.status == "failed" and "缺少必需的列：统一社会信用代码" in job.message
    job = run_import("enterprises", _write(tmp_path, "x.pdf", "%PDF"), actor=None, org=tree.bureau_a)
    assert job.status == "failed" and "不支持的文件类型" in job.message
    assert Enterprise.objects.count() == 0


def test_vehicles_link_enterprise_and_check_plate_and_colour(tree, tmp_path):
    rng = random.Random(11)
    u = fake_uscc(rng)
    run_import("enterprises", _write(tmp_path, "e.csv", f"统一社会信用代码,企业名称,经营类别\n{u},郁南物流,货运\n"),
               actor=None, org=tree.bureau_a)
    rows = ["车牌号,车牌颜色,车辆类型,轴数,总质量,所属企业统一社会信用代码",
            f"粤W12345,黄色,重型货车,6,49000,{u}",          # 2 ok
            "粤WD12345,渐变绿,出租汽车,,,",                   # 3 ok small NEV
            "粤WD12346,蓝色,出租汽车,,,",                     # 4 NEV plate with blue colour
            "粤WI2345,黄色,普通货车,2,,",                     # 5 letter I
            f"粤W23456,黄色,普通货车,13,,{u}",                # 6 axle count out of range
            "粤W34567,黄色,普通货车,2,,91445322MA4UUUUU0X",  # 7 enterprise unknown/invalid
            "粤W45678,黄,半挂牵引车,3,25000,",                # 8 ok, short colour name
            ]
    job = run_import("vehicles", _write(tmp_path, "v.csv", "\n".join(rows)), actor=None, org=tree.bureau_a)
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert job.created == 3 and set(reasons) == {4, 5, 6, 7}
    assert "颜色" in reasons[4] and "I" in reasons[5] and "轴数" in reasons[6]
    v = Vehicle.objects.get(plate="粤W12345")
    assert v.enterprise.uscc == u and v.plate_color == "yellow" and v.gross_mass_kg == 49000


def test_persons_are_encrypted_masked_and_keyed(tree, tmp_path):
    rng = random.Random(13)
    idc = fake_idcard(rng)
    path = _write(tmp_path, "p.csv", f"姓名,身份证号码,联系电话\n张三,{idc},13800138000\n李四,123,\n")
    job = run_import("persons", path, actor=None, org=tree.bureau_a)
    assert (job.created, job.failed) == (1, 1)
    p = Person.objects.get()
    assert idc not in p.idcard_enc and p.idcard_masked == idc[:3] + "*" * 11 + idc[-4:]
    assert p.phone_masked == "138****8000" and p.birth_date.isoformat().replace("-", "") == idc[6:14]
    assert run_import("persons", path, actor=None, org=tree.bureau_a).unchanged == 1


def test_licences_resolve_holders(tree, tmp_path):
    rng = random.Random(17)
    u, idc = fake_uscc(rng), fake_idcard(rng)
    run_import("enterprises", _write(tmp_path, "e.csv", f"统一社会信用代码,企业名称,经营类别\n{u},甲,货运\n"),
               actor=None, org=tree.bureau_a)
    run_import("persons", _write(tmp_path, "p.csv", f"姓名,身份证号码\n王五,{idc}\n"), actor=None, org=tree.bureau_a)
    rows = ["证照类型,证号,持证企业统一社会信用代码,持证人身份证号码,从业资格类别,发证机关,有效期起,有效期至",
            f"道路运输经营许可证,粤交运管许可云字445322000001号,{u},,,郁南县交通运输局,2024-01-01,2028-12-31",
            f"从业资格证,445322199001011234,,{idc},经营性道路货物运输驾驶员,云浮市交通运输局,2020/1/1,2026/12/31",
            f"从业资格证,X2,,{fake_idcard(rng)},经营性道路货物运输驾驶员,云浮市交通运输局,2020-01-01,2026-12-31",
            f"道路运输经营许可证,X3,{u},,,郁南县交通运输局,2028-01-01,2024-12-31"]
    job = run_import("licences", _write(tmp_path, "l.csv", "\n".join(rows)), actor=None, org=tree.bureau_a)
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert job.created == 2 and "持证人未登记" in reasons[4] and "早于" in reasons[5]
    assert Licence.objects.get(kind="qualification").person.name == "王五"


def test_other_jurisdiction_cannot_overwrite(tree, tmp_path):
    """County B importing an enterprise county A holds gets its own record; A's is untouched (issue 16
    item 12: the answer is the one a new enterprise gets)."""
    rng = random.Random(19)
    u = fake_uscc(rng)
    path = _write(tmp_path, "e.csv", f"统一社会信用代码,企业名称,经营类别\n{u},甲,货运\n")
    run_import("enterprises", path, actor=None, org=tree.bureau_a)
    path2 = _write(tmp_path, "e2.csv", f"统一社会信用代码,企业名称,经营类别\n{u},被改名,货运\n")
    job = run_import("enterprises", path2, actor=None, org=tree.bureau_b)
    assert (job.created, job.failed) == (1, 0)
    assert Enterprise.objects.get(uscc=u, org=tree.bureau_a).name == "甲"
    assert Enterprise.objects.get(uscc=u, org=tree.bureau_b).name == "被改名"


def test_officer_import(tree, tmp_path):
    rng = random.Random(23)
    i1, i2 = fake_idcard(rng), fake_idcard(rng)
    rows = ["姓名,身份证号码,所在单位,执法证号,发证机关,执法门类,有效期起,有效期至",
            f"甲,{i1},第一中队,44000001,广东省交通运输厅,综合执法,2023-01-01,2027-12-31",
            f"乙,{i2},新兴第一中队,44000002,广东省交通运输厅,综合执法,2023-01-01,2027-12-31",
            f"丙,{fake_idcard(rng)},第二中队,44000001,广东省交通运输厅,综合执法,2023-01-01,2027-12-31"]
    job = run_import("officers", _write(tmp_path, "o.csv", "\n".join(rows)), actor=None, org=tree.bureau_a)
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert job.created == 1 and "不存在或不在本单位之下" in reasons[3] and "已属于其他人员" in reasons[4]
    from zhifa.accounts.models import Officer

    assert list(Officer.objects.values_list("name", flat=True)) == ["甲"]  # row 4 left nothing behind


def test_reimport_keeps_licence_status(tree, tmp_path):
    """A licence's status moves only through a 许可决定: a re-imported row with another status is a row
    error naming both, a blank status keeps the stored one; a new licence may carry its current status."""
    u = fake_uscc(random.Random(29))
    run_import("enterprises", _write(tmp_path, "e.csv", f"统一社会信用代码,企业名称,经营类别\n{u},甲,货运\n"),
               actor=None, org=tree.bureau_a)
    head = "证照类型,证号,持证企业统一社会信用代码,发证机关,有效期起,有效期至,状态"
    first = [head, f"道路运输经营许可证,L1,{u},郁南县交通运输局,2024-01-01,2028-12-31,有效",
             f"道路运输经营许可证,L2,{u},郁南县交通运输局,2024-01-01,2028-12-31,吊销"]
    job = run_import("licences", _write(tmp_path, "l1.csv", "\n".join(first)), actor=None, org=tree.bureau_a)
    assert (job.created, job.failed) == (2, 0)
    again = [head, f"道路运输经营许可证,L1,{u},郁南县交通运输局,2024-01-01,2028-12-31,吊销",
             f"道路运输经营许可证,L2,{u},郁南县交通运输局,2024-01-01,2029-12-31,",
             f"道路运输经营许可证,L3,{u},郁南县交通运输局,2024-01-01,2028-12-31,暂扣"]
    job = run_import("licences", _write(tmp_path, "l2.csv", "\n".join(again)), actor=None, org=tree.bureau_a)
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert (job.created, job.updated, job.failed) == (1, 1, 1) and set(reasons) == {2}
    assert "状态“吊销”与登记状态“有效”不同" in reasons[2] and "记录许可决定" in reasons[2]
    status = dict(Licence.objects.values_list("number", "status"))
    assert status == {"L1": "valid", "L2": "revoked", "L3": "suspended"}
    assert Licence.objects.get(number="L2").valid_to.year == 2029  # the good row went in, its status kept
