"""执法文书: rendering, templates, numbering, issue/versions, downloads and their permissions."""

from __future__ import annotations

import io
import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import close_old_connections
from docx import Document

from tests.conftest import require_service
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.documents import make_templates, services
from zhifa.documents.models import IssuedDocument, NumberSequence
from zhifa.documents.render import BLANK, docx_text, render_docx, upper_yuan
from zhifa.documents.selectors import template_undeclared, templates_catalogue
from zhifa.documents.specs import BY_NAME, SPECS, sample_context

D = date(2026, 3, 18)


@pytest.fixture(autouse=True)
def _isolated_dirs(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setenv("ZHIFA_TEMPLATE_DIR", str(tmp_path / "custom"))
    monkeypatch.delenv("ZHIFA_DOC_NUMBER_PATTERN", raising=False)
    return tmp_path


def _text_of(doc: IssuedDocument) -> str:
    data = services.document_path(doc).read_bytes()
    Document(io.BytesIO(data))  # opens in python-docx
    return docx_text(data)


def _issue(actor, org, *, template="penalty_decision", context=None, on=D, target_id=1, **kw):
    return services.document_issue(
        template=template,
        context=context or sample_context(),
        org=org,
        target_type="cases.case",
        target_id=target_id,
        actor=actor,
        on=on,
        **kw,
    )


def _docx(*paragraphs: list[str]) -> bytes:
    """A DOCX whose paragraphs are made of the given runs (to split placeholders as Word does)."""
    d = Document()
    for runs in paragraphs:
        p = d.add_paragraph()
        for i, text in enumerate(runs):
            r = p.add_run(text)
            r.bold = bool(i % 2)  # alternate formatting, as Word does after an edit
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- rendering -------------------------------------------------------------------------------------


def test_decision_carries_the_items_of_art_59(officer_user, tree):
    doc = _issue(officer_user, tree.squad_a1)
    text = _text_of(doc)
    ctx = sample_context()
    assert doc.number == "郁交罚〔2026〕1号" and doc.number in text
    # Art 59 (一) name and address, (二) facts and evidence, (三) type and basis, (四) manner and deadline,
    # (五) review/litigation route and period, (六) authority and date, plus the seal place.
    assert ctx["party"]["name"] in text and ctx["party"]["address"] in text
    assert ctx["case"]["facts"] in text
    assert "1. 现场笔录" in text and "3. 询问笔录" in text
    assert ctx["violation"]["penalty_basis"] in text and "罚款人民币叁仟元整" in text and "¥3,000.00" in text
    assert "自收到本决定书之日起十五日内" in text  # 处罚法 Art 67(3) default
    assert (
        "六十日内向郁南县人民政府申请行政复议" in text and "六个月内依法向郁南县人民法院提起行政诉讼" in text
    )
    assert "郁南县交通运输局（印章）" in text and "2026年3月18日" in text
    assert "{{" not in text and "}}" not in text


def test_every_shipped_template_renders_the_sample_without_raw_tags(
    db,
):  # law.* periods come from the rules library
    for spec in SPECS:
        text = docx_text(services.document_render_preview(spec.name, sample_context(), on=D))
        assert "{{" not in text, spec.name
        assert spec.title in text


def test_shipped_templates_declare_exactly_what_they_use():
    for tf in templates_catalogue():
        assert tf.source == "builtin"
        assert template_undeclared(tf) == [], tf.spec.name
        text = docx_text(tf.path.read_bytes())
        for f in tf.spec.fields:
            assert f.path in text or f"#{f.path}" in text, f"{tf.spec.name}: {f.path}"


def test_make_templates_is_reproducible(tmp_path):
    make_templates.main(tmp_path / "gen")
    for spec in SPECS:
        assert (tmp_path / "gen" / spec.filename).read_bytes() == (
            services.BUILTIN_DIR / spec.filename
        ).read_bytes()


def test_placeholder_split_across_runs_is_filled():
    tpl = _docx(
        ["当事人：{{ par", "ty.na", "me }}；地址：{", "{ party.address }", "}"],
        ["{{#evi", "dence}}"],
        ["{{ loop.index }}、{{ na", "me }}"],
        ["{{/evidence", "}}"],
    )
    out = docx_text(
        render_docx(
            tpl,
            {
                "party": {"name": "张三", "address": "都城镇"},
                "evidence": [{"name": "照片"}, {"name": "笔录"}],
            },
        )
    )
    assert "当事人：张三；地址：都城镇" in out
    assert "1、照片" in out and "2、笔录" in out
    assert "{" not in out and "}" not in out


def test_missing_optional_value_is_a_blank_line_never_the_placeholder():
    tpl = _docx(["电话：{{ party.phone }}；车牌：{{ party.vehicle }}；{{ 坏标记 }}"])
    out = docx_text(render_docx(tpl, {"party": {"phone": ""}}))
    assert out.strip() == f"电话：{BLANK}；车牌：{BLANK}；{BLANK}"


def test_table_row_loop_repeats_rows_and_paragraph_loop_repeats_paragraphs(
    db,
):  # law.* periods come from the rules library
    ctx = sample_context()
    ctx["attendees"] = [{"name": f"委员{i}", "position": "委员"} for i in range(1, 5)]
    data = services.document_render_preview("collective_discussion", ctx, on=D)
    table = Document(io.BytesIO(data)).tables[0]
    assert [r.cells[0].text for r in table.rows] == ["出席人员", "委员1", "委员2", "委员3", "委员4"]
    ctx["qa"] = [{"q": f"问题{i}", "a": f"回答{i}"} for i in range(3)]
    text = docx_text(services.document_render_preview("inquiry_record", ctx, on=D))
    assert (
        text.index("问：问题0") < text.index("答：回答0") < text.index("问：问题1") < text.index("答：回答2")
    )


def test_empty_list_removes_loop_rows_and_inverse_section():
    tpl = _docx(["A{{#items}}[{{ name }}]{{/items}}B{{^items}}无{{/items}}"])
    assert docx_text(render_docx(tpl, {"items": []})).strip() == "AB无"
    assert docx_text(render_docx(tpl, {"items": [{"name": "x"}, {"name": "y"}]})).strip() == "A[x][y]B"


def test_hearing_right_is_stated_only_when_eligible(db):  # law.* periods come from the rules library
    ctx = sample_context()
    ctx["hearing_eligible"] = True
    text = docx_text(services.document_render_preview("violation_notice", ctx, on=D))
    assert "有权要求听证，应当在收到本通知书之日起五日内提出" in text  # 处罚法 Art 64(1)
    ctx["hearing_eligible"] = False
    assert "听证" not in docx_text(services.document_render_preview("violation_notice", ctx, on=D))


def test_upper_yuan():
    assert upper_yuan(300000) == "叁仟元整"
    assert upper_yuan(1000500) == "壹万零伍元整"
    assert upper_yuan(1205) == "壹拾贰元零伍分"
    assert upper_yuan(10000000000) == "壹亿元整"
    assert upper_yuan(50) == "伍角"


def test_missing_required_field_names_it_in_chinese(officer_user, tree):
    ctx = sample_context()
    del ctx["party"]["address"]
    ctx["evidence"] = [{"description": "无名称"}]
    with pytest.raises(DomainError) as exc:
        _issue(officer_user, tree.squad_a1, context=ctx)
    assert "住所（地址）（party.address）" in exc.value.message
    assert "证据第1项的证据名称（evidence.name）" in exc.value.message
    assert IssuedDocument.objects.count() == 0 and not NumberSequence.objects.exists()


def test_bureau_template_in_template_dir_replaces_the_shipped_one(officer_user, tree, tmp_path):
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "penalty_decision.docx").write_bytes(
        _docx(["本局式样 {{ doc.number }}"], ["当事人：{{ party.name }}，事实：{{ case.fa", "cts }}"])
    )
    doc = _issue(officer_user, tree.squad_a1)
    text = _text_of(doc)
    assert text.startswith("本局式样 郁交罚〔2026〕1号") and sample_context()["case"]["facts"] in text
    assert doc.template_source == "custom"
    assert services.template_resolve("penalty_decision").source == "custom"
    assert services.template_resolve("reminder").source == "builtin"


