"""Issue 16 item 6: sign-in neither reveals which usernames exist nor lets a stranger lock an account out.

- every attempt checks a password hash, unknown and disabled accounts included (counted with a real hasher
  that counts its own verifications; the timing itself is measured by benchmarks/login_timing.py);
- failures lock the username *from that address* after the policy's threshold (5), the address itself after
  four times as many (20), unknown usernames exactly like known ones;
- the owner at another address still signs in; the administrator's unlock clears every address and is
  audited; X-Forwarded-For is believed only from a configured proxy."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.factories import PASSWORD
from zhifa.accounts import services
from zhifa.accounts.models import LoginThrottle
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord

pytestmark = pytest.mark.django_db

STRANGER, OWNER = "203.0.113.9", "10.20.0.7"


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    verified = 0

    def verify(self, password, encoded):
        CountingHasher.verified += 1
        return super().verify(password, encoded)


def attempt(username, password="wrong", source=STRANGER) -> str:
    try:
        services.login_attempt(username=username, password=password, source=source)
    except DomainError as e:
        return e.code
    return "ok"


def test_unknown_and_disabled_accounts_cost_a_hash_check_like_a_known_one(settings, officer_user):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_login_throttle.CountingHasher"]
    officer_user.set_password(PASSWORD)
    officer_user.save()
    for username in ("officer_a", "nobody"):
        before = CountingHasher.verified
        assert attempt(username) == "auth.failed"
        assert CountingHasher.verified == before + 1, username
    officer_user.is_active = False
    officer_user.save()
    before = CountingHasher.verified
    assert attempt("officer_a", PASSWORD) == "auth.failed"
    assert CountingHasher.verified == before + 1


def test_five_failures_lock_the_username_from_that_address_only(officer_user):
    assert [attempt("officer_a") for _ in range(5)] == ["auth.failed"] * 5
    assert attempt("officer_a", PASSWORD) == "auth.locked"  # the right password, from the stranger's address
    assert attempt("officer_a", PASSWORD, source=OWNER) == "ok"  # the owner at their desk is not locked out
    assert AuditRecord.objects.filter(action="auth.login", success=False, reason__contains="锁定 30 分钟").exists()


def test_an_unknown_username_is_locked_exactly_like_a_known_one(officer_user):
    known = [attempt("officer_a") for _ in range(6)]
    unknown = [attempt("nobody") for _ in range(6)]
    assert known == unknown == ["auth.failed"] * 5 + ["auth.locked"]
    with pytest.raises(DomainError) as e:
        services.login_attempt(username="nobody", password="x", source=STRANGER)
    assert "登录失败次数过多" in e.value.message and "分钟后再试" in e.value.message


def test_twenty_failures_from_one_address_lock_the_address_for_every_username(officer_user):
    for i in range(20):
        assert attempt(f"guess{i // 4}") == "auth.failed"  # four guesses each at five usernames
    assert attempt("officer_a", PASSWORD) == "auth.locked"  # the address is locked, whichever username
    assert attempt("officer_a", PASSWORD, source=OWNER) == "ok"


def test_success_clears_the_username_counter_but_not_the_address(officer_user):
    for _ in range(4):
        attempt("officer_a")
    assert attempt("officer_a", PASSWORD) == "ok"
    assert not LoginThrottle.objects.filter(key__startswith="acct:officer_a|").exists()
    assert LoginThrottle.objects.get(key=f"addr:{STRANGER}").failures == 4


def test_the_administrators_unlock_clears_every_address_and_is_audited(officer_user, sysadmin):
    for source in (STRANGER, "198.51.100.4"):
        for _ in range(5):
            attempt("officer_a", source=source)
    assert attempt("officer_a", PASSWORD) == "auth.locked"
    services.user_unlock(user=officer_user, actor=sysadmin)
    assert attempt("officer_a", PASSWORD) == "ok"
    assert AuditRecord.objects.get(action="user.unlock").reason == "解除 2 个来源地址的登录限制"


def test_the_page_counts_the_real_address_not_a_forwarded_header(client, officer_user, settings):
    for _ in range(5):  # a stranger who writes the owner's address into X-Forwarded-For
        client.post("/login/", {"username": "officer_a", "password": "bad"}, REMOTE_ADDR=STRANGER,
                    HTTP_X_FORWARDED_FOR=OWNER)
    r = client.post("/login/", {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR=OWNER)
    assert r.status_code == 302  # the owner is not locked: the header was not believed
    client.post("/logout/")
    settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})  # behind the configured proxy it is
    for _ in range(5):
        client.post("/login/", {"username": "officer_a", "password": "bad"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"1.1.1.1, {STRANGER}")
    r = client.post("/login/", {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR=STRANGER)
    assert r.status_code == 200 and "登录失败次数过多" in r.content.decode()
