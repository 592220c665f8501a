"""全过程记录 pages: list, a target's evidence with upload form and custody log, an item's page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.evidence.conftest import payload
from zhifa.core.crypto import digest_bytes
from zhifa.evidence.models import CustodyEvent, EvidenceItem

pytestmark = pytest.mark.django_db


def test_upload_form_lists_digest_size_uploader_and_custody(client, officer_user):
    client.force_login(officer_user)
    url = "/evidence/t/tests.record/12/"
    r = client.get(url)
    assert r.status_code == 200 and "上传证据" in r.content.decode()
    data = payload(3 * 1024 * 1024, seed=9)  # above FILE_UPLOAD_MAX_MEMORY_SIZE: a temporary file
    f = SimpleUploadedFile("现场照片.jpg", data, content_type="image/jpeg")
    r = client.post(url, {"file": f, "step": "调查取证", "description": "车辆外观"}, follow=True)
    page = r.content.decode()
    item = EvidenceItem.objects.get()
    assert item.digest == digest_bytes(data) and item.kind == "photo" and item.description == "车辆外观"
    assert "已上传" in page and item.digest in page and "现场照片.jpg" in page and "3.0" in page
    assert officer_user.display_name in page and "上传" in page  # custody log row


def test_upload_without_a_file_shows_a_message(client, officer_user):
    client.force_login(officer_user)
    r = client.post("/evidence/t/tests.record/12/", {"step": "调查取证"}, follow=True)
    assert "请选择要上传的文件" in r.content.decode() and not EvidenceItem.objects.exists()


def test_item_page_shows_player_and_logs_the_view(client, officer_user, ingest):
    item = ingest(payload(1000), filename="v.mp4", content_type="video/mp4")
    client.force_login(officer_user)
    page = client.get(f"/evidence/{item.pk}/").content.decode()
    assert f'<video controls preload="metadata" src="/evidence/{item.pk}/play"' in page
    assert item.digest in page and "保管记录" in page
    assert CustodyEvent.objects.filter(item=item, action="view", actor=officer_user).count() == 1
    assert "作废理由" not in page  # officers cannot void


def test_verify_and_void_from_the_page(client, head_user, ingest):
    item = ingest()
    client.force_login(head_user)
    r = client.post(f"/evidence/{item.pk}/verify", follow=True)
    assert "完整" in r.content.decode()
    r = client.post(f"/evidence/{item.pk}/void", {"reason": ""}, follow=True)
    assert "请填写作废理由" in r.content.decode()
    r = client.post(f"/evidence/{item.pk}/void", {"reason": "重复上传"}, follow=True)
    assert "已作废" in r.content.decode()
    item.refresh_from_db()
    assert item.void_reason == "重复上传"


def test_list_page_search(client, officer_user, ingest):
    ingest(filename="询问笔录.pdf", content_type="application/pdf")
    ingest(filename="称重数据.csv", content_type="text/csv", target=("inspections.record", 5), step="非现场检测")
    client.force_login(officer_user)
    page = client.get("/evidence/").content.decode()
    assert "询问笔录.pdf" in page and "称重数据.csv" in page
    page = client.get("/evidence/?kind=data").content.decode()
    assert "称重数据.csv" in page and "询问笔录.pdf" not in page
    page = client.get("/evidence/?target_type=inspections.record&target_id=5").content.decode()
    assert "称重数据.csv" in page and "/evidence/t/inspections.record/5/" in page


def test_other_county_gets_404_and_an_empty_list(client, officer_b, ingest):
    item = ingest()
    client.force_login(officer_b)
    assert client.get(f"/evidence/{item.pk}/").status_code == 404
    assert client.post(f"/evidence/{item.pk}/verify").status_code == 404
    assert client.post(f"/evidence/{item.pk}/void", {"reason": "x"}).status_code == 404
    page = client.get("/evidence/t/tests.record/12/").content.decode()
    assert item.filename not in page and "尚无证据材料" in page
    assert item.filename not in client.get("/evidence/").content.decode()
    assert not CustodyEvent.objects.filter(item=item).exclude(action="ingest").exists()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin"])
def test_three_administrators_get_403(client, request, who, ingest):
    item = ingest()
    client.force_login(request.getfixturevalue(who))
    for url in ("/evidence/", "/evidence/t/tests.record/12/", f"/evidence/{item.pk}/"):
        assert client.get(url).status_code == 403
