"""The move table of a case lists every move once, and nothing else in the workflow is left out of it:
every action named elsewhere is a row, every guard and effect of the stage modules is run by a row, and
each module of the workflow package stays short enough to read (issue 13, part 3)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections import Counter
from pathlib import Path

import zhifa
from zhifa.accounts.enums import Role
from zhifa.cases import workflow
from zhifa.cases.enums import CaseState, Procedure
from zhifa.cases.workflow.moves import FORBIDDEN, MOVES, TABLE
from zhifa.cases.workflow.paperwork import TEMPLATE_NAMES

PACKAGE = Path(workflow.__file__).parent
SRC = Path(zhifa.__file__).parent
# Modules that hold no guard or effect: the row types, the table, the service, the package itself.
NOT_STAGES = {"base", "moves", "transition"}
GUARD = ["case", "data", "actor", "on"]
EFFECT = ["case", "data", "actor", "on", "after"]
SETTLE = ["case", "actor", "on"]
MAX_LINES = 400


def _modules():
    return [importlib.import_module(f"{workflow.__name__}.{m.name}") for m in pkgutil.iter_modules([PACKAGE])]


def _runs():
    """Every (kind, function) the table runs."""
    return [(kind, fn) for m in TABLE for kind in ("guard", "effect", "settle") if (fn := getattr(m, kind))]


def test_the_table_lists_every_move_once():
    actions = [m.action for m in TABLE]
    twice = [a for a, n in Counter(actions).items() if n > 1]
    assert not twice, f"listed more than once: {twice}"
    assert list(MOVES) == actions  # MOVES is the table, in its order
    assert all(MOVES[m.action] is m for m in TABLE)


def test_every_row_names_real_states_roles_procedures_and_documents():
    for m in TABLE:
        assert m.from_states and set(m.from_states) <= set(CaseState.values), m.action
        assert m.to_state is None or m.to_state in CaseState.values, m.action
        assert m.roles and set(m.roles) <= set(Role.values), m.action
        assert m.procedures and set(m.procedures) <= set(Procedure.values), m.action
        assert set(m.documents) <= set(TEMPLATE_NAMES), m.action
    kind = next(f for f in MOVES["record"].fields if f.name == "kind")
    record_kinds = {value for value, _label in kind.choices}
    assert record_kinds <= set(TEMPLATE_NAMES)  # the 笔录 a record step issues is the kind chosen


def test_forbidden_moves_are_moves_of_the_table_from_states_they_do_not_start_from():
    for action, state in FORBIDDEN:
        assert action in MOVES, action
        assert state in CaseState.values, state
        assert state not in MOVES[action].from_states, (action, state)  # else the message is never given


def _actions_named_in_the_code() -> set[str]:
    """Actions the code asks for by name: moves performed and steps looked up anywhere, moves singled out
    in the cases app (its code and pages)."""
    anywhere = [r'case_transition\(\s*case=[\w.]+,\s*action="(\w+)"', r'steps\.filter\(action="(\w+)"']
    in_cases = [r'\baction == "(\w+)"']
    found = set()
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        cases_app = path.is_relative_to(SRC / "cases")
        for p in anywhere + (in_cases if cases_app else []):
            found |= set(re.findall(p, text))
    return found


def test_every_action_named_in_the_code_is_in_the_table():
    named = _actions_named_in_the_code()
    # the scan finds what it should (a moved or renamed call would otherwise make this test pass on nothing)
    assert {"register", "assign_officers", "record", "end_investigation", "propose", "pay", "close"} <= named
    missing = sorted(named - set(MOVES))
    assert not missing, f"named in the code but not in the table: {missing}"


def test_every_guard_and_effect_of_the_stage_modules_is_run_by_a_move():
    runs = _runs()
    used = {fn for _kind, fn in runs}
    stages = [m for m in _modules() if m.__name__.rsplit(".", 1)[-1] not in NOT_STAGES]
    # register, investigate, notice_hearing, review_decide, serve_enforce, remedy, close, and what they share
    assert len(stages) >= 7
    unused = []
    for module in stages:
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params in (GUARD, EFFECT, SETTLE) and fn not in used:
                unused.append(f"{module.__name__}.{name}")
    assert not unused, f"guards or effects no move runs (dead code): {unused}"


def test_guards_and_effects_live_in_stage_modules_and_say_what_they_do():
    for kind, fn in _runs():
        where = fn.__module__.rsplit(".", 1)[-1]
        assert fn.__module__.startswith(workflow.__name__ + ".") and where not in NOT_STAGES, fn.__qualname__
        expected = {"guard": GUARD, "effect": EFFECT, "settle": SETTLE}[kind]
        assert list(inspect.signature(fn).parameters) == expected, f"{kind} {fn.__name__}"
        assert (kind == "guard") == fn.__name__.startswith("check_"), f"{kind} {fn.__name__}"
        assert (fn.__doc__ or "").strip(), f"{fn.__name__} has no docstring"


def test_every_workflow_module_is_under_400_lines():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert len(sizes) > 10  # the package, not a leftover single module
    too_long = {name: n for name, n in sizes.items() if n >= MAX_LINES}
    assert not too_long, f"workflow modules of {MAX_LINES} lines or more: {too_long}"
