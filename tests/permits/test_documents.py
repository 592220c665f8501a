"""Each permit step issues its 文书 from the document templates (documents app): numbered per authority and
type, stored, recorded against the application, downloadable from the application page (scoped)."""

from __future__ import annotations

from datetime import date as D

import pytest

from tests.permits.conftest import new_app
from zhifa.documents import services as doc_services
from zhifa.documents.models import IssuedDocument
from zhifa.documents.render import docx_text
from zhifa.permits import services

pytestmark = pytest.mark.usefixtures("catalogue", "company")
TODAY = D(2026, 3, 2)


def _docs(app) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(target_type="permits.application", target_id=str(app.pk)).order_by("id")
    )


def _text(doc: IssuedDocument) -> str:
    return docx_text(doc_services.document_path(doc).read_bytes())


def test_correction_acceptance_extension_pause_and_grant_each_issue_their_document(
    tree, officer_user, head_user
):
    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_correction(
        app=app, actor=officer_user, on=D(2026, 3, 3), items="车辆行驶证复印件\n驾驶员从业资格证"
    )
    services.application_corrected(app=app, actor=None, on=D(2026, 3, 5))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 5))
    services.application_pause(
        app=app,
        actor=officer_user,
        kind="hearing",
        start=D(2026, 3, 9),
        end=D(2026, 3, 13),
        note="申请人申请听证",
    )
    services.application_extend(app=app, actor=head_user, on=D(2026, 3, 20), reason="需实地核查停车场地")
    services.application_decide(
        app=app, actor=officer_user, on=D(2026, 4, 1), grant=True, today=D(2026, 4, 1)
    )
    docs = _docs(app)
    assert [d.title for d in docs] == [
        "补正材料通知书",
        "受理通知书",
        "不计入期限告知书",
        "延长期限通知书",
        "准予行政许可决定书",
    ]
    assert [d.number for d in docs] == [
        "郁交许补〔2026〕1号",
        "郁交许受〔2026〕1号",
        "郁交许告〔2026〕1号",
        "郁交许延〔2026〕1号",
        "郁交许〔2026〕1号",
    ]
    correction, acceptance, pause, extension, grant = (_text(d) for d in docs)
    assert "车辆行驶证复印件；驾驶员从业资格证" in correction and "第三十二条第一款第（四）项" in correction
    assert app.number in acceptance and "2026年3月5日予以受理" in acceptance
    assert "听证" in pause and "2026年3月9日至2026年3月13日" in pause and "第四十五条" in pause
    # Art 42: the reason told to the applicant, 10 working days, the new due date
    assert (
        "需实地核查停车场地" in extension
        and "延长10个工作日" in extension
        and "第四十二条第一款" in extension
    )
    app.refresh_from_db()
    assert (
        f"{app.decision_due.year}年{app.decision_due.month}月{app.decision_due.day}日前作出决定" in extension
    )
    # the decision's number is the one the registry (and 双公示) records; the licence line and the Art 44 date
    assert app.decision.doc_no == docs[-1].number == app.decision_no
    assert app.licence.number in grant
    assert "2026年4月16日前" in grant  # ten working days after 4/1, 清明 4/4–4/6 not counted (Art 44, 82)
    # the steps name their document by title and number
    assert list(app.steps.exclude(doc_no="").values_list("doc_no", flat=True)) == [d.number for d in docs]


def test_not_accepted_and_refusal_state_the_reason_and_the_remedy(tree, officer_user):
    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_not_accept(
        app=app, actor=officer_user, on=D(2026, 3, 3), reason="申请事项不属于本机关职权范围"
    )
    other = new_app(tree, received_on=D(2026, 3, 2))
    services.application_accept(app=other, actor=officer_user, on=D(2026, 3, 2))
    services.application_decide(
        app=other, actor=officer_user, on=D(2026, 3, 10), grant=False, reason="车辆技术等级不符合要求"
    )
    (refused_doc,) = _docs(app)
    assert refused_doc.title == "不予受理决定书" and refused_doc.number == "郁交许不受〔2026〕1号"
    text = _text(refused_doc)
    assert "申请事项不属于本机关职权范围" in text and "六十日内" in text and "六个月内" in text
    decision = _docs(other)[-1]
    assert decision.title == "不予行政许可决定书" and decision.number == "郁交许〔2026〕1号"
    text = _text(decision)
    assert "车辆技术等级不符合要求" in text and "第三十八条第二款" in text and "行政复议" in text


def test_a_failed_document_leaves_no_step_and_no_number(tree, officer_user, tmp_path):
    """A broken bureau template refuses the step with the template named; nothing half-done stays."""
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "permit_acceptance.docx").write_bytes(b"not a docx")
    app = new_app(tree, received_on=D(2026, 3, 2))
    from zhifa.core.errors import DomainError

    with pytest.raises(DomainError, match="permit_acceptance.docx"):
        services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    app.refresh_from_db()
    assert app.accepted_on is None and not _docs(app) and not app.steps.filter(label="受理").exists()


def test_application_page_offers_the_documents_in_scope_only(client, tree, officer_user, officer_b):
    app = new_app(tree, received_on=TODAY)
    services.application_accept(app=app, actor=officer_user, on=TODAY)
    (doc,) = _docs(app)
    client.force_login(officer_user)
    page = client.get(f"/permits/{app.pk}/").content.decode()
    assert (
        f'href="/documents/{doc.pk}/download/"' in page
        and f"/documents/{doc.pk}/download/?format=pdf" in page
    )
    r = client.get(f"/documents/{doc.pk}/download/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"PK")
    client.force_login(officer_b)
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 404
