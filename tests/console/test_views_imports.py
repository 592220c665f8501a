"""数据导入 pages: upload, background job, progress fragment, row errors, templates, permissions.

Permission rules tested here: 法制审核人员 and 执法部门负责人 only (403 for officers and the 三员); a job is
visible to its unit's subtree only (404 for another county).
"""

from __future__ import annotations

import csv
import io
import random
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import fake_uscc, make_user
from zhifa.core.models import AuditRecord, ImportJob
from zhifa.registry.models import Enterprise, Vehicle


def _text(r) -> str:
    return r.content.decode()


@pytest.fixture
def inline_jobs(settings, tmp_path):
    """Run import jobs inline in the request (the test database lives in the test's transaction; a real
    worker runs them in tests/jobs)."""
    settings.DATA_DIR = tmp_path
    settings.JOBS_EAGER = True


def _vehicles_csv() -> bytes:
    rows = [
        ["车牌号", "车牌颜色", "车辆类型", "轴数", "道路运输证号"],
        ["粤W11111", "黄色", "重型货车", "6", "445322000001"],
        ["粤W22222", "蓝色", "普通货车", "", ""],
        ["粤W3", "黄色", "普通货车", "", ""],  # row 4: bad plate
        ["粤W44444", "黄牌", "半挂牵引车", "3", ""],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def _upload(client, kind="vehicles", content=None, name="车辆.csv"):
    f = SimpleUploadedFile(name, _vehicles_csv() if content is None else content, content_type="text/csv")
    return client.post("/imports/", {"kind": kind, "file": f})


def test_import_page_lists_kinds_and_templates(client, reviewer_user):
    client.force_login(reviewer_user)
    page = _text(client.get("/imports/"))
    for kind in ("enterprises", "persons", "vehicles", "licences", "officers"):
        assert f'value="{kind}"' in page and f"/imports/template/{kind}.csv" in page
    r = client.get("/imports/template/vehicles.csv")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    header = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert header[:3] == ["车牌号", "车牌颜色", "车辆类型"]
    assert client.get("/imports/template/nothing.csv").status_code == 404


def test_import_with_a_bad_row(client, reviewer_user, inline_jobs, tmp_path):
    client.force_login(reviewer_user)
    r = _upload(client)
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/{job.pk}/"
    assert job.status == "done" and job.org_id == reviewer_user.org_id and job.filename == "车辆.csv"
    assert (job.created, job.failed, job.total) == (3, 1, 4)
    assert set(Vehicle.objects.values_list("plate", flat=True)) == {"粤W11111", "粤W22222", "粤W44444"}
    page = _text(client.get(r["Location"]))
    assert "已完成" in page and "错误明细（1 行）" in page
    assert "<td>4</td>" in page and "车牌号无效" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling
    assert not list((tmp_path / "uploads").iterdir())  # the temporary upload is removed
    r = client.get(f"/imports/{job.pk}/errors.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["行号", "原因"] and rows[1][0] == "4" and "车牌号无效" in rows[1][1]
    assert AuditRecord.objects.filter(action="import.vehicles", actor_id=reviewer_user.pk).exists()
    page = _text(client.get("/imports/"))
    assert f'href="/imports/{job.pk}/"' in page and "新增 3，更新 0，未变化 0，错误 1" in page
    # re-importing the same file changes nothing
    _upload(client)
    again = ImportJob.objects.order_by("-pk").first()
    assert (again.created, again.unchanged, again.failed) == (0, 3, 1)


def test_progress_fragment_polls_while_running(client, head_user, tree):
    job = ImportJob.objects.create(
        kind="vehicles",
        filename="a.csv",
        status=ImportJob.Status.RUNNING,
        total=100,
        processed=40,
        org_id=tree.bureau_a.pk,
        actor_name="head_a",
    )
    client.force_login(head_user)
    page = _text(client.get(f"/imports/{job.pk}/"))
    assert f'hx-get="/imports/{job.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page
    frag = _text(client.get(f"/imports/{job.pk}/progress/"))
    assert "<html" not in frag and "40 / 100" in frag and 'hx-trigger="every 1s"' in frag
    ImportJob.objects.filter(pk=job.pk).update(status="done", processed=100, created=100)
    frag = _text(client.get(f"/imports/{job.pk}/progress/"))
    assert "hx-trigger" not in frag and "已完成" in frag and "全部行均已导入" in frag


def test_bad_file_and_bad_form(client, head_user, inline_jobs):
    client.force_login(head_user)
    r = _upload(client, content=b"a,b\n1,2\n")
    job = ImportJob.objects.get()
    assert job.status == "failed" and "缺少必需的列" in job.message
    assert "缺少必需的列" in _text(client.get(r["Location"]))
    r = _upload(client, name="车辆.txt")
    assert r.status_code == 422 and "不支持的文件类型" in _text(r)
    r = _upload(client, kind="nothing")
    assert r.status_code == 422 and "请选择导入类型" in _text(r)
    assert ImportJob.objects.count() == 1


def test_jobs_are_scoped_to_the_unit_subtree(client, reviewer_user, tree, inline_jobs):
    client.force_login(reviewer_user)
    _upload(client)
    job = ImportJob.objects.get()
    reviewer_b = make_user("reviewer_b", tree.bureau_b, {"legal_reviewer"})
    client.force_login(reviewer_b)
    for url in (f"/imports/{job.pk}/", f"/imports/{job.pk}/progress/", f"/imports/{job.pk}/errors.csv"):
        assert client.get(url).status_code == 404, url
    assert f"/imports/{job.pk}/" not in _text(client.get("/imports/"))
    # a superior unit sees the job
    city_head = make_user("head_city", tree.city, {"head"})
    client.force_login(city_head)
    assert client.get(f"/imports/{job.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["officer_user", "officer_b", "sysadmin", "secadmin", "auditadmin"])
def test_import_pages_forbidden(client, request, who, inline_jobs, tree):
    job = ImportJob.objects.create(kind="vehicles", filename="a.csv", org_id=tree.bureau_a.pk)
    client.force_login(request.getfixturevalue(who))
    for url in (
        "/imports/",
        "/imports/template/vehicles.csv",
        f"/imports/{job.pk}/",
        f"/imports/{job.pk}/progress/",
        f"/imports/{job.pk}/errors.csv",
    ):
        assert client.get(url).status_code == 403, url
    assert _upload(client).status_code == 403
    assert not Vehicle.objects.exists()


def test_enterprise_import_then_vehicles_reference_them(client, head_user, inline_jobs):
    uscc = fake_uscc(random.Random(5))
    client.force_login(head_user)
    content = f"统一社会信用代码,企业名称,经营类别\n{uscc},郁南县顺风运输有限公司,货运\n".encode()
    _upload(client, kind="enterprises", content=content, name="企业.csv")
    ent = Enterprise.objects.get(uscc=uscc)
    content = f"车牌号,车牌颜色,车辆类型,所属企业统一社会信用代码\n粤W88888,黄色,重型货车,{uscc}\n".encode()
    _upload(client, content=content)
    assert Vehicle.objects.get(plate="粤W88888").enterprise_id == ent.pk


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_a_background_thread(client, reviewer_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(reviewer_user)
    r = _upload(client)
    job_id = int(r["Location"].strip("/").split("/")[-1])
    for t in threading.enumerate():
        if t.name == f"import-job-{job_id}":
            assert t.daemon
            t.join(timeout=30)
    job = ImportJob.objects.get(pk=job_id)
    assert job.status == "done" and (job.created, job.failed) == (3, 1)
    frag = _text(client.get(f"/imports/{job_id}/progress/"))
    assert "<td>4</td>" in frag and "hx-trigger" not in frag