def test_unknown_template_and_path_tricks_are_refused():
    for name in ("nope", "../penalty_decision", "penalty_decision.docx"):
        with pytest.raises(DomainError) as exc:
            services.template_resolve(name)
        assert exc.value.code == "documents.unknown_template"


# --- numbering -------------------------------------------------------------------------------------


def test_numbers_are_sequential_per_type_and_reset_each_year(officer_user, tree):
    a = _issue(officer_user, tree.squad_a1, on=date(2026, 12, 31))
    b = _issue(officer_user, tree.squad_a2, on=date(2026, 12, 31))  # same authority (郁南县交通运输局)
    n = _issue(officer_user, tree.squad_a1, template="violation_notice", on=date(2026, 12, 31))
    c = _issue(officer_user, tree.squad_a1, on=date(2027, 1, 1))
    assert [a.number, b.number, n.number, c.number] == [
        "郁交罚〔2026〕1号",
        "郁交罚〔2026〕2号",
        "郁交告〔2026〕1号",
        "郁交罚〔2027〕1号",
    ]
    assert a.issuer == tree.bureau_a


def test_numbering_rule_and_pattern_are_configurable(officer_user, reviewer_user, tree, monkeypatch):
    services.numbering_rule_set(issuer=tree.bureau_a, doc_type="decision", word="运罚", actor=reviewer_user)
    assert _issue(officer_user, tree.squad_a1).number == "郁交运罚〔2026〕1号"
    monkeypatch.setenv("ZHIFA_DOC_NUMBER_PATTERN", "{org}交{word}字〔{year}〕第{seq}号")
    assert _issue(officer_user, tree.squad_a1, template="reminder").number == "郁交催字〔2026〕第1号"
    with pytest.raises(DomainError):
        services.numbering_rule_set(
            issuer=tree.bureau_a, doc_type="decision", word="罚", pattern="{org}{seq}", actor=reviewer_user
        )


