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


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_guard():
    """Transactional tests end with Django's ``flush``, which the append-only audit triggers refuse (as
    they should in production). Test plumbing only: lift the guard around the flush statements."""
    import importlib

    from django.core.management.commands import flush as flush_cmd

    guard = importlib.import_module("zhifa.core.migrations.0002_audit_append_only")
    original = flush_cmd.sql_flush

    def sql_flush(style, connection, **kwargs):
        statements = original(style, connection, **kwargs)
        if connection.vendor == "sqlite":
            return guard.SQLITE_REVERSE + statements + guard.SQLITE
        if connection.vendor == "postgresql":
            return (["ALTER TABLE core_auditrecord DISABLE TRIGGER USER;"] + statements
                    + ["ALTER TABLE core_auditrecord ENABLE TRIGGER USER;"])
        return statements

    flush_cmd.sql_flush = sql_flush
    yield
    flush_cmd.sql_flush = original


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings, tmp_path):
    # `zhifa audit verify` anchors the head in a file outside the database; each test its own (a flushed
    # database with another test's anchor would rightly fail verification).
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


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
def top_sysadmin(tree):
    """The 系统管理员 of the top unit of the tree: the only one who enters the working-day calendar."""
    return make_user("sysadmin_top", tree.province, {"sysadmin"})


@pytest.fixture
def top_secadmin(tree):
    """The 安全管理员 of the top unit of the tree: the only one who sets the installation's security policy."""
    return make_user("secadmin_top", tree.province, {"secadmin"})


@pytest.fixture
def officer_b(tree):
    """An officer of the other county: must never see county A's records."""
    return make_user("officer_b", tree.squad_b1, {"officer"})


def _database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else engine


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` exercise PostgreSQL-only behaviour (row locks under real concurrency);
    tests marked ``sqlite`` SQLite-only behaviour (its full-text table).

    They are deselected — not skipped — on a run on the other engine, and the PostgreSQL ones named in
    the summary of a SQLite run; `.ci/run` runs the suite on SQLite and again with DATABASE_URL pointing
    at PostgreSQL, so each runs once (and CI fails if it cannot).
    """
    other = "sqlite" if _database_vendor() == "postgresql" else "postgres"
    keep, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(other) else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        if other == "postgres":
            config._zhifa_pg_deselected = len(dropped)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    n = getattr(config, "_zhifa_pg_deselected", 0)
    if n:
        terminalreporter.write_line(
            f"注意：{n} 个 PostgreSQL 专项测试未在 SQLite 上运行；设置 DATABASE_URL=postgres://… 后再运行 make test。")


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings):
    """Background jobs run where they are submitted (ZHIFA_JOBS_EAGER): the test database lives in the
    test's transaction, which a worker process cannot see. tests/jobs run real workers (SQLite and Redis
    brokers, kill -9 included) against databases of their own."""
    settings.JOBS_EAGER = True
