"""The numbers of 队伍与保障 with their formulas: the annual hours target (60, configurable), 参考率/及格率/优秀率
with the 60/90 lines (configurable), the quota arithmetic of 配备率, and partner outcomes kept out of the
bureau's joint-operation totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.core.errors import DomainError
from zhifa.people import rules, selectors, services
from zhifa.people.models import EquipmentKind


def test_the_hour_target_is_60_a_year_unless_configured(monkeypatch):
    assert rules.annual_hours_target() == Decimal(60)
    monkeypatch.setenv("ZHIFA_PEOPLE_ANNUAL_HOURS", "40")
    assert rules.annual_hours_target() == Decimal(40)


def test_hours_per_officer_count_courses_ending_in_the_year(tree, head_user, crew):
    def course(title, start, end, hours):
        return services.course_create(
            org=tree.bureau_a, title=title, start_on=start, end_on=end, hours=hours, actor=head_user
        )

    c1 = course("行政处罚法专题", date(2026, 3, 2), date(2026, 3, 6), "40")
    c2 = course("治超业务", date(2026, 6, 1), date(2026, 6, 2), "20")
    old = course("去年的课", date(2025, 12, 29), date(2025, 12, 31), "30")
    for o in (crew.o1, crew.o2):
        services.attendance_record(course=c1, officer=o, actor=head_user)
    services.attendance_record(course=c2, officer=crew.o1, actor=head_user)  # 40 + 20 = 60: met
    services.attendance_record(
        course=c2, officer=crew.o2, hours="19.5", actor=head_user
    )  # 59.5: short by 0.5
    services.attendance_record(course=old, officer=crew.o3, actor=head_user)  # 2025: not 2026
    rows = {r.officer.name: r for r in selectors.hours_by_officer(head_user, year=2026)}
    assert (rows["张执法"].hours, rows["张执法"].met) == (Decimal(60), True)
    assert (rows["李执法"].hours, rows["李执法"].met, rows["李执法"].short) == (
        Decimal("59.5"),
        False,
        Decimal("0.5"),
    )
    assert (rows["王执法"].hours, rows["王执法"].met) == (Decimal(0), False)
    from zhifa.people.indicators import COVERAGE, TRAINING_HOURS

    cov = COVERAGE.total(head_user, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert (cov.value, cov.numerator, cov.denominator) == (33.3, 1, 3)  # 1 of 3 officers met 60 h
    avg = TRAINING_HOURS.total(head_user, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert avg.value == round((60 + 59.5) / 3, 1)


def test_credited_hours_cannot_exceed_the_course(tree, head_user, crew):
    c = services.course_create(
        org=tree.bureau_a,
        title="讲座",
        start_on=date(2026, 3, 2),
        end_on=date(2026, 3, 2),
        hours="3",
        actor=head_user,
    )
    with pytest.raises(DomainError, match="超过课程学时"):
        services.attendance_record(course=c, officer=crew.o1, hours="4", actor=head_user)


def test_exam_rates_use_sat_over_required_and_the_lines_over_sat():
    # 10 required, 8 sat; 59.9 fails, 60 passes, 89.9 is not excellent, 90 is
    scores = [Decimal(s) for s in ("59.9", "60", "75", "89.9", "90", "95", "100", "30")]
    r = rules.exam_rates(10, scores)
    assert (r.required, r.sat, r.passed, r.excellent) == (10, 8, 6, 3)
    assert r.participation == 80.0  # 8 ÷ 10
    assert r.pass_rate == 75.0  # 6 ÷ 8
    assert r.excellent_rate == 37.5  # 3 ÷ 8
    assert rules.exam_rates(5, []).pass_rate is None  # nobody sat: no rate, not 0 %


def test_exam_lines_are_configurable(monkeypatch):
    monkeypatch.setenv("ZHIFA_PEOPLE_EXAM_PASS", "70")
    monkeypatch.setenv("ZHIFA_PEOPLE_EXAM_EXCELLENT", "85")
    r = rules.exam_rates(2, [Decimal(65), Decimal(86)])
    assert (r.passed, r.excellent) == (1, 1)


def test_quota_is_per_squad_plus_per_officer_rounded_up():
    on = date(2026, 6, 1)
    assert rules.quota("bodycam", officers=5, on=on) == 5  # 1 per officer
    assert rules.quota("vehicle", officers=5, on=on) == 2  # 2 per squad
    assert rules.quota("terminal", officers=5, on=on) == 3  # 0.5 per officer: 2.5 -> 3
    assert rules.quota("unknown", officers=5, on=on) == 0
    assert rules.equipped_rate(7, 5) == 100.0  # a surplus is not more than 100 %
    assert rules.equipped_rate(3, 4) == 75.0
    assert rules.equipped_rate(0, 0) is None


def test_quota_versions_apply_from_their_date(monkeypatch):
    monkeypatch.setenv(
        "ZHIFA_PEOPLE_EQUIPMENT_QUOTAS",
        '[{"from": "2020-01-01", "source": "甲", "kinds": '
        '{"vehicle": [1, 0]}}, {"from": "2026-07-01", "source": "乙", "kinds": {"vehicle": [3, 0]}}]',
    )
    assert rules.quota("vehicle", officers=0, on=date(2026, 6, 30)) == 1
    assert rules.quota("vehicle", officers=0, on=date(2026, 7, 1)) == 3


def test_equipped_rate_of_squads_does_not_let_a_surplus_cover_a_gap(tree, head_user, crew):
    services.kinds_ensure()
    cam = EquipmentKind.objects.get(code="bodycam")
    # squad A1 (3 officers) holds 6 cams, one disposed: 5 held against a quota of 3 -> 100 %, counted 3
    for i in range(6):
        item = services.item_add(kind=cam, serial=f"DSJ-A1-{i}", org=tree.squad_a1, actor=head_user)
    services.item_dispose(item=item, on=date(2026, 5, 1), reason="损坏", actor=head_user)
    table = selectors.equipment_table(head_user, on=date(2026, 6, 1))
    a1 = next(r for r in table if r.org == tree.squad_a1 and r.kind.code == "bodycam")
    assert (a1.officers, a1.quota, a1.held, a1.rate, a1.counted) == (3, 3, 5, 100.0, 3)
    # quotas: A1 = cams 3 + vehicles 2 + vests 3 + cones 10 + terminals ceil(1.5) = 2 -> 20; A2 (no officers)
    # = vehicles 2 + cones 10 -> 12; B's squad is another county's. Only A1's 3 cams count: 3 / 32
    assert sum(r.quota for r in table) == 32 and {r.org for r in table} == {tree.squad_a1, tree.squad_a2}
    assert selectors.equipped_total(table) == round(100 * 3 / 32, 1)


def _op(actor, org, **kw):
    fields = {"on": date(2026, 4, 10), "kind": "regular", "lead_agency": "县交通运输局", "site": "G324"}
    return services.joint_create(org=org, actor=actor, **{**fields, **kw})


def test_partner_outcomes_are_never_counted_as_the_bureaus(tree, officer_user, head_user):
    police = {"agency": "县公安局交警大队", "cases": 9, "fines_fen": 360_000, "points": 54}
    _op(
        officer_user,
        tree.squad_a1,
        kind="mobile",
        staff=12,
        vehicles=4,
        checked=80,
        violations=6,
        unloaded_kg=35_500,
        cases_opened=5,
        partner_outcomes=[police],
    )
    _op(
        officer_user,
        tree.squad_a1,
        on=date(2026, 4, 20),
        kind="special",
        campaign="百日治超",
        staff=8,
        vehicles=2,
        checked=40,
        cases_opened=2,
    )
    total = selectors.joint_totals(selectors.joint_ops(head_user).filter(on__year=2026))
    assert (total["n"], total["staff"], total["vehicles"], total["checked"], total["cases_opened"]) == (
        2,
        20,
        6,
        120,
        7,
    )
    assert total["unloaded_kg"] == 35_500
    assert total["partner"] == {"cases": 9, "fines_fen": 360_000, "points": 54}
    april = dict(selectors.joint_monthly(head_user, year=2026))["2026-04"]
    assert april["cases_opened"] == 7  # the police's 9 cases are not the bureau's
    from zhifa.people.indicators import JOINT_CASES, JOINT_UNLOADED

    assert JOINT_CASES.total(head_user, start=date(2026, 1, 1), end=date(2026, 12, 31)).value == 7
    assert JOINT_UNLOADED.total(head_user, start=date(2026, 1, 1), end=date(2026, 12, 31)).value == 35.5


def test_a_special_operation_needs_its_name(tree, officer_user):
    with pytest.raises(DomainError, match="专项行动须填写行动名称"):
        _op(officer_user, tree.squad_a1, kind="special")


def test_another_county_sees_none_of_it(tree, officer_user, officer_b):
    _op(officer_user, tree.squad_a1, staff=3)
    assert selectors.joint_ops(officer_b).count() == 0
    assert selectors.joint_totals(selectors.joint_ops(officer_b))["staff"] == 0
    with pytest.raises(DomainError, match="不存在或无权查看"):
        _op(officer_b, tree.squad_a1)
