"""Issue 16's standing probe: schemathesis against every operation of the REST API, in-process.

The OpenAPI document is loaded from the Django WSGI application itself (``/api/v1/openapi.json``), so the
requests run against the test database with all middleware. For every operation hypothesis draws a bounded,
derandomized set of requests — path, query and JSON bodies (the issue's "POST body probing") — and sends
them twice over, as two callers:

* anonymous: only the public portal's operations may answer 2xx; every other one must refuse with a
  documented 401 in the error envelope;
* a business user (county A's head, 执法部门负责人) with a bearer token, over a small county built through
  the services (``tests/security/test_scoping.World``: a registered case with its documents, evidence, a
  case source, a 双随机 plan/task/record, a 治超 lead, a 双公示 record, an enterprise). A drawn request whose
  path names an object is also sent with that object's real id half of the time, so GET-by-id and the
  case steps reach real rows instead of 404.

Checks on every response: no 5xx (``not_a_server_error``), the status code is one the operation documents
(``status_code_conformance``), the body matches the documented schema of that status
(``response_schema_conformance``) and the content type is the documented one
(``content_type_conformance``).
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.inspections.conftest import county  # noqa: F401  (World.plan, .task, .inspection_record)
from tests.overload.conftest import stations  # noqa: F401  (World.lead)
from tests.security.test_scoping import _isolated_files, world  # noqa: F401  (county A, built on first use)

pytestmark = [pytest.mark.django_db]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]

# Per operation and caller: 164 operations × (5 + 2) drawn requests. Anonymous needs few: all but the portal
# are refused at authentication, whatever the request.
EXAMPLES_USER = 5
EXAMPLES_ANON = 2
PROBE = settings(
    deadline=None,
    derandomize=True,  # the same requests on every run and both databases: a failure is reproducible
    database=None,  # nothing kept between runs (CI has no cache), nothing written to the worktree
    # Generated examples only: schemathesis also adds its coverage scenarios as explicit examples (up to 200+ per
    # operation), which would unbind the run time; no shrinking, the first failing request is reported as is.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),  # slow data generation for large bodies is expected here
)

# Which object of county A a path parameter names: (regex on the path template, World attribute).
REAL_ROWS: list[tuple[str, str]] = [
    (r"^/api/v1/cases/sources/\{pk\}", "source"),
    (r"^/api/v1/cases/\{pk\}", "case"),
    (r"^/api/v1/evidence/\{pk\}", "evidence"),
    (r"^/api/v1/documents/issued/\{pk\}", "document"),
    (r"^/api/v1/accounts/officers/\{officer_id\}", "officer"),
    (r"^/api/v1/registry/enterprises/\{pk\}", "enterprise"),
    (r"^/api/v1/inspections/plans/\{pk\}", "plan"),
    (r"^/api/v1/inspections/(public/)?tasks/\{pk\}", "task"),
    (r"^/api/v1/inspections/records/\{pk\}", "inspection_record"),
    (r"^/api/v1/overload/leads/\{pk\}", "lead"),
    (r"^/api/v1/(public|disclosure)/records/\{record_id\}", "disclosure"),
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app is called directly, not through Django's test client: like that client, keep the request
    signals from closing the database connection, which holds the test's transaction (on PostgreSQL the
    next request found it closed; SQLite's in-memory test database ignores the close)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_path_parameters(case, county_a) -> dict | None:
    path = case.operation.path if case.operation.path.startswith("/api/") else "/api/v1" + case.operation.path
    for pattern, attribute in REAL_ROWS:
        if re.match(pattern, path):
            name = re.search(r"\{(\w+)\}", pattern.replace("\\", "")).group(1)
            return {**(case.path_parameters or {}), name: getattr(county_a, attribute).pk}
    return None


def _token(user) -> str:
    from zhifa.accounts.services import api_token_create

    return api_token_create(user=user, name="schemathesis", actor=user)[1]


@schema.parametrize()
@settings(PROBE, max_examples=EXAMPLES_USER)
@schema.given(use_real_row=st.booleans())
def test_api_as_business_user(case, use_real_row, world, head_user):  # noqa: F811  (the fixture)
    token = getattr(head_user, "_probe_token", None)
    if token is None:
        token = head_user._probe_token = _token(head_user)
    if use_real_row and (real := _real_path_parameters(case, world)):
        case.path_parameters = real
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@schema.parametrize()
@settings(PROBE, max_examples=EXAMPLES_ANON)
def test_api_as_anonymous(case):
    response = case.call_and_validate(checks=CHECKS)
    if not case.operation.path.startswith(("/api/v1/public/", "/api/v1/inspections/public/")):
        # 401 without credentials; 403 for an unsafe method, refused by the session authentication's CSRF check
        # before the (absent) token is looked at; 422 for a parameter refused before any view (a NUL byte).
        assert response.status_code in (401, 403, 422), (case.operation.label, response.status_code)
