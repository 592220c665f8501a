"""The case workflow asks the rules library for every legal number (one definition): the deployment
overrides (``ZHIFA_RULE_<NAME>``) reach the case clocks, the 裁量基准 is pre-filled from the library's
tiers, feeders hear about 结案 through the close hook, and the ``zhifa cases`` command."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.conftest import D0, ON_THE_SPOT, catalogue_violation, new_case, step, to_state
from zhifa.cases import hooks
from zhifa.cases.enums import CaseState
from zhifa.cli import main
from zhifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


# --- one env scheme: the rules library's ------------------------------------------------------------


def test_statement_period_override_reaches_the_clock(kit, monkeypatch):
    # default 3 working days (unconfirmed in 程序规定, local): Mon 2026-03-02 -> Thu 2026-03-05
    c = to_state(kit, "notified")
    assert c.clocks.get(kind="statement").due == date(2026, 3, 5)
    monkeypatch.setenv("ZHIFA_RULE_STATEMENT_PERIOD", "5")  # was ZHIFA_STATEMENT_WORKDAYS
    c = to_state(kit, "notified")
    clock = c.clocks.get(kind="statement")
    assert clock.due == date(2026, 3, 9)  # 5 working days
    assert any("本部署另行设定" in line for line in clock.explanation)


def test_decision_extension_override(kit, monkeypatch):
    c = to_state(kit, "investigating")
    assert c.limit_due == date(2026, 6, 1)  # 90 days end Sun 2026-05-31, rolled over (民法典 Art 203)
    monkeypatch.setenv("ZHIFA_RULE_DECISION_TIME_EXTENSION", "60")  # was ZHIFA_CASE_EXTENSION_DAYS
    c = step(kit, c, "extend", kit.head, reason="案情复杂，需补充调查")
    assert c.extension_days == 60
    assert c.clocks.get(kind="decision_limit").due == date(2026, 7, 30)  # 2026-03-02 + 150 days


def test_hearing_threshold_override_reaches_the_case(monkeypatch):
    from zhifa.cases.models import Case
    from zhifa.cases.workflow import hearing_decision, hearing_required

    citizen = Case(party_kind="citizen", registered_on=D0)
    assert not hearing_required(citizen, 200_000, "fine")
    monkeypatch.setenv("ZHIFA_RULE_HEARING_FINE_THRESHOLD_PERSON", "200000")  # was ZHIFA_HEARING_CITIZEN_YUAN
    assert hearing_required(citizen, 200_000, "fine") and not hearing_required(citizen, 199_999, "fine")
    monkeypatch.setenv("ZHIFA_RULE_HEARING_FINE_THRESHOLD_ORG", "5000000")  # was ZHIFA_HEARING_ORG_YUAN
    org = Case(party_kind="org", registered_on=D0)
    assert hearing_required(org, 5_000_000, "fine") and not hearing_required(org, 4_999_999, "fine")
    d = hearing_decision(org, None, "suspend")
    assert d and "第六十三条" in d.reason
    assert not hearing_required(org, None, "warning")


def test_summary_filing_override(kit, monkeypatch):
    from zhifa.cases.services import case_summary_create

    monkeypatch.setenv("ZHIFA_RULE_SUMMARY_FILING_PERIOD", "3")  # was ZHIFA_SUMMARY_FILING_WORKDAYS
    c = case_summary_create(
        org=kit.tree.squad_a1,
        party_kind="citizen",
        party_name="李某",
        violation_name="未携带从业资格证",
        violation_code=catalogue_violation().code,
        facts="驾驶员未随车携带从业资格证",
        penalty_type="fine",
        fine_fen=20000,
        officer_ids=[kit.o1.pk, kit.o2.pk],
        actor=kit.officer_user,
        on=D0,
        summary_record=ON_THE_SPOT,
    )
    assert c.clocks.get(kind="summary_filing").due == date(2026, 3, 5)


def test_source_decision_period_is_a_rule_parameter(tree, monkeypatch):
    from django.utils import timezone

    from zhifa.cases.services import case_source_create
    from zhifa.core.calendar import add_workdays

    monkeypatch.setenv("ZHIFA_RULE_SOURCE_DECISION_PERIOD", "10")  # was ZHIFA_CASE_SOURCE_WORKDAYS
    src, _ = case_source_create(origin="complaint", org=tree.squad_a1, facts="群众投诉", actor=None)
    assert src.decision_due == add_workdays(timezone.localdate(), 10).date


# --- 裁量基准 pre-filled from the rules library -------------------------------------------------------


def test_benchmark_prefilled_from_the_violation_tiers(kit):
    from zhifa.rules.discretion import discretion_range
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()
    general = discretion_range("DY-001", "general", on=D0)
    c = new_case(kit, violation_code="DY-001")
    c = step(kit, c, "register", kit.head)
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", kind="询问笔录", content="问答", signature="signed")
    c = step(kit, c, "end_investigation", report="事实清楚")
    c = step(
        kit,
        c,
        "propose",
        kit.head,
        outcome="penalty",
        penalty_type="fine",
        proposed_fine_fen=general.min_fen,
        tier="general",
        tier_reasons="情节一般",
    )
    assert (c.benchmark_min_fen, c.benchmark_max_fen) == (general.min_fen, general.max_fen)
    assert c.steps.get(action="propose").data["benchmark_source"] == general.explanation
    # a range typed by the head is not an input any more: the catalogue's tier stays (issue 14)
    c2 = new_case(kit, violation_code="DY-001")
    c2 = step(kit, c2, "register", kit.head)
    c2 = step(kit, c2, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    c2 = step(kit, c2, "record", kind="询问笔录", content="问答", signature="signed")
    c2 = step(kit, c2, "end_investigation", report="事实清楚")
    c2 = step(
        kit,
        c2,
        "propose",
        kit.head,
        outcome="penalty",
        penalty_type="fine",
        proposed_fine_fen=500000,
        tier="general",
        tier_reasons="情节一般",
        benchmark_min_fen=400000,
        benchmark_max_fen=600000,
    )
    assert (c2.benchmark_min_fen, c2.benchmark_max_fen) == (general.min_fen, general.max_fen)


def test_no_benchmark_without_a_catalogued_violation(kit):
    c = new_case(kit, violation_code="")  # no violation code
    c = step(kit, c, "register", kit.head)
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", kind="询问笔录", content="问答", signature="signed")
    c = step(kit, c, "end_investigation", report="事实清楚")
    c = step(kit, c, "propose", kit.head, outcome="penalty", penalty_type="fine", proposed_fine_fen=100000,
             tier="general", tier_reasons="情节一般")
    assert c.benchmark_min_fen is None and c.benchmark_max_fen is None


# --- the close hook -------------------------------------------------------------------------------------


def _closed_case(kit):
    c = to_state(kit, "investigated")
    c = step(kit, c, "decide_no_penalty", kit.head, ground="首违不罚", education_record="已当场教育")
    c = step(kit, c, "serve", method="direct", proof="回证 1 号")
    return c


def test_close_callbacks_run_after_commit_and_one_failure_does_not_stop_the_others(
    kit, django_capture_on_commit_callbacks
):
    seen = []

    def good(case):
        seen.append((case.pk, case.state, case.closed_on))

    def bad(case):
        raise RuntimeError("feeder down")

    hooks.on_case_closed("test.bad", bad)
    hooks.on_case_closed("test.good", good)
    try:
        c = _closed_case(kit)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            c = step(kit, c, "close", kit.head, on=date(2026, 3, 10))
        assert seen == []  # nothing before the commit
        for cb in callbacks:
            cb()
        assert seen == [(c.pk, CaseState.CLOSED, date(2026, 3, 10))]
        assert hooks.case_closed_replay(c.pk) == ["test.bad"]
        assert len(seen) == 2
    finally:
        hooks.unregister("test.bad")
        hooks.unregister("test.good")


def test_refused_close_runs_no_callback(kit, django_capture_on_commit_callbacks):
    seen = []
    hooks.on_case_closed("test.seen", seen.append)
    try:
        c = to_state(kit, "investigated")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
            step(kit, c, "close", kit.head)
        assert seen == []
    finally:
        hooks.unregister("test.seen")


# --- zhifa cases deadlines / check ----------------------------------------------------------------------


def test_cli_deadlines_lists_overdue_and_due_soon(kit, capsys):
    to_state(kit, "notified")  # statement due Thu 2026-03-05, hearing request due Mon 2026-03-09
    assert main(["cases", "deadlines", "--org", "第一中队", "--today", "2026-03-04", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert "已超期 0 项" in out and "临期\t2026-03-05" in out and "陈述申辩期限" in out
    assert main(["cases", "deadlines", "--today", "2026-03-06"]) == 1  # overdue -> exit 1
    out = capsys.readouterr().out
    assert "已超期\t2026-03-05\t-1" in out
    assert main(["cases", "deadlines", "--org", "不存在的单位"]) == 2
    assert main(["cases", "deadlines", "--org", "第二中队", "--today", "2026-03-06"]) == 0


def test_cli_check_exit_codes(kit, capsys):
    c = to_state(kit, "notified")
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)  # decided, not served: a veto finding (无送达凭证)
    assert main(["cases", "check", str(c.pk)]) == 1
    out = capsys.readouterr().out
    assert "不合格" in out and "否决项\t无送达凭证" in out and "第六十一条" in out
    c = step(kit, c, "serve", method="direct", proof="回证")
    assert main(["cases", "check", str(c.pk)]) == 0
    assert "合格" in capsys.readouterr().out
    assert main(["cases", "check", "999999"]) == 2
