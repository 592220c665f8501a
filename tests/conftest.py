"""Shared fixtures: an org tree with two counties, one user per role, and service-availability rules.

In CI (env CI set) a test that needs PostgreSQL, Redis or Chromium and cannot get it FAILS instead of
skipping: a skip must never hide a missing production path (see README, 测试).
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import OrgTree, make_org_tree, make_user

IN_CI = bool(os.environ.get("CI"))


def require_service(name: str, available: bool, hint: str) -> None:
    """Skip on a developer machine without ``name``; fail in CI."""
    if available:
        return
    msg = f"需要 {name}：{hint}"
    if IN_CI:
        pytest.fail(f"CI 中不允许跳过：{msg}")
    pytest.skip(msg)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("ZHIFA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and shutil.which(candidate):
            return candidate
    return None


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Tests create many accounts; PBKDF2 at 600k rounds would dominate the suite. The SM3 hasher itself
    # is exercised in tests/core/test_crypto.py.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db) -> OrgTree:
    return make_org_tree()


@pytest.fixture
def officer_user(tree):
    return make_user("officer_a", tree.squad_a1, {"officer"})


@pytest.fixture
def head_user(tree):
    return make_user("head_a", tree.bureau_a, {"head"})


@pytest.fixture
def reviewer_user(tree):
    return make_user("reviewer_a", tree.bureau_a, {"legal_reviewer"})


@pytest.fixture
def sysadmin(tree):
    return make_user("sysadmin_a", tree.bureau_a, {"sysadmin"})


@pytest.fixture
def secadmin(tree):
    return make_user("secadmin_a", tree.bureau_a, {"secadmin"})


@pytest.fixture
def auditadmin(tree):
    return make_user("auditadmin_a", tree.bureau_a, {"auditadmin"})


@pytest.fixture
def officer_b(tree):
    """An officer of the other county: must never see county A's records."""
    return make_user("officer_b", tree.squad_b1, {"officer"})
