"""The PostgreSQL backend's alive-bypass window (zhifa.core.postgresql.base), against a real server: a
connection that finished a request moments ago is not checked before the next one; one idle for longer is,
so a backend killed while idle costs no failed request. Requests are driven by Django's request signals
(the test client disconnects the connection handling from them)."""

from __future__ import annotations

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, connections

from zhifa.core.postgresql import base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _request():
    """One request's worth of database work, with the signals a server sends around it."""
    request_started.send(sender=None)
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            return cur.fetchone()[0]
    finally:
        request_finished.send(sender=None)


def _kill(pid: int) -> None:
    """Terminate a backend from another connection, as a restart or a dropped link would."""
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_backend_is_ours_with_health_checks_on():
    assert isinstance(connections["default"], base.DatabaseWrapper)
    assert connection.health_check_enabled and connection.settings_dict["CONN_MAX_AGE"] > 0


def test_no_check_within_window_so_a_killed_connection_fails_one_request(monkeypatch):
    monkeypatch.setattr(base, "ALIVE_BYPASS_S", 3600.0)
    first = _request()
    assert _request() == first  # the connection is kept across requests
    _kill(first)
    with pytest.raises(OperationalError):  # not checked: the first query finds it dead
        _request()
    again = _request()  # Django dropped it at the end of the failed request
    assert again != first


def test_checked_after_the_window_so_a_killed_connection_fails_nothing(monkeypatch):
    monkeypatch.setattr(base, "ALIVE_BYPASS_S", 0.0)
    first = _request()
    _kill(first)
    assert _request() != first  # SELECT 1 found it dead; a new connection served the request


def test_a_failed_request_is_not_a_sign_of_life(monkeypatch):
    """A request that ended with a database error leaves no bypass: the next request checks."""
    monkeypatch.setattr(base, "ALIVE_BYPASS_S", 3600.0)
    first = _request()
    request_started.send(sender=None)
    try:
        with pytest.raises(OperationalError), connection.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")  # the connection dies mid-request
    finally:
        request_finished.send(sender=None)
    assert connection.connection is None and _request() != first
