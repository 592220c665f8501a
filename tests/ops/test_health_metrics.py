"""/healthz, /readyz and /metrics: no sign-in, no detail to an anonymous caller, answered ahead of the host
check and the HTTPS redirect; /metrics only to allowed addresses or the bearer token; request metrics
labelled by view name, never by path; scrape-time gauges from the real stores and the gateway's status file."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket

import pytest

from tests.factories import make_org_tree


def _metrics(client, **extra) -> str:
    r = client.get("/metrics", **extra)
    assert r.status_code == 200, r.content
    return r.content.decode()


def _value(text: str, name: str, labels: str = "") -> float | None:
    m = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", text, re.M)
    return None if m is None else float(m.group(1))


@pytest.mark.django_db
def test_probes_answer_plain_ok_without_login_host_or_https(client, settings):
    settings.ALLOWED_HOSTS = ["zhifa.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True  # production behind nginx: plain HTTP would be redirected
    for path in ("/healthz", "/readyz"):
        r = client.get(path, HTTP_HOST="10.0.0.5:8000")
        assert r.status_code == 200 and r.content == b"ok\n", (path, r.status_code, r.content)
        assert r["Cache-Control"] == "no-store"
    # an ordinary page with the same Host is still refused by the host check
    assert client.get("/login/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_fails_without_detail_when_the_queue_is_unreachable(client, settings):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.JOBS_URL = f"redis://127.0.0.1:{port}/0"
    r = client.get("/readyz")
    assert r.status_code == 503 and r.content == b"unavailable\n"
    settings.JOBS_URL = "redis://127.0.0.1:6379/15"
    from tests.conftest import require_service
    from zhifa.ops.probes import queue_probe

    require_service("Redis", queue_probe().ok is True, "apt-get install redis-server")
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_fails_when_the_evidence_bucket_is_missing(client, s3, monkeypatch):  # noqa: F811
    from zhifa.evidence import storage

    assert client.get("/readyz").status_code == 200  # the bucket exists
    monkeypatch.setenv("ZHIFA_S3_BUCKET", "no-such-bucket-zhifa")
    storage._cache.clear()
    r = client.get("/readyz")
    assert r.status_code == 503 and r.content == b"unavailable\n"
    from zhifa.ops.probes import evidence_store_probe

    assert "证据存储不可写" in evidence_store_probe().detail  # the operator's reason (zhifa check --deploy)


@pytest.mark.django_db
def test_readyz_reports_pending_migrations(client):
    """The last migration of an app marked unapplied in django_migrations (as after deploying new code
    before ``zhifa migrate``): not ready, and the operator is told to migrate."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    from zhifa.ops import probes

    probes._migrations_ok_until = 0.0
    assert probes.migrations_probe().ok
    app, name = next(n for n in MigrationLoader(connection).graph.leaf_nodes() if n[0] == "overload")
    recorder = MigrationRecorder(connection)
    probes._migrations_ok_until = 0.0
    recorder.record_unapplied(app, name)
    try:
        p = probes.migrations_probe()
        assert p.ok is False and "zhifa migrate" in p.detail
        assert client.get("/readyz").status_code == 503
    finally:
        recorder.record_applied(app, name)
    assert probes.migrations_probe().ok


@pytest.mark.django_db
def test_metrics_access_by_address_or_token(client, monkeypatch, settings):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    r = client.get("/metrics", **stranger)
    assert r.status_code == 403 and "zhifa_" not in r.content.decode()
    # a forged X-Forwarded-For from an untrusted address is not believed
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **stranger).status_code == 403
    monkeypatch.setenv("ZHIFA_METRICS_ALLOW", "127.0.0.1, 203.0.113.0/24")
    assert client.get("/metrics", **stranger).status_code == 200
    monkeypatch.setenv("ZHIFA_METRICS_ALLOW", "10.1.2.3")
    monkeypatch.setenv("ZHIFA_METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics").status_code == 403  # loopback no longer listed
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **stranger).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", **stranger).status_code == 200
    # behind a trusted proxy the client's own address counts
    settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    monkeypatch.delenv("ZHIFA_METRICS_TOKEN")
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 403


