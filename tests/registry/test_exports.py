"""监管对象 lists exported (导出 Excel / CSV): the page's filter, the page's scope, Chinese headers, masked
identifiers as on the page, and an audit record of the export."""

from __future__ import annotations

import io
import random

import pytest
from openpyxl import load_workbook

from tests.factories import fake_uscc, make_user
from tests.registry.test_views import data  # noqa: F401  (fixture)
from zhifa.core.models import AuditRecord
from zhifa.registry import services


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def county_b_enterprise(tree):
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    services.subject_save(
        kind="enterprises",
        actor=head_b,
        data={"uscc": fake_uscc(random.Random(7), region="445321"), "name": "新兴县外县物流有限公司",
              "business_type": "freight"},
    )
    services.subject_save(
        kind="vehicles",
        actor=head_b,
        data={"plate": "粤W99999", "plate_color": "yellow", "vehicle_type": "truck"},
    )


def test_vehicle_export_applies_the_filter(client, officer_user, data):  # noqa: F811
    client.force_login(officer_user)
    page = client.get("/registry/vehicles/", {"vehicle_type": "truck"}).content.decode()
    assert "?vehicle_type=truck&amp;export=xlsx" in page and "导出 CSV" in page
    rows = _sheet(client.get("/registry/vehicles/", {"vehicle_type": "truck", "export": "xlsx"}))
    assert rows[0] == ["车牌号", "车牌颜色", "车辆类型", "道路运输证号", "所属企业", "状态"]
    assert [r[0] for r in rows[1:]] == ["粤W67890"]
    assert rows[1][1] != "blue" and rows[1][2] != "truck"  # labels, not codes
    assert rows[1][4] == "郁南县通达物流有限公司"
    rec = AuditRecord.objects.filter(action="list.export").latest("seq")
    assert rec.actor_id == officer_user.pk
    assert rec.detail["list"] == "车辆" and rec.detail["rows"] == 1
    assert rec.detail["filters"] == {"vehicle_type": "truck"} and rec.detail["format"] == "xlsx"


def test_enterprise_and_licence_exports(client, officer_user, data):  # noqa: F811
    client.force_login(officer_user)
    rows = _sheet(client.get("/registry/enterprises/", {"q": "通达", "export": "xlsx"}))
    assert rows[0][:3] == ["企业名称", "统一社会信用代码", "经营类别"]
    assert [r[0] for r in rows[1:]] == ["郁南县通达物流有限公司"]
    assert rows[1][2] != "freight"
    rows = _sheet(client.get("/registry/licences/", {"kind": "vehicle_cert", "export": "xlsx"}))
    assert rows[0][:3] == ["证照类型", "证号", "持证对象"]
    assert [(r[1], r[2]) for r in rows[1:]] == [("粤交运管W0001", "粤W12345")]
    assert len(rows[1][5]) == 10 and rows[1][5][4] == "-"  # 有效期至 as YYYY-MM-DD


def test_person_export_is_masked_as_on_the_page(client, officer_user, data):  # noqa: F811
    client.force_login(officer_user)
    rows = _sheet(client.get("/registry/persons/", {"qualified": "1", "export": "xlsx"}))
    assert rows[0] == ["姓名", "身份证号（脱敏）", "性别", "出生日期", "联系电话（脱敏）", "所在企业"]
    assert [r[0] for r in rows[1:]] == ["王五"]
    text = " ".join(str(c) for c in rows[1])
    assert data["idcard"] not in text and "13800138000" not in text
    # a full ID number typed as the filter is masked in the audit record too
    client.get("/registry/persons/", {"q": data["idcard"], "export": "csv"})
    rec = AuditRecord.objects.filter(action="list.export").latest("seq")
    assert data["idcard"] not in str(rec.detail)


def test_export_never_widens_scope(client, officer_user, data, county_b_enterprise):  # noqa: F811
    client.force_login(officer_user)
    names = [r[0] for r in _sheet(client.get("/registry/enterprises/", {"export": "xlsx"}))[1:]]
    assert "郁南县通达物流有限公司" in names and "新兴县外县物流有限公司" not in names
    plates = [r[0] for r in _sheet(client.get("/registry/vehicles/", {"export": "xlsx"}))[1:]]
    assert "粤W99999" not in plates and set(plates) == {"粤W12345", "粤W67890"}
    body = client.get("/registry/vehicles/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "粤W99999" not in body


def test_export_refused_to_the_three_administrators(client, sysadmin, data):  # noqa: F811
    client.force_login(sysadmin)
    assert client.get("/registry/vehicles/", {"export": "xlsx"}).status_code == 403
    assert not AuditRecord.objects.filter(action="list.export").exists()


def test_row_cap_leaves_a_chinese_note(client, officer_user, data, settings):  # noqa: F811
    settings.EXPORT_MAX_ROWS = 1
    client.force_login(officer_user)
    rows = _sheet(client.get("/registry/vehicles/", {"export": "xlsx"}))
    assert len(rows) == 3  # header, one vehicle, the note
    assert rows[2][0].startswith("注：符合条件的共 2 条，本次仅导出前 1 条")
    rec = AuditRecord.objects.filter(action="list.export").latest("seq")
    assert rec.detail["rows"] == 1 and rec.detail["total"] == 2


def test_a_large_export_runs_in_the_background_for_its_submitter_only(client, officer_user, head_user, data,  # noqa: F811
                                                                      settings, tmp_path):
    """Over ZHIFA_EXPORT_INLINE_ROWS the click lands on a job page (the list's own view runs again in the
    worker as the same person, same filter); the file is the same as an inline export and only its
    submitter may download it."""
    from zhifa.jobs.models import Job

    settings.DATA_DIR = tmp_path
    client.force_login(officer_user)
    inline = _sheet(client.get("/registry/vehicles/", {"export": "xlsx", "q": "粤W"}))
    settings.EXPORT_INLINE_ROWS = 1
    resp = client.get("/registry/vehicles/", {"export": "xlsx", "q": "粤W"})
    job = Job.objects.get(kind="exports.list")
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{job.pk}/"
    assert job.params["query"] in ("export=xlsx&q=%E7%B2%A4W", "q=%E7%B2%A4W&export=xlsx")
    page = client.get(resp["Location"]).content.decode()
    assert "已完成" in page and "已导出 2 条" in page and f'href="/jobs/{job.pk}/file"' in page and "下载文件" in page
    file = client.get(f"/jobs/{job.pk}/file")
    assert file.status_code == 200 and "attachment" in file["Content-Disposition"]
    body = b"".join(file.streaming_content)
    ws = load_workbook(io.BytesIO(body), read_only=True).active
    assert [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)] == inline
    # audited once per export, by the person who asked, with the filter
    recs = AuditRecord.objects.filter(action="list.export", actor_id=officer_user.pk)
    assert recs.count() == 2 and recs.latest("seq").detail["filters"] == {"q": "粤W"}
    client.force_login(head_user)  # even a head of the unit: not their file
    assert client.get(f"/jobs/{job.pk}/file").status_code == 404
