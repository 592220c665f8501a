"""Issue 15 item 10: the 检查对象名录库 page lists every enterprise of the county with its credit grade. It
asked the credit module twice per row (about 600 queries, two seconds at demo scale); the grades now come
in one batch, so the page's query count does not grow with the county."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import fake_uscc
from zhifa.credit import selectors as credit
from zhifa.credit.models import ListEntry, ListKind, ListState, Rating, RatingStage
from zhifa.inspections import selectors
from zhifa.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def _directory(tree) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.target_directory(tree.bureau_a, on=timezone.localdate())
    return rows, len(ctx)


def test_target_directory_queries_do_not_grow_with_the_enterprises(county, tree, head_user):
    from zhifa.registry.services import subject_save

    rows, queries = _directory(tree)
    assert len(rows) >= 40 and queries <= 4
    rng = random.Random(15)
    for i in range(25):
        subject_save(kind="enterprises", actor=head_user, data={
            "uscc": fake_uscc(rng), "name": f"郁南县新增{i}物流有限公司", "business_type": "freight",
            "address": "郁南县都城镇新区"})
    rows_after, queries_after = _directory(tree)
    assert len(rows_after) == len(rows) + 25 and queries_after == queries


def test_batch_grades_match_the_grade_of_each_enterprise(county, tree):
    ents = list(Enterprise.objects.filter(org__path__startswith=tree.bureau_a.path).order_by("pk"))
    black, rated, old = ents[0], ents[1], ents[2]
    today = date(2026, 6, 1)
    ListEntry.objects.create(org=tree.bureau_a, list_kind=ListKind.BLACK, subject_ref=credit.subject_ref_of(black),
                             subject_name=black.name, criterion="test", facts="测试", state=ListState.EFFECTIVE,
                             noticed_on=today, decided_on=today)
    for subject, year, grade in ((rated, 2025, "AAA"), (rated, 2024, "B"), (old, 2023, "AA")):
        Rating.objects.create(org=tree.bureau_a, subject_ref=credit.subject_ref_of(subject), subject_name=subject.name,
                              scheme="freight", year=year, score=90, grade=grade, stage=RatingStage.FINAL)
    batch = credit.inspection_grades(ents)
    assert batch == {e.pk: credit.inspection_grade(e) for e in ents}
    assert (batch[black.pk], batch[rated.pk], batch[old.pk]) == ("D", "A", "B")
