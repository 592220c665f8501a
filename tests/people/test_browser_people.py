"""In headless Chromium: an officer takes a timed exam (the timer runs, 交卷, the score and the per-question
results show, the paper redraws from its recorded seed), and records a joint operation on a 390-px-wide phone
screen (the form fits the width; partner outcomes show apart from the bureau's totals)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.utils import timezone

from tests.cases.conftest import make_officer
from tests.factories import PASSWORD, make_org_tree, make_user
from tests.people.conftest import add_questions
from tests.test_browser import browser_page  # noqa: F401  (the Chromium fixture)
from zhifa.people import papers, services
from zhifa.people.models import JointOperation, PartnerOutcome, Question, Sitting


@pytest.fixture
def squad(transactional_db):
    tree = make_org_tree()
    officer = make_user("officer_a", tree.squad_a1, {"officer"})
    head = make_user("head_a", tree.bureau_a, {"head"})
    o1 = make_officer(tree.squad_a1, "张执法", random.Random(3), user=officer)
    add_questions()
    exam = services.exam_create(
        org=tree.bureau_a,
        title="2026 年度学法考试",
        held_on=timezone.localdate(),
        required=[o1],
        question_count=5,
        minutes=30,
        actor=head,
    )
    return {"tree": tree, "o1": o1, "exam": exam}


def _login(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
def test_an_officer_takes_a_timed_exam(browser_page, live_server, squad):  # noqa: F811
    page, url, exam = browser_page, live_server.url, squad["exam"]
    _login(page, url, "officer_a")
    page.goto(f"{url}/people/exams/{exam.pk}/")
    page.click("#start-exam")
    page.wait_for_url(f"{url}/people/exams/{exam.pk}/take/")
    timer = page.locator("#timer")
    first = timer.inner_text()
    assert first.startswith("29 分") or first.startswith("30 分"), first
    page.wait_for_function(
        "t => document.getElementById('timer').textContent !== t", arg=first
    )  # it counts down
    sitting = Sitting.objects.get(exam=exam, officer=squad["o1"])
    assert page.locator("fieldset.question").count() == 5
    # the options on the page are in the order the recorded seed gives
    bank = [(q.pk, len(q.options), q.kind != "tf") for q in Question.objects.filter(active=True)]
    assert papers.draw(sitting.seed, bank, 5) == sitting.paper
    for n, line in enumerate(sitting.paper):
        values = page.locator(f"fieldset.question >> nth={n} >> input").evaluate_all(
            "els => els.map(e => +e.value)"
        )
        assert values == line["order"]
    # answer all but the last question right
    keys = {q.pk: q.answer for q in Question.objects.all()}
    for line in sitting.paper[:-1]:
        for i in keys[line["q"]]:
            page.check(f"input[name=q{line['q']}][value='{i}']")
    page.click("#submit-exam")
    page.wait_for_url(f"{url}/people/exams/sitting/{sitting.pk}/")
    assert page.inner_text("#score") == "80.0"
    assert page.locator("#results tbody tr").count() == 5
    assert "未作答" in page.inner_text("#results") and str(sitting.seed) in page.inner_text("body")
    page.goto(f"{url}/people/exams/{exam.pk}/")
    assert "100.0%" in page.inner_text("#rate-participation")


@pytest.mark.browser
def test_a_joint_operation_recorded_on_a_phone(browser_page, live_server, squad):  # noqa: F811
    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, url, "officer_a")
    page.goto(f"{url}/people/joint/new/")
    width = page.evaluate("document.getElementById('joint-form').getBoundingClientRect().right")
    assert width <= 390, width  # the form fits the phone's width
    for name in ("site", "staff", "p0_points"):
        box = page.locator(f"#joint-form [name={name}]").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    page.fill("[name=on]", date(2026, 5, 12).isoformat())
    page.select_option("select[name=kind]", "mobile")
    page.fill("[name=lead_agency]", "郁南县交通运输局")
    page.fill("[name=partners]", "郁南县公安局交警大队")
    page.fill("[name=site]", "S276 线 K12+300")
    page.fill("[name=staff]", "12")
    page.fill("[name=vehicles]", "4")
    page.fill("[name=checked]", "86")
    page.fill("[name=unloaded_t]", "35.5")
    page.fill("[name=cases_opened]", "5")
    page.fill("[name=p0_agency]", "郁南县公安局交警大队")
    page.fill("[name=p0_cases]", "9")
    page.fill("[name=p0_fines]", "3600")
    page.fill("[name=p0_points]", "54")
    page.click("#joint-form button[type=submit]")
    page.wait_for_url(f"{url}/people/joint/")
    op = JointOperation.objects.get()
    assert (op.staff, op.checked, op.unloaded_kg, op.cases_opened, op.kind) == (12, 86, 35_500, 5, "mobile")
    p = PartnerOutcome.objects.get()
    assert (p.cases, p.fines_fen, p.points) == (9, 360_000, 54)
    page.goto(f"{url}/people/joint/?year=2026")
    total = page.inner_text("#joint-total")
    assert "12" in total and "86" in total and "9" not in total.split()  # the police's 9 cases are not ours
    assert "处理案件 9 起" in page.inner_text("#partner-total") and "记分 54 分" in page.inner_text(
        "#partner-total"
    )
