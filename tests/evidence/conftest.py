"""Evidence fixtures: a fresh evidence root per test, a streaming helper that fails mid-way, and a real
S3 API endpoint (moto's standalone server, a separate process on 127.0.0.1) for the S3 backend."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import require_service
from zhifa.evidence import services, storage


@pytest.fixture(autouse=True)
def evidence_fs(settings, tmp_path, monkeypatch):
    """Every test gets its own DATA_DIR, and the filesystem backend unless a test switches to S3."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("ZHIFA_STORAGE", "fs")
    storage._cache.clear()
    yield tmp_path / "evidence"
    storage._cache.clear()


def stored_files(root) -> list[str]:
    """Every file under the evidence root, hidden temporary files included."""
    out = []
    for dirpath, _dirs, files in os.walk(root):
        out += [os.path.join(dirpath, f) for f in files]
    return out


class FailingStream(io.RawIOBase):
    """Yields ``data`` and raises ``exc`` once ``fail_after`` bytes were read (a client that goes away)."""

    def __init__(self, data: bytes, fail_after: int, exc: BaseException | None = None):
        self.data, self.fail_after, self.pos = data, fail_after, 0
        self.exc = exc or ConnectionResetError("连接被客户端重置")

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self.pos >= self.fail_after:
            raise self.exc
        n = len(self.data) if n is None or n < 0 else n
        chunk = self.data[self.pos : min(self.pos + n, self.fail_after)]
        self.pos += len(chunk)
        return chunk


def payload(n: int, seed: int = 7) -> bytes:
    """Deterministic, non-repeating-looking bytes (so a flipped byte changes the digest)."""
    import random

    return random.Random(seed).randbytes(n)


@pytest.fixture
def ingest(tree, officer_user):
    def _ingest(
        data: bytes = b"",
        *,
        actor=None,
        org=None,
        filename="现场照片.jpg",
        content_type="image/jpeg",
        target=("tests.record", 12),
        step="调查取证",
        **kw,
    ):
        data = data or payload(5000)
        actor = actor or officer_user
        return services.evidence_ingest(
            io.BytesIO(data),
            filename=filename,
            content_type=content_type,
            target_type=target[0],
            target_id=target[1],
            step=step,
            org=org or actor.org,
            actor=actor,
            **kw,
        )

    return _ingest


# --- a real S3 API endpoint -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's standalone S3 server (``moto[server]``) in its own process, speaking the S3 REST API over
    HTTP on loopback. The backend talks to it through boto3 exactly as it would to MinIO or OSS."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        require_service(
            "S3 兼容服务（moto[server]）", False, "pip install 'moto[server]'（见 pyproject test 依赖）"
        )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    ready = False
    for _ in range(100):
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                ready = True
                break
        except OSError:
            time.sleep(0.1)
    if not ready:
        proc.kill()
        require_service("S3 兼容服务（moto[server]）", False, "moto 服务器未能在 127.0.0.1 启动")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    """Switch evidence storage to S3: a fresh bucket per test, 5 MiB parts (the S3 minimum)."""
    import boto3

    bucket = f"zhifa-{uuid.uuid4().hex[:12]}"
    env = {
        "ZHIFA_STORAGE": "s3",
        "ZHIFA_S3_ENDPOINT": s3_endpoint,
        "ZHIFA_S3_BUCKET": bucket,
        "ZHIFA_S3_ACCESS_KEY": "testing",
        "ZHIFA_S3_SECRET_KEY": "testing",
        "ZHIFA_S3_REGION": "us-east-1",
        "ZHIFA_S3_PREFIX": "evidence/",
        "ZHIFA_S3_PART_MB": "5",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    storage._cache.clear()
    return client, bucket