@pytest.mark.django_db
def test_request_metrics_are_labelled_by_view_never_by_path(client):
    client.get("/public/records/?q=通达物流")
    client.get("/no/such/page/12345/")
    text = _metrics(client)
    assert 'zhifa_http_requests_total{status="200",view="public_records"}' in text or re.search(
        r'zhifa_http_requests_total\{status="200",view="[a-z_.:]*records[a-z_]*"\}', text), text[:3000]
    assert 'view="unresolved"' in text
    # no path or query in any label (values are numbers that may contain any digits, so only labels count)
    labels = " ".join(re.findall(r"\{[^}]*\}", text))
    assert 'view="unresolved"' in labels
    assert "12345" not in labels and "%E9%80%9A" not in labels and "通达" not in labels
    assert "通达" not in text and "/no/such/page" not in text
    assert "zhifa_http_request_duration_seconds_bucket" in text


@pytest.mark.django_db
def test_platform_gauges_from_the_real_stores(client):
    from django.utils import timezone

    from zhifa.core.audit import audit_head
    from zhifa.overload.models import IngestBatch

    tree = make_org_tree()  # writes audit records
    text = _metrics(client)
    assert _value(text, "zhifa_audit_head_seq") == audit_head().seq > 0
    assert _value(text, "zhifa_jobs_queue_up") == 1  # SQLite queue under the data directory
    assert "zhifa_ingest_lag_seconds" not in text  # nothing ingested yet
    assert "zhifa_backup_last_success_timestamp_seconds" not in text  # no backup yet
    batch = IngestBatch.objects.create(org=tree.bureau_a, channel="api", received=3, stored=3)
    IngestBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=10))
    lag = _value(_metrics(client), "zhifa_ingest_lag_seconds", '{stream="wim"}')
    assert 590 <= lag <= 3600


def test_gateway_status_file_reaches_the_metrics(tmp_path, settings, client, db):
    """A real JT/T 808 gateway in this process, a simulated terminal connected: the gateway's status file
    gives /metrics its open connections and acknowledged reports."""
    from tests.monitoring.helpers import local_ts
    from tests.monitoring.test_gateway import BINDINGS, free_port
    from zhifa.monitoring.gateway import Gateway
    from zhifa.monitoring.store import Store
    from zhifa.monitoring.terminal_sim import SimTerminal

    async def scenario():
        gw = Gateway(Store(tmp_path / "mon"), BINDINGS, drain_every=3600, status_every=0.05)
        port = free_port()
        ready = asyncio.Event()
        task = asyncio.create_task(gw.serve("127.0.0.1", port, ready=ready))
        await ready.wait()
        t = SimTerminal("13800000001", "粤W10001", 2)
        await t.connect("127.0.0.1", port)
        for k in range(3):
            assert await t.report(ts=local_ts(4, 9, k), lat=23.2, lon=111.5)
        await asyncio.sleep(0.3)  # a few status writes
        text = await asyncio.to_thread(_metrics, client)
        await t.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return text

    text = asyncio.run(scenario())
    assert _value(text, "zhifa_gateway_up", '{gateway="jt808"}') == 1
    assert _value(text, "zhifa_gateway_connections", '{gateway="jt808"}') == 1
    assert _value(text, "zhifa_gateway_reports", '{gateway="jt808"}') == 3
    assert _value(text, "zhifa_gateway_last_ack_age_seconds", '{gateway="jt808"}') is not None
    assert 'gateway="wim"' not in text  # no WIM gateway process has written a status file


@pytest.mark.django_db(transaction=True)
def test_last_backup_on_the_metrics_and_in_the_probe(client, tmp_path, settings):
    """A real backup (ops.backup) of this test database: its end time becomes the gauge; none configured
    and none run is 未配置, a directory configured and none run fails."""
    from zhifa.ops import probes
    from zhifa.ops.backup import backup_create

    settings.BACKUP_DIR = ""
    assert probes.last_backup_probe().ok is None
    settings.BACKUP_DIR = str(tmp_path.parent / f"{tmp_path.name}-backups")
    assert probes.last_backup_probe().ok is False
    make_org_tree()
    backup_create(settings.BACKUP_DIR)
    p = probes.last_backup_probe()
    assert p.ok is True, p.detail
    value = _value(_metrics(client), "zhifa_backup_last_success_timestamp_seconds")
    assert value == pytest.approx(p.value)
