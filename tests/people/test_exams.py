"""学法考试: the paper drawn from a recorded seed (anyone can redraw it), scoring per question, the timer, paper
results, and the exam as a certificate prerequisite when the rule data says so (accounts asks people through
the lookup accounts.certificate_prerequisite)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.cases.conftest import make_officer
from zhifa.accounts import services as acc
from zhifa.accounts.selectors import officer_can_enforce
from zhifa.core.errors import DomainError
from zhifa.people import papers, selectors, services
from zhifa.people.models import Question


@pytest.fixture
def exam(tree, head_user, crew, bank):
    return services.exam_create(
        org=tree.bureau_a,
        title="2026 年度学法考试",
        held_on=date(2026, 6, 1),
        required=[crew.o1, crew.o2, crew.o3],
        question_count=4,
        minutes=30,
        actor=head_user,
    )


def _right(sitting) -> dict[str, list[int]]:
    keys = {q.pk: q.answer for q in Question.objects.all()}
    return {str(line["q"]): keys[line["q"]] for line in sitting.paper}


def test_the_paper_is_reproducible_from_the_recorded_seed(exam, crew, officer_user):
    s1 = services.sitting_start(exam=exam, officer=crew.o1, actor=officer_user)
    s2 = services.sitting_start(exam=exam, officer=crew.o2, actor=None)
    assert s1.seed is not None and len(s1.paper) == 4
    bank = [(q.pk, len(q.options), q.kind != "tf") for q in Question.objects.filter(active=True)]
    assert papers.draw(s1.seed, bank, 4) == s1.paper  # redrawn from the seed alone
    assert papers.draw(s2.seed, bank, 4) == s2.paper
    # a different seed gives a different paper (order of questions or options) for at least one of a few seeds
    assert any(papers.draw(s1.seed + k, bank, 4) != s1.paper for k in range(1, 6))
    # resuming returns the same paper and the same deadline
    again = services.sitting_start(exam=exam, officer=crew.o1, actor=officer_user)
    assert (again.pk, again.paper, again.deadline_at) == (s1.pk, s1.paper, s1.deadline_at)


def test_draw_shuffles_options_but_keeps_true_false_in_place():
    bank = [(1, 3, True), (2, 4, True), (3, 2, False)]
    paper = papers.draw(12345, bank, 3)
    assert sorted(p["q"] for p in paper) == [1, 2, 3]
    assert next(p for p in paper if p["q"] == 3)["order"] == [0, 1]
    assert all(sorted(p["order"]) == list(range(n)) for (q, n, _s) in bank for p in paper if p["q"] == q)


def test_scoring_per_question_multiple_choice_is_all_or_nothing(exam, crew, officer_user):
    s = services.sitting_start(exam=exam, officer=crew.o1, actor=officer_user, seed=7)
    answers = _right(s)
    first, second = (str(line["q"]) for line in s.paper[:2])
    answers[first] = []  # left blank
    wrong = [i for i in range(len(Question.objects.get(pk=second).options)) if i not in answers[second]][:1]
    answers[second] = answers[second][:1] + wrong  # half right is wrong
    s = services.sitting_submit(sitting=s, answers=answers, actor=officer_user)
    assert s.score == Decimal("50.0")  # 2 of 4 questions, 25 points each
    assert [r["correct"] for r in s.results] == [False, False, True, True]
    with pytest.raises(DomainError, match="已交卷"):
        services.sitting_submit(sitting=s, answers=answers, actor=officer_user)


def test_answers_after_the_timer_are_not_counted(exam, crew, officer_user):
    start = timezone.now() - timedelta(minutes=40)
    s = services.sitting_start(exam=exam, officer=crew.o1, actor=officer_user, now=start)
    s = services.sitting_submit(sitting=s, answers=_right(s), actor=officer_user)  # 40 min into a 30-min exam
    assert (s.late, s.score) == (True, Decimal("0.0"))
    ok = services.sitting_start(
        exam=exam, officer=crew.o2, actor=None, now=timezone.now() - timedelta(minutes=30)
    )
    ok = services.sitting_submit(sitting=ok, answers=_right(ok), actor=None)  # within the minute of grace
    assert (ok.late, ok.score) == (False, Decimal("100.0"))


def test_only_required_officers_sit_and_rates_follow(exam, tree, crew, officer_user, head_user):
    outsider = make_officer(tree.squad_a1, "赵编外", random.Random(5))
    with pytest.raises(DomainError, match="不在考试"):
        services.sitting_start(exam=exam, officer=outsider, actor=None)
    s = services.sitting_start(exam=exam, officer=crew.o1, actor=officer_user)
    services.sitting_submit(sitting=s, answers=_right(s), actor=officer_user)  # 100
    services.sitting_paper_record(exam=exam, officer=crew.o2, score="59.5", actor=head_user)  # fails
    r = selectors.exam_rates(exam)
    assert (r.required, r.sat, r.passed, r.excellent) == (3, 2, 1, 1)
    assert (r.participation, r.pass_rate, r.excellent_rate) == (66.7, 50.0, 50.0)
    with pytest.raises(DomainError, match="0–100"):
        services.sitting_paper_record(exam=exam, officer=crew.o3, score="101", actor=head_user)
    with pytest.raises(DomainError, match="执法部门负责人或法制审核人员"):
        services.sitting_paper_record(exam=exam, officer=crew.o3, score="80", actor=officer_user)


def test_exam_prerequisite_blocks_issuing_and_keeping_a_certificate(exam, tree, crew, head_user, monkeypatch):
    on = date(2026, 7, 1)
    assert officer_can_enforce(crew.o3, on=on)  # no prerequisite in the rule data: certified as usual
    monkeypatch.setenv("ZHIFA_PEOPLE_EXAM_PREREQUISITE", "1")
    result = officer_can_enforce(crew.o3, on=on)
    assert not result and "学法考试" in result.reasons[0]  # cannot keep it
    with pytest.raises(DomainError, match="学法考试"):  # cannot be issued one
        acc.certificate_add(
            officer=crew.o3,
            number="44000000099",
            issuing_authority="广东省人民政府",
            field="comprehensive",
            valid_from=on,
            valid_to=date(2030, 12, 31),
            actor=head_user,
        )
    services.sitting_paper_record(
        exam=exam, officer=crew.o3, score="60", actor=head_user
    )  # passed 2026-06-01
    assert officer_can_enforce(crew.o3, on=on)
    assert not officer_can_enforce(crew.o3, on=date(2027, 6, 2))  # more than 12 months later: not any more


def test_question_bank_refuses_malformed_questions(db):
    with pytest.raises(DomainError, match="多选题至少两个正确答案"):
        services.question_add(
            kind="multiple", stem="题", options=["甲", "乙"], answer=[0], law="处罚法", actor=None
        )
    with pytest.raises(DomainError, match="须注明所考法律法规"):
        services.question_add(kind="single", stem="题", options=["甲", "乙"], answer=[0], law="", actor=None)
    with pytest.raises(DomainError, match="正确答案须是已有选项"):
        services.question_add(
            kind="single", stem="题", options=["甲", "乙"], answer=[5], law="处罚法", actor=None
        )
    q = services.question_add(kind="tf", stem="对吗", options=[], answer=[1], law="处罚法", actor=None)
    assert q.options == ["正确", "错误"]
