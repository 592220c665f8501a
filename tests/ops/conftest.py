"""Every ops test gets its own data directory and the filesystem evidence store."""

from __future__ import annotations

import pytest

from tests.evidence.conftest import s3, s3_endpoint  # noqa: F401  (a real S3 API on 127.0.0.1)
from zhifa.evidence import storage


@pytest.fixture(autouse=True)
def ops_env(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    monkeypatch.delenv("ZHIFA_METRICS_TOKEN", raising=False)
    monkeypatch.delenv("ZHIFA_METRICS_ALLOW", raising=False)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    storage._cache.clear()
    yield tmp_path
    storage._cache.clear()
