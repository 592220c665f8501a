"""The 工作台 selectors: per role what waits, deadlines in three buckets, recent cases, each item linking to
where it is done; scoped by the actor's units (another county's officer and head see none of it)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.cases.conftest import D0, make_officer, new_case, step, to_state
from tests.factories import PASSWORD, make_user
from zhifa.cases.models import CaseClock
from zhifa.core.calendar import add_workdays
from zhifa.reports.selectors import deadlines, recent_cases, todo_groups, todo_total


def _items(user) -> dict[str, list[tuple[str, str]]]:
    return {g.key: [(i.title, i.link) for i in g.items] for g in todo_groups(user)}


def test_head_sees_filing_then_officer_sees_step(kit):
    c = new_case(kit)
    head = _items(kit.head)
    assert head["filing"] == [(f"{c.number} {c.party_name}", f"/cases/{c.pk}/step/register/")]
    assert "review" not in head and todo_total(kit.head) == 1
    assert _items(kit.reviewer) == {}
    c = step(kit, c, "register", kit.head)
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    assert "filing" not in _items(kit.head)
    assert _items(kit.officer_user)["steps"] == [(f"{c.number} {c.party_name}",
                                                  f"/cases/{c.pk}/step/end_investigation/")]


def test_review_then_decision_then_serve(kit):
    c = to_state(kit, "notified", fine_fen=10_000_000)
    c = step(kit, c, "statement", content="放弃", waive_hearing="true")
    c = step(kit, c, "submit_review")
    assert _items(kit.reviewer)["review"] == [(f"{c.number} {c.party_name}", f"/cases/{c.pk}/step/review/")]
    assert "steps" not in _items(kit.officer_user)  # nothing for the officer while it is reviewed
    c = step(kit, c, "review", kit.reviewer, opinion="同意", passed="true")
    assert _items(kit.reviewer) == {}
    assert _items(kit.head)["decision"] == [(f"{c.number} {c.party_name}", f"/cases/{c.pk}/step/decide/")]
    c = step(kit, c, "decide", kit.head)
    assert _items(kit.officer_user)["serve"] == [(f"{c.number} {c.party_name}", f"/cases/{c.pk}/step/serve/")]
    assert c in recent_cases(kit.officer_user) and c in recent_cases(kit.head) and c in recent_cases(kit.reviewer)


def test_discussion_before_decision_for_complex_case(kit):
    c = to_state(kit, "notified", fine_fen=100000, complex_case="true")
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "submit_review")
    c = step(kit, c, "review", kit.reviewer, opinion="同意", passed="true")
    head = _items(kit.head)
    assert head["discussion"] == [(f"{c.number} {c.party_name}", f"/cases/{c.pk}/step/discuss/")]
    assert "decision" not in head


def test_deadlines_buckets_with_article(kit):
    c = to_state(kit, "notified", fine_fen=100000)
    clock = CaseClock.objects.get(case=c, kind="statement")
    before = date.fromordinal(clock.due.toordinal() - 1)
    d = deadlines(kit.officer_user, today=clock.due)
    assert clock in d["today"] and clock not in d["overdue"]
    d = deadlines(kit.officer_user, today=clock.due + timedelta(days=1))
    assert clock in d["overdue"] and d["overdue_count"] >= 1
    d = deadlines(kit.officer_user, today=before)
    assert clock in d["soon"] and d["soon_end"] == add_workdays(before, 3).date
    assert clock.article  # the page shows it next to each deadline
    assert clock in deadlines(kit.head, today=clock.due)["today"]  # the head sees the unit's
    assert clock not in deadlines(kit.reviewer, today=clock.due)["today"]  # not under review


def test_scoping_other_county_sees_nothing(kit, tree):
    to_state(kit, "investigated")
    c = new_case(kit)
    head_b = make_user("head_b", tree.bureau_b, {"head"})
    officer_b = make_user("officer_b", tree.squad_b1, {"officer"})
    make_officer(tree.squad_b1, "新兴执法", random.Random(11), user=officer_b)
    reviewer_b = make_user("reviewer_b", tree.bureau_b, {"legal_reviewer"})
    for user in (head_b, officer_b, reviewer_b):
        assert todo_groups(user) == [] and todo_total(user) == 0
        d = deadlines(user, today=D0)
        assert d["overdue"] == d["today"] == d["soon"] == []
        assert recent_cases(user) == []
    # another squad's officer of the same county: not their case
    officer_a2 = make_user("officer_a2", tree.squad_a2, {"officer"})
    assert "steps" not in _items(officer_a2)
    assert c.pk  # the county's own head does see it
    assert "filing" in _items(kit.head)


def test_home_page_shows_work_and_menu_count(kit, client):
    c = new_case(kit)
    client.login(username=kit.head.username, password=PASSWORD)
    page = client.get("/").content.decode()
    assert "待审批立案" in page and f'href="/cases/{c.pk}/step/register/"' in page
    assert '首页 <span class="count"' in page  # the count on the menu
    assert "本单位概况" in page  # the unit's counts stay
    client.logout()
    client.login(username=kit.officer_user.username, password=PASSWORD)
    assert "待审批立案" not in client.get("/").content.decode()


def test_overload_leads_counted_on_the_overload_menu_not_on_home(kit, tree, stations, tmp_path, client):
    from tests.overload.conftest import row, write_csv
    from zhifa.overload import services as overload
    from zhifa.reports.selectors import nav_counts

    overload.ingest_file(path=write_csv(tmp_path / "in.csv", [row("L1", gross=55_000)]), actor=None,
                         org=tree.bureau_a)
    assert _items(kit.officer_user)["leads"][0][1].startswith("/overload/leads/")
    assert nav_counts(kit.officer_user) == {"/": 0, "/overload/": 1}
    client.login(username=kit.officer_user.username, password=PASSWORD)
    page = client.get("/cases/").content.decode()  # every page's menu carries the counts
    assert '治超 <span class="count" title="待办事项">1</span>' in page
    assert '首页 <span class="count"' not in page
    # 首页's 我的待办 counts the person's own items like the menu; the lead queue shows its own count
    from django.utils import timezone

    from zhifa.reports.selectors import workbench

    work = workbench(kit.officer_user, today=timezone.localdate())
    assert work["todo_total"] == 0 and [g.count for g in work["groups"] if g.key == "leads"] == [1]
    officer_b = make_user("officer_b", tree.squad_b1, {"officer"})
    assert nav_counts(officer_b) == {"/": 0, "/overload/": 0}  # another county's leads are not theirs
