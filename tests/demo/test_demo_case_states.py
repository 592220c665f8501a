"""Issue 14 "Done when": the demo holds cases in each procedural state, driven through the case services
with dates that make sense on the demo's ``today``."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from zhifa.cases.enums import (
    AppealKind,
    AppealOutcome,
    CaseState,
    ClockKind,
    ClockStatus,
    CourtStatus,
    Procedure,
)
from zhifa.cases.models import (
    Case,
    CaseAppeal,
    CaseClock,
    CaseCourtEnforcement,
    CasePreservation,
    CaseSeizure,
)
from zhifa.cases.workflow import ledger
from zhifa.cases.workflow.check import case_check_run
from zhifa.demo.case_steps import last_wd, minus, plus, wd

TODAY = date(2026, 11, 20)  # a Friday
OVERDUE_AT_MOST = 10  # 61 before the cases in flight started lately; the full-scale demo shows about 12


@pytest.mark.django_db  # the calendar also reads the schedules an administrator entered
def test_working_day_steps_skip_the_national_day_holiday():
    # 2026 National Day: 10-01 .. 10-07 off (the rest days around them moved): 09-30 is a working day
    assert wd(date(2026, 10, 3)) == plus(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert minus(date(2026, 10, 8), 1) == last_wd(date(2026, 10, 5)) == date(2026, 9, 30)


@pytest.mark.django_db
def test_demo_holds_a_case_in_each_procedural_state(settings, tmp_path, caplog):
    from zhifa.demo.cases import load_demo_cases
    from zhifa.demo.loader import load_demo
    from zhifa.rules.services import load_starter_catalogue

    settings.DATA_DIR = tmp_path
    load_demo(seed=7, scale=0.05, today=TODAY, modules=())
    load_starter_catalogue()
    load_demo_cases(seed=7, today=TODAY, scale=0.05)
    assert not [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]  # no scenario refused
    # issue 15 item 4: a believable county on its demo date: a few deadlines overdue, not dozens (cases in
    # flight were opened lately; zhifa.demo.cases.IN_FLIGHT)
    overdue = CaseClock.objects.filter(status=ClockStatus.RUNNING, due__lt=TODAY)
    assert 1 <= overdue.count() <= OVERDUE_AT_MOST, [(c.kind, c.case.state, c.due) for c in overdue]
    decided = Case.objects.filter(decided_on__isnull=False)
    assert not Case.objects.filter(decided_on__gt=TODAY).exists()  # nothing happens after the demo's today

    # 1. hearing requested, the party absent without good reason (处罚法 Art 64(六)), then decided
    absent = decided.filter(hearing_end="absent", hearing_held=False)
    assert absent.exists() and all(c.hearing_ended_on < c.decided_on for c in absent)
    # 2. hearing held, the 笔录 signed, the 听证报告, then decided (Art 65)
    held = decided.filter(
        hearing_held=True, hearing_record_signature="signed", hearing_report_on__isnull=False
    )
    assert held.exists() and all(c.hearing_report_on <= c.decided_on for c in held)
    # 3. 公告送达: deemed served after today (still running), and one whose period has passed
    notices = Case.objects.filter(service_method="public_notice")
    assert any(c.public_notice_running(TODAY) and c.served_on > TODAY for c in notices)
    assert any(c.service_started_on < c.served_on <= TODAY for c in notices)
    # 4. a partial payment, a balance outstanding
    partial = [
        c
        for c in Case.objects.filter(state=CaseState.SERVED, payments__isnull=False).distinct()
        if 0 < c.payments.aggregate(s=Sum("fine_part_fen"))["s"] < c.fine_fen
    ]
    assert partial and all(ledger(c, TODAY).balance_fen > 0 for c in partial)
    # 5. 分期 approved (Art 66) with a schedule, one instalment paid
    split = [c for c in Case.objects.exclude(instalments=[]) if len(c.instalments) >= 2]
    assert split and any(
        c.instalment_request.get("approved") and c.payments.filter(instalment_nos=[1]).exists() for c in split
    )
    # 6. 催告 after the payment deadline passed unpaid (行政强制法 Art 54)
    reminded = Case.objects.filter(state=CaseState.EXECUTING, reminded_on__isnull=False)
    assert any(c.reminded_on > c.payment_due and not c.paid_on for c in reminded)
    # 7. the court application filed (Art 55), and one accepted and ruled on (Arts 56, 57)
    court = CaseCourtEnforcement.objects.all()
    applied = court.filter(status=CourtStatus.APPLIED, applied_on__lte=TODAY)
    assert applied.exists() and all(len(r.materials) == 4 for r in applied)
    assert CaseClock.objects.filter(
        case__in=applied.values("case"), kind=ClockKind.COURT_ACCEPT, status=ClockStatus.RUNNING
    ).exists()
    assert court.filter(status=CourtStatus.GRANTED, accepted_on__isnull=False, ruling_no__gt="").exists()
    # 8. a 简易程序 case with 当场收缴 and its 票据 number (处罚法 Arts 68-70)
    summary = Case.objects.filter(procedure=Procedure.SUMMARY, summary_record__collection__isnull=False)
    assert any(c.summary_record["collection"]["receipt_no"].startswith("粤财罚字") for c in summary)
    # 9. 先行登记保存 decided (released) within its 7 working days, and a 查封/扣押 in force
    assert CasePreservation.objects.filter(disposition="release", decided_on__isnull=False).exists()
    assert all(p.decided_on <= p.due for p in CasePreservation.objects.filter(disposition="release"))
    assert CaseSeizure.objects.filter(released_on__isnull=True, started_on__lte=TODAY, due__gt=TODAY).exists()
    # 10. a 复议 with its 答复 clock running, one upheld; a lawsuit ending in 撤销
    appeals = CaseAppeal.objects.all()
    running = appeals.filter(kind=AppealKind.RECONSIDERATION, answered_on__isnull=True, answer_due__gte=TODAY)
    assert running.exists()
    assert CaseClock.objects.filter(
        case__in=running.values("case"), kind=ClockKind.RECON_ANSWER, status=ClockStatus.RUNNING
    ).exists()
    assert appeals.filter(kind=AppealKind.RECONSIDERATION, outcome=AppealOutcome.UPHELD).exists()
    assert appeals.filter(
        kind=AppealKind.LITIGATION,
        outcome__in=(AppealOutcome.REVOKED, AppealOutcome.UPHELD),
        outcome_on__lte=TODAY,
    ).exists()
    # and the 案卷评查 finds no veto in any of these files (basis, range, officers, service, measures…)
    found = [*absent, *held, *notices, *partial, *split, *reminded, *summary]
    found += [r.case for r in (*court, *CasePreservation.objects.all(), *CaseSeizure.objects.all(), *appeals)]
    vetoed = {
        c.number: [f["detail"] for f in case_check_run(case=c, on=TODAY, save=False).findings if f["veto"]]
        for c in found
    }
    assert not {k: v for k, v in vetoed.items() if v}
