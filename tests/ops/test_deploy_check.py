"""``zhifa check --deploy``: Django's deployment checks and ours, in Chinese with the setting to change;
exit 1 on an error. Production settings are loaded in a child process (settings are read at import)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from zhifa.cli import main

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _child_env(env: dict) -> dict:
    """Only ``env``'s settings: none of the test run's (its DATABASE_URL included: the child uses SQLite)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DATABASE_URL"}
    return {**base, "PYTHONPATH": SRC, **env}


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhifa.cli", "check", "--deploy", *args], env=_child_env(env),
                          capture_output=True, text=True, timeout=120)


def _codes(out: str) -> set[str]:
    return {line.split()[1] for line in out.splitlines() if line.startswith("[")}


@pytest.mark.django_db
def test_development_settings_are_listed_as_errors(capsys, settings):
    settings.DEBUG = True  # as `zhifa serve` runs in development (pytest-django turns it off)
    assert main(["check", "--deploy", "--workers", "4"]) == 1
    out = capsys.readouterr().out
    codes = _codes(out)
    assert {"zhifa.E101", "zhifa.E102", "security.W018"} <= codes, out
    from django.db import connection

    assert ("zhifa.E104" in codes) == (connection.vendor == "sqlite")  # SQLite with four web processes
    assert "[错误] security.W018 调试模式（DEBUG）开启" in out
    assert "请修改：ZHIFA_FIELD_KEY" in out and "请修改：ZHIFA_AUDIT_KEY" in out
    assert "共 " in out.splitlines()[-1]
    for line in out.splitlines():  # every line a person reads is Chinese
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line), line


def test_production_settings_without_keys_exit_1(tmp_path):
    r = _run({"ZHIFA_ENV": "prod", "ZHIFA_DATA_DIR": str(tmp_path)})
    assert r.returncode == 1 and "必须设置 ZHIFA_SECRET_KEY" in r.stdout, r.stdout + r.stderr


def test_production_settings_pass_what_this_host_allows(tmp_path):
    """Production mode, keys, hosts, proxy, anchor elsewhere, one web process on SQLite: no error left but
    the ones the host decides (the clock) — and no missing migration after ``zhifa migrate``."""
    env = {
        "ZHIFA_ENV": "prod",
        "ZHIFA_DATA_DIR": str(tmp_path / "data"),
        "ZHIFA_SECRET_KEY": secrets.token_urlsafe(50),
        "ZHIFA_FIELD_KEY": secrets.token_hex(16),
        "ZHIFA_AUDIT_KEY": secrets.token_hex(32),
        "ZHIFA_ALLOWED_HOSTS": "zhifa.example.gov.cn",
        "ZHIFA_CSRF_TRUSTED_ORIGINS": "http://zhifa.example.gov.cn",
        "ZHIFA_TRUSTED_PROXIES": "127.0.0.1",
        "ZHIFA_AUDIT_ANCHOR_FILE": str(tmp_path / "anchor" / "a.jsonl"),
        "ZHIFA_METRICS_ALLOW": "0.0.0.0/0",
    }
    r = _run(env, "--workers", "1")
    codes = _codes(r.stdout)
    assert "zhifa.E106" in codes, r.stdout  # not migrated yet
    subprocess.run([sys.executable, "-m", "zhifa.cli", "migrate"], env=_child_env(env),
                   check=True, capture_output=True, timeout=300)
    r = _run(env, "--workers", "1")
    codes = _codes(r.stdout)
    assert not codes & {"zhifa.E101", "zhifa.E102", "zhifa.E104", "zhifa.E106", "zhifa.E107", "zhifa.E108",
                        "zhifa.E109", "security.W018", "security.W009", "security.W020", "zhifa.W111",
                        "zhifa.W113"}, r.stdout
    assert {"zhifa.W104", "zhifa.W103", "zhifa.W112"} <= codes, r.stdout  # SQLite; http origin; open metrics
    errors = [line for line in r.stdout.splitlines() if line.startswith("[错误]")]
    assert all(" zhifa.E110 " in line for line in errors), errors  # only the clock may remain
    assert r.returncode == (1 if errors else 0)
