"""A work order's files through the evidence store (issue 18 item 1): an officer's upload on the order page
with its digest, the portal's few small images/PDFs checked by content, another county's officer gets 404,
and nothing of the files on the portal's status page."""

from __future__ import annotations

import pytest

from tests.factories import make_user
from zhifa.complaints import attachments
from zhifa.complaints.models import OrderEvent, WorkOrder
from zhifa.core.crypto import digest_bytes
from zhifa.evidence.models import CustodyEvent, EvidenceItem

from .conftest import new_order
from .test_portal import _post

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _file(name: str, data: bytes, ctype: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=ctype)


def test_officer_uploads_on_the_order_page_with_digest(client, tree, officer_user):
    o = new_order(tree)
    client.force_login(officer_user)
    data = b"recorded phone call " * 100
    resp = client.post(f"/complaints/{o.pk}/attach/", {"file": _file("来电录音.mp3", data, "audio/mpeg"),
                                                      "description": "来电录音"})
    assert resp.status_code == 302
    item = EvidenceItem.objects.get(target_type="complaints.workorder", target_id=str(o.pk))
    assert item.digest == digest_bytes(data) and item.size == len(data) and item.org == tree.squad_a1
    page = client.get(f"/complaints/{o.pk}/").content.decode()
    assert "来电录音.mp3" in page and item.digest in page and "上传附件" in page
    assert CustodyEvent.objects.filter(item=item, action="ingest").exists()
    note = OrderEvent.objects.get(order=o, action="attach")
    assert not note.public and item.digest in note.note
    # a colleague of another squad of the same bureau may see the order, so its files
    client.force_login(make_user("officer_a2", tree.squad_a2, {"officer"}))
    got = client.get(f"/complaints/{o.pk}/files/{item.pk}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == data


def test_other_county_officer_gets_404(client, tree, officer_user, officer_b):
    from zhifa.core.errors import DomainError
    from zhifa.evidence.services import evidence_ingest

    o = new_order(tree)
    client.force_login(officer_user)
    client.post(f"/complaints/{o.pk}/attach/", {"file": _file("a.png", PNG, "image/png")})
    item = EvidenceItem.objects.get()
    client.force_login(officer_b)
    assert client.post(f"/complaints/{o.pk}/attach/", {"file": _file("b.png", PNG)}).status_code == 404
    assert client.get(f"/complaints/{o.pk}/files/{item.pk}").status_code == 404
    assert client.get(f"/evidence/t/complaints.workorder/{o.pk}/").status_code == 404
    assert client.get(f"/evidence/{item.pk}/download").status_code == 404
    with pytest.raises(DomainError) as e:
        evidence_ingest(_file("c.png", PNG), filename="c.png", content_type="image/png",
                        target_type="complaints.workorder", target_id=o.pk, step="", org=officer_b.org,
                        actor=officer_b)
    assert e.value.code == "evidence.target_not_found"
    assert EvidenceItem.objects.count() == 1
    # an item of another order cannot be fetched through this order's URL
    other = new_order(tree, title="另一件")
    client.force_login(officer_user)
    assert client.get(f"/complaints/{other.pk}/files/{item.pk}").status_code == 404


def test_portal_attachments_stored_with_digests_never_on_status_page(client, tree, officer_user):
    page = _post(client, tree, files=[_file("现场.png", PNG, "image/png"), _file("来信.pdf", PDF, "image/png")])
    assert "已收到您的诉求" in page.content.decode()
    o = WorkOrder.objects.get()
    items = {i.filename: i for i in EvidenceItem.objects.filter(target_type="complaints.workorder")}
    assert set(items) == {"现场.png", "来信.pdf"}
    assert items["现场.png"].digest == digest_bytes(PNG) and items["来信.pdf"].digest == digest_bytes(PDF)
    assert items["来信.pdf"].content_type == "application/pdf"  # by its content, not the browser's word
    assert all(i.org == o.org and i.uploaded_by is None and "公众" in i.uploaded_by_name for i in items.values())
    status = client.get("/public/complaints/status/", {"number": o.number, "code": o.tracking_code}).content.decode()
    for secret in ("现场.png", "来信.pdf", items["现场.png"].digest, "附件", "材料"):
        assert secret not in status
    client.force_login(officer_user)
    detail = client.get(f"/complaints/{o.pk}/").content.decode()
    assert items["来信.pdf"].digest in detail and "现场.png" in detail


@pytest.mark.parametrize(("files", "message"), [
    ([_file("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg")], "不是 JPEG/PNG 图片或 PDF 文件"),
    ([_file(f"{i}.png", PNG, "image/png") for i in range(4)], "附件最多 3 个"),
    ([_file("big.png", PNG + bytes(2048), "image/png")], "超过 1 KB"),
])
def test_portal_refuses_bad_files_and_stores_nothing(client, tree, monkeypatch, files, message):
    monkeypatch.setenv("ZHIFA_COMPLAINT_PORTAL_FILE_KB", "1")
    page = _post(client, tree, files=files).content.decode()
    assert message in page
    assert WorkOrder.objects.count() == 0 and EvidenceItem.objects.count() == 0


def test_sniff():
    assert attachments.sniff(PNG[:8]) == ("image/png", ".png")
    assert attachments.sniff(b"\xff\xd8\xff\xe0") == ("image/jpeg", ".jpg")
    assert attachments.sniff(PDF[:8])[0] == "application/pdf"
    assert attachments.sniff(b"<html>") is None
