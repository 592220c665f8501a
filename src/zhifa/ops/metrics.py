"""Prometheus metrics at ``/metrics`` (prometheus-client's text format).

* Requests: ``zhifa_http_requests_total{view,status}`` and ``zhifa_http_request_duration_seconds{view}``,
  labelled by the resolved view name (never the raw path: low cardinality), counted by
  :class:`zhifa.ops.middleware.OpsMiddleware`.
* Evaluated at scrape time (:class:`PlatformCollector`): the job queue (up, queued, running, failed), each
  gateway's status file (up, open connections, reports total and per second, seconds since the last
  acknowledged report), ingest lag of weigh-in-motion records and of positions, the last successful
  backup, the audit chain head's sequence number (an external witness compares it with ``zhifa audit
  verify --head``, which prints ``SEQ:HASH``).

Not public: answered only to a client address in ``ZHIFA_METRICS_ALLOW`` (IPs or CIDRs, default
127.0.0.1 and ::1) or to a request with ``Authorization: Bearer $ZHIFA_METRICS_TOKEN``; anyone else gets 403.

Several server processes (``zhifa serve --workers N``): request counters live in each process, so
``zhifa serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at ``DATA_DIR/run/prometheus`` (``ops.serving``) and
this page sums them.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from functools import lru_cache

from django.http import HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from zhifa.ops import probes
from zhifa.ops.serving import MULTIPROC_ENV

REQUESTS = Counter("zhifa_http_requests", "HTTP 请求数（按视图与状态码）", ["view", "status"])
LATENCY = Histogram(
    "zhifa_http_request_duration_seconds",
    "HTTP 请求耗时（按视图）",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120),
)


def observe(view: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


# --- scrape-time collector ------------------------------------------------------------------------


def _gauge(name: str, doc: str, value: float | None, labels: dict | None = None):
    if value is None:
        return None
    g = GaugeMetricFamily(name, doc, labels=list(labels or {}))
    g.add_metric(list((labels or {}).values()), float(value))
    return g


class PlatformCollector:
    """Reads the platform's state when Prometheus scrapes: nothing is kept between scrapes."""

    def collect(self):
        yield from self._queue()
        yield from self._gateways()
        for stream, lag in (("wim", probes.wim_ingest_lag()), ("positions", probes.positions_ingest_lag())):
            g = _gauge("zhifa_ingest_lag_seconds", "距最近一次数据入库的秒数", lag, {"stream": stream})
            if g:
                yield g
        backup = probes.last_backup_probe()
        if backup.value is not None:
            yield _gauge("zhifa_backup_last_success_timestamp_seconds", "最近一次成功备份的时间（Unix 秒）",
                         backup.value)
        from zhifa.core.audit import audit_head

        yield _gauge("zhifa_audit_head_seq", "审计链头序号（外部见证用 zhifa audit verify --head 核对哈希）",
                     audit_head().seq)

    def _queue(self):
        q = probes.queue_probe()
        if q.ok is None:
            return
        yield _gauge("zhifa_jobs_queue_up", "任务队列是否可连接（1 可连接）", 1 if q.ok else 0)
        if q.value is not None:
            yield _gauge("zhifa_jobs_broker_pending", "任务队列中待取的消息数", q.value)
        for status, n in (q.extra or {}).items():
            yield _gauge("zhifa_jobs", "任务数（按状态）", n, {"status": status})

    def _gateways(self):
        up = GaugeMetricFamily("zhifa_gateway_up", "网关状态文件是否在更新（1 在运行）", labels=["gateway"])
        fields = {
            "connections_open": GaugeMetricFamily("zhifa_gateway_connections", "网关当前连接数", labels=["gateway"]),
            "reports_total": GaugeMetricFamily("zhifa_gateway_reports", "网关启动以来确认的上报条数", labels=["gateway"]),
            "reports_per_s": GaugeMetricFamily("zhifa_gateway_reports_per_second", "网关每秒确认的上报条数",
                                               labels=["gateway"]),
            "last_ack_age_s": GaugeMetricFamily("zhifa_gateway_last_ack_age_seconds", "距网关最近一次确认上报的秒数",
                                                labels=["gateway"]),
        }
        seen = False
        for name in probes.GATEWAYS:
            status = probes.gateway_status(name)
            if status is None:
                continue
            seen = True
            alive = status["age_s"] <= probes.GATEWAY_STALE_SECONDS
            up.add_metric([name], 1 if alive else 0)
            for key, family in fields.items():
                if key in status and alive:
                    family.add_metric([name], float(status[key]))
        if seen:
            yield up
            yield from (f for f in fields.values() if f.samples)


# --- the page -------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(raw: str) -> tuple:
    nets = []
    for part in raw.split(","):
        part = part.strip()
        if part:
            nets.append(ipaddress.ip_network(part, strict=False))
    return tuple(nets)


def allowed(request) -> bool:
    """The caller's address is in ``ZHIFA_METRICS_ALLOW`` or it presents ``ZHIFA_METRICS_TOKEN``."""
    from zhifa.core.middleware import client_ip

    token = os.environ.get("ZHIFA_METRICS_TOKEN", "")
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if token and auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in net for net in _networks(os.environ.get("ZHIFA_METRICS_ALLOW", "127.0.0.1,::1")))


def registry() -> CollectorRegistry:
    reg = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(reg)
    else:
        reg.register(REQUESTS)
        reg.register(LATENCY)
    reg.register(PlatformCollector())
    return reg


def metrics_view(request) -> HttpResponse:
    if not allowed(request):
        return HttpResponse("禁止访问\n", status=403, content_type="text/plain; charset=utf-8")
    resp = HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
    resp["Cache-Control"] = "no-store"
    return resp
