"""The `zhifa serve` worker (core.server) checks the gunicorn internals it builds on when it starts: with them
it balances connections between processes; without them (gunicorn 23's gthread loop never calls
``wait_for_and_dispatch_events``) it warns the operator and serves as gunicorn's plain gthread worker.
That the worker serves, balanced, under `zhifa serve` is tests/test_cli.py::test_serve_runs_one_process_…"""

from __future__ import annotations

import logging
import os

import gunicorn
import pytest
from gunicorn.config import Config

from zhifa.core import server
from zhifa.core.server import Worker, missing_internals


class Gunicorn23Loop(Worker):
    """A worker on gunicorn 23's gthread loop: it waits on the poller and on futures itself, so the method
    through which Worker shortens a turn is never called."""

    def run(self):
        while self.alive:
            self.notify()
            if self.nr_conns < self.worker_connections:
                for key, _ in self.poller.select(1.0):
                    key.data(key.fileobj)
            self.murder_keepalived()


@pytest.fixture
def make_worker():
    made = []

    def make(cls):
        cfg = Config()
        w = cls(0, os.getppid(), [], None, 30, cfg, logging.getLogger("zhifa.test.server"))
        w.pid = os.getpid()  # as gunicorn's init_process sets it in the forked worker
        made.append(w)
        return w

    yield make
    for w in made:
        if w._slot is not None:  # free the slot of the shared table for the next test
            server._SLOT.pack_into(server._TABLE, w._slot * server._SLOT.size, 0, 0, 0.0)
        w.tmp.close()


def test_installed_gunicorn_has_what_the_worker_needs(make_worker, caplog):
    assert missing_internals(Worker) == [], gunicorn.__version__
    w = make_worker(Worker)
    with caplog.at_level(logging.WARNING, logger="zhifa.test.server"):
        assert w.check_internals() is True
    assert caplog.records == [] and w._slot is not None
    w.nr_conns = 5  # the only live process: it may hold one more than the least loaded, itself
    assert w.worker_connections == 6


def test_worker_falls_back_to_plain_gthread_without_an_internal(make_worker, caplog):
    assert missing_internals(Gunicorn23Loop) == ["run: wait_for_and_dispatch_events"]
    w = make_worker(Gunicorn23Loop)
    with caplog.at_level(logging.WARNING, logger="zhifa.test.server"):
        assert w.check_internals() is False
    (rec,) = caplog.records
    message = rec.getMessage()
    assert rec.levelno == logging.WARNING and "run: wait_for_and_dispatch_events" in message
    assert f"gunicorn {gunicorn.__version__}" in message and "普通 gthread 工作进程" in message
    # plain gthread: no slot in the shared table, gunicorn's own worker_connections as the accept limit
    w.nr_conns = 5
    assert w._slot is None and w.worker_connections == Config().worker_connections == 1000
