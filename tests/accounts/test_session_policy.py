"""Idle timeout and forced password change (等保 8.1.4.1 a/b), through the real middleware."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from zhifa.accounts.models import SecurityPolicy, User
from zhifa.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _login(client, username):
    r = client.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]


def test_login_page_signs_in_and_audits(client, officer_user):
    _login(client, "officer_a")
    assert client.get("/").status_code == 200
    assert AuditRecord.objects.filter(action="auth.login", actor_id=officer_user.pk, success=True).exists()


def test_wrong_password_shows_chinese_error(client, officer_user):
    r = client.post("/login/", {"username": "officer_a", "password": "bad"})
    assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()


def test_idle_session_is_ended(client, officer_user):
    _login(client, "officer_a")
    policy = SecurityPolicy.current()
    policy.idle_timeout_minutes = 10
    policy.save()
    session = client.session
    session["last_seen"] = time.time() - 11 * 60
    session.save()
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert client.get("/").status_code == 302  # really signed out
    assert AuditRecord.objects.filter(action="auth.logout", reason="会话空闲超时").exists()


def test_active_session_within_timeout_stays(client, officer_user):
    _login(client, "officer_a")
    session = client.session
    session["last_seen"] = time.time() - 5 * 60
    session.save()
    assert client.get("/").status_code == 200


def test_expired_password_forces_change(client, officer_user):
    _login(client, "officer_a")
    User.objects.filter(pk=officer_user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    r = client.get("/")
    assert r.status_code == 302 and r["Location"] == "/password/change/"
    r = client.post("/password/change/", {"old_password": PASSWORD, "new_password": "Brand@New2026",
                                          "new_password2": "Brand@New2026"})
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_password_change_rejects_weak_password_with_reason(client, officer_user):
    _login(client, "officer_a")
    r = client.post("/password/change/", {"old_password": PASSWORD, "new_password": "abc", "new_password2": "abc"})
    assert r.status_code == 200 and "长度至少 8 位" in r.content.decode()


def test_idle_session_is_ended_for_the_api_too(client, officer_user):
    # issue 16 item 3: the API accepted the page's session cookie past the idle timeout
    _login(client, "officer_a")
    assert client.get("/api/v1/cases").status_code == 200
    policy = SecurityPolicy.current()
    policy.idle_timeout_minutes = 1
    policy.save()
    session = client.session
    session["last_seen"] = time.time() - 70
    session.save()
    r = client.get("/api/v1/cases")
    assert r.status_code == 401 and r.json()["code"] == "auth.idle_timeout"
    assert "会话空闲超过 1 分钟" in r.json()["message"]
    assert client.get("/api/v1/cases").status_code == 401  # the session is gone, not only refused once
    assert client.get("/").status_code == 302
    assert AuditRecord.objects.filter(action="auth.logout", reason="会话空闲超时").exists()


def test_api_use_keeps_the_session_alive_within_the_timeout(client, officer_user):
    _login(client, "officer_a")
    session = client.session
    session["last_seen"] = time.time() - 5 * 60
    session.save()
    assert client.get("/api/v1/cases").status_code == 200
    assert time.time() - client.session["last_seen"] < 60  # the API call counts as activity
