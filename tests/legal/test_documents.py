"""行政规范性文件: each refusal and clock with its article's numbers."""

from datetime import date

import pytest

from tests.legal.conftest import ALL_PASS, D0, doc_to, fair_all
from zhifa.core.errors import DomainError
from zhifa.legal import services
from zhifa.legal.enums import DocStatus, FairConclusion, Finding


def test_issue_without_fair_competition_conclusion_is_refused_citing_art_18(people):
    p = people
    doc = doc_to("legal", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    assert doc.status == DocStatus.FAIR_REVIEW and not doc.fair_conclusion
    # 集体审议 and 登记印发 both refused while there is no 公平竞争审查 conclusion
    with pytest.raises(DomainError, match="《公平竞争审查条例》第十八条"):
        services.doc_deliberate(actor=p["head"], doc=doc, on=D0, minutes="审议")
    with pytest.raises(DomainError, match="《公平竞争审查条例》第十八条") as e:
        services.doc_register(
            actor=p["reviewer"], doc=doc, doc_no="郁交规〔2026〕1号", issued_on=D0, effective_from=D0
        )
    assert e.value.code == "legal.fair_review_missing"
    # a conclusion of 违反 (no exception) sends it back and still refuses issue
    findings = fair_all(D0) | {
        "9-5": Finding.VIOLATES
    }  # 条例 Art 9(5): discriminatory enforcement on non-local operators
    services.doc_fair_review(actor=p["reviewer"], doc=doc, findings=findings, on=D0)
    doc.refresh_from_db()
    assert doc.fair_conclusion == FairConclusion.FAIL and doc.status == DocStatus.DRAFT
    with pytest.raises(DomainError, match="第十八条"):
        services.doc_register(actor=p["reviewer"], doc=doc, doc_no="x", issued_on=D0, effective_from=D0)


def test_fair_review_needs_every_item_and_an_exception_needs_reasons_and_a_period(people):
    p = people
    doc = doc_to("legal", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    partial = fair_all(D0)
    del partial["10-2"]
    with pytest.raises(DomainError, match="以下标准未逐项作出审查结论：10-2"):
        services.doc_fair_review(actor=p["reviewer"], doc=doc, findings=partial, on=D0)
    exc = fair_all(D0) | {"8-2": Finding.EXCEPTION}
    with pytest.raises(DomainError, match="第十二条"):
        services.doc_fair_review(actor=p["reviewer"], doc=doc, findings=exc, on=D0)
    services.doc_fair_review(
        actor=p["reviewer"],
        doc=doc,
        findings=exc,
        exception_reason="应急运力保障，无替代方案",
        exception_until=date(2027, 3, 1),
        on=D0,
    )
    doc.refresh_from_db()
    assert doc.fair_conclusion == FairConclusion.EXCEPTION and doc.status == DocStatus.DELIBERATION
    assert doc.fair_checklist_version == "2024-08-01"


def test_deliberation_before_legality_review_is_refused_and_a_failed_review_returns_to_draft(people):
    p = people
    doc = doc_to(
        "submit",
        tree=p["tree"],
        officer=p["officer"],
        reviewer=p["reviewer"],
        head=p["head"],
        affects_business=False,
    )
    with pytest.raises(DomainError, match="未经合法性审核"):
        services.doc_deliberate(actor=p["head"], doc=doc, on=D0, minutes="审议")
    with pytest.raises(DomainError, match="须由法制审核人员办理"):
        services.doc_legal_review(actor=p["officer"], doc=doc, checks=ALL_PASS, opinion="", on=D0)
    with pytest.raises(DomainError, match="须写明审核意见"):
        services.doc_legal_review(
            actor=p["reviewer"], doc=doc, checks=ALL_PASS | {"no_new_power": "fail"}, opinion="", on=D0
        )
    services.doc_legal_review(
        actor=p["reviewer"],
        doc=doc,
        checks=ALL_PASS | {"no_new_power": "fail"},
        opinion="第五条设定了新的罚款，无上位法依据",
        on=D0,
    )
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFT and doc.legal_review_passed is False


def test_review_period_filing_clock_and_validity(people):
    """审核期限 15 working days (115号, recalled); 备案 30 days (unconfirmed default); validity 5 years."""
    p = people
    doc = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    # 2026-03-02 (Mon) + 15 working days: three full weeks → 2026-03-23 (Mon)
    assert doc.legal_review_due == date(2026, 3, 23)
    assert doc.valid_until == date(2031, 3, 1)  # 5 years from 施行 2026-03-02, the day before the anniversary
    assert doc.filing_due == date(2026, 4, 1)  # 30 days after 公布 2026-03-02
    assert doc.register_no == "规范性文件登记〔2026〕1号"
    services.doc_file(actor=p["reviewer"], doc=doc, on=date(2026, 3, 20), filed_to="郁南县人民政府")
    doc.refresh_from_db()
    assert doc.filed_on == date(2026, 3, 20)


def test_validity_is_configurable_and_trial_documents_are_shorter(people, monkeypatch):
    monkeypatch.setenv("ZHIFA_RULE_LEGAL_DOC_VALIDITY", "3")
    assert services.validity_end(date(2026, 3, 2), trial=False) == date(2029, 3, 1)
    assert services.validity_end(date(2026, 3, 2), trial=True) == date(2028, 3, 1)  # 暂行/试行: 2 years
    assert services.validity_end(date(2024, 2, 29), trial=True) == date(2026, 2, 27)  # no 29 Feb in 2026


def test_challenged_document_answer_clock_is_ten_working_days_across_national_day(people):
    """复议法 Art 58: the 制定机关 answers within 10 days of the notice; Art 88 para 2: working days.
    Notice on Mon 2026-09-28: 29, 30 Sep (2), 国庆 1–7 Oct off, 8, 9 Oct (4), Sat 10 Oct a make-up working day (5),
    12–16 Oct (10) → Fri 2026-10-16, not 10 calendar days (2026-10-08)."""
    p = people
    doc = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    ch = services.challenge_add(
        actor=p["reviewer"],
        doc=doc,
        organ="郁南县人民政府",
        their_number="郁府复〔2026〕3号",
        notified_on=date(2026, 9, 28),
        clauses="第五条第二款",
    )
    assert ch.answer_due == date(2026, 10, 16)
    assert ch.suspended
    services.challenge_close(
        actor=p["reviewer"],
        challenge=ch,
        answered_on=date(2026, 10, 15),
        outcome="upheld",
        on=date(2026, 11, 2),
    )
    ch.refresh_from_db()
    assert not ch.suspended


def test_expiry_reminder_six_months_before(people, django_capture_on_commit_callbacks):
    """Evaluation 6 months before 有效期 ends (local rule): valid until 2031-03-01 → told from 2030-09-01."""
    from zhifa.legal.daily import remind
    from zhifa.notifications.models import Notification

    p = people
    doc = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    services.doc_file(actor=p["reviewer"], doc=doc, on=D0, filed_to="郁南县人民政府")
    assert services.evaluation_notice_on(doc.valid_until) == date(2030, 9, 1)
    qs = Notification.objects.filter(kind="legal.expiry")
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2030, 8, 31))
    assert not qs.exists()
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2030, 9, 1))
    assert set(qs.values_list("user__username", flat=True)) == {"reviewer_a", "head_a"}
    assert "有效期至 2031-03-01" in qs.first().title
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2030, 9, 2))  # idempotent: once per document and date
    assert qs.count() == 2
    remind(on=date(2031, 3, 2))  # past 有效期: lapses
    doc.refresh_from_db()
    assert doc.status == DocStatus.EXPIRED


def test_renew_amend_repeal(people):
    p = people
    doc = doc_to("publish", tree=p["tree"], officer=p["officer"], reviewer=p["reviewer"], head=p["head"])
    services.doc_renew(actor=p["reviewer"], doc=doc, on=date(2030, 10, 8))
    doc.refresh_from_db()
    assert (
        doc.register_no == "规范性文件登记〔2030〕1号"
        and doc.valid_until == date(2036, 3, 1)
        and doc.renewals == 1
    )
    new = services.doc_amend(actor=p["reviewer"], doc=doc, on=date(2030, 11, 2), reason="上位法修改")
    assert new.replaces == doc and new.status == DocStatus.DRAFT
    doc.refresh_from_db()
    assert doc.status == DocStatus.PUBLISHED  # in force until the new one is published
    with pytest.raises(DomainError, match="请填写废止理由"):
        services.doc_repeal(actor=p["reviewer"], doc=doc, on=date(2030, 11, 2), reason="")
    services.doc_repeal(actor=p["reviewer"], doc=doc, on=date(2030, 11, 2), reason="清理：调整对象已消失")
    doc.refresh_from_db()
    assert doc.status == DocStatus.REPEALED
