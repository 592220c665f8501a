"""Legal rules of the discretion helpers, each tested with its own article's numbers at the boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.errors import DomainError
from zhifa.rules import (
    WARNING,
    discretion_range,
    hearing_required,
    late_payment_surcharge,
    overload_fine,
    procedure_param,
    summary_procedure_allowed,
)

pytestmark = pytest.mark.django_db


# --- 处罚法 Art 51: 简易程序 ≤ 200 yuan (citizen), ≤ 3,000 yuan (organisation), or a warning ------------


def test_summary_procedure_citizen_200_yes_201_no():
    assert summary_procedure_allowed(fine_fen=20000, party_kind="person").ok
    d = summary_procedure_allowed(fine_fen=20100, party_kind="person")
    assert not d.ok and "第五十一条" in d.reason and "200元" in d.reason


def test_summary_procedure_organisation_3000_yes_3001_no():
    assert summary_procedure_allowed(fine_fen=300000, party_kind="organisation").ok
    assert not summary_procedure_allowed(fine_fen=300100, party_kind="organisation").ok


def test_summary_procedure_warning_and_bad_party():
    assert summary_procedure_allowed(fine_fen=0, party_kind="organisation", warning=True).ok
    assert not summary_procedure_allowed(fine_fen=0, party_kind="person").ok
    with pytest.raises(DomainError):
        summary_procedure_allowed(fine_fen=100, party_kind="company")


# --- 处罚法 Art 63: hearing; "较大数额" per province (广东: 5,000 yuan citizen / 100,000 yuan organisation) --


def test_hearing_threshold_includes_the_amount_itself():
    assert hearing_required(party_kind="person", fine_fen=500000, province="44").ok
    assert not hearing_required(party_kind="person", fine_fen=499900, province="44").ok
    assert hearing_required(party_kind="organisation", fine_fen=10000000, province="44").ok
    assert not hearing_required(party_kind="organisation", fine_fen=9999900, province="44").ok


def test_hearing_for_listed_sanctions_and_confiscation():
    d = hearing_required(party_kind="organisation", fine_fen=0, sanctions=["revoke_licence"])
    assert d.ok and "吊销许可证件" in d.reason and "第六十三条" in d.reason
    assert hearing_required(party_kind="person", confiscation_fen=600000, province="44").ok
    with pytest.raises(DomainError):
        hearing_required(party_kind="person", sanctions=["detention"])


def test_hearing_threshold_is_configurable_by_env(monkeypatch):
    monkeypatch.setenv("ZHIFA_RULE_HEARING_FINE_THRESHOLD_PERSON", "200000")
    assert hearing_required(party_kind="person", fine_fen=200000).ok
    assert procedure_param("hearing_fine_threshold_person").origin == "环境变量"


# --- 处罚法 Art 72 / 强制法 Art 45: 3 % a day, capped at the fine -------------------------------------


def test_late_payment_surcharge_3_percent_per_day():
    assert late_payment_surcharge(100000, 1) == 3000
    assert late_payment_surcharge(100000, 10) == 30000
    assert late_payment_surcharge(100000, 33) == 99000


def test_late_payment_surcharge_reaches_the_cap():
    assert late_payment_surcharge(100000, 34) == 100000  # 102 % would exceed the fine
    assert late_payment_surcharge(100000, 365) == 100000
    assert late_payment_surcharge(0, 10) == 0


# --- 超限规定 Art 43 item 2: warning ≤ 1,000 kg; 500 yuan per 1,000 kg; at most 30,000 yuan -------------


@pytest.mark.parametrize(
    ("excess", "floor_fen", "ceil_fen"),
    [
        (1001, 50000, 100000),
        (1999, 50000, 100000),
        (2000, 100000, 100000),
        (2001, 100000, 150000),
        (60000, 3000000, 3000000),
        (60001, 3000000, 3000000),
        (100000, 3000000, 3000000),
    ],
)
def test_overload_fine_per_tonne_both_roundings(excess, floor_fen, ceil_fen):
    assert overload_fine(excess).amount == floor_fen  # default rule parameter: floor
    assert overload_fine(excess, rounding="ceil").amount == ceil_fen


def test_overload_fine_warning_up_to_1000_kg():
    r = overload_fine(1000)
    assert r.amount == WARNING and "警告" in r.explanation and "第四十三条" in r.explanation
    assert overload_fine(1).amount == WARNING


def test_overload_cap_is_explained():
    r = overload_fine(80000)
    assert r.amount == 3000000 and "最高限额" in r.explanation and "30000元" in r.explanation


def test_overload_rounding_rule_parameter_by_env(monkeypatch):
    monkeypatch.setenv("ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING", "ceil")
    assert overload_fine(2001).amount == 150000
    monkeypatch.setenv("ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING", "half")
    with pytest.raises(DomainError):
        overload_fine(2001)


def test_overload_not_overlimit_is_refused():
    with pytest.raises(DomainError) as e:
        overload_fine(0)
    assert e.value.code == "rules.not_overlimit"


# --- procedure parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "unit", "day_type", "article"),
    [
        ("decision_time_limit", 90, "day", "calendar", "第六十条"),
        ("payment_period", 15, "day", "calendar", "第六十七条"),
        ("service_absent_party", 7, "day", "working", "第六十一条"),
        ("hearing_request_period", 5, "day", "working", "第六十四条"),
        ("hearing_notice_before", 7, "day", "working", "第六十四条"),
        ("summary_filing_period", 5, "day", "working", "第六十一条"),
        ("limitation_general", 2, "year", "calendar", "第三十六条"),
        ("limitation_extended", 5, "year", "calendar", "第三十六条"),
        ("publication_withdrawal_period", 3, "day", "working", "第四十八条"),
        ("publication_period", 7, "day", "working", "七个工作日"),
        ("summary_fine_max_person", 20000, "fen", "", "第五十一条"),
        ("summary_fine_max_org", 300000, "fen", "", "第五十一条"),
    ],
)
def test_procedure_params_from_shipped_files_without_loading(name, value, unit, day_type, article):
    p = procedure_param(name)
    assert (p.value, p.unit, p.day_type) == (value, unit, day_type)
    assert article in p.article and p.origin == "数据文件"


def test_statement_period_is_marked_unconfirmed_and_configurable(monkeypatch):
    p = procedure_param("statement_period")
    assert p.confidence == "unconfirmed" and "另行配置" in p.note  # in words: no setting names on a page
    monkeypatch.setenv("ZHIFA_RULE_STATEMENT_PERIOD", "5")
    assert procedure_param("statement_period").value == 5
    monkeypatch.setenv("ZHIFA_RULE_STATEMENT_PERIOD", "五")
    with pytest.raises(DomainError):
        procedure_param("statement_period")


def test_param_not_in_force_before_its_law():
    with pytest.raises(DomainError) as e:
        procedure_param("summary_fine_max_person", on=date(2020, 1, 1))
    assert e.value.code == "rules.param_not_found"
    with pytest.raises(DomainError):
        procedure_param("no_such_param")


def test_province_param_overrides_national_and_db_wins(catalogue):
    p = procedure_param("hearing_fine_threshold_org", province="广东")
    assert p.province == "44" and p.confidence == "secondary" and p.origin == "数据库"
    assert procedure_param("hearing_fine_threshold_org", province="").confidence == "local"


# --- discretion tiers -----------------------------------------------------------------------------------


def test_discretion_range_stays_within_the_legal_range(catalogue):
    from zhifa.rules.models import Tier, ViolationVersion

    for v in ViolationVersion.objects.all():
        for t in v.tiers:
            lo, hi, _ = discretion_range(v, t["tier"])
            assert 0 <= lo <= hi
            if t["tier"] in (Tier.LIGHTER, Tier.GENERAL, Tier.HEAVIER):
                assert v.min_fen <= lo and hi <= v.max_fen, v.code
            if t["tier"] == Tier.MITIGATED:
                assert hi < v.min_fen, v.code


def test_discretion_range_explains_itself(catalogue):
    lo, hi, text = discretion_range("DY-004", "general")  # 条例 Art 64: 200–2,000 yuan
    assert (lo, hi) == (74000, 146000)
    assert "第六十四条" in text and "一般处罚" in text and "示范阶次" in text
    assert discretion_range("DY-004", "heavier").max_fen == 200000
    assert discretion_range("DY-004", "no_penalty")[:2] == (0, 0)


def test_discretion_range_errors(catalogue):
    with pytest.raises(DomainError):
        discretion_range("DY-004", "extreme")
    with pytest.raises(DomainError) as e:
        discretion_range("DY-020", "lighter")  # a fixed fine (条例 Art 70 para 3) has no 从轻 band
    assert e.value.code == "rules.tier_missing"


# --- parameters the other modules ask for (cases, documents, overload) ---------------------------------


@pytest.mark.parametrize(
    ("name", "on", "value", "unit", "day_type", "article"),
    [
        ("min_officers", date(2026, 3, 2), 2, "person", "", "第四十二条"),
        ("decision_time_extension", date(2026, 3, 2), 30, "day", "calendar", "第六十条"),
        (
            "reconsideration_period",
            date(2026, 3, 2),
            60,
            "day",
            "calendar",
            "行政复议法》（2023修订）第二十条",
        ),
        ("reconsideration_period", date(2023, 12, 31), 60, "day", "calendar", "行政复议法》（1999）第九条"),
        ("litigation_period", date(2026, 3, 2), 6, "month", "calendar", "行政诉讼法》第四十六条"),
        ("source_decision_period", date(2026, 3, 2), 7, "day", "working", "第五十四条"),
        ("court_enforcement_reminder_wait", date(2026, 3, 2), 10, "day", "working", "第五十四条"),
        ("court_enforcement_window", date(2026, 3, 2), 3, "month", "calendar", "第五十三条"),
        ("limitation_general", date(2020, 5, 1), 2, "year", "calendar", "（1996）第二十九条"),
    ],
)
def test_added_params_with_their_articles(name, on, value, unit, day_type, article):
    p = procedure_param(name, on=on)
    assert (p.value, p.unit, p.day_type) == (value, unit, day_type)
    assert article in p.article


def test_hearing_periods_cite_the_right_items_of_art_64():
    # 处罚法 (2021) Art 64: (一) request within 5 days of the notice, (二) notice 7 days before the hearing
    assert "第六十四条第（一）项" in procedure_param("hearing_request_period").article
    assert "第六十四条第（二）项" in procedure_param("hearing_notice_before").article


def test_local_choices_are_marked_and_configurable(monkeypatch):
    for name in ("decision_time_extension", "source_decision_period", "statement_period"):
        p = procedure_param(name)
        assert p.confidence in ("local", "unconfirmed") and "另行配置" in p.note
    monkeypatch.setenv("ZHIFA_RULE_DECISION_TIME_EXTENSION", "45")
    assert procedure_param("decision_time_extension").value == 45


def test_batch_lookup_agrees_with_one_by_one(catalogue, monkeypatch):
    from zhifa.rules.params import procedure_params

    names = ("payment_period", "hearing_fine_threshold_org", "litigation_period", "no_such_param")
    monkeypatch.setenv("ZHIFA_RULE_PAYMENT_PERIOD", "20")
    got = procedure_params(names, on=date(2026, 3, 2), province="44")
    assert "no_such_param" not in got
    for name in names[:3]:
        one = procedure_param(name, on=date(2026, 3, 2), province="44")
        assert got[name] == one
    assert got["payment_period"].value == 20 and got["payment_period"].origin == "环境变量"
    assert got["hearing_fine_threshold_org"].province == "44"  # the province's row wins
    assert procedure_params(("reconsideration_period",), on=date(1990, 1, 1)) == {}


def test_overload_fine_says_how_it_counted():
    r = overload_fine(2500, rounding="ceil")
    assert (r.amount, r.units, r.rounding, r.warning, r.amount_fen) == (150000, 3, "ceil", False, 150000)
    w = overload_fine(800)
    assert w.warning and w.amount_fen == 0 and "第四十三条" in w.article
