"""开放接口说明: the REST API's operations as a Chinese page, drawn from the OpenAPI document itself.

Ninja's Swagger page loads its scripts from a CDN, which government intranets do not reach, so it is
off (``docs_url=None``); this page needs nothing but our own template and stylesheet.
"""

from __future__ import annotations

from functools import cache

from django.shortcuts import render

from zhifa.config.api import api

_METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


@cache
def _groups() -> list[tuple[str, list[dict]]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    groups: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method, op in sorted(operations.items(), key=lambda kv: _METHOD_ORDER.get(kv[0], 9)):
            tag = (op.get("tags") or ["其他"])[0]
            groups.setdefault(tag, []).append(
                {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                 "description": op.get("description", "")}
            )
    return list(groups.items())


def api_docs(request):
    return render(request, "api_docs.html", {"page_title": "开放接口说明", "groups": _groups()})
