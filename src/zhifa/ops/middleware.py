"""The outermost middleware: answers ``/healthz``, ``/readyz`` and ``/metrics`` itself, and times every
other request for the metrics.

First in the chain on purpose: a probe from a load balancer or ``curl http://127.0.0.1:8000/readyz`` on the
server carries a Host that ``ALLOWED_HOSTS`` does not list and comes over plain HTTP, which the production
HTTPS redirect would answer with 301; neither check means anything for a probe that reveals nothing.
``/metrics`` does its own access check (ops.metrics.allowed).
"""

from __future__ import annotations

import time

PROBE_PATHS = {"/healthz", "/readyz", "/metrics"}


class OpsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in PROBE_PATHS:
            return self._probe(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # the view's route name (or dotted function), never the path: one series per view, not per URL
        view = (match.view_name or match._func_path) if match is not None else "unresolved"
        from zhifa.ops.metrics import observe

        observe(view, response.status_code, time.perf_counter() - started)
        return response

    @staticmethod
    def _probe(request):
        from django.http import HttpResponseNotAllowed

        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.path_info == "/metrics":
            from zhifa.ops.metrics import metrics_view

            return metrics_view(request)
        from zhifa.ops.health import healthz, readyz

        return healthz(request) if request.path_info == "/healthz" else readyz(request)
