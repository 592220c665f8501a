"""Fixtures of 队伍与保障: officers of 中队 A1 (one with a login), a question bank, and a filesystem evidence
store of the test's own."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from tests.cases.conftest import make_officer
from zhifa.accounts.models import Officer
from zhifa.evidence import storage
from zhifa.people import services

QUESTIONS = [
    (
        "single",
        "行政执法全过程记录的法律依据是？",
        ["行政处罚法第四十七条", "道路运输条例第十条", "公路法第一条"],
        [0],
        "《中华人民共和国行政处罚法》",
        "第四十七条",
    ),
    (
        "multiple",
        "行政处罚决定书应当载明哪些事项？",
        ["当事人姓名", "违法事实和证据", "处罚依据", "执法人员籍贯"],
        [0, 1, 2],
        "《中华人民共和国行政处罚法》",
        "第五十九条",
    ),
    ("tf", "执法人员不得少于两人。", [], [0], "《中华人民共和国行政处罚法》", "第四十二条"),
    (
        "single",
        "普通程序案件应当自立案之日起几日内作出决定？",
        ["30 日", "60 日", "90 日"],
        [2],
        "《中华人民共和国行政处罚法》",
        "第六十条",
    ),
    (
        "tf",
        "当事人逾期不缴纳罚款的，每日按罚款数额的百分之三加处罚款。",
        [],
        [0],
        "《中华人民共和国行政处罚法》",
        "第七十二条",
    ),
    (
        "single",
        "货车总质量限值由哪部标准规定？",
        ["GB 1589", "GB 7258", "JT/T 808"],
        [0],
        "GB 1589-2016",
        "4.3",
    ),
]


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


@pytest.fixture
def evidence_fs(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    storage._cache.clear()
    yield tmp_path / "evidence"
    storage._cache.clear()
