"""Issue 22's first "done when": every number of the demo's report for this year, recomputed from the raw
tables with SQL written here (not through the indicator code), equals what the report prints. The demo
county is loaded as `make demo` loads it (scale 0.05, today's date); the reader is the demo's 法制审核人员 of
郁南县交通运输局 (the bureau: every row of 郁南 is in scope)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

SCALE = 0.05


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from zhifa.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo(seed=2022, scale=SCALE, today=timezone.localdate())
        yield
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def _one(sql: str, params: list):
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def _rate(n, d, places=1):
    return round(100 * n / d, places) if d else None


def independent(year: int, path: str) -> dict:
    y0, y1 = date(year, 1, 1), date(year, 12, 31)
    t0 = timezone.make_aware(datetime.combine(y0, time.min))
    t1 = timezone.make_aware(datetime.combine(y1 + timedelta(days=1), time.min))
    p = path + "%"
    org = "JOIN accounts_org o ON o.id = x.org_id WHERE o.path LIKE %s"
    out = {}
    out["cases.registered"] = _one(
        f"SELECT COUNT(*) FROM cases_case x {org} AND x.registered_on BETWEEN %s AND %s", [p, y0, y1]
    )[0]
    n, fen = _one(
        f"SELECT COUNT(*), SUM(x.fine_fen) FROM cases_case x {org} AND x.outcome = 'penalty' "
        "AND x.decided_on BETWEEN %s AND %s",
        [p, y0, y1],
    )
    out["cases.penalties"] = n
    out["cases.fines"] = round(int(fen or 0) / 1_000_000, 2)
    out["cases.legal_reviews"] = _one(
        f"SELECT COUNT(*) FROM cases_case x {org} AND x.review_passed_on BETWEEN %s AND %s", [p, y0, y1]
    )[0]
    out["overload.confirmed"] = _one(
        f"SELECT COUNT(*) FROM overload_lead x {org} AND x.status = 'confirmed' "
        "AND x.passed_at >= %s AND x.passed_at < %s",
        [p, t0, t1],
    )[0]
    out["overload.sanctions"] = _one(
        f"SELECT COUNT(*) FROM overload_sanctionlead x {org} AND x.created_at >= %s AND x.created_at < %s",
        [p, t0, t1],
    )[0]
    n, d = _one(
        "SELECT SUM(CASE WHEN r.result <> 'none' THEN 1 ELSE 0 END), COUNT(*) "
        "FROM inspections_inspectionrecord r JOIN inspections_assignment a ON a.id = r.assignment_id "
        "JOIN inspections_inspectiontask t ON t.id = a.task_id JOIN inspections_inspectionplan pl "
        "ON pl.id = t.plan_id JOIN accounts_org o ON o.id = pl.org_id WHERE o.path LIKE %s "
        "AND r.status <> 'draft' AND r.inspected_on BETWEEN %s AND %s",
        [p, y0, y1],
    )
    out["inspections.inspected"] = d
    out["inspections.problem_rate"] = _rate(int(n or 0), d)
    out["disclosure.published"] = _one(
        f"SELECT COUNT(*) FROM disclosure_disclosurerecord x {org} AND x.published_on BETWEEN %s AND %s",
        [p, y0, y1],
    )[0]
    n, d = _one(
        "SELECT SUM(CASE WHEN x.published_on <= x.publish_due THEN 1 ELSE 0 END), COUNT(*) "
        f"FROM disclosure_disclosurerecord x {org} AND x.kind IN ('penalty', 'permit') "
        "AND x.state <> 'not_public' AND x.decided_on BETWEEN %s AND %s",
        [p, y0, y1],
    )
    out["disclosure.on_time_rate"] = _rate(int(n or 0), d)
    out["credit.records"] = _one(
        f"SELECT COUNT(*) FROM credit_creditrecord x {org} AND x.occurred_on BETWEEN %s AND %s", [p, y0, y1]
    )[0]
    n, d = _one(
        "SELECT SUM(CASE WHEN x.closed_on IS NOT NULL THEN 1 ELSE 0 END), COUNT(*) "
        f"FROM complaints_workorder x {org} AND x.state <> 'refused' AND x.received_on BETWEEN %s AND %s",
        [p, y0, y1],
    )
    out["complaints.received"] = d
    out["complaints.close_rate"] = _rate(int(n or 0), d)
    n, d = _one(
        "SELECT SUM(CASE WHEN EXISTS (SELECT 1 FROM accounts_certificate c WHERE c.officer_id = x.id "
        "AND (c.withdrawn_on IS NULL OR c.withdrawn_on > %s) AND c.valid_from <= %s AND c.valid_to >= %s "
        "AND c.review_status NOT IN ('failed', 'suspended')) THEN 1 ELSE 0 END), COUNT(*) "
        f"FROM accounts_officer x {org} AND x.status = 'active'",
        [y1, y1, y1, p],
    )
    out["accounts.certified_rate"] = _rate(int(n or 0), d)
    last = _one(
        f"SELECT MAX(x.month) FROM reports_provincialvalue x {org} AND x.indicator_id = "
        "'province.online_rate' AND x.month LIKE %s",
        [p, f"{year}-%"],
    )[0]
    avg = _one(
        f"SELECT AVG(x.value) FROM reports_provincialvalue x {org} AND x.indicator_id = "
        "'province.online_rate' AND x.month = %s",
        [p, last],
    )[0]
    out["province.online_rate"] = None if avg is None else round(float(avg), 2)
    total = _one(
        f"SELECT SUM(x.value) FROM reports_provincialvalue x {org} AND x.indicator_id = "
        "'province.unload_t' AND x.month LIKE %s",
        [p, f"{year}-%"],
    )[0]
    out["province.unload_t"] = None if total is None else round(float(total), 2)
    return out


@pytest.mark.django_db
def test_every_number_of_the_demo_report_recomputed(demo):
    from zhifa.accounts.models import User
    from zhifa.reports import services
    from zhifa.reports.models import AnnualReport

    report = AnnualReport.objects.select_related("org").get(year=timezone.localdate().year)
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.org_id == report.org_id
    printed = {k: r.value for k, r in services.refs(report, reviewer).items()}
    expected = independent(report.year, report.org.path)
    assert set(printed) == set(expected), "the test must cover every number of the report"
    assert printed == expected
    assert printed["cases.registered"] > 0 and printed["province.online_rate"] is not None  # not all empty
    # and the lint pass has nothing to say about the demo's draft
    assert services.lint(report, printed) == []
