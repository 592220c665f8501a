"""Hand-offs of a case tell the people who act next (after commit), and the daily tick reminds a deadline
two working days away once."""

from __future__ import annotations

from datetime import date

from tests.cases.conftest import D0, new_case, step, to_state
from tests.factories import make_user
from zhifa.cases.enums import ClockStatus
from zhifa.cases.handoffs import deadline_reminders
from zhifa.cases.models import CaseClock
from zhifa.notifications.daily import run_daily
from zhifa.notifications.models import Notification


def _told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", "title"))


def test_filing_tells_the_bureau_heads_not_other_county(kit, django_capture_on_commit_callbacks):
    other_head = make_user("head_b", kit.tree.bureau_b, {"head"})
    with django_capture_on_commit_callbacks(execute=True):
        c = new_case(kit)
    n = Notification.objects.get(user=kit.head)
    assert n.kind == "case.filing" and n.title.startswith("立案待审批：" + c.number)
    assert n.link == f"/cases/{c.pk}/step/register/" and n.actor_name == str(kit.officer_user)
    assert not _told(other_head) and not _told(kit.officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        step(kit, c, "register", kit.head)
    assert _told(kit.officer_user)[-1][0] == "case.registered"


def test_review_path_tells_reviewer_then_officers_and_head(kit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = to_state(kit, "notified", fine_fen=10_000_000)
        c = step(kit, c, "statement", content="放弃陈述申辩和听证", waive_hearing="true")
        c = step(kit, c, "submit_review")
    n = Notification.objects.filter(user=kit.reviewer).latest("id")
    assert (n.kind, n.link) == ("case.review", f"/cases/{c.pk}/step/review/")
    assert "案件待法制审核" in n.title and "审核理由" in n.body
    with django_capture_on_commit_callbacks(execute=True):
        c = step(kit, c, "review", kit.reviewer, opinion="事实清楚，适用法律正确", passed="true")
    for user in (kit.head, kit.officer_user):
        n = Notification.objects.filter(user=user).latest("id")
        assert n.kind == "case.review_done" and n.title.startswith("法制审核通过，待作出决定")
        assert n.link == f"/cases/{c.pk}/step/decide/" and "事实清楚" in n.body
    assert not Notification.objects.filter(user=kit.reviewer, kind="case.review_done").exists()
    with django_capture_on_commit_callbacks(execute=True):
        c = step(kit, c, "decide", kit.head)
    n = Notification.objects.filter(user=kit.officer_user).latest("id")
    assert (n.kind, n.link) == ("case.serve", f"/cases/{c.pk}/step/serve/")


def test_review_returned_with_reasons(kit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = to_state(kit, "notified", fine_fen=10_000_000)
        c = step(kit, c, "statement", content="放弃", waive_hearing="true")
        c = step(kit, c, "submit_review")
        c = step(kit, c, "review", kit.reviewer, opinion="证据不足，补充询问笔录", passed="false")
    n = Notification.objects.filter(user=kit.officer_user).latest("id")
    assert n.title.startswith("法制审核未通过，已退回补充调查") and "证据不足" in n.body
    assert n.link == f"/cases/{c.pk}/"


def test_refused_step_tells_nobody(kit, django_capture_on_commit_callbacks):
    import pytest

    from zhifa.core.errors import DomainError

    c = to_state(kit, "notified", fine_fen=10_000_000)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError):  # the statement period still runs
            step(kit, c, "submit_review")
    assert Notification.objects.count() == before


def _workdays_before(day: date, n: int) -> date:
    """The earliest day from which ``day`` is ``n`` working days away."""
    from zhifa.core.calendar import add_workdays

    d = day
    while add_workdays(date.fromordinal(d.toordinal() - 1), n).date >= day:
        d = date.fromordinal(d.toordinal() - 1)
    return d


def test_deadline_reminder_two_workdays_once(kit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = to_state(kit, "notified", fine_fen=100000)  # 告知 on D0 (Mon 2 March): statement period running
    clock = CaseClock.objects.get(case=c, kind="statement")
    assert clock.status == ClockStatus.RUNNING and clock.due > D0
    two_before = _workdays_before(clock.due, 2)
    day_earlier = date.fromordinal(two_before.toordinal() - 1)
    reminders = Notification.objects.filter(kind="case.deadline", key__startswith=f"clock:{clock.pk}:")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders(on=day_earlier)  # three working days away: not yet
    assert not reminders.exists()
    for on in (two_before, two_before, clock.due):  # the day, again the same day, and on the due day
        with django_capture_on_commit_callbacks(execute=True):
            results = dict(run_daily(on=on))
        assert results["法定期限提醒（两个工作日内届满）"] >= 1
    n = reminders.get(user=kit.officer_user)  # once, to the case's officer with an account
    assert reminders.count() == 1
    assert clock.article in n.body and n.link == f"/cases/{c.pk}/" and "陈述申辩" in n.title
    CaseClock.objects.filter(pk=clock.pk).update(status=ClockStatus.MET)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders(on=two_before) == 0  # a met deadline is not reminded


def test_review_form_unticked_returns_the_case(kit, client, django_capture_on_commit_callbacks):
    """The review page's 审核通过 box left unticked is a 不通过 (it used to send nothing, which the workflow
    reads as passed, so a reviewer could not return a case from the page)."""
    from tests.factories import PASSWORD

    c = to_state(kit, "notified", fine_fen=10_000_000)
    c = step(kit, c, "statement", content="放弃", waive_hearing="true")
    c = step(kit, c, "submit_review")
    client.login(username=kit.reviewer.username, password=PASSWORD)
    form = client.get(f"/cases/{c.pk}/step/review/").content.decode()
    assert '<input type="hidden" name="passed" value="false">' in form
    with django_capture_on_commit_callbacks(execute=True):  # what the browser posts with the box unticked
        client.post(f"/cases/{c.pk}/act/review/", {"passed": "false", "opinion": "证据不足", "version": c.version,
                                                   "on": f"{D0:%Y-%m-%d}"})
    c.refresh_from_db()
    assert c.state == "investigated" and c.review_passed_on is None
    assert Notification.objects.filter(user=kit.officer_user, title__startswith="法制审核未通过").exists()


def test_new_source_tells_the_heads_once(kit, django_capture_on_commit_callbacks):
    from zhifa.cases.services import case_source_create

    other_head = make_user("head_b", kit.tree.bureau_b, {"head"})
    for _ in range(2):  # a feeder resending the same lead tells nobody twice
        with django_capture_on_commit_callbacks(execute=True):
            src, _created = case_source_create(origin="overload", org=kit.tree.bureau_a, facts="粤W12345 超限 12%",
                                               external_ref="NJK-1", subject_name="粤W12345", actor=kit.officer_user)
    n = Notification.objects.get(user=kit.head, kind="case.source")
    assert n.title == "新案源待处理：非现场治超 粤W12345" and n.link == "/cases/sources/"
    assert f"{src.decision_due:%Y-%m-%d}" in n.body
    assert not _told(other_head) and not _told(kit.officer_user)
