"""The pages: the portal's 办事指南 and application form, the status page with 补正 and 好差评, the public
verification page and upload, the staff pages and their scope, the indicators' XLSX, and
``zhifa licences verify`` refusing a PDF with one changed byte."""

from __future__ import annotations

from datetime import date as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.permits.conftest import USCC, new_app
from zhifa.cli import main as zhifa
from zhifa.documents.models import IssuedDocument
from zhifa.permits import selectors, services
from zhifa.permits.models import Application

pytestmark = pytest.mark.usefixtures("catalogue", "company")


def _issued(tree, officer_user):
    today = timezone.localdate()
    app = new_app(tree, received_on=today)
    services.application_accept(app=app, actor=officer_user, on=today)
    services.application_decide(app=app, actor=officer_user, on=today, grant=True)
    services.application_issue(app=app, actor=officer_user, on=today, base_url="http://testserver/")
    return app, selectors.certificate_for(officer_user, app)


def test_guide_pages_list_every_item_with_its_basis_and_tiers(client, tree):
    page = client.get("/public/permits/").content.decode()
    assert "超限运输许可" in page and "机动车维修经营备案" in page
    guide = client.get("/public/permits/items/cxys/").content.decode()
    assert "15个工作日" in guide and "第十五条" in guide and "2个工作日" in guide
    assert client.get("/public/permits/items/nope/").status_code == 404


def test_portal_application_reports_the_missing_field_and_then_files(client, tree):
    r = client.post("/public/permits/apply/dlhy/", {"org": str(tree.bureau_a.pk), "applicant": ""})
    assert "请填写申请人" in r.content.decode() and not Application.objects.exists()
    r = client.post(
        "/public/permits/apply/dlhy/",
        {"org": str(tree.bureau_a.pk), "applicant": "某物流公司", "applicant_uscc": USCC},
    )
    app = Application.objects.get()
    assert (
        app.channel == "portal" and app.number in r.content.decode() and app.query_code in r.content.decode()
    )


def test_status_page_takes_the_correction_and_the_rating(client, tree, officer_user):
    app = new_app(tree, received_on=timezone.localdate())
    services.application_correction(app=app, actor=officer_user, on=app.received_on, items="车辆技术条件证明")
    q = {"number": app.number, "code": app.query_code}
    assert "车辆技术条件证明" in client.get("/public/permits/status/", q).content.decode()
    assert "不正确" in client.get("/public/permits/status/", {**q, "code": "000000x"}).content.decode()
    client.post("/public/permits/status/", {**q, "action": "corrected"})
    app.refresh_from_db()
    assert app.state == "submitted" and app.corrected_on == timezone.localdate()
    r = client.post("/public/permits/status/", {**q, "action": "rate", "grade": "5"})
    assert "办结后方可评价" in r.content.decode()


