"""Real worker processes against a real installation (its own database and data directory, the embedded
SQLite broker and Redis): a worker killed with SIGKILL in the middle of an import leaves the job to be
resumed by the next worker, which finishes it with every row once, and the audit chain still verifies.

On a PostgreSQL run (DATABASE_URL set) the installation's database is a fresh PostgreSQL database.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.installation import installation_at

ROWS = 10_000

# the unit and the legal reviewer every scenario acts as (created by the first one)
ACTOR = r"""
import sys
from zhifa.core.commandline import setup_django
setup_django()
from django.db import transaction
from zhifa.accounts import services as acc
from zhifa.accounts.models import Org, User
from zhifa.jobs.services import job_submit
org = Org.objects.filter(name="郁南县交通运输局").first()
if org is None:
    org = acc.org_create(name="郁南县交通运输局", kind="bureau", division_code="445322", short_name="郁", parent=None,
                         actor=None)
    user = acc.user_create(username="reviewer", display_name="审核员", org=org, roles={"legal_reviewer"},
                           password="Zhifa@2026-test", actor=None)
else:
    user = User.objects.get(username="reviewer")
"""

SETUP = ACTOR + r"""
from zhifa.core.imports import import_receive
with open(sys.argv[1], "rb") as fh, transaction.atomic():
    imp, path = import_receive("vehicles", iter([fh.read()]), "车辆.csv", suffix=".csv", actor=user)
    job = job_submit("imports.run", params={"import_job": imp.pk, "path": str(path)}, actor=user)
print(job.pk, imp.pk)
"""

PDF_SETUP = ACTOR + r"""
from datetime import date
from zhifa.documents import services
from zhifa.documents.specs import sample_context
with transaction.atomic():
    doc = services.document_issue(template="penalty_decision", context=sample_context(), org=org,
                                  target_type="cases.case", target_id=1, actor=user, on=date(2026, 3, 2))
    job = job_submit("documents.pdf", params={"document": doc.pk}, actor=user)
print(job.pk, doc.pk)
"""

COUNTS = r"""
import sys
from zhifa.core.commandline import setup_django
setup_django()
from zhifa.core.models import ImportJob
from zhifa.registry.models import Vehicle
imp = ImportJob.objects.get(pk=int(sys.argv[1]))
print(Vehicle.objects.count(), imp.status, imp.total, imp.processed, imp.created, imp.unchanged, imp.failed)
"""


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    with installation_at(tmp_path_factory.mktemp("install"), "zhifa_jobs") as inst:
        yield inst


def _csv(path: Path, offset: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["车牌号", "车牌颜色", "车辆类型"])
        for i in range(ROWS):
            w.writerow([f"粤{'WJ'[offset]}{i:05d}", "黄色", "重型货车"])
    return path


def _wait(pred, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"等待超时：{what}")


def _redis_broker() -> str:
    """A Redis database of this run's own: .ci/run runs the SQLite and the PostgreSQL suites side by side."""
    import redis

    url = "redis://127.0.0.1:6379/" + ("14" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        ok = True
    except Exception:
        ok = False
    require_service("Redis", ok, "127.0.0.1:6379 未运行")
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.mark.parametrize("broker_kind", ["sqlite", "redis"])
def test_worker_killed_mid_import_is_resumed_by_the_next_worker(installation, tmp_path, broker_kind):
    broker = _redis_broker() if broker_kind == "redis" else ""
    offset = 0 if broker_kind == "sqlite" else 1
    job_id, imp_id = map(int, installation.run(broker, str(_csv(tmp_path / "v.csv", offset)), code=SETUP).split())
    before = int(installation.query("select count(*) from registry_vehicle")[0][0])

    def job_row():
        rows = installation.query(f"select status, done, total, attempts, error from jobs_job where id = {job_id}")
        return rows[0] if rows else None

    first = installation.worker(broker)
    try:
        # wait until the import is under way (some batches in), then kill the worker outright
        row = _wait(lambda: (r := job_row()) and r[0] == "running" and r[1] >= 2000 and r,
                    120, "导入开始处理")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    status, done, total, attempts, _ = job_row()
    assert status == "running" and attempts == 1 and 0 < done < ROWS, row  # killed mid-way, left "running"

    second = installation.worker(broker)
    try:
        _wait(lambda: job_row()[0] in ("done", "failed"), 180, "第二个后台进程完成导入")
    finally:
        second.send_signal(signal.SIGINT)
        try:
            out, _ = second.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            out, _ = second.communicate()
    status, done, total, attempts, error = job_row()
    assert (status, attempts) == ("done", 2), (status, attempts, error, out)
    assert "恢复中断任务 1 个" in out  # the new worker found the dead one's job at start
    vehicles, imp_status, imp_total, processed, created, unchanged, failed = \
        installation.run(broker, str(imp_id), code=COUNTS).split()
    # every row in exactly once: the batches of the killed attempt count as unchanged in the second
    assert int(vehicles) - before == ROWS
    assert (imp_status, int(imp_total), int(processed), int(failed)) == ("done", ROWS, ROWS, 0)
    assert int(created) + int(unchanged) == ROWS and int(unchanged) > 0
    assert not list((installation.root / "uploads").glob("*.csv"))  # the upload removed once imported
    verify = subprocess.run([sys.executable, "-m", "zhifa.cli", "audit", "verify"], env=installation.env(broker),
                            capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_worker_killed_mid_pdf_conversion_leaves_nothing_half_written(installation):
    """A 通报/文书 report being produced (DOCX→PDF with LibreOffice, seconds long) when the worker is killed:
    the next worker converts it again; the store holds the DOCX and one whole PDF, both verify."""
    from zhifa.documents.services import soffice_path

    require_service("LibreOffice", soffice_path() is not None, "apt-get install libreoffice-writer-nogui")
    job_id, doc_id = map(int, installation.run("", code=PDF_SETUP).split())

    def job_row():
        return installation.query(f"select status, attempts, error, result from jobs_job where id = {job_id}")[0]

    first = installation.worker("")
    try:
        _wait(lambda: job_row()[0] == "running", 60, "PDF 转换开始")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert job_row()[:2] == ("running", 1)
    docs = installation.root / "documents"
    assert not list(docs.rglob("*.pdf"))  # killed mid-conversion: no PDF, and no part of one
    second = installation.worker("")
    try:
        _wait(lambda: job_row()[0] in ("done", "failed"), 180, "第二个后台进程完成转换")
    finally:
        second.send_signal(signal.SIGINT)
        try:
            second.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
    status, attempts, error, _ = job_row()
    assert (status, attempts) == ("done", 2), error
    pdfs = list(docs.rglob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF") and pdfs[0].read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(p.suffix for p in docs.rglob("*") if p.is_file()) == [".docx", ".pdf"]
    for command in (["documents", "verify"], ["audit", "verify"]):
        done = subprocess.run([sys.executable, "-m", "zhifa.cli", *command], env=installation.env(""),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