def test_numbering_rule_needs_reviewer_or_head_of_that_county(officer_user, tree):
    from tests.factories import make_user

    other_reviewer = make_user("rev_b", tree.bureau_b, {"legal_reviewer"})
    for actor in (officer_user, other_reviewer):
        with pytest.raises(DomainError):
            services.numbering_rule_set(issuer=tree.bureau_a, doc_type="decision", word="X", actor=actor)


def test_authority_without_short_name_cannot_number(officer_user, tree):
    type(tree.bureau_a).objects.filter(pk=tree.bureau_a.pk).update(short_name="")
    officer_user.org.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        _issue(officer_user, type(tree.squad_a1).objects.get(pk=tree.squad_a1.pk))
    assert "未设置简称" in exc.value.message
    assert not NumberSequence.objects.filter(last__gt=0).exists()


def test_unnumbered_issue_takes_no_number(officer_user, tree):
    doc = _issue(officer_user, tree.squad_a1, template="inquiry_record", numbered=False)
    assert doc.number == "" and doc.seq is None and not NumberSequence.objects.exists()
    assert "询问笔录" in _text_of(doc)


def test_failed_render_inside_the_transaction_does_not_consume_a_number(officer_user, tree, monkeypatch):
    _issue(officer_user, tree.squad_a1)
    real = services._render

    def boom(tf, ctx):
        assert ctx["doc"]["number"] == "郁交罚〔2026〕2号"  # the number was taken …
        raise DomainError("documents.test", "渲染失败")

    monkeypatch.setattr(services, "_render", boom)
    with pytest.raises(DomainError):
        _issue(officer_user, tree.squad_a1)
    monkeypatch.setattr(services, "_render", real)
    assert _issue(officer_user, tree.squad_a1).number == "郁交罚〔2026〕2号"  # … and given back
    assert sorted(IssuedDocument.objects.values_list("seq", flat=True)) == [1, 2]


def test_broken_bureau_template_is_refused_and_gives_the_number_back(officer_user, tree, tmp_path):
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "penalty_decision.docx").write_bytes(_docx(["{{#evidence}}未闭合"]))
    with pytest.raises(DomainError) as exc:
        _issue(officer_user, tree.squad_a1)
    assert exc.value.code == "documents.template_broken" and "没有对应的结束标记" in exc.value.message
    (custom / "penalty_decision.docx").write_bytes(b"not a docx")
    with pytest.raises(DomainError):
        _issue(officer_user, tree.squad_a1)
    assert not NumberSequence.objects.filter(last__gt=0).exists()
    assert (
        not list((Path(services.storage_root())).rglob("*.docx"))
        if services.storage_root().exists()
        else True
    )


