"""The 审计日志 names every action in Chinese: each action code the code base writes has a name from its
app's audit_labels.py, and the pages show the name (the code stays in the record, the export and a tooltip)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from zhifa.core import audit
from zhifa.core.audit import action_label, audit_record

SRC = Path(audit.__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z_]+\.[a-z_.]+$")


def _written_codes() -> tuple[set[str], set[str]]:
    """(literal codes, prefixes of codes built with an f-string) passed as ``action=`` to any call in src
    (audit_record and the helpers that pass it on), plus module constants named *_ACTION."""
    literal, prefixes = set(), set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.Call):
                values = [kw.value for kw in node.keywords if kw.arg == "action"]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("_ACTION") for t in node.targets
            ):
                values = [node.value]
            for value in values:
                if isinstance(value, ast.JoinedStr) and isinstance(value.values[0], ast.Constant):
                    prefixes.add(value.values[0].value)
                for sub in ast.walk(value) if not isinstance(value, ast.JoinedStr) else ():
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and CODE.match(sub.value):
                        literal.add(sub.value)
    return literal, prefixes


def test_every_action_the_code_writes_has_a_chinese_name():
    literal, prefixes = _written_codes()
    assert len(literal) > 80 and {"auth.login", "inspection_draw.contribute", "demo.load"} <= literal
    unnamed = sorted(code for code in literal if not action_label(code))
    assert not unnamed, f"no Chinese name for {unnamed}: add it to the app's audit_labels.py"
    assert prefixes >= {"case.", "registry.permit.", "evidence.", "import.", "credit.record_", "disclosure."}
    missing = sorted(p for p in prefixes if not any(p.startswith(q) for q in audit._ACTION_PREFIXES))
    assert not missing, f"no name for codes built as {missing}"


@pytest.mark.django_db
def test_every_built_code_is_named():
    """The codes made from a value: every case move, licence decision, custody event, disclosure state and
    credit record status, every registry kind and every import kind."""
    from zhifa.cases.workflow import MOVES
    from zhifa.core.imports import _REGISTRY
    from zhifa.credit.models import RecordStatus
    from zhifa.disclosure.models import DisclosureState
    from zhifa.evidence.enums import CustodyAction
    from zhifa.registry.enums import PermitAction

    codes = [f"case.{a}" for a in MOVES]
    codes += [f"registry.permit.{a}" for a in PermitAction.values]
    codes += [f"evidence.{a}" for a in CustodyAction.values]
    codes += [f"disclosure.{s}" for s in DisclosureState.values]
    codes += [f"credit.record_{s}" for s in RecordStatus.values]
    codes += [f"registry.{k}.save" for k in ("enterprises", "persons", "vehicles", "licences")]
    codes += [f"import.{k}" for k in _REGISTRY]
    named = {c: action_label(c) for c in codes}
    assert all(named.values()), [c for c, v in named.items() if not v]
    assert named["case.register"] == "办案：批准立案"
    assert named["registry.permit.revoke"] == "许可决定：吊销"
    assert action_label("no.such_action") == ""


def test_the_audit_pages_show_names_and_search_by_them(client, auditadmin, officer_user):
    from zhifa.core.models import AuditRecord

    audit_record(action="auth.login", actor=officer_user, target=officer_user)
    audit_record(action="case.register", actor=officer_user, target_type="registry.enterprise", target_id="1")
    client.force_login(auditadmin)
    page = client.get("/audit/").content.decode()
    assert "<td title=\"auth.login\">登录</td>" in page
    assert "办案：批准立案" in page
    assert "<td>企业</td>" in page  # a target without a description: its kind, by name
    page = client.get("/audit/", {"action": "批准立案"}).content.decode()
    assert "办案：批准立案" in page and "共 1 条" in page
    seq = AuditRecord.objects.get(action="auth.login", actor_id=officer_user.pk).seq
    page = client.get(f"/audit/{seq}/").content.decode()
    assert "<dd title=\"auth.login\">登录</dd>" in page  # the code in a tooltip, not in the text
