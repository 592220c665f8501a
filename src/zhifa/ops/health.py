"""``/healthz`` (liveness: the process answers) and ``/readyz`` (readiness: database reachable, every
migration applied, data directory and evidence store writable, job queue reachable).

Both need no sign-in and say nothing more than ``ok`` (200) or ``unavailable`` (503): a stranger learns
neither which store failed nor how it is configured. The operator gets the reasons from ``zhifa check
--deploy``. They are answered by :class:`zhifa.ops.middleware.OpsMiddleware` ahead of the host check and
the HTTPS redirect, so a load balancer or systemd watchdog may ask ``http://127.0.0.1:8000/readyz``.
"""

from __future__ import annotations

from django.http import HttpResponse

from zhifa.ops import probes

READY_PROBES = (
    probes.database_probe,
    probes.migrations_probe,
    probes.data_dir_probe,
    probes.evidence_store_probe,
    probes.queue_probe,
)


def _plain(text: str, status: int) -> HttpResponse:
    resp = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    resp["Cache-Control"] = "no-store"
    return resp


def healthz(request) -> HttpResponse:
    return _plain("ok", 200)


def readiness() -> list[probes.Probe]:
    """Every readiness probe's answer, in order (the database first: the migration probe needs it)."""
    results = []
    for probe in READY_PROBES:
        result = probe()
        results.append(result)
        if probe is probes.database_probe and not result.ok:
            break
    return results


def readyz(request) -> HttpResponse:
    ready = all(r.ok is not False for r in readiness())
    return _plain("ok", 200) if ready else _plain("unavailable", 503)
