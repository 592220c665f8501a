"""Fixtures of 队伍与保障: officers of 中队 A1 (one with a login), a question bank, and a filesystem evidence
store of the test's own."""

from __future__ import annotations

import random
from dataclasses import dataclass

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
