"""Issue 15 item 3: every page reachable from the navigation, for every demo account and the public
portal, answers without a 404 or 5xx, and shows a person Chinese words, never our internal codes.

The demo county is loaded once for the module (about a minute at scale 0.05 with every module) and
crawled with Django's test client: three hops from the start page (at most 150 pages an account), same origin, at most a few instances
of one URL shape. Run: ``PYTHONPATH=src .venv/bin/python -m pytest tests/crawl -q``.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from tests.crawl.codes import internal_codes
from tests.crawl.crawler import crawl
from zhifa.accounts.models import User
from zhifa.demo.generator import DEMO_USERNAMES

SCALE = 0.05
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_crawls: dict[str, object] = {}


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo county as `make demo` loads it (today's date), loaded once and flushed after the module."""
    from zhifa.demo.loader import load_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        load_demo(seed=2022, scale=SCALE, today=timezone.localdate())
        yield
        call_command("flush", interactive=False, verbosity=0)


def _crawl(who: str):
    """One crawl per account, shared by the status test and the text test."""
    if who not in _crawls:
        client = Client()
        if who != "public":
            client.force_login(User.objects.get(username=who))
        _crawls[who] = crawl(client, ("/public/",) if who == "public" else ("/",), depth=3, max_pages=150, per_shape=2)
    return _crawls[who]


WHO = [*DEMO_USERNAMES, "public"]


@pytest.mark.parametrize("who", WHO)
def test_no_page_is_missing_or_broken(demo_world, db, who):
    result = _crawl(who)
    assert len(result.pages) > (3 if who in {"secadmin", "auditadmin", "sysadmin"} else 10), result.pages
    failures = result.failures()
    assert not failures, f"{who}: {len(failures)} 个页面 404/5xx：\n" + "\n".join(failures)


@pytest.mark.parametrize("who", WHO)
def test_no_internal_code_is_shown(demo_world, db, who):
    result = _crawl(who)
    shown: dict[tuple[str, str], list[str]] = {}
    for page in result.pages:
        for hit in internal_codes(page.text):
            shown.setdefault(hit, []).append(page.url)
    lines = [f"{name}: {token!r} on {len(urls)} page(s), e.g. {urls[0]}" for (name, token), urls in sorted(shown.items())]
    assert not shown, f"{who}: 页面上出现内部代码：\n" + "\n".join(lines)