def test_verify_page_shows_status_and_signature_and_upload_refuses_a_changed_byte(client, tree, officer_user):
    _app, cert = _issued(tree, officer_user)
    page = client.get(f"/public/permits/verify/{cert.cert_id}/").content.decode()
    assert "有效" in page and "签名有效" in page
    assert client.get("/public/permits/verify/JYXK.0.0.00/").status_code == 404
    pdf = bytes(cert.pdf)
    ok = client.post("/public/permits/verify/", {"file": SimpleUploadedFile("a.pdf", pdf)}).content.decode()
    assert "通过：签名有效" in ok
    bad = bytearray(pdf)
    bad[len(pdf) // 3] ^= 0x20
    r = client.post(
        "/public/permits/verify/", {"file": SimpleUploadedFile("a.pdf", bytes(bad))}
    ).content.decode()
    assert "未通过" in r and "已被改动" in r


def test_cli_verify_accepts_the_pdf_and_refuses_one_changed_byte(tree, officer_user, tmp_path, capsys):
    _app, cert = _issued(tree, officer_user)
    good = tmp_path / "证照.pdf"
    good.write_bytes(bytes(cert.pdf))
    assert zhifa(["licences", "verify", str(good)]) == 0
    assert cert.cert_id in capsys.readouterr().out
    data = bytearray(cert.pdf)
    data[200] = (data[200] + 1) % 256
    bad = tmp_path / "改过.pdf"
    bad.write_bytes(bytes(data))
    assert zhifa(["licences", "verify", str(bad)]) == 1
    assert "未通过" in capsys.readouterr().out
    other = "0" * 128
    assert zhifa(["licences", "verify", str(good), "--public-key", other]) == 1


def test_staff_pages_and_scope(client, tree, officer_user, officer_b):
    app, _cert = _issued(tree, officer_user)
    client.force_login(officer_user)
    for url in (
        "/permits/",
        "/permits/new/",
        "/permits/items/",
        "/permits/items/dlhy/",
        "/permits/postchecks/",
        "/permits/ratings/",
        "/permits/indicators/",
        f"/permits/{app.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/permits/{app.pk}/").content.decode()
    assert "受理通知书" in detail and "准予行政许可决定书" in detail
    step = app.steps.get(doc_name="受理通知书")
    doc = IssuedDocument.objects.get(number=step.doc_no, target_type="permits.application")
    assert f"/documents/{doc.pk}/download/" in detail
    assert client.get(f"/permits/{app.pk}/docs/{step.pk}/").status_code == 404  # one way: the documents app
    r = client.get(f"/permits/{app.pk}/certificate.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    client.force_login(officer_b)
    assert client.get(f"/permits/{app.pk}/").status_code == 404
    assert client.get(f"/permits/{app.pk}/certificate.pdf").status_code == 404


def test_window_intake_and_refusal_messages(client, tree, officer_user):
    client.force_login(officer_user)
    r = client.post("/permits/new/", {"item": "dlhy", "applicant": ""})
    assert "请填写申请人" in r.content.decode()
    r = client.post("/permits/new/", {"item": "dlhy", "applicant": "某公司", "applicant_uscc": USCC})
    app = Application.objects.get()
    assert r.status_code == 302 and app.channel == "window"
    r = client.post(
        f"/permits/{app.pk}/act/", {"action": "grant", "on": timezone.localdate().isoformat()}, follow=True
    )
    assert "尚未受理" in r.content.decode()


def test_indicators_export_xlsx(client, tree, officer_user):
    from openpyxl import load_workbook

    _issued(tree, officer_user)
    client.force_login(officer_user)
    y = timezone.localdate().year
    r = client.get(
        "/permits/indicators/", {"start": f"{y}-01-01", "end": f"{y}-12-31", "by": "item", "export": "xlsx"}
    )
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "事项" and "按期办结率（%）" in rows[0] and "即办件率（%）" in rows[0]
    assert rows[1][0] == "道路普通货物运输经营许可" and rows[1][rows[0].index("申请量（件）")] == 1


def test_item_edit_page_only_for_reviewers(client, tree, officer_user, reviewer_user):
    client.force_login(officer_user)
    assert "保存新版本" not in client.get("/permits/items/dlhy/").content.decode()
    client.force_login(reviewer_user)
    r = client.post(
        "/permits/items/dlhy/",
        {
            "version_from": "2099-01-01",
            "name": "道路普通货物运输经营许可",
            "legal_basis": "《中华人民共和国道路运输条例》第二十一条",
            "promised_days": "x",
        },
    )
    assert "承诺办结时限应为整数" in r.content.decode()
    client.post("/permits/items/dlhy/", {"version_from": "2099-01-01", "promised_days": "3"})
    assert selectors.item_current("dlhy", D(2099, 1, 1)).promised_days == 3


def test_api_reads_are_scoped(client, tree, officer_user, officer_b):
    app, _cert = _issued(tree, officer_user)
    assert client.get("/api/v1/permits/items").status_code == 401
    client.force_login(officer_user)
    items = client.get("/api/v1/permits/items").json()
    assert {"dlhy", "cxys"} <= {i["code"] for i in items}
    assert next(i for i in items if i["code"] == "cxys")["tiers"][0][1] == 2
    got = client.get(f"/api/v1/permits/applications/{app.number}").json()
    assert got["state_label"] == "已发证（办结）" and got["decision_no"] == app.decision_no
    assert client.get("/api/v1/permits/postchecks-due").json() == []
    client.force_login(officer_b)
    assert client.get(f"/api/v1/permits/applications/{app.number}").status_code == 404
