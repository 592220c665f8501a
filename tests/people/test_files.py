"""Files on 队伍与保障 records through the evidence store: a course's materials, an emergency plan's document
(each version its own) and a 普法 activity's photos — uploaded on their pages, listed there, downloaded
(custody-logged), refused with a Chinese error when the content is not of the accepted types (nothing
stored), and "not found" for another county."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.crawl.codes import internal_codes
from tests.crawl.crawler import parse_page
from tests.evidence.conftest import stored_files
from tests.factories import PASSWORD
from tests.people.conftest import file_records
from zhifa.evidence.enums import CustodyAction
from zhifa.evidence.models import EvidenceItem
from zhifa.people.files import KINDS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"p" * 600
PDF = b"%PDF-1.7\n" + b"plan text " * 300
DOCX = b"PK\x03\x04" + b"docx body " * 200


@pytest.fixture
def records(tree, head_user, officer_user):
    return file_records(tree.bureau_a, head_user)


def _client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def _post(c: Client, kind: str, pk: int, name: str, data: bytes):
    return c.post(f"/people/files/{kind}/{pk}/", {"file": SimpleUploadedFile(name, data)}, follow=True)


@pytest.mark.parametrize(
    ("kind", "key", "page", "name", "data"),
    [
        ("course", "course", "/people/training/{pk}/", "讲义.pdf", PDF),
        ("plan", "plan", "/people/emergency/", "预案2024.docx", DOCX),
        ("activity", "activity", "/people/pufa/", "现场.png", PNG),
    ],
)
def test_upload_list_download(records, officer_user, kind, key, page, name, data):
    rec = records[key]
    c = _client("officer_a")
    resp = _post(c, kind, rec.pk, name, data)
    assert resp.status_code == 200 and f"已上传“{name}”" in resp.content.decode()
    item = EvidenceItem.objects.get(target_type=KINDS[kind].target, target_id=str(rec.pk))
    assert (item.filename, item.size, item.org) == (name, len(data), officer_user.org)
    listed = c.get(page.format(pk=rec.pk)).content.decode()
    link = f"/people/files/{kind}/{rec.pk}/{item.pk}/"
    assert link in listed and name in listed
    got = c.get(link)
    assert got.status_code == 200 and b"".join(got.streaming_content) == data
    assert item.custody.filter(action__in=[CustodyAction.DOWNLOAD, CustodyAction.VIEW]).count() == 1
    # the evidence store's own page names the record in words (培训课程 / 应急预案 / 普法活动), not by its code
    _links, text = parse_page(c.get(f"/evidence/{item.pk}/").content.decode())
    assert f"{KINDS[kind].what} #{rec.pk}" in text and not [
        h for h in internal_codes(text) if h[1] != "officer_a"
    ]


def test_each_plan_version_keeps_its_own_document(records):
    c = _client("head_a")
    _post(c, "plan", records["plan"].pk, "预案2024.pdf", PDF)
    _post(c, "plan", records["plan2"].pk, "预案2026.pdf", PDF + b"rev")
    page = c.get("/people/emergency/").content.decode()
    assert f"/people/files/plan/{records['plan'].pk}/" in page and "预案2026.pdf" in page
    v1 = EvidenceItem.objects.get(target_type="people.emergencyplan", target_id=str(records["plan"].pk))
    v2 = EvidenceItem.objects.get(target_type="people.emergencyplan", target_id=str(records["plan2"].pk))
    assert (v1.filename, v2.filename) == ("预案2024.pdf", "预案2026.pdf")
    # a version's file is not reachable under the other version
    assert c.get(f"/people/files/plan/{records['plan2'].pk}/{v1.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("kind", "key", "name", "data", "accepted"),
    [
        ("activity", "activity", "照片.png", PDF, "JPEG 图片、PNG 图片"),  # a PDF named .png
        ("plan", "plan", "预案.pdf", b"MZ\x90\x00" + b"x" * 500, "PDF 文件"),  # a program named .pdf
        ("course", "course", "空.pdf", b"", "不能为空"),
    ],
)
def test_a_bad_file_is_refused_in_chinese_and_nothing_is_stored(
    records, evidence_fs, kind, key, name, data, accepted
):
    c = _client("officer_a")
    resp = _post(c, kind, records[key].pk, name, data)
    body = resp.content.decode()
    assert resp.status_code == 200 and accepted in body and "已上传" not in body
    if data:
        assert f"文件“{name}”不是" in body
    assert not EvidenceItem.objects.exists()
    assert stored_files(evidence_fs) == []


def test_another_county_gets_not_found(records, officer_b):
    c = _client("officer_a")
    _post(c, "activity", records["activity"].pk, "现场.png", PNG)
    item = EvidenceItem.objects.get()
    other = _client("officer_b")
    act = records["activity"].pk
    assert other.get(f"/people/files/activity/{act}/{item.pk}/").status_code == 404
    assert _post(other, "activity", act, "x.png", PNG).status_code == 404
    assert other.post(f"/people/files/course/{records['course'].pk}/", {}).status_code == 404
    assert "现场.png" not in other.get("/people/pufa/").content.decode()
    assert EvidenceItem.objects.count() == 1
    # an unknown kind of record is not found either
    assert c.get(f"/people/files/exam/{act}/{item.pk}/").status_code == 404
