"""Issue 16: kill -9 in the middle of a case transition leaves the case entirely before or entirely after the
step, no document without its record (after ``zhifa documents sweep``) and an intact audit chain.

The transition is 立案 (``register``: the head approves, the 立案审批表 is issued — a DOCX written to the
document store, its row, the case's state and the audit chain, in one transaction). It runs in a subprocess of
a throw-away installation (file-backed SQLite, or its own PostgreSQL database on a PostgreSQL run). The
subprocess wraps the document store's ``_store_and_record`` — the platform knows nothing of it — so that once
the file is written and its row and audit entry are inserted, still inside the transaction, it says so and
waits on a FIFO; the test then sends SIGKILL. A second case is registered without the pause, as the control."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.installation import installation_at

SETUP = r"""
from zhifa.core.commandline import setup_django
setup_django()
import random
from datetime import timedelta
from django.utils import timezone
from tests.cases.conftest import make_officer
from tests.factories import make_org_tree, make_user
from tests.security.test_scoping import CASE_A
from zhifa.cases.services import case_create
tree = make_org_tree()
officer = make_user("officer_a", tree.squad_a1, {"officer"})
make_user("head_a", tree.bureau_a, {"head"})
rng = random.Random(16)
make_officer(tree.squad_a1, "郁南甲执法", rng, user=officer)
make_officer(tree.squad_a1, "郁南乙执法", rng)
for _ in range(2):
    c = case_create(org=tree.squad_a1, occurred_on=timezone.localdate() - timedelta(days=2), actor=officer, **CASE_A)
    print(c.pk)
"""

TRANSITION = r"""
import sys
from zhifa.core.commandline import setup_django
setup_django()
from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.cases.workflow import case_transition
from zhifa.documents import services as documents

fifo = sys.argv[2] if len(sys.argv) > 2 else None
original = documents._store_and_record

def paused(**kw):
    doc = original(**kw)
    if fifo:
        print("paused", doc.file_path, flush=True)
        open(fifo).read()  # never answered: the test kills this process here, inside the transaction
    return doc

documents._store_and_record = paused
case = Case.objects.get(pk=int(sys.argv[1]))
case = case_transition(case=case, action="register", actor=User.objects.get(username="head_a"), data={})
print("done", case.state, flush=True)
"""


def _state(inst, pk: int) -> str:
    return inst.query(f"SELECT state FROM cases_case WHERE id = {pk}")[0][0]


def _documents(inst, pk: int) -> int:
    return inst.query(f"SELECT count(*) FROM documents_issueddocument WHERE target_id = '{pk}'")[0][0]


def _cli(inst, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhifa.cli", *args], env=inst.env(), capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_kill_9_inside_register_leaves_the_case_whole(tmp_path_factory, tmp_path):
    with installation_at(tmp_path_factory.mktemp("install"), "zhifa_kill") as inst:
        killed, control = (int(x) for x in inst.run("", code=SETUP).split())
        before = _state(inst, killed)

        fifo = tmp_path / "pause"
        os.mkfifo(fifo)
        proc = subprocess.Popen([sys.executable, "-c", TRANSITION, str(killed), str(fifo)], env=inst.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        assert line.startswith("paused "), line + proc.stderr.read()
        written = inst.root / "documents" / line.split()[1]
        assert written.exists()  # the kill lands after the DOCX is on disk, before the commit
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL

        # entirely before the step: state, document row and audit entries rolled back together
        assert _state(inst, killed) == before
        assert _documents(inst, killed) == 0

        # the control: the same step, uninterrupted, is entirely after
        out = inst.run("", str(control), code=TRANSITION)
        assert out.startswith("done ") and _state(inst, control) != before, out
        assert _documents(inst, control) >= 1

        # the killed step's file has no record: verify names it, sweep removes it, verify is clean again
        verify = _cli(inst, "documents", "verify")
        assert verify.returncode == 1 and written.name in verify.stdout, verify.stdout + verify.stderr
        sweep = _cli(inst, "documents", "sweep", "--older-than", "0")
        assert sweep.returncode == 0 and written.name in sweep.stdout, sweep.stdout + sweep.stderr
        assert not written.exists()
        verify = _cli(inst, "documents", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr
        audit = _cli(inst, "audit", "verify")
        assert audit.returncode == 0, audit.stdout + audit.stderr

        # the killed case can still take the step afterwards
        out = inst.run("", str(killed), code=TRANSITION)
        assert out.startswith("done ") and _state(inst, killed) == _state(inst, control)
