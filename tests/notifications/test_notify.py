"""The notify seam: written after commit, never for a rolled-back cause, idempotent by key, delivered to
the configured channels (a failing one logged, not raised); the page lists only one's own and marks read."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from tests.factories import PASSWORD, make_user
from tests.notifications import channels_for_tests
from zhifa.notifications import kinds
from zhifa.notifications.models import Notification
from zhifa.notifications.selectors import unread_count, users_with_role_over
from zhifa.notifications.services import notify

K_TEST = kinds.declare("test.ping", "测试提醒")


@pytest.fixture(autouse=True)
def _clear_sent():
    channels_for_tests.SENT.clear()


def test_written_after_commit_only(officer_user, head_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[head_user], kind=K_TEST, title="待审批", link="/cases/1/", actor=officer_user)
        assert Notification.objects.count() == 0  # not before the cause commits
    assert len(callbacks) == 1
    n = Notification.objects.get()
    assert (n.user, n.title, n.link, n.actor_name, n.kind_label) == (head_user, "待审批", "/cases/1/",
                                                                     str(officer_user), "测试提醒")
    assert unread_count(head_user) == 1 and unread_count(officer_user) == 0


def test_rolled_back_cause_tells_nobody(head_user, transactional_db):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(users=[head_user], kind=K_TEST, title="不会发出")
            raise RuntimeError("the step was refused")
    assert Notification.objects.count() == 0


def test_actor_not_told_of_own_act_and_ids_accepted(officer_user, head_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[officer_user.pk, head_user.pk, head_user], kind=K_TEST, title="x", actor=officer_user)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [head_user.pk]


def test_key_makes_it_idempotent(head_user, reviewer_user, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notify(users=[head_user, reviewer_user], kind=K_TEST, title="提醒", key="clock:1:20260302")
    assert Notification.objects.filter(key="clock:1:20260302").count() == 2
    with django_capture_on_commit_callbacks(execute=True):  # without a key, each call is a new message
        notify(users=[head_user], kind=K_TEST, title="提醒")
        notify(users=[head_user], kind=K_TEST, title="提醒")
    assert Notification.objects.filter(user=head_user).count() == 3


def test_refuses_undeclared_kind_and_foreign_link(head_user):
    with pytest.raises(ValueError):
        notify(users=[head_user], kind="no.such.kind", title="x")
    for link in ("https://evil.example/", "//evil.example/"):
        with pytest.raises(ValueError):
            notify(users=[head_user], kind=K_TEST, title="x", link=link)


def test_channels_from_setting_and_a_failing_one_is_logged(
    settings, head_user, reviewer_user, caplog, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_CHANNELS = (
        "tests.notifications.channels_for_tests.BrokenChannel",
        "tests.notifications.channels_for_tests.RecordingChannel",
        "log",
    )
    with caplog.at_level(logging.INFO, logger="zhifa.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            notify(users=[head_user, reviewer_user], kind=K_TEST, title="案件待法制审核", key="k1")
        with django_capture_on_commit_callbacks(execute=True):  # the repeat is not re-sent
            notify(users=[head_user, reviewer_user], kind=K_TEST, title="案件待法制审核", key="k1")
    assert sorted(channels_for_tests.SENT) == [("head_a", "案件待法制审核"), ("reviewer_a", "案件待法制审核")]
    assert "消息提醒渠道 broken 发送" in caplog.text  # logged, and the others still ran
    assert "消息提醒 #" in caplog.text and "head_a" in caplog.text  # the log channel's line
    assert Notification.objects.count() == 2


def test_heads_of_a_squad_are_its_bureau_heads_not_the_city_nor_the_other_county(tree, head_user):
    make_user("head_city", tree.city, {"head"})
    make_user("head_b", tree.bureau_b, {"head"})
    squad_head = make_user("head_squad", tree.squad_a1, {"head"})
    make_user("head_squad2", tree.squad_a2, {"head"})
    found = set(users_with_role_over(tree.squad_a1, "head").values_list("username", flat=True))
    assert found == {head_user.username, squad_head.username}


def test_page_lists_own_marks_read_and_opens_the_link(client, officer_user, head_user,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[head_user], kind=K_TEST, title="立案待审批：郁交罚〔2026〕1号", link="/cases/")
        notify(users=[head_user], kind=K_TEST, title="第二条")
        notify(users=[officer_user], kind=K_TEST, title="别人的消息")
    client.login(username="head_a", password=PASSWORD)
    page = client.get("/notifications/").content.decode()
    assert "立案待审批" in page and "测试提醒" in page and "别人的消息" not in page
    home = client.get("/").content.decode()
    assert 'id="bell-count">2<' in home
    mine = Notification.objects.get(title__startswith="立案待审批")
    other = Notification.objects.get(title="别人的消息")
    r = client.get(f"/notifications/{mine.pk}/")
    assert r.status_code == 302 and r["Location"] == "/cases/"
    assert unread_count(head_user) == 1
    assert client.get(f"/notifications/{other.pk}/").status_code == 404  # not theirs: not found, not read
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    client.post("/notifications/read-all/")
    assert unread_count(head_user) == 0
    assert 'id="bell-count"' not in client.get("/").content.decode()
