"""Fixtures of 队伍与保障: officers of 中队 A1 (one with a login), a question bank, and a filesystem evidence
store of the test's own."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import pytest

from tests.cases.conftest import make_officer
from tests.evidence.conftest import evidence_fs  # noqa: F401  (a filesystem evidence store per test, autouse)
from zhifa.accounts.models import Officer
from zhifa.demo.people import QUESTIONS  # the demo's bank: single, multiple and true/false questions
from zhifa.people import services


@dataclass
class Crew:
    o1: Officer
    o2: Officer
    o3: Officer


def add_questions() -> list:
    return [
        services.question_add(kind=k, stem=s, options=o, answer=a, law=law, article=art, actor=None)
        for k, s, o, a, law, art in QUESTIONS
    ]


@pytest.fixture
def crew(tree, officer_user) -> Crew:
    rng = random.Random(21)
    return Crew(
        make_officer(tree.squad_a1, "张执法", rng, user=officer_user),
        make_officer(tree.squad_a1, "李执法", rng),
        make_officer(tree.squad_a1, "王执法", rng),
    )


@pytest.fixture
def bank(db) -> list:
    return add_questions()


def add_course(org, actor):
    """An 8-hour lecture on two days of March 2026."""
    return services.course_create(
        org=org,
        title="行政处罚法专题",
        start_on=date(2026, 3, 2),
        end_on=date(2026, 3, 3),
        hours="8",
        actor=actor,
    )


def add_activity(org, actor):
    """A 普法 talk at a logistics park (60 drivers)."""
    return services.pufa_activity_add(
        org=org,
        on=date(2026, 4, 15),
        place="都城镇物流园",
        form="进企业宣讲",
        audience="货运驾驶员",
        count=60,
        actor=actor,
    )


def file_records(org, actor) -> dict:
    """A course, two versions of one emergency plan and a 普法 activity: what files are attached to."""
    v1, v2 = (
        services.plan_save(
            org=org,
            name="危化品运输突发事件应急预案",
            version=f"{year}版",
            approved_on=date(year, 5, 1),
            review_due=date(year + 3, 5, 1),
            actor=actor,
        )
        for year in (2024, 2026)
    )
    return {"course": add_course(org, actor), "plan": v1, "plan2": v2, "activity": add_activity(org, actor)}