def _parallel(n: int, fn) -> list:
    results, errors = [None] * n, []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_issues_get_exactly_one_to_n_on_postgresql(officer_user, tree):
    from django.db import connection

    require_service("PostgreSQL", connection.vendor == "postgresql", "设置 DATABASE_URL=postgres://…")
    n = 16
    results, errors = _parallel(n, lambda i: _issue(officer_user, tree.squad_a1, target_id=i).seq)
    assert errors == []
    assert sorted(results) == list(range(1, n + 1))
    numbers = list(IssuedDocument.objects.values_list("number", flat=True))
    assert len(set(numbers)) == n


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_issues_with_failures_stay_gapless_on_postgresql(officer_user, tree, monkeypatch):
    from django.db import connection

    require_service("PostgreSQL", connection.vendor == "postgresql", "设置 DATABASE_URL=postgres://…")
    real = services._render

    def flaky(tf, ctx):
        if ctx.get("fail"):
            raise DomainError("documents.test", "渲染失败")
        return real(tf, ctx)

    monkeypatch.setattr(services, "_render", flaky)
    n = 16

    def job(i):
        ctx = sample_context()
        ctx["fail"] = i % 3 == 0
        return _issue(officer_user, tree.squad_a1, context=ctx, target_id=i).seq

    results, errors = _parallel(n, job)
    ok = [r for r in results if r is not None]
    assert len(errors) == len([i for i in range(n) if i % 3 == 0])
    assert sorted(ok) == list(range(1, len(ok) + 1))
    assert NumberSequence.objects.get().last == len(ok)


# --- issue, versions, audit ------------------------------------------------------------------------


def test_issue_records_digest_size_and_audit(officer_user, tree):
    from zhifa.core.crypto import DIGEST_ALGORITHM, digest_bytes

    doc = _issue(officer_user, tree.squad_a1)
    data = services.document_path(doc).read_bytes()
    assert (
        doc.digest == digest_bytes(data)
        and doc.size == len(data)
        and doc.digest_algorithm == DIGEST_ALGORITHM
    )
    assert doc.rendered_by == officer_user and doc.org == tree.squad_a1 and doc.version == 1
    rec = AuditRecord.objects.get(action="document.issue")
    assert rec.target_id == str(doc.pk) and rec.detail["number"] == doc.number
    assert str(services.document_path(doc)).startswith(str(services.storage_root()))


def test_reissue_is_a_new_version_with_the_same_number(officer_user, tree):
    first = _issue(officer_user, tree.squad_a1)
    first_bytes = services.document_path(first).read_bytes()
    ctx = sample_context()
    ctx["party"]["address"] = "更正后的地址"
    with pytest.raises(DomainError):
        services.document_reissue(previous=first, context=ctx, actor=officer_user, reason=" ")
    second = services.document_reissue(previous=first, context=ctx, actor=officer_user, reason="地址笔误")
    assert (second.version, second.number, second.series, second.previous) == (
        2,
        first.number,
        first.series,
        first,
    )
    assert "更正后的地址" in _text_of(second) and "第 2 版" in _text_of(second)
    assert services.document_path(first).read_bytes() == first_bytes  # never overwritten
    assert _issue(officer_user, tree.squad_a1).number == "郁交罚〔2026〕2号"  # a correction takes no number


def test_only_business_users_of_the_county_may_issue(officer_b, auditadmin, tree):
    for actor in (officer_b, auditadmin):
        with pytest.raises(DomainError) as exc:
            _issue(actor, tree.squad_a1)
        assert exc.value.code == "documents.not_allowed"
    assert not IssuedDocument.objects.exists()


def test_verify_detects_a_changed_file(officer_user, tree):
    doc = _issue(officer_user, tree.squad_a1)
    assert services.documents_verify().bad == []
    services.document_path(doc).write_bytes(b"tampered")
    assert len(services.documents_verify().bad) == 1


# --- PDF -------------------------------------------------------------------------------------------


def test_pdf_without_libreoffice_is_a_chinese_error(officer_user, tree, monkeypatch):
    doc = _issue(officer_user, tree.squad_a1)
    monkeypatch.setattr(services, "soffice_path", lambda: None)
    with pytest.raises(DomainError) as exc:
        services.document_pdf(doc)
    assert "未安装 LibreOffice" in exc.value.message and exc.value.status == 503


