"""Driver 诚信考核 points per behaviour (计分分值 table) and the driver grade built on it.

Numbers from 《道路运输驾驶员诚信考核办法（试行）》 as quoted (the annex itself was not retrieved, so the
table's items are provisional and named by their local keys): single-behaviour values 20/10/5/3/1, full
score 20 -> B, several behaviours scored separately and added, 12-month cycle. The AAA/AA/A bands are the
local default (≤ 0 AAA, ≤ 10 AA, ≤ 19 A; ZHIFA_CREDIT_DRIVER_BANDS).
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from tests.disclosure.helpers import emit
from tests.factories import fake_idcard
from zhifa.core.errors import DomainError
from zhifa.core.imports import run_import
from zhifa.credit import driver_points, selectors
from zhifa.credit.models import CreditRecord
from zhifa.credit.services import credit_record_add, credit_record_from_disclosure, rating_run
from zhifa.registry.models import Person
from zhifa.registry.services import subject_save

CATALOGUE = Path(driver_points.__file__).parents[1] / "rules" / "data" / "national.json"


def _codes() -> dict[str, dict]:
    return {v["code"]: v for v in json.loads(CATALOGUE.read_text(encoding="utf-8"))["violations"]}


def test_shipped_table_is_valid_and_maps_only_existing_catalogue_entries():
    doc = json.loads(driver_points.BUILTIN.read_text(encoding="utf-8"))
    assert driver_points.check_table(doc, known_codes=set(_codes())) == []
    table = driver_points.load_table()
    assert {i.points for i in table.items.values()} == {20, 10, 5, 3, 1}  # the 办法's five values
    assert table.full_points == 20 and doc["confirmed"]["cycle_months"] == 12
    # the annex was not retrieved: nothing may claim to be its text
    assert not table.confirmed and all(not i.confirmed and not i.annex_item for i in table.items.values())
    assert "暂定" in table.items["T5-1"].label


@pytest.mark.parametrize(
    ("code", "key", "points"),
    [("ZC-001", "T5-1", 5), ("ZC-002", "T5-1", 5), ("ZC-005", "T10-1", 10), ("ZC-004", "T10-2", 10),
     ("DY-011", "T3-1", 3), ("GL-006", "T1-1", 1)],
)
def test_catalogue_entries_map_to_items(code, key, points):
    found = driver_points.item_for_violation(code)
    assert (found.key, found.points) == (key, points)
    assert code in _codes()


def test_operator_only_violations_are_not_scored():
    for code in ("DY-001", "DY-010", "DY-017", "ZC-007", "WY-001"):  # the operator's, not the driver's
        assert driver_points.item_for_violation(code) is None
    assert driver_points.item("T20-1").catalogue == ()  # kept for imported records


@pytest.mark.parametrize(
    ("index", "bad", "message"),
    [
        (0, {"points": 4}, "分值应为 20、10、5、3、1 之一"),
        (0, {"catalogue": ["ZC-999"]}, "执法事项库中没有违法行为 ZC-999"),
        (0, {"behaviour": ""}, "缺少计分行为"),
        (1, {"key": "T20-1"}, "key 重复"),  # the second item reuses the first one's key
    ],
)
def test_check_names_the_bad_item(index, bad, message):
    doc = json.loads(driver_points.BUILTIN.read_text(encoding="utf-8"))
    doc["items"][index].update(bad)
    problems = driver_points.check_table(doc, known_codes=set(_codes()))
    assert any(message in p and f"第 {index + 1} 项" in p for p in problems), problems


def test_one_violation_code_maps_to_one_item():
    doc = json.loads(driver_points.BUILTIN.read_text(encoding="utf-8"))
    doc["items"][0]["catalogue"] = ["ZC-001"]
    assert any("ZC-001 已对应计分项目" in p for p in driver_points.check_table(doc))


# --- the grade ---------------------------------------------------------------------------------------


def _driver(head_user, name="李司机", seed=5) -> Person:
    idcard = fake_idcard(random.Random(seed))
    subject_save(kind="persons", actor=head_user, data={"name": name, "idcard": idcard})
    subject_save(
        kind="licences",
        actor=head_user,
        data={"kind": "qualification", "number": f"QC{seed:04d}", "holder_idcard": idcard,
              "category": "freight_driver", "issuing_authority": "云浮市交通运输局",
              "valid_from": "2019-08-15", "valid_to": "2031-08-14"},
    )
    return Person.objects.get(name=name)


def _scored(tree, head_user, ref, key, on, n=0):
    return credit_record_add(
        org=tree.bureau_a, subject_ref=ref, subject_name="李司机", category="penalty", title=f"行为{key}",
        source="本局", source_ref=f"s{key}{n}", occurred_on=on, effect="negative", points_item=key, actor=head_user,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("keys", "points", "grade"),
    [
        ((), 0, "AAA"),
        (("T1-1",), 1, "AA"),
        (("T10-1",), 10, "AA"),  # 10 ≤ 10
        (("T10-1", "T1-1"), 11, "A"),  # two behaviours at once: scored separately and added
        (("T10-1", "T5-1", "T3-1", "T1-1"), 19, "A"),
        (("T20-1",), 20, "B"),  # one 20-point behaviour reaches the full score
        (("T5-1", "T5-1", "T5-1", "T5-1"), 20, "B"),  # a fourth over-limit offence in the cycle
    ],
)
def test_driver_grade_from_the_table(tree, head_user, keys, points, grade):
    person = _driver(head_user)
    ref = f"person:{person.pk}"  # cycle 2025-08-15 .. 2026-08-14 (first certificate 2019-08-15)
    for n, key in enumerate(keys):
        _scored(tree, head_user, ref, key, date(2026, 3, 2), n)
    got, graded, expl = selectors.driver_grade(subject_ref=ref, year=2026)
    assert (got, graded) == (points, grade)
    if keys:
        assert any(f"计分项目 {keys[0]}" in line and "暂定" in line for line in expl)


@pytest.mark.django_db
def test_unknown_item_is_refused(tree, head_user):
    with pytest.raises(DomainError) as e:
        _scored(tree, head_user, "person:1", "X99", date(2026, 3, 2))
    assert e.value.code == "credit.points_item" and "X99" in e.value.message


@pytest.mark.django_db
def test_a_drivers_penalty_scores_its_violations_item(tree, head_user, django_capture_on_commit_callbacks):
    person = _driver(head_user)
    ref = f"person:{person.pk}"
    rec = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10), subject_kind="自然人",
               subject_name="李司机", subject_code="", violation_code="ZC-001")
    rec.subject_ref = ref
    rec.save()
    cr = credit_record_from_disclosure(record=rec, actor=head_user)
    assert (cr.subject_ref, cr.points, cr.points_item) == (ref, 5, "T5-1")
    other = emit(tree.squad_a1, head_user, pk=2, decided_on=date(2026, 4, 11), violation_code="ZC-001")
    assert CreditRecord.objects.get(disclosure=other).points == 0  # an enterprise is not a driver
    rating_run(org=tree.bureau_a, year=2026, actor=head_user)
    from zhifa.credit.models import Rating

    r = Rating.objects.get(subject_ref=ref)
    assert (r.scheme, r.score, r.grade) == ("driver", 5, "AA")
    assert any("T5-1" in line and "驾驶车辆违法超限运输" in line for line in r.explanation)


@pytest.mark.django_db
def test_import_scores_a_behaviour_outside_the_catalogue(tree, head_user, tmp_path):
    person = _driver(head_user, seed=9)
    f = tmp_path / "d.csv"
    f.write_text(
        "主体名称,从业资格证号,类别,事项,来源平台,来源编号,认定日期,影响,诚信考核计分项目\n"
        "李司机,QC0009,外部平台导入,发生死亡事故负同等责任,云浮市运政系统,YF-D1,2026-02-01,失信,T20-1\n"
        "李司机,QC9999,外部平台导入,超速,云浮市运政系统,YF-D2,2026-02-02,失信,T3-4\n"
        "李司机,QC0009,外部平台导入,x,云浮市运政系统,YF-D3,2026-02-03,失信,NOPE\n",
        encoding="utf-8",
    )
    job = run_import("credit_records", f, actor=head_user, org=tree.squad_a1)
    assert job.created == 1 and job.failed == 2
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert "未在本辖区登记" in reasons[3] and "NOPE" in reasons[4]
    cr = CreditRecord.objects.get(source_ref="YF-D1")
    assert (cr.subject_ref, cr.points, cr.points_item) == (f"person:{person.pk}", 20, "T20-1")
    assert selectors.driver_grade(subject_ref=cr.subject_ref, year=2026)[1] == "B"


@pytest.mark.django_db
def test_a_bureau_table_replaces_the_shipped_one(tree, head_user, tmp_path, monkeypatch):
    doc = json.loads(driver_points.BUILTIN.read_text(encoding="utf-8"))
    for it in doc["items"]:
        if it["key"] == "T5-1":
            it.update(points=10, annex_item="9", confirmed=True)
    path = tmp_path / "annex.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("ZHIFA_CREDIT_DRIVER_POINTS", str(path))
    assert driver_points.item_for_violation("ZC-001").points == 10
    assert driver_points.item("T5-1").label == "附件1第9项"
    cr = _scored(tree, head_user, "person:5", "T5-1", date(2026, 3, 2))
    assert cr.points == 10
    monkeypatch.setenv("ZHIFA_CREDIT_DRIVER_POINTS", str(tmp_path / "missing.json"))
    with pytest.raises(driver_points.TableError, match="无法读取"):
        driver_points.table()
