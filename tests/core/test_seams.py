"""The seams of ARCHITECTURE.md: events (effects that travel up the layers), lookups (reads that do), and the
import-linter contracts that keep the layers honest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from zhifa.core import events, lookups
from zhifa.core.checks import check_lookups_provided

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def event():
    name = "test.something_happened"
    ev = events.declare(name, label="测试事件", payload=("value",))
    yield ev
    ev.listeners.clear()
    events._EVENTS.pop(name, None)


@pytest.mark.django_db(transaction=True)
def test_in_transaction_listener_runs_at_once_and_its_failure_refuses_the_cause(event):
    from zhifa.core.models import HolidaySchedule

    seen = []

    def listener(*, value):
        seen.append(value)
        if value == "bad":
            raise RuntimeError("refused")
        return {"seen": value}

    events.subscribe(event, listener)
    events.subscribe(event, listener)  # an AppConfig.ready run twice subscribes once
    with transaction.atomic():
        assert events.emit(event, value="ok") == [{"seen": "ok"}]
        assert seen == ["ok"]  # inside the emitter's transaction, before commit
    with pytest.raises(RuntimeError), transaction.atomic():
        HolidaySchedule.objects.create(year=2099, document="x", entered_by="t")
        events.emit(event, value="bad")
    assert not HolidaySchedule.objects.filter(year=2099).exists()  # the cause rolled back with it
    assert seen == ["ok", "bad"]


@pytest.mark.django_db(transaction=True)
def test_after_commit_listener_waits_for_commit_and_never_runs_on_rollback(event):
    seen = []
    events.subscribe(event, lambda *, value: seen.append(value), phase=events.AFTER_COMMIT)
    with transaction.atomic():
        assert events.emit(event, value=1) == []
        assert seen == []
    assert seen == [1]
    with pytest.raises(LookupError), transaction.atomic():
        events.emit(event, value=2)
        raise LookupError("the cause fails after the emit")
    assert seen == [1]


@pytest.mark.django_db(transaction=True)
def test_a_failing_after_commit_listener_does_not_stop_the_others(event):
    seen = []

    def broken(*, value):
        raise RuntimeError("down")

    events.subscribe(event, broken, phase=events.AFTER_COMMIT)
    events.subscribe(event, lambda *, value: seen.append(value), phase=events.AFTER_COMMIT)
    with transaction.atomic():
        events.emit(event, value="x")
    assert seen == ["x"]


def test_payload_and_subscription_are_checked(event):
    with pytest.raises(TypeError):
        events.emit(event, value=1, other=2)
    with pytest.raises(TypeError):
        events.emit(event)
    with pytest.raises(TypeError):
        events.subscribe("test.something_happened", lambda **kw: None)  # a name, not the declared Event
    with pytest.raises(ValueError):
        events.declare("test.something_happened", label="x", payload=("other",))


def test_every_cross_layer_effect_has_its_listener():
    """The effects that used to be imports back down the layers, each now heard by the app above."""
    from zhifa.cases.events import (
        DECISION_OVERTURNED,
        FILING_REVOKED,
        NO_PENALTY_DECIDED,
        PENALTY_DECIDED,
        SOURCE_ACCEPTED,
        SOURCE_CLOSED,
    )
    from zhifa.disclosure.events import DAILY_RUN, DECISION_RECORDED, RECORD_EXPIRED, RECORD_WITHDRAWN
    from zhifa.registry.events import PERMIT_DECIDED

    def heard(ev):
        return [listener.name.rsplit(".", 1)[0].split(".")[1] for listener in ev.listeners]

    # the public record first; then 治超 counts (一超四罚 from 处罚决定, issue 24); then the complaint's reply
    assert heard(PENALTY_DECIDED) == ["disclosure", "overload", "complaints"]
    assert heard(SOURCE_ACCEPTED) == heard(SOURCE_CLOSED) == ["complaints"]  # 立案 / 不予立案 back to the order
    assert heard(NO_PENALTY_DECIDED) == heard(FILING_REVOKED) == ["complaints"]  # 不予处罚 / 撤销立案 too
    assert heard(DECISION_OVERTURNED) == ["disclosure", "overload"]
    for ev in (DECISION_RECORDED, RECORD_WITHDRAWN, RECORD_EXPIRED, DAILY_RUN):
        assert heard(ev) == ["credit"], ev
    assert heard(PERMIT_DECIDED) == ["disclosure", "credit"]  # the public record first, then the credit file


def test_lookups_need_exactly_one_provider():
    lk = lookups.declare("test.nothing", doc="测试")
    try:
        with pytest.raises(ImproperlyConfigured):
            lk()
        assert [e.id for e in check_lookups_provided()] == ["zhifa.E001"]
        def answer():
            return 42

        def another():
            return 43

        lk.provide(answer)
        assert lk() == 42 and check_lookups_provided() == []
        lk.provide(answer)  # the same provider again (a ready() run twice)
        with pytest.raises(ImproperlyConfigured):
            lk.provide(another)  # a second, different provider
    finally:
        lookups._LOOKUPS.pop("test.nothing", None)


def test_the_installed_apps_provide_every_lookup():
    from zhifa.disclosure.lookups import PUBLIC_RATINGS

    assert check_lookups_provided() == []
    assert PUBLIC_RATINGS.provider.__module__ == "zhifa.credit.selectors"


# --- the layer contracts ---------------------------------------------------------------------------


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "lint-imports"
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    return subprocess.run(
        [str(exe), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory):
    tree = tmp_path_factory.mktemp("layers")
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "zhifa", tree / "src" / "zhifa",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates*", "data"))
    return tree


def test_the_layers_hold_on_this_tree(tree_copy):
    r = _lint_imports(tree_copy)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


@pytest.mark.parametrize(
    "module, line, broken",
    [
        ("core/identifiers.py", "from zhifa.accounts import enums", "zhifa.core is not allowed to import zhifa.accounts"),
        ("disclosure/rules.py", "import zhifa.credit.selectors", "zhifa.disclosure is not allowed to import zhifa.credit"),
        ("cases/clocks.py", "from zhifa.disclosure import masking", "zhifa.cases is not allowed to import zhifa.disclosure"),
        ("monitoring/record_checks.py", "from zhifa.monitoring import definitions", "No cycles are allowed in zhifa.monitoring"),
    ],
)
def test_a_back_import_breaks_the_contract(tree_copy, module, line, broken):
    path = tree_copy / "src" / "zhifa" / module
    original = path.read_text()
    try:
        path.write_text(original + f"\n\ndef _back():\n    {line}  # a lazy import counts too\n")
        r = _lint_imports(tree_copy)
    finally:
        path.write_text(original)
    assert r.returncode == 1, r.stdout
    assert broken in r.stdout


def test_architecture_md_lists_every_event_and_lookup():
    """The seams list is the document a newcomer reads: a new event or lookup must be added to it."""
    text = (ROOT / "ARCHITECTURE.md").read_text()
    names = [e.name for e in events.declared() if not e.name.startswith("test.")]
    names += [lk.name for lk in lookups.declared() if not lk.name.startswith("test.")]
    assert len(names) >= 8
    missing = [n for n in names if f"`{n}`" not in text]
    assert not missing, f"ARCHITECTURE.md does not list {missing}"


def test_an_app_of_the_same_layer_finds_the_seams_by_name_and_only_declared_ones():
    """permits may not import inspections: it finds the lookup it provides and the event it hears by name."""
    from django.core.exceptions import ImproperlyConfigured

    from zhifa.inspections.events import RECORD_SUBMITTED
    from zhifa.inspections.lookups import POSTCHECKS_DUE
    from zhifa.permits import listeners, selectors

    assert lookups.named("permits.postchecks_due") is POSTCHECKS_DUE
    assert POSTCHECKS_DUE.provider is selectors.postchecks_due
    assert events.named("inspections.record_submitted") is RECORD_SUBMITTED
    assert [li.handler for li in RECORD_SUBMITTED.listeners] == [listeners.on_record_submitted]
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        lookups.named("permits.nothing")
    with pytest.raises(LookupError, match="not declared"):
        events.named("inspections.nothing")