def test_pdf_with_libreoffice(officer_user, tree):
    from tests.conftest import require_service

    # LibreOffice is optional in production (design.md: "PDF where LibreOffice is installed"); .ci/run
    # installs it, so in CI this runs (require_service fails there instead of skipping).
    require_service(
        "LibreOffice", services.soffice_path() is not None, "apt-get install libreoffice-writer-nogui"
    )
    doc = _issue(officer_user, tree.squad_a1)
    pdf = services.document_pdf(doc)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_pdf_page_converts_in_a_background_job_then_offers_the_file(client, officer_user, officer_b, tree):
    """The page's PDF link starts a job (LibreOffice takes seconds to minutes) and lands on its page, which
    offers the file once converted; the next click serves the kept PDF at once, audited as any download."""
    from tests.conftest import require_service
    from zhifa.jobs.models import Job

    require_service(
        "LibreOffice", services.soffice_path() is not None, "apt-get install libreoffice-writer-nogui"
    )
    doc = _issue(officer_user, tree.squad_a1)
    client.force_login(officer_user)
    resp = client.get(f"/documents/{doc.pk}/download/?format=pdf")
    job = Job.objects.get(kind="documents.pdf")
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{job.pk}/"
    page = client.get(resp["Location"]).content.decode()
    assert "文书转换为 PDF" in page and "已完成" in page and "下载 PDF" in page
    assert f'href="/documents/{doc.pk}/download/?format=pdf"' in page
    resp = client.get(f"/documents/{doc.pk}/download/?format=pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert b"".join(resp.streaming_content).startswith(b"%PDF")
    client.force_login(officer_b)  # another county's officer: neither the document nor the job
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_pdf_job_without_libreoffice_fails_with_the_reason_on_its_page(client, officer_user, tree, monkeypatch):
    doc = _issue(officer_user, tree.squad_a1)
    monkeypatch.setattr(services, "soffice_path", lambda: None)
    client.force_login(officer_user)
    resp = client.get(f"/documents/{doc.pk}/download/?format=pdf", follow=True)
    page = resp.content.decode()
    assert "失败" in page and "未安装 LibreOffice" in page and "下载 PDF" not in page


# --- pages and API ---------------------------------------------------------------------------------


def test_download_is_scoped_and_audited(client, officer_user, head_user, officer_b, tree):
    doc = _issue(officer_user, tree.squad_a1)
    url = f"/documents/{doc.pk}/download/"
    client.force_login(officer_user)
    resp = client.get(url)
    assert resp.status_code == 200
    body = b"".join(resp.streaming_content)
    assert doc.number in docx_text(body)
    assert AuditRecord.objects.filter(action="document.download", target_id=str(doc.pk)).count() == 1
    client.force_login(head_user)
    assert client.get(url).status_code == 200
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/documents/issued/{doc.pk}/download").status_code == 404
    assert client.get(f"/api/v1/documents/issued/{doc.pk}").status_code == 404
    assert client.get("/api/v1/documents/issued?target_type=cases.case&target_id=1").json()["count"] == 0
    assert AuditRecord.objects.filter(action="document.download").count() == 2


def test_admins_get_403_and_anonymous_is_sent_to_login(client, officer_user, auditadmin, sysadmin, tree):
    doc = _issue(officer_user, tree.squad_a1)
    for admin in (auditadmin, sysadmin):
        client.force_login(admin)
        assert client.get(f"/documents/{doc.pk}/download/").status_code == 403
        assert client.get("/documents/templates/").status_code == 403
        assert client.get("/api/v1/documents/templates").status_code == 403
    client.logout()
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 302


def test_list_per_target_in_page_and_api(client, officer_user, tree):
    a = _issue(officer_user, tree.squad_a1, target_id=7)
    _issue(officer_user, tree.squad_a1, target_id=8)
    client.force_login(officer_user)
    data = client.get("/api/v1/documents/issued?target_type=cases.case&target_id=7").json()
    assert data["count"] == 1 and data["items"][0]["number"] == a.number
    page = client.get("/documents/?target_type=cases.case&target_id=7").content.decode()
    assert a.number in page and "郁交罚〔2026〕2号" not in page
    resp = client.get(f"/api/v1/documents/issued/{a.pk}/download?format=docx")
    assert resp.status_code == 200


def test_api_pdf_download_without_libreoffice_returns_the_envelope(client, officer_user, tree, monkeypatch):
    doc = _issue(officer_user, tree.squad_a1)
    monkeypatch.setattr(services, "soffice_path", lambda: None)
    services.document_path(doc).with_suffix(".pdf").unlink(missing_ok=True)
    client.force_login(officer_user)
    resp = client.get(f"/api/v1/documents/issued/{doc.pk}/download?format=pdf")
    assert resp.status_code == 503 and resp.json()["code"] == "documents.pdf_unavailable"


def test_templates_page_lists_templates_and_fields(client, reviewer_user):
    client.force_login(reviewer_user)
    page = client.get("/documents/templates/").content.decode()
    for spec in SPECS:
        assert spec.title in page and spec.filename in page
    assert "party.address" in page and "系统内置" in page
    resp = client.get("/documents/templates/penalty_decision/download/")
    assert resp.status_code == 200
    resp = client.get("/documents/templates/penalty_decision/preview/")
    assert resp.status_code == 200 and "行政处罚决定书" in docx_text(resp.content)
    assert client.get("/documents/templates/nope/download/").status_code == 404
    api = client.get("/api/v1/documents/templates").json()
    assert {t["name"] for t in api} == set(BY_NAME)


def test_api_preview_reports_missing_fields(client, officer_user):
    client.force_login(officer_user)
    resp = client.post(
        "/api/v1/documents/preview", {"template": "reminder", "context": {}}, content_type="application/json"
    )
    assert resp.status_code == 422 and "当事人姓名或名称" in resp.json()["message"]


def test_cli_render_sample_and_templates(tmp_path, capsys, db):
    from zhifa.cli import main

    out = tmp_path / "x.docx"
    assert main(["documents", "render", "penalty_decision", "--sample", "-o", str(out)]) == 0
    assert "云浮市某某物流有限公司" in docx_text(out.read_bytes())
    assert main(["documents", "render", "penalty_decision", "-o", str(out)]) == 2
    bad = tmp_path / "ctx.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["documents", "render", "reminder", str(bad), "-o", str(out)]) == 1
    assert main(["documents", "templates"]) == 0
    assert "penalty_decision" in capsys.readouterr().out


# --- legal periods from the rules library; the parsed-template cache ------------------------------------


def test_chinese_numbers_as_statutes_write_them():
    from zhifa.documents.legal_terms import chinese_number, words

    assert [chinese_number(n) for n in (3, 5, 7, 10, 15, 20, 60, 100, 105, 110)] == [
        "三",
        "五",
        "七",
        "十",
        "十五",
        "二十",
        "六十",
        "一百",
        "一百零五",
        "一百一十",
    ]
    assert (
        words(15, "day") == "十五日"
        and words(6, "month") == "六个月"
        and words(3, "percent_per_day") == "百分之三"
    )


def test_printed_periods_are_the_rules_library_parameters(db):
    from zhifa.documents.legal_terms import PARAMS, articles, terms_on
    from zhifa.rules.params import procedure_param

    law = terms_on(D)
    assert law == {
        "hearing_request_period": "五日",  # 处罚法 Art 64(1)
        "hearing_notice_days": "七日",  # 处罚法 Art 64(2)
        "payment_period": "十五日",  # 处罚法 Art 67 para 3
        "surcharge_rate": "百分之三",  # 处罚法 Art 72 para 1(1)
        "service_period": "七日",  # 处罚法 Art 61 para 1
        "review_period": "六十日",  # 复议法 (2023) Art 20
        "litigation_period": "六个月",  # 诉讼法 Art 46
        "reminder_period": "十日",  # 强制法 Art 54
        "public_notice_period": "三十日",  # 民事诉讼法 Art 95 (公告送达)
    }
    arts = articles(D)
    assert "第二十条" in arts["review_period"] and "第四十六条" in arts["litigation_period"]
    assert "第五十四条" in arts["reminder_period"]
    # 复议法 before the 2023 revision took effect (2024-01-01): Art 9, the same sixty days
    assert terms_on(date(2023, 12, 31))["review_period"] == "六十日"
    assert "第九条" in procedure_param("reconsideration_period", on=date(2023, 12, 31)).article
    assert set(PARAMS) == set(law)
    # 公告送达 before the 2021 amendment of the 民事诉讼法 took effect (2022-01-01): sixty days (Art 92)
    assert terms_on(date(2021, 12, 31))["public_notice_period"] == "六十日"


def test_a_deployment_override_reaches_the_printed_document(officer_user, tree, monkeypatch):
    monkeypatch.setenv("ZHIFA_RULE_PAYMENT_PERIOD", "20")  # the one env scheme of the rules library
    doc = _issue(officer_user, tree.squad_a1)
    assert "自收到本决定书之日起二十日内" in _text_of(doc)


def test_template_cache_follows_the_file_content(officer_user, tree, tmp_path):
    from zhifa.documents import render

    ctx = sample_context()
    first = docx_text(services.document_render_preview("penalty_decision", ctx, org=tree.squad_a1, on=D))
    again = docx_text(services.document_render_preview("penalty_decision", ctx, org=tree.squad_a1, on=D))
    assert first == again and "行政处罚决定书" in first
    # a bureau drops in a replacement with the same file name: the next render uses it
    custom = tmp_path / "custom"
    custom.mkdir(exist_ok=True)
    (custom / "penalty_decision.docx").write_bytes(
        _docx(["本局格式 {{ party.name }} {{ doc.number }}"], ["{{ case.facts }}"])
    )
    text = docx_text(services.document_render_preview("penalty_decision", ctx, org=tree.squad_a1, on=D))
    assert text.startswith("本局格式 " + ctx["party"]["name"])
    # edited in place (same path, new content): picked up again, the old parse is not reused
    (custom / "penalty_decision.docx").write_bytes(_docx(["第二版 {{ party.name }}"]))
    text = docx_text(services.document_render_preview("penalty_decision", ctx, org=tree.squad_a1, on=D))
    assert text.startswith("第二版 ")
    # the cached parse is never modified by a render: two renders of one template from different contexts
    a = render.render_docx(_docx(["{{ x }}"]), {"x": "甲"})
    b = render.render_docx(_docx(["{{ x }}"]), {"x": "乙"})
    assert docx_text(a).strip() == "甲" and docx_text(b).strip() == "乙"


def test_rendered_package_keeps_every_part_of_the_template(db):
    import zipfile

    src = services.template_resolve("penalty_decision").path
    out = render_docx(src, sample_context())
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(io.BytesIO(out)) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert b.testzip() is None
        assert a.read("word/styles.xml") == b.read("word/styles.xml")  # untouched parts are copied as is


# --- orphans (issue 16 item 13) ----------------------------------------------------------------------


def _age(path, minutes: int) -> None:
    import os
    import time

    t = time.time() - minutes * 60
    os.utime(path, (t, t))


@pytest.mark.django_db(transaction=True)
def test_an_orphan_from_a_rolled_back_issue_fails_verify_and_is_swept(officer_user, tree, capsys):
    from django.db import transaction

    from zhifa.cli import main

    kept = _issue(officer_user, tree.squad_a1)
    with pytest.raises(RuntimeError), transaction.atomic():  # the caller's transaction fails after the issue
        _issue(officer_user, tree.squad_a1, target_id=2)
        raise RuntimeError("the step after the issue failed")
    assert IssuedDocument.objects.count() == 1
    root = services.storage_root()
    (orphan,) = [p for p in root.rglob("*.docx") if p != services.document_path(kept)]
    assert main(["documents", "verify"]) == 1
    assert f"无登记记录的文件：{orphan.relative_to(root)}" in capsys.readouterr().out
    # within the grace period the file may belong to a transaction still running: kept
    assert main(["documents", "sweep"]) == 0 and orphan.exists()
    _age(orphan, 61)
    assert main(["documents", "sweep"]) == 0
    assert not orphan.exists() and services.document_path(kept).is_file()
    assert "已清理 1 个" in capsys.readouterr().out
    assert main(["documents", "verify"]) == 0
    from zhifa.core.models import AuditRecord

    assert AuditRecord.objects.filter(action="document.sweep").count() == 1


def test_sweep_keeps_a_referenced_pdf_and_takes_a_stray_temporary_file(officer_user, tree):
    doc = _issue(officer_user, tree.squad_a1)
    pdf = services.document_path(doc).with_suffix(".pdf")
    pdf.write_bytes(b"%PDF")
    tmp = services.document_path(doc).parent / ".tmp-killed.docx"  # a write killed before its rename
    tmp.write_bytes(b"partial")
    for p in (pdf, tmp, services.document_path(doc)):
        _age(p, 120)
    assert services.documents_verify().orphans == [str(tmp.relative_to(services.storage_root()))]
    assert services.documents_sweep() == [str(tmp.relative_to(services.storage_root()))]
    assert pdf.exists() and services.document_path(doc).exists() and not tmp.exists()
