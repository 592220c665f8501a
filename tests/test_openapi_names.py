"""Issue 16 item 11: two API schemas with one name share one OpenAPI component, so an operation is
documented with the other app's schema (``GET /overload/leads/{pk}`` showed the 两客一危 lead). Every schema
class of the API has its own name, and each operation's documented response is its own schema."""

from __future__ import annotations

from collections import defaultdict

import pytest
from ninja import Schema
from pydantic import BaseModel


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    from zhifa.config.api import api

    api.get_openapi_schema()  # imports every router
    by_name = defaultdict(set)
    for cls in set(_subclasses(BaseModel)) | set(_subclasses(Schema)):
        if cls.__module__.startswith("zhifa.") and ".api" in cls.__module__:
            by_name[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert not clashes, clashes


@pytest.mark.django_db
def test_overload_lead_is_documented_with_its_own_schema():
    from zhifa.config.api import api

    doc = api.get_openapi_schema()
    op = doc["paths"]["/api/v1/overload/leads/{pk}"]["get"]
    ref = op["responses"][200]["content"]["application/json"]["schema"]["$ref"]
    fields = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert {"station_code", "gross_kg", "excess_kg"} <= set(fields), sorted(fields)
